//! Who is calling (authentication) and what they may touch (authorization).
//!
//! Authorization lives in one place: [`authz::Guard`] evaluates the rules of `domain::scope`
//! (`permits` for a resource, `may` for a named action, with the `ties` it loaded) and hands
//! out a [`authz::Permit`] or a typed handle (`TeacherAccess`, `RecordAccess`, `ReviewAccess`,
//! `CourseAccess`, `RegionAccess`) carrying the rows it checked. Services ask it; they never decide a role or a scope themselves. Nothing here
//! imports `crate::services`: what the gate reads (accounts' targets, ties) lives here.

pub mod access;
pub mod access_course;
pub mod access_record;
pub mod access_region;
pub mod access_transfer;
pub mod api_key;
pub mod audience;
pub mod authz;
pub mod bearer;
pub mod client_address;
pub mod password;
pub mod principal;
pub mod target;
mod ties;
pub mod token;

pub use access::{TeacherAccess, TeacherNeed};
pub use access_course::{
    CourseAccess, CourseNeed, PlaceAccess, PlaceNeed, Producer, ProducerAccess,
};
pub use access_record::{RecordAccess, RecordNeed, ReviewAccess};
pub use access_region::{RegionAccess, RegionNeed};
pub use access_transfer::TransferAccess;
pub use authz::{Guard, LedgerView, OperatorTask, Permit};
pub use principal::{Credential, Principal, RequestAuth};
