//! Universities' courses, transfer mappings, access grants, conversions and transcripts.

mod conversions;

use conversions::{
    create_conversion_allocations, create_conversions, create_transcripts, ConversionAllocations,
    Conversions, Transcripts,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_university_courses(manager).await?;
        create_transfer_mappings(manager).await?;
        create_access_grants(manager).await?;
        create_conversions(manager).await?;
        create_conversion_allocations(manager).await?;
        create_transcripts(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Transcripts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ConversionAllocations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Conversions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AccessGrants::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TransferMappings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(UniversityCourses::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// A university's own courses, one code per university.
async fn create_university_courses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(UniversityCourses::Table)
                .col(
                    ColumnDef::new(UniversityCourses::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(UniversityCourses::UniversityId)
                        .uuid()
                        .not_null(),
                )
                .col(ColumnDef::new(UniversityCourses::Code).string().not_null())
                .col(ColumnDef::new(UniversityCourses::Title).string().not_null())
                .col(
                    ColumnDef::new(UniversityCourses::AcademicCreditsE4)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(UniversityCourses::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_university_courses_university_id")
                        .from(UniversityCourses::Table, UniversityCourses::UniversityId)
                        .to(Universities::Table, Universities::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_university_courses_code")
                .table(UniversityCourses::Table)
                .col(UniversityCourses::UniversityId)
                .col(UniversityCourses::Code)
                .unique()
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Which training records a university course accepts, and for how many academic credits.
async fn create_transfer_mappings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(TransferMappings::Table)
                .col(
                    ColumnDef::new(TransferMappings::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(TransferMappings::UniversityCourseId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TransferMappings::Categories)
                        .text()
                        .not_null(),
                )
                .col(ColumnDef::new(TransferMappings::MinLevel).string().null())
                .col(
                    ColumnDef::new(TransferMappings::Modalities)
                        .text()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TransferMappings::MinHoursE4)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(TransferMappings::WithinYears)
                        .integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(TransferMappings::AcademicCreditsE4)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(TransferMappings::CreatedBy).uuid().null())
                .col(
                    ColumnDef::new(TransferMappings::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_transfer_mappings_university_course_id")
                        .from(
                            TransferMappings::Table,
                            TransferMappings::UniversityCourseId,
                        )
                        .to(UniversityCourses::Table, UniversityCourses::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_transfer_mappings_course")
                .table(TransferMappings::Table)
                .col(TransferMappings::UniversityCourseId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// A teacher's consent for a university to read its ledger.
async fn create_access_grants(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AccessGrants::Table)
                .col(
                    ColumnDef::new(AccessGrants::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AccessGrants::TeacherId).uuid().not_null())
                .col(ColumnDef::new(AccessGrants::UniversityId).uuid().not_null())
                .col(
                    ColumnDef::new(AccessGrants::GrantedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(AccessGrants::ExpiresOn).date().null())
                .col(
                    ColumnDef::new(AccessGrants::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_access_grants_teacher_id")
                        .from(AccessGrants::Table, AccessGrants::TeacherId)
                        .to(Teachers::Table, Teachers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_access_grants_university_id")
                        .from(AccessGrants::Table, AccessGrants::UniversityId)
                        .to(Universities::Table, Universities::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_access_grants_teacher_university")
                .table(AccessGrants::Table)
                .col(AccessGrants::TeacherId)
                .col(AccessGrants::UniversityId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

#[derive(DeriveIden)]
enum UniversityCourses {
    Table,
    Id,
    UniversityId,
    Code,
    Title,
    AcademicCreditsE4,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Universities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TransferMappings {
    Table,
    Id,
    UniversityCourseId,
    Categories,
    MinLevel,
    Modalities,
    MinHoursE4,
    WithinYears,
    AcademicCreditsE4,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessGrants {
    Table,
    Id,
    TeacherId,
    UniversityId,
    GrantedAt,
    ExpiresOn,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}
