//! Schema migrations. Each names its own columns and never imports the entities, and every one
//! runs on SQLite and PostgreSQL (foreign keys are declared inside CREATE TABLE for SQLite).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_regions;
mod m20261123_000002_organisations;
mod m20261123_000003_catalogue;
mod m20261123_000004_ledger;
mod m20261123_000005_policies;
mod m20261123_000006_transfer;
mod m20261123_000007_course_reviews;
mod m20261123_000008_policy_owner;
mod m20261123_000009_review_and_closing;
mod m20261123_000010_recognitions;
mod m20261123_000011_ledger_indexes;
mod m20261123_000012_import_indexes;
mod m20261123_000013_teacher_facts;
mod m20261123_000014_head_teacher_terms;
mod m20261201_000015_list_order_indexes;
mod m20261201_000016_catalogue_search;
mod m20261201_000017_course_kind;
mod m20261201_000019_course_search_text;
mod m20261201_000020_teacher_number;
mod m20261201_000021_api_keys;
mod m20261201_000022_webhooks;
mod m20261201_000023_record_source;
mod m20261201_000024_compliance_snapshots;
mod m20261201_000025_activity_cache;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_regions::Migration),
            Box::new(m20261123_000002_organisations::Migration),
            Box::new(m20261123_000003_catalogue::Migration),
            Box::new(m20261123_000004_ledger::Migration),
            Box::new(m20261123_000005_policies::Migration),
            Box::new(m20261123_000006_transfer::Migration),
            Box::new(m20261123_000007_course_reviews::Migration),
            Box::new(m20261123_000008_policy_owner::Migration),
            Box::new(m20261123_000009_review_and_closing::Migration),
            Box::new(m20261123_000010_recognitions::Migration),
            Box::new(m20261123_000011_ledger_indexes::Migration),
            Box::new(m20261123_000012_import_indexes::Migration),
            Box::new(m20261123_000013_teacher_facts::Migration),
            Box::new(m20261123_000014_head_teacher_terms::Migration),
            Box::new(m20261201_000015_list_order_indexes::Migration),
            Box::new(m20261201_000016_catalogue_search::Migration),
            Box::new(m20261201_000017_course_kind::Migration),
            Box::new(m20261201_000019_course_search_text::Migration),
            Box::new(m20261201_000020_teacher_number::Migration),
            Box::new(m20261201_000021_api_keys::Migration),
            Box::new(m20261201_000022_webhooks::Migration),
            Box::new(m20261201_000023_record_source::Migration),
            Box::new(m20261201_000024_compliance_snapshots::Migration),
            Box::new(m20261201_000025_activity_cache::Migration),
        ]
    }
}
