//! Persistence services: they open transactions, load and save through sea-orm, and ask the
//! `domain` crate for every decision. Resolvers stay thin and call these.

pub mod accounts;
pub mod organisation;
pub mod page;
pub mod regions;
