//! Teachers and their current school.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teachers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub school_id: Uuid,
    pub name: String,
    pub hired_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub stages: String,
    #[sea_orm(column_type = "Text")]
    pub subjects: String,
    /// Serves as a class head teacher (班主任): some schemes ask head-teacher training of them.
    pub head_teacher: bool,
    /// Graduated from a normal (teacher-training) programme: some probation totals depend on it.
    pub normal_school_graduate: bool,
    /// The teacher's number (教师编号), unique where set: how spreadsheets name the teacher.
    pub teacher_number: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
