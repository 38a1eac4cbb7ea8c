//! The outbox: an event, written in the same transaction as the change it describes.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTimeUtc,
    /// The event's `data`, as JSON text.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    /// What the event is about (the course, record, enrolment, conversion or grant).
    pub subject_id: Uuid,
    pub teacher_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub university_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
