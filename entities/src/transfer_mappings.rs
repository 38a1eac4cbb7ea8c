//! Rules turning training credits into a university course's academic credits.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "transfer_mappings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub university_course_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub categories: String,
    pub min_level: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub modalities: String,
    pub min_hours_e4: Option<i64>,
    pub within_years: Option<i32>,
    pub academic_credits_e4: i64,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
