//! A teacher's compliance as last evaluated (one row per teacher): the period containing
//! `evaluated_on` under the policy then in force, with their school and region copied in so
//! region statistics aggregate this table alone.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compliance_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: Uuid,
    pub school_id: Uuid,
    pub region_code: String,
    /// `None` (with the version and period) when no policy is in force for the teacher.
    pub policy_key: Option<String>,
    pub policy_version: Option<i32>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub satisfied: bool,
    /// Credits counted toward the period, in ten-thousandths.
    pub total_counted_e4: i64,
    /// JSON object: requirement key -> shortfall (decimal text), unmet requirements only.
    #[sea_orm(column_type = "Text")]
    pub shortfalls: String,
    /// The day the outcome holds for.
    pub evaluated_on: Date,
    pub evaluated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
