//! The conversion side of migration 6: conversions, the records they use, and transcripts.
//! A child module of the migration so that its name (the file stem) stays the same.

use super::{Teachers, TransferMappings};
use sea_orm_migration::prelude::*;

/// A teacher's request to convert training credits into a university course's credits.
pub(super) async fn create_conversions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Conversions::Table)
                .col(
                    ColumnDef::new(Conversions::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Conversions::TeacherId).uuid().not_null())
                .col(ColumnDef::new(Conversions::MappingId).uuid().not_null())
                .col(ColumnDef::new(Conversions::Status).string().not_null())
                .col(
                    ColumnDef::new(Conversions::AcademicCreditsE4)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Conversions::RequestedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Conversions::DecidedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Conversions::DecidedBy).uuid().null())
                .col(ColumnDef::new(Conversions::Comment).text().null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_conversions_teacher_id")
                        .from(Conversions::Table, Conversions::TeacherId)
                        .to(Teachers::Table, Teachers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_conversions_mapping_id")
                        .from(Conversions::Table, Conversions::MappingId)
                        .to(TransferMappings::Table, TransferMappings::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_conversions_teacher")
                .table(Conversions::Table)
                .col(Conversions::TeacherId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_conversions_mapping")
                .table(Conversions::Table)
                .col(Conversions::MappingId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// The records a conversion uses, each at most once while the conversion is live.
pub(super) async fn create_conversion_allocations(
    manager: &SchemaManager<'_>,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ConversionAllocations::Table)
                .col(
                    ColumnDef::new(ConversionAllocations::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ConversionAllocations::ConversionId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ConversionAllocations::CreditRecordId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ConversionAllocations::CreditsE4)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ConversionAllocations::LiveCreditRecordId)
                        .uuid()
                        .null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(ConversionAllocations::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_conversion_allocations_conversion_id")
                        .from(
                            ConversionAllocations::Table,
                            ConversionAllocations::ConversionId,
                        )
                        .to(Conversions::Table, Conversions::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_conversion_allocations_credit_record_id")
                        .from(
                            ConversionAllocations::Table,
                            ConversionAllocations::CreditRecordId,
                        )
                        .to(CreditRecords::Table, CreditRecords::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_conversion_allocations_conversion")
                .table(ConversionAllocations::Table)
                .col(ConversionAllocations::ConversionId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_conversion_allocations_record")
                .table(ConversionAllocations::Table)
                .col(ConversionAllocations::CreditRecordId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Signed transcripts issued from a teacher's certified records.
pub(super) async fn create_transcripts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Transcripts::Table)
                .col(
                    ColumnDef::new(Transcripts::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Transcripts::TeacherId).uuid().not_null())
                .col(ColumnDef::new(Transcripts::IssuedBy).uuid().null())
                .col(
                    ColumnDef::new(Transcripts::IssuedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Transcripts::ExpiresAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Transcripts::RecordIds).text().not_null())
                .col(ColumnDef::new(Transcripts::Jwt).text().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_transcripts_teacher_id")
                        .from(Transcripts::Table, Transcripts::TeacherId)
                        .to(Teachers::Table, Teachers::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_transcripts_teacher")
                .table(Transcripts::Table)
                .col(Transcripts::TeacherId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

#[derive(DeriveIden)]
pub(super) enum Conversions {
    Table,
    Id,
    TeacherId,
    MappingId,
    Status,
    AcademicCreditsE4,
    RequestedAt,
    DecidedAt,
    DecidedBy,
    Comment,
}

#[derive(DeriveIden)]
pub(super) enum ConversionAllocations {
    Table,
    Id,
    ConversionId,
    CreditRecordId,
    CreditsE4,
    LiveCreditRecordId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CreditRecords {
    Table,
    Id,
}

#[derive(DeriveIden)]
pub(super) enum Transcripts {
    Table,
    Id,
    TeacherId,
    IssuedBy,
    IssuedAt,
    ExpiresAt,
    RecordIds,
    Jwt,
}
