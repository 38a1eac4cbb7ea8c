//! Issued verifiable transcripts (signed JWTs).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transcripts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub teacher_id: Uuid,
    pub issued_by: Option<Uuid>,
    pub issued_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub record_ids: String,
    #[sea_orm(column_type = "Text")]
    pub jwt: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
