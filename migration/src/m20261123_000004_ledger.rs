//! The credit ledger, its review events and evidence.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_credit_records(manager).await?;
        create_credit_record_indexes(manager).await?;
        create_review_events(manager).await?;
        create_evidence(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Evidence::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ReviewEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CreditRecords::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The ledger itself: one row per record, reversals included.
async fn create_credit_records(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let mut table = Table::create();
    table.table(CreditRecords::Table);
    activity_columns(&mut table);
    ledger_columns(&mut table);
    table
        .foreign_key(
            ForeignKey::create()
                .name("fk_credit_records_teacher_id")
                .from(CreditRecords::Table, CreditRecords::TeacherId)
                .to(Teachers::Table, Teachers::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_credit_records_school_id")
                .from(CreditRecords::Table, CreditRecords::SchoolId)
                .to(Schools::Table, Schools::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_credit_records_region_code")
                .from(CreditRecords::Table, CreditRecords::RegionCode)
                .to(Regions::Table, Regions::Code),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_credit_records_course_id")
                .from(CreditRecords::Table, CreditRecords::CourseId)
                .to(Courses::Table, Courses::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_credit_records_reversal_of")
                .from(CreditRecords::Table, CreditRecords::ReversalOf)
                .to(CreditRecords::Table, CreditRecords::Id),
        );
    manager.create_table(table.to_owned()).await?;
    Ok(())
}

/// The columns saying what the activity was: who, where, what kind, and its measured facts.
fn activity_columns(table: &mut TableCreateStatement) {
    table
        .col(
            ColumnDef::new(CreditRecords::Id)
                .uuid()
                .not_null()
                .primary_key(),
        )
        .col(ColumnDef::new(CreditRecords::TeacherId).uuid().not_null())
        .col(ColumnDef::new(CreditRecords::SchoolId).uuid().not_null())
        .col(
            ColumnDef::new(CreditRecords::RegionCode)
                .string_len(6)
                .not_null(),
        )
        .col(ColumnDef::new(CreditRecords::Kind).string().not_null())
        .col(ColumnDef::new(CreditRecords::Title).string().not_null())
        .col(ColumnDef::new(CreditRecords::CourseId).uuid().null())
        .col(ColumnDef::new(CreditRecords::Level).string().null())
        .col(ColumnDef::new(CreditRecords::Modality).string().null())
        .col(ColumnDef::new(CreditRecords::Category).string().null())
        .col(ColumnDef::new(CreditRecords::Compulsory).boolean().null())
        .col(ColumnDef::new(CreditRecords::Role).string().not_null())
        .col(ColumnDef::new(CreditRecords::HoursE4).big_integer().null())
        .col(
            ColumnDef::new(CreditRecords::AttendedHoursE4)
                .big_integer()
                .null(),
        )
        .col(
            ColumnDef::new(CreditRecords::TaughtHoursE4)
                .big_integer()
                .null(),
        )
        .col(ColumnDef::new(CreditRecords::Days).integer().null())
        .col(ColumnDef::new(CreditRecords::Months).integer().null())
        .col(ColumnDef::new(CreditRecords::Words).integer().null())
        .col(ColumnDef::new(CreditRecords::Prize).string().null())
        .col(ColumnDef::new(CreditRecords::Passed).boolean().null())
        .col(ColumnDef::new(CreditRecords::ScoreE4).big_integer().null());
}

/// The columns of the ledger entry: when, the credits, the review state, the reversal link.
fn ledger_columns(table: &mut TableCreateStatement) {
    table
        .col(ColumnDef::new(CreditRecords::EarnedOn).date().not_null())
        .col(ColumnDef::new(CreditRecords::PolicyKey).string().null())
        .col(
            ColumnDef::new(CreditRecords::CreditsE4)
                .big_integer()
                .not_null(),
        )
        .col(ColumnDef::new(CreditRecords::Status).string().not_null())
        .col(ColumnDef::new(CreditRecords::NextStep).string().null())
        .col(
            ColumnDef::new(CreditRecords::IdempotencyKey)
                .string()
                .not_null()
                .unique_key(),
        )
        .col(ColumnDef::new(CreditRecords::ReversalOf).uuid().null())
        .col(ColumnDef::new(CreditRecords::Reason).text().null())
        .col(ColumnDef::new(CreditRecords::CreatedBy).uuid().null())
        .col(
            ColumnDef::new(CreditRecords::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(CreditRecords::UpdatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        );
}

/// The ledger's indexes: by teacher (and date), course, status, region and reversal.
async fn create_credit_record_indexes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name("ix_credit_records_teacher")
                .table(CreditRecords::Table)
                .col(CreditRecords::TeacherId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_credit_records_teacher_earned")
                .table(CreditRecords::Table)
                .col(CreditRecords::TeacherId)
                .col(CreditRecords::EarnedOn)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_credit_records_course")
                .table(CreditRecords::Table)
                .col(CreditRecords::CourseId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_credit_records_status")
                .table(CreditRecords::Table)
                .col(CreditRecords::Status)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_credit_records_region")
                .table(CreditRecords::Table)
                .col(CreditRecords::RegionCode)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_credit_records_reversal")
                .table(CreditRecords::Table)
                .col(CreditRecords::ReversalOf)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Every review decision on a record.
async fn create_review_events(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ReviewEvents::Table)
                .col(
                    ColumnDef::new(ReviewEvents::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ReviewEvents::CreditRecordId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(ReviewEvents::Step).string().not_null())
                .col(ColumnDef::new(ReviewEvents::Decision).string().not_null())
                .col(
                    ColumnDef::new(ReviewEvents::ActorAccountId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(ReviewEvents::Comment).text().null())
                .col(
                    ColumnDef::new(ReviewEvents::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_review_events_credit_record_id")
                        .from(ReviewEvents::Table, ReviewEvents::CreditRecordId)
                        .to(CreditRecords::Table, CreditRecords::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_review_events_record")
                .table(ReviewEvents::Table)
                .col(ReviewEvents::CreditRecordId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// The evidence attached to a record.
async fn create_evidence(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Evidence::Table)
                .col(ColumnDef::new(Evidence::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Evidence::CreditRecordId).uuid().not_null())
                .col(ColumnDef::new(Evidence::Name).string().not_null())
                .col(ColumnDef::new(Evidence::Url).string().not_null())
                .col(ColumnDef::new(Evidence::Sha256).string().null())
                .col(
                    ColumnDef::new(Evidence::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_evidence_credit_record_id")
                        .from(Evidence::Table, Evidence::CreditRecordId)
                        .to(CreditRecords::Table, CreditRecords::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_evidence_record")
                .table(Evidence::Table)
                .col(Evidence::CreditRecordId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

#[derive(DeriveIden)]
enum CreditRecords {
    Table,
    Id,
    TeacherId,
    SchoolId,
    RegionCode,
    Kind,
    Title,
    CourseId,
    Level,
    Modality,
    Category,
    Compulsory,
    Role,
    HoursE4,
    AttendedHoursE4,
    TaughtHoursE4,
    Days,
    Months,
    Words,
    Prize,
    Passed,
    ScoreE4,
    EarnedOn,
    PolicyKey,
    CreditsE4,
    Status,
    NextStep,
    IdempotencyKey,
    ReversalOf,
    Reason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Schools {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReviewEvents {
    Table,
    Id,
    CreditRecordId,
    Step,
    Decision,
    ActorAccountId,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    Id,
    CreditRecordId,
    Name,
    Url,
    Sha256,
    CreatedAt,
}
