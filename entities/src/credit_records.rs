//! The append-only credit ledger. Facts and credits are never updated; only `status`,
//! `next_step` and `updated_at` change. Corrections are new rows pointing at the original through
//! `reversal_of`. Amounts are fixed-point: `*_e4` columns hold value × 10⁴.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub teacher_id: Uuid,
    pub school_id: Uuid,
    pub region_code: String,
    pub kind: String,
    pub title: String,
    pub course_id: Option<Uuid>,
    pub level: Option<String>,
    pub modality: Option<String>,
    pub category: Option<String>,
    pub compulsory: Option<bool>,
    pub role: String,
    pub hours_e4: Option<i64>,
    pub attended_hours_e4: Option<i64>,
    pub taught_hours_e4: Option<i64>,
    pub days: Option<i32>,
    pub months: Option<i32>,
    pub words: Option<i32>,
    pub prize: Option<String>,
    pub passed: Option<bool>,
    pub score_e4: Option<i64>,
    pub earned_on: Date,
    pub policy_key: Option<String>,
    pub credits_e4: i64,
    pub status: String,
    pub next_step: Option<String>,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub reversal_of: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub reason: Option<String>,
    pub created_by: Option<Uuid>,
    /// The earlier platform a record was imported from (`importCreditRecords`), and its id
    /// there; unique together. `None` for records born here.
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
