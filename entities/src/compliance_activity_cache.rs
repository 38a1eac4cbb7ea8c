//! The snapshot worker's cache of a teacher's activities: the engine's facts of their ledger as
//! last read, encoded, so a policy change re-evaluates them without reading the ledger again.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compliance_activity_cache")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: Uuid,
    /// The activities, postcard-encoded (`api::services::activity_cache`).
    pub activities: Vec<u8>,
    pub read_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
