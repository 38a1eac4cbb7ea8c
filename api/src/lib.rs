//! Credit Bank: the GraphQL server and its command-line tool. See the README for the map.

// The message catalogue, one file per language (see `i18n`).
rust_i18n::i18n!("locales", fallback = "en");

pub mod auth;
pub mod bench;
mod bench_compliance;
mod bench_statistics;
pub mod cache;
pub mod cache_redis;
pub mod cli;
pub mod cli_imports;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod fault_settings;
pub mod faults;
pub mod graphql;
pub mod http;
pub mod i18n;
pub mod ids;
pub mod metrics;
pub mod response_cache;
pub mod rows;
pub mod services;
pub mod signing;
pub mod snapshots;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod webhooks;
