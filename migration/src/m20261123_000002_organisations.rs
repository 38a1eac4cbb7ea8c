//! Organisations and people: schools, providers, universities, teachers, their moves, and accounts.

mod accounts;

use accounts::{create_accounts, Accounts};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_schools(manager).await?;
        create_providers(manager).await?;
        create_universities(manager).await?;
        create_teachers(manager).await?;
        create_teacher_transfers(manager).await?;
        create_accounts(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TeacherTransfers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Teachers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Universities::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Providers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Schools::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// Schools, each in one region.
async fn create_schools(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Schools::Table)
                .col(ColumnDef::new(Schools::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Schools::RegionCode).string_len(6).not_null())
                .col(ColumnDef::new(Schools::Name).string().not_null())
                .col(
                    ColumnDef::new(Schools::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_schools_region_code")
                        .from(Schools::Table, Schools::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_schools_region_name")
                .table(Schools::Table)
                .col(Schools::RegionCode)
                .col(Schools::Name)
                .unique()
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Training providers, each in one region.
async fn create_providers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Providers::Table)
                .col(
                    ColumnDef::new(Providers::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Providers::RegionCode)
                        .string_len(6)
                        .not_null(),
                )
                .col(ColumnDef::new(Providers::Name).string().not_null())
                .col(ColumnDef::new(Providers::Level).string().not_null())
                .col(
                    ColumnDef::new(Providers::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_providers_region_code")
                        .from(Providers::Table, Providers::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_providers_region_name")
                .table(Providers::Table)
                .col(Providers::RegionCode)
                .col(Providers::Name)
                .unique()
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Universities, each in one region.
async fn create_universities(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Universities::Table)
                .col(
                    ColumnDef::new(Universities::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Universities::RegionCode)
                        .string_len(6)
                        .not_null(),
                )
                .col(ColumnDef::new(Universities::Name).string().not_null())
                .col(
                    ColumnDef::new(Universities::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_universities_region_code")
                        .from(Universities::Table, Universities::RegionCode)
                        .to(Regions::Table, Regions::Code),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_universities_region_name")
                .table(Universities::Table)
                .col(Universities::RegionCode)
                .col(Universities::Name)
                .unique()
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Teachers, each at one school at a time.
async fn create_teachers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Teachers::Table)
                .col(ColumnDef::new(Teachers::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Teachers::SchoolId).uuid().not_null())
                .col(ColumnDef::new(Teachers::Name).string().not_null())
                .col(ColumnDef::new(Teachers::HiredOn).date().null())
                .col(ColumnDef::new(Teachers::Stages).text().not_null())
                .col(ColumnDef::new(Teachers::Subjects).text().not_null())
                .col(
                    ColumnDef::new(Teachers::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Teachers::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_teachers_school_id")
                        .from(Teachers::Table, Teachers::SchoolId)
                        .to(Schools::Table, Schools::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_teachers_school")
                .table(Teachers::Table)
                .col(Teachers::SchoolId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// A teacher's moves from school to school.
async fn create_teacher_transfers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(TeacherTransfers::Table)
                .col(
                    ColumnDef::new(TeacherTransfers::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(TeacherTransfers::TeacherId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TeacherTransfers::FromSchoolId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TeacherTransfers::ToSchoolId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TeacherTransfers::EffectiveOn)
                        .date()
                        .not_null(),
                )
                .col(ColumnDef::new(TeacherTransfers::RecordedBy).uuid().null())
                .col(
                    ColumnDef::new(TeacherTransfers::RecordedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_teacher_transfers_teacher_id")
                        .from(TeacherTransfers::Table, TeacherTransfers::TeacherId)
                        .to(Teachers::Table, Teachers::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_teacher_transfers_from_school_id")
                        .from(TeacherTransfers::Table, TeacherTransfers::FromSchoolId)
                        .to(Schools::Table, Schools::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_teacher_transfers_to_school_id")
                        .from(TeacherTransfers::Table, TeacherTransfers::ToSchoolId)
                        .to(Schools::Table, Schools::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_teacher_transfers_teacher")
                .table(TeacherTransfers::Table)
                .col(TeacherTransfers::TeacherId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

#[derive(DeriveIden)]
enum Schools {
    Table,
    Id,
    RegionCode,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
    RegionCode,
    Name,
    Level,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Universities {
    Table,
    Id,
    RegionCode,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
    SchoolId,
    Name,
    HiredOn,
    Stages,
    Subjects,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TeacherTransfers {
    Table,
    Id,
    TeacherId,
    FromSchoolId,
    ToSchoolId,
    EffectiveOn,
    RecordedBy,
    RecordedAt,
}
