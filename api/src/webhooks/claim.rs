//! Taking due deliveries and recording what became of them.
//!
//! A claim moves a due PENDING delivery's `next_attempt_at` to the end of a lease and stamps it
//! with the claiming worker's `lease_id`, in one statement: on PostgreSQL the candidate rows are
//! locked `FOR UPDATE SKIP LOCKED`, so replicas polling at the same moment take disjoint rows;
//! SQLite has one writer, so the statement alone is atomic. A worker records the attempt only
//! while its lease stands (`lease_id` still its own), so a delivery is sent by one worker at a
//! time even if a send outlived its lease.

use chrono::{DateTime, Utc};
use entities::webhook_deliveries::{self as deliveries, Column};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Statement,
};
use uuid::Uuid;

pub const PENDING: &str = "PENDING";
pub const SUCCEEDED: &str = "SUCCEEDED";
pub const FAILED: &str = "FAILED";

/// Up to `limit` due deliveries, now held by this worker until `lease_until`.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<deliveries::Model>, DbErr> {
    let backend = db.get_database_backend();
    // On SQLite the claim takes the single write lock: look first (a read) so an idle poll
    // never makes a writer wait.
    if backend == DbBackend::Sqlite && !any_due(db, now).await? {
        return Ok(Vec::new());
    }
    let p = match backend {
        DbBackend::Postgres => ["$1", "$2", "$3"],
        _ => ["?", "?", "?"],
    };
    let candidates = format!(
        "SELECT id FROM webhook_deliveries WHERE status = '{PENDING}' AND next_attempt_at <= {} \
         ORDER BY next_attempt_at LIMIT {limit}",
        p[2]
    );
    // PostgreSQL: the candidates as an array computed once, then updated by id. Written as
    // `IN (subquery)`, the planner may rescan the locked subquery per row when its statistics
    // were taken on an empty table (seen on the snapshot queue: seconds per claim).
    let target = match backend {
        DbBackend::Postgres => format!("id = ANY(ARRAY({candidates} FOR UPDATE SKIP LOCKED))"),
        _ => format!("id IN ({candidates})"),
    };
    let sql = format!(
        "UPDATE webhook_deliveries SET lease_id = {}, next_attempt_at = {} WHERE {target} \
         RETURNING *",
        p[0], p[1]
    );
    let lease = Uuid::now_v7();
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [lease.into(), lease_until.into(), now.into()],
    );
    deliveries::Entity::find().from_raw_sql(stmt).all(db).await
}

async fn any_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let due = deliveries::Entity::find()
        .filter(Column::Status.eq(PENDING))
        .filter(Column::NextAttemptAt.lte(now))
        .count(db)
        .await?;
    Ok(due > 0)
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, if it answered.
    pub response_status: Option<u16>,
    /// Why there was no (successful) answer, as a short code for operators.
    pub error: Option<&'static str>,
    /// Delivered, or when to try again; `None` and not delivered: given up.
    pub next: Next,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Delivered,
    RetryAt(DateTime<Utc>),
    GiveUp,
}

/// Records `attempt` on `delivery` if this worker's lease still holds it; whether it did.
pub async fn record(
    db: &impl ConnectionTrait,
    delivery: &deliveries::Model,
    attempt: &Attempt,
) -> Result<bool, DbErr> {
    let (status, next_at) = match attempt.next {
        Next::Delivered => (SUCCEEDED, None),
        Next::RetryAt(at) => (PENDING, Some(at)),
        Next::GiveUp => (FAILED, None),
    };
    let done = deliveries::Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::NextAttemptAt, Expr::value(next_at))
        .col_expr(Column::LeaseId, Expr::value(Option::<Uuid>::None))
        .col_expr(Column::LastAttemptAt, Expr::value(attempt.at))
        .col_expr(
            Column::ResponseStatus,
            Expr::value(attempt.response_status.map(i32::from)),
        )
        .col_expr(
            Column::LastError,
            Expr::value(attempt.error.map(str::to_owned)),
        )
        .filter(Column::Id.eq(delivery.id))
        .filter(Column::LeaseId.eq(delivery.lease_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Ends a delivery that can no longer be sent (its webhook was deleted) without an attempt.
pub async fn abandon(db: &impl ConnectionTrait, delivery: &deliveries::Model) -> Result<(), DbErr> {
    deliveries::Entity::update_many()
        .col_expr(Column::Status, Expr::value(FAILED))
        .col_expr(
            Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::LeaseId, Expr::value(Option::<Uuid>::None))
        .filter(Column::Id.eq(delivery.id))
        .filter(Column::LeaseId.eq(delivery.lease_id))
        .exec(db)
        .await?;
    Ok(())
}
