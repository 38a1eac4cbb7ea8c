//! Webhooks from a transactional outbox (API.md "Webhooks"): the webhooks accounts register,
//! the events written in the same transaction as the change they describe, and one delivery
//! per webhook that may hear an event, which the delivery worker of every replica claims,
//! sends and retries. The worker's claim reads a partial index of the due PENDING rows only,
//! so delivered history never slows it down.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(webhooks()).await?;
        manager.create_table(events()).await?;
        manager.create_table(deliveries()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhooks_account")
                    .table(Webhooks::Table)
                    .col(Webhooks::AccountId)
                    .col(Webhooks::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_webhook_deliveries_webhook_event")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::WebhookId)
                    .col(WebhookDeliveries::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // `Webhook.deliveries`, newest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_list")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::WebhookId)
                    .col(WebhookDeliveries::CreatedAt)
                    .col(WebhookDeliveries::Id)
                    .to_owned(),
            )
            .await?;
        // The worker's claim: due PENDING rows, earliest first. The same statement on both
        // databases (both have partial indexes).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) \
                 WHERE status = 'PENDING'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDeliveries::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            Webhooks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

fn moment(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn webhooks() -> TableCreateStatement {
    Table::create()
        .table(Webhooks::Table)
        .col(uuid(Webhooks::Id).primary_key())
        .col(uuid(Webhooks::AccountId))
        .col(ColumnDef::new(Webhooks::Url).text().not_null())
        // A JSON array of event codes.
        .col(ColumnDef::new(Webhooks::Events).text().not_null())
        .col(ColumnDef::new(Webhooks::Secret).string_len(64).not_null())
        .col(moment(Webhooks::CreatedAt))
        .col(
            ColumnDef::new(Webhooks::DeletedAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_webhooks_account")
                .from(Webhooks::Table, Webhooks::AccountId)
                .to(Accounts::Table, Accounts::Id),
        )
        .to_owned()
}

fn events() -> TableCreateStatement {
    Table::create()
        .table(WebhookEvents::Table)
        .col(uuid(WebhookEvents::Id).primary_key())
        .col(
            ColumnDef::new(WebhookEvents::EventType)
                .string_len(40)
                .not_null(),
        )
        .col(moment(WebhookEvents::OccurredAt))
        // The event's `data`, as JSON text.
        .col(ColumnDef::new(WebhookEvents::Payload).text().not_null())
        .col(uuid(WebhookEvents::SubjectId))
        .col(ColumnDef::new(WebhookEvents::TeacherId).uuid().null())
        .col(ColumnDef::new(WebhookEvents::ProviderId).uuid().null())
        .col(ColumnDef::new(WebhookEvents::UniversityId).uuid().null())
        .to_owned()
}

fn deliveries() -> TableCreateStatement {
    Table::create()
        .table(WebhookDeliveries::Table)
        .col(uuid(WebhookDeliveries::Id).primary_key())
        .col(uuid(WebhookDeliveries::WebhookId))
        .col(uuid(WebhookDeliveries::EventId))
        .col(
            ColumnDef::new(WebhookDeliveries::EventType)
                .string_len(40)
                .not_null(),
        )
        .col(
            ColumnDef::new(WebhookDeliveries::Status)
                .string_len(16)
                .not_null(),
        )
        .col(
            ColumnDef::new(WebhookDeliveries::Attempts)
                .integer()
                .not_null()
                .default(0),
        )
        .col(
            ColumnDef::new(WebhookDeliveries::NextAttemptAt)
                .timestamp_with_time_zone()
                .null(),
        )
        // Set while a worker holds the delivery; its updates name it, so a worker whose lease
        // ran out cannot overwrite what the next one recorded.
        .col(ColumnDef::new(WebhookDeliveries::LeaseId).uuid().null())
        .col(
            ColumnDef::new(WebhookDeliveries::LastAttemptAt)
                .timestamp_with_time_zone()
                .null(),
        )
        .col(
            ColumnDef::new(WebhookDeliveries::ResponseStatus)
                .integer()
                .null(),
        )
        .col(
            ColumnDef::new(WebhookDeliveries::LastError)
                .string_len(40)
                .null(),
        )
        .col(moment(WebhookDeliveries::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .name("fk_webhook_deliveries_webhook")
                .from(WebhookDeliveries::Table, WebhookDeliveries::WebhookId)
                .to(Webhooks::Table, Webhooks::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_webhook_deliveries_event")
                .from(WebhookDeliveries::Table, WebhookDeliveries::EventId)
                .to(WebhookEvents::Table, WebhookEvents::Id),
        )
        .to_owned()
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    AccountId,
    Url,
    Events,
    Secret,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    EventType,
    OccurredAt,
    Payload,
    SubjectId,
    TeacherId,
    ProviderId,
    UniversityId,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    EventId,
    EventType,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseId,
    LastAttemptAt,
    ResponseStatus,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
