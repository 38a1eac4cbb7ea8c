//! Who is calling (authentication) and what they may touch (authorization).
//!
//! Authorization lives in one place: [`authz::Guard`] evaluates the rules of `domain::scope`
//! and hands out a [`authz::Permit`]. Every service function that reads protected data or
//! changes anything takes a `Permit`, so a resolver cannot reach the data without passing the gate.

pub mod authz;
pub mod password;
pub mod principal;
pub mod token;

pub use authz::{Guard, LedgerView, Permit};
pub use principal::{Principal, RequestAuth};
