//! API keys for machine clients, and what an account needs to end its sessions.
//!
//! A key is stored only as the SHA-256 of its text (`hash`, unique: requests find their key by
//! it); `prefix` is the part shown to people so they can tell their keys apart. On `accounts`,
//! `session_epoch` is the generation session tokens must carry (a password change increments
//! it, so every token issued before is refused) and `kept_session_id` the one token that
//! survives that change: the session that made it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    AccountId,
    Name,
    Prefix,
    Hash,
    CreatedAt,
    LastUsedAt,
    ExpiresOn,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    SessionEpoch,
    KeptSessionId,
}

const HASH_INDEX: &str = "ux_api_keys_hash";
const ACCOUNT_INDEX: &str = "ix_api_keys_account";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(ColumnDef::new(ApiKeys::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(ApiKeys::AccountId).uuid().not_null())
                    .col(ColumnDef::new(ApiKeys::Name).string_len(100).not_null())
                    .col(ColumnDef::new(ApiKeys::Prefix).string_len(16).not_null())
                    .col(ColumnDef::new(ApiKeys::Hash).string_len(64).not_null())
                    .col(
                        ColumnDef::new(ApiKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiKeys::LastUsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(ApiKeys::ExpiresOn).date().null())
                    .col(
                        ColumnDef::new(ApiKeys::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_keys_account")
                            .from(ApiKeys::Table, ApiKeys::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Every request with a key finds it by its hash.
        manager
            .create_index(
                Index::create()
                    .name(HASH_INDEX)
                    .table(ApiKeys::Table)
                    .col(ApiKeys::Hash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // `Viewer.apiKeys` lists an account's keys.
        manager
            .create_index(
                Index::create()
                    .name(ACCOUNT_INDEX)
                    .table(ApiKeys::Table)
                    .col(ApiKeys::AccountId)
                    .to_owned(),
            )
            .await?;
        // SQLite takes one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(
                        ColumnDef::new(Accounts::SessionEpoch)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(ColumnDef::new(Accounts::KeptSessionId).uuid().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Accounts::KeptSessionId, Accounts::SessionEpoch] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ApiKeys::Table).to_owned())
            .await
    }
}
