//! Who is calling (authentication) and what they may touch (authorization).
//!
//! Authorization lives in one place: [`authz::Guard`] evaluates the rules of `domain::scope`
//! (`permits` for a resource, `may` for a named action, with the `ties` it loaded) and hands
//! out a [`authz::Permit`] or a typed handle (`TeacherAccess`, `RecordAccess`, `ReviewAccess`,
//! `CourseAccess`, `RegionAccess`) carrying the rows it checked. Services ask it; they never decide a role or a scope themselves. Nothing here
//! imports `crate::services`: what the gate reads (accounts' targets, ties) lives here.

pub mod access;
pub mod access_account;
pub mod access_course;
pub mod access_deeds;
pub mod access_own;
pub mod access_provider;
pub mod access_record;
pub mod access_region;
pub mod access_school;
pub mod access_transfer;
pub mod access_university;
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
pub use access_account::{AccountAccess, AccountNeed, ApiKeyAccess, NewAccountAccess};
pub use access_course::{
    CourseAccess, CourseNeed, EnrollmentAccess, PlaceAccess, PlaceNeed, Producer, ProducerAccess,
};
pub use access_deeds::{LedgerImportAccess, PolicyAuthorAccess};
pub use access_own::{OwnAccess, OwnNeed, OwnTeacherAccess, TeacherDeed};
pub use access_provider::ProviderAccess;
pub use access_record::{RecordAccess, RecordNeed, ReviewAccess};
pub use access_region::{RegionAccess, RegionNeed};
pub use access_school::{NewTeacherAccess, SchoolAccess};
pub use access_transfer::TransferAccess;
pub use access_university::{
    AccessGrantAccess, ConversionAccess, ConversionNeed, UniversityAccess, UniversityNeed,
};
pub use authz::{Guard, LedgerView, OperatorTask, Permit, QueueAccess};
pub use principal::{Credential, Principal, RequestAuth};
