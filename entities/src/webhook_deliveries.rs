//! One event for one webhook: PENDING until it is delivered (SUCCEEDED) or given up (FAILED).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    pub status: String,
    pub attempts: i32,
    /// When a worker may take it next (also the end of the lease while one holds it).
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The worker holding it, if any.
    pub lease_id: Option<Uuid>,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub response_status: Option<i32>,
    /// Why the last attempt failed without a response (`TIMEOUT`, `REFUSED_ADDRESS`, …).
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
