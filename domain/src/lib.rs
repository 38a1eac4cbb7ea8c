//! The credit bank's rules as plain types and pure functions.
//!
//! Nothing here performs IO, reads the clock or generates ids: dates and ids come in as
//! arguments, so every rule can be tested (and property-tested) without a database.

pub mod amount;
pub mod codes;
pub mod error;
pub mod identity;
pub mod region;
pub mod scope;

#[cfg(test)]
mod test_support;
