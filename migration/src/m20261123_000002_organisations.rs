//! Organisations and people: schools, providers, universities, teachers, their moves, and accounts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(ColumnDef::new(Accounts::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Accounts::Username)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Accounts::PasswordHash).string().not_null())
                    .col(ColumnDef::new(Accounts::Role).string().not_null())
                    .col(ColumnDef::new(Accounts::RegionCode).string_len(6).null())
                    .col(ColumnDef::new(Accounts::SchoolId).uuid().null())
                    .col(ColumnDef::new(Accounts::ProviderId).uuid().null())
                    .col(ColumnDef::new(Accounts::UniversityId).uuid().null())
                    .col(
                        ColumnDef::new(Accounts::TeacherId)
                            .uuid()
                            .null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(Accounts::Disabled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Accounts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Accounts::LastLoginAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_region_code")
                            .from(Accounts::Table, Accounts::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_school_id")
                            .from(Accounts::Table, Accounts::SchoolId)
                            .to(Schools::Table, Schools::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_provider_id")
                            .from(Accounts::Table, Accounts::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_university_id")
                            .from(Accounts::Table, Accounts::UniversityId)
                            .to(Universities::Table, Universities::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_teacher_id")
                            .from(Accounts::Table, Accounts::TeacherId)
                            .to(Teachers::Table, Teachers::Id),
                    )
                    .to_owned(),
            )
            .await?;
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

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    RegionCode,
    SchoolId,
    ProviderId,
    UniversityId,
    TeacherId,
    Disabled,
    CreatedAt,
    LastLoginAt,
}
