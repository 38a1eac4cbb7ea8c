//! Which credit records a conversion uses. `live_credit_record_id` equals
//! `credit_record_id` while the conversion is live and is NULL once released, so its unique index
//! lets one record back at most one live conversion.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversion_allocations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub conversion_id: Uuid,
    pub credit_record_id: Uuid,
    pub credits_e4: i64,
    #[sea_orm(unique)]
    pub live_credit_record_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
