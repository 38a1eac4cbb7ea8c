//! Per-teacher compliance snapshots (issue 17): each teacher's outcome as last evaluated, kept
//! current by a queue of marked teachers that the snapshot worker of every replica claims.
//!
//! `compliance_snapshots` holds one row per teacher: the period containing `evaluated_on`
//! under the policy then in force, with the teacher's school and region copied in so region
//! statistics aggregate this table alone (`ix_compliance_snapshots_region` covers the
//! aggregation: region, school, satisfied, whether a policy judged them).
//!
//! `compliance_snapshot_marks` is the queue: a change marks a teacher in its own transaction
//! (an upsert that bumps `generation`); a worker claims marks (`claimed_by`, `claimed_until`:
//! a lease, so a crashed worker's marks are taken again) and deletes a mark only if its
//! generation is still the one it claimed, so a change made while it evaluated is not lost.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(snapshots()).await?;
        manager.create_table(marks()).await?;
        // Statistics of a subtree: `region_code IN (…)` ranges, grouped by school, answered
        // from the index alone.
        manager
            .create_index(
                Index::create()
                    .name("ix_compliance_snapshots_region")
                    .table(ComplianceSnapshots::Table)
                    .col(ComplianceSnapshots::RegionCode)
                    .col(ComplianceSnapshots::SchoolId)
                    .col(ComplianceSnapshots::Satisfied)
                    .col(ComplianceSnapshots::PolicyVersion)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_compliance_snapshots_school")
                    .table(ComplianceSnapshots::Table)
                    .col(ComplianceSnapshots::SchoolId)
                    .to_owned(),
            )
            .await?;
        // The claim takes the oldest marks first.
        manager
            .create_index(
                Index::create()
                    .name("ix_compliance_snapshot_marks_marked")
                    .table(ComplianceSnapshotMarks::Table)
                    .col(ComplianceSnapshotMarks::MarkedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ComplianceSnapshotMarks::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ComplianceSnapshots::Table).to_owned())
            .await
    }
}

fn snapshots() -> TableCreateStatement {
    Table::create()
        .table(ComplianceSnapshots::Table)
        .col(
            ColumnDef::new(ComplianceSnapshots::TeacherId)
                .uuid()
                .not_null()
                .primary_key(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshots::SchoolId)
                .uuid()
                .not_null(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshots::RegionCode)
                .string_len(6)
                .not_null(),
        )
        // Both NULL when no policy is in force for the teacher's region on the day.
        .col(
            ColumnDef::new(ComplianceSnapshots::PolicyKey)
                .string()
                .null(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshots::PolicyVersion)
                .integer()
                .null(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshots::PeriodStart)
                .date()
                .null(),
        )
        .col(ColumnDef::new(ComplianceSnapshots::PeriodEnd).date().null())
        .col(
            ColumnDef::new(ComplianceSnapshots::Satisfied)
                .boolean()
                .not_null(),
        )
        // Credits counted toward the period, in ten-thousandths like the ledger.
        .col(
            ColumnDef::new(ComplianceSnapshots::TotalCountedE4)
                .big_integer()
                .not_null(),
        )
        // A JSON object: requirement key -> shortfall (decimal text), unmet requirements only.
        .col(
            ColumnDef::new(ComplianceSnapshots::Shortfalls)
                .text()
                .not_null(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshots::EvaluatedOn)
                .date()
                .not_null(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshots::EvaluatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_compliance_snapshots_teacher")
                .from(ComplianceSnapshots::Table, ComplianceSnapshots::TeacherId)
                .to(Teachers::Table, Teachers::Id),
        )
        .to_owned()
}

fn marks() -> TableCreateStatement {
    Table::create()
        .table(ComplianceSnapshotMarks::Table)
        .col(
            ColumnDef::new(ComplianceSnapshotMarks::TeacherId)
                .uuid()
                .not_null()
                .primary_key(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshotMarks::MarkedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        // Bumped by every mark: the worker's delete compares it, not a timestamp (two marks
        // can share an instant).
        .col(
            ColumnDef::new(ComplianceSnapshotMarks::Generation)
                .big_integer()
                .not_null()
                .default(1),
        )
        .col(
            ColumnDef::new(ComplianceSnapshotMarks::ClaimedUntil)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(ComplianceSnapshotMarks::ClaimedBy)
                .uuid()
                .null(),
        )
        .to_owned()
}

#[derive(DeriveIden)]
enum ComplianceSnapshots {
    Table,
    TeacherId,
    SchoolId,
    RegionCode,
    PolicyKey,
    PolicyVersion,
    PeriodStart,
    PeriodEnd,
    Satisfied,
    TotalCountedE4,
    Shortfalls,
    EvaluatedOn,
    EvaluatedAt,
}

#[derive(DeriveIden)]
enum ComplianceSnapshotMarks {
    Table,
    TeacherId,
    MarkedAt,
    Generation,
    ClaimedUntil,
    ClaimedBy,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}
