//! The credit bank's rules as plain types and pure functions.
//!
//! Nothing here performs IO, reads the clock or generates ids: dates and ids come in as
//! arguments, so every rule can be tested (and property-tested) without a database.

pub mod account;
pub mod amount;
pub mod catalogue;
pub mod claim;
pub mod codes;
pub mod completion;
pub mod credit_rule;
pub mod error;
pub mod identity;
pub mod imported;
pub mod policy;
pub mod region;
pub mod review;
pub mod scope;
pub mod teacher_number;
pub mod text;
pub mod transfer;
pub mod webhook;

#[cfg(test)]
mod test_support;
