//! Courses in the catalogue. `hours_e4` is hours × 10⁴.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub provider_id: Uuid,
    pub code: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// The `ActivityKind` of the programme (`COURSE_COMPLETION` unless it is, say, a
    /// `DEGREE_STUDY` programme); its trainees' records carry it.
    pub kind: String,
    pub level: String,
    pub modality: String,
    pub category: String,
    pub compulsory: bool,
    pub hours_e4: i64,
    pub capacity: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub target_stages: String,
    #[sea_orm(column_type = "Text")]
    pub subjects: String,
    pub enrollment_opens_on: Option<Date>,
    pub enrollment_closes_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub status: String,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
