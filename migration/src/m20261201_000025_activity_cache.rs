//! The snapshot worker's cache of each teacher's activities (issue 17): the engine's facts of
//! the teacher's ledger, as the worker last read them, so that a policy change (or the daily
//! re-evaluates a province without reading its ledger again.
//!
//! `compliance_activity_cache` holds one row per teacher: the activities encoded (postcard)
//! and when they were read. `compliance_snapshot_marks.policy_only` says whether every change
//! behind a mark left the teacher's own data alone (a policy assigned or versioned): only then
//! may the worker evaluate from the cache. Any other change marks with `false`, in
//! its own transaction, and the worker reads the ledger (and writes the cache) again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Marks made before this migration are taken as changes to the teacher: the safe side.
        manager
            .alter_table(
                Table::alter()
                    .table(ComplianceSnapshotMarks::Table)
                    .add_column(
                        ColumnDef::new(ComplianceSnapshotMarks::PolicyOnly)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_table(cache()).await?;
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            // A queue: a province-wide change fills and drains it by the million. Vacuumed and
            // analysed after every few thousand rows (not a fifth of the table), so the
            // statistics' backlog count is planned on what the queue holds now.
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE compliance_snapshot_marks SET (\
                     autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000, \
                     autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000)",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ComplianceActivityCache::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ComplianceSnapshotMarks::Table)
                    .drop_column(ComplianceSnapshotMarks::PolicyOnly)
                    .to_owned(),
            )
            .await
    }
}

fn cache() -> TableCreateStatement {
    Table::create()
        .table(ComplianceActivityCache::Table)
        .col(
            ColumnDef::new(ComplianceActivityCache::TeacherId)
                .uuid()
                .not_null()
                .primary_key(),
        )
        .col(
            ColumnDef::new(ComplianceActivityCache::Activities)
                .binary()
                .not_null(),
        )
        .col(
            ColumnDef::new(ComplianceActivityCache::ReadAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_compliance_activity_cache_teacher")
                .from(
                    ComplianceActivityCache::Table,
                    ComplianceActivityCache::TeacherId,
                )
                .to(Teachers::Table, Teachers::Id),
        )
        .to_owned()
}

#[derive(DeriveIden)]
enum ComplianceActivityCache {
    Table,
    TeacherId,
    Activities,
    ReadAt,
}

#[derive(DeriveIden)]
enum ComplianceSnapshotMarks {
    Table,
    PolicyOnly,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}
