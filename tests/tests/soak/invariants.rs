//! The ledger's invariants after the soak, read straight from PostgreSQL: what the API promises
//! must hold in the tables, whatever interleaving the two instances produced.

use crate::workload::Seen;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

pub struct Ledger {
    pub records: i64,
    pub keyed: i64,
    /// Idempotency keys held by more than one record.
    pub duplicate_keys: i64,
    /// Acknowledged claims (distinct keys) and those missing from the ledger.
    pub acknowledged: usize,
    pub lost: Vec<String>,
    pub retry_mismatches: usize,
    /// Records allocated to more than one REQUESTED or APPROVED conversion; conversions by
    /// status, the live (REQUESTED or APPROVED) ones, and those the clients saw requested.
    pub double_converted: i64,
    pub conversions: Vec<(String, i64)>,
    pub live_conversions: i64,
    pub conversions_requested: usize,
    /// Live conversions holding a record that is not CERTIFIED (a conversion may only use
    /// certified records, and revoking one voids the conversion).
    pub uncertified_in_live: i64,
    /// Courses whose ENROLLED places exceed their capacity; places by status.
    pub overbooked: i64,
    pub places: Vec<(String, i64)>,
    pub certified: i64,
}

async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

/// `table`'s rows counted by `status`, in status order.
async fn by_status(db: &DatabaseConnection, table: &str) -> Vec<(String, i64)> {
    let sql = format!("SELECT status, count(*) FROM {table} GROUP BY status ORDER BY status");
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"))
        .into_iter()
        .map(|r| {
            (
                r.try_get_by_index::<String>(0).expect("status"),
                r.try_get_by_index::<i64>(1).expect("count"),
            )
        })
        .collect()
}

pub async fn check(db: &DatabaseConnection, seen: &Seen) -> Ledger {
    let mut keys: Vec<&str> = seen.acknowledged.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    // Keys are stored as `claim:{teacher}:{key}`; the client's key is the last part.
    let stored: std::collections::HashSet<String> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT idempotency_key FROM credit_records WHERE idempotency_key IS NOT NULL",
        ))
        .await
        .expect("keys")
        .into_iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .filter_map(|k| k.rsplit(':').next().map(str::to_owned))
        .collect();
    let lost: Vec<String> = keys
        .iter()
        .filter(|k| !stored.contains(**k))
        .map(|k| (*k).to_owned())
        .collect();
    let places = by_status(db, "enrollments").await;
    Ledger {
        records: number(db, "SELECT count(*) FROM credit_records").await,
        keyed: number(db, "SELECT count(*) FROM credit_records WHERE idempotency_key IS NOT NULL").await,
        duplicate_keys: number(db, "SELECT count(*) FROM (SELECT idempotency_key FROM credit_records WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1) d").await,
        acknowledged: keys.len(),
        lost,
        retry_mismatches: seen.retry_mismatches.len(),
        double_converted: number(db, "SELECT count(*) FROM (SELECT a.credit_record_id FROM conversion_allocations a JOIN conversions c ON c.id = a.conversion_id WHERE c.status IN ('REQUESTED', 'APPROVED') GROUP BY a.credit_record_id HAVING count(DISTINCT c.id) > 1) d").await,
        conversions: by_status(db, "conversions").await,
        live_conversions: number(db, "SELECT count(*) FROM conversions WHERE status IN ('REQUESTED', 'APPROVED')").await,
        conversions_requested: seen.conversions_requested,
        uncertified_in_live: number(db, "SELECT count(DISTINCT c.id) FROM conversion_allocations a JOIN conversions c ON c.id = a.conversion_id JOIN credit_records r ON r.id = a.credit_record_id WHERE c.status IN ('REQUESTED', 'APPROVED') AND r.status <> 'CERTIFIED'").await,
        overbooked: number(db, "SELECT count(*) FROM courses c WHERE c.capacity IS NOT NULL AND (SELECT count(*) FROM enrollments e WHERE e.course_id = c.id AND e.status = 'ENROLLED') > c.capacity").await,
        places,
        certified: number(db, "SELECT count(*) FROM credit_records WHERE status = 'CERTIFIED'").await,
    }
}

impl Ledger {
    pub fn assert_hold(&self) {
        assert_eq!(self.duplicate_keys, 0, "an idempotency key recorded twice");
        assert!(
            self.lost.is_empty(),
            "acknowledged claims not in the ledger (or twice): {:?}",
            self.lost
        );
        assert_eq!(
            self.retry_mismatches, 0,
            "a retried key answered another record"
        );
        assert_eq!(self.double_converted, 0, "a record in two live conversions");
        assert_eq!(
            self.uncertified_in_live, 0,
            "a live conversion using a record that is not certified"
        );
        // Without live conversions the two checks above read an empty join and prove nothing.
        assert!(
            self.live_conversions > 0 && self.conversions_requested > 0,
            "no live conversion at the end ({} requested): the conversion checks were vacuous",
            self.conversions_requested
        );
        assert_eq!(self.overbooked, 0, "a course with more places than seats");
        assert!(self.acknowledged > 0, "no claim was acknowledged");
    }
}
