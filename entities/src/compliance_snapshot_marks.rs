//! A teacher whose compliance snapshot must be evaluated again: marked by every change that
//! can alter their outcome, claimed and cleared by the snapshot worker.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compliance_snapshot_marks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: Uuid,
    pub marked_at: DateTimeUtc,
    /// Bumped by every mark; a worker clears the mark only at the generation it claimed.
    pub generation: i64,
    /// The end of the lease of the worker holding it, if any.
    pub claimed_until: Option<DateTimeUtc>,
    pub claimed_by: Option<Uuid>,
    /// Whether every change behind the mark left the teacher's own data alone (a policy
    /// assigned or versioned): only then is the teacher evaluated from the activity cache.
    pub policy_only: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
