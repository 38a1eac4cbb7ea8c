//! Persistence services: they open transactions, load and save through sea-orm, and ask the
//! `domain` crate for every decision. Resolvers stay thin and call these.

pub mod accounts;
pub mod catalogue;
pub mod catalogue_count;
pub mod catalogue_search;
pub mod claims;
pub mod closing;
pub mod completions;
pub mod compliance;
pub mod conversions;
pub mod course_import;
pub mod course_preview;
pub mod course_rows;
pub mod csv_export;
pub mod csv_import;
pub mod electronic_file;
pub mod enrolment;
pub mod fresh_statistics;
pub mod ledger;
pub mod organisation;
pub mod page;
pub mod policies;
pub mod recognition;
pub mod regions;
pub mod review_queue;
pub mod revocation;
pub mod spreadsheet;
pub mod sql;
pub mod statistics_cache;
pub mod teacher_facts;
pub mod teacher_numbers;
pub mod transcripts;
pub mod universities;
