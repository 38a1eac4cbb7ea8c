//! The accounts table of migration 2: who signs in, and what each role acts for. A child
//! module of the migration so that its name (the file stem) stays the same.

use super::{Providers, Regions, Schools, Teachers, Universities};
use sea_orm_migration::prelude::*;

/// Sign-in accounts, each attached to what its role acts for.
pub(super) async fn create_accounts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
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

#[derive(DeriveIden)]
pub(super) enum Accounts {
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
