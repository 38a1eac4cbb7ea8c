//! End-to-end tests over HTTP. Each module's tests run on SQLite and on PostgreSQL + Redis.

mod browser;
mod cache;
mod catalogue;
mod catalogue_search;
mod claims;
mod completions;
mod course_selection;
mod demo;
mod electronic_file;
mod fixtures;
mod http;
mod identity;
mod languages;
mod policies;
mod provider_reach;
mod record_loading;
mod relay;
mod schema_contract;
mod scope;
mod subscriptions;
mod teachers;
mod universities;
mod web_clients;
