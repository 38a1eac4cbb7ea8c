//! Posting new records to the credit ledger, the same way for claims and completions: each is
//! priced by [`domain::credit_rule::posted`] (the policy in force, or the default rule where
//! none is), appended inside the caller's transaction, and announced as `creditRecordChanged`
//! once that transaction commits — [`Appended::commit`] is the only way to finish the append,
//! so a new record is never left unannounced.

use super::policies::StoredPolicy;
use super::sql::insert_array_rows;
use crate::error::{AppError, AppResult};
use crate::events::Event;
use crate::i18n::Text;
use crate::state::AppState;
use entities::credit_records;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait};
use uuid::Uuid;

/// Sets a new record's credits and policy key from its facts.
pub fn price(record: &mut credit_records::Model, policy: Option<&StoredPolicy>) -> AppResult<()> {
    let activity = super::activities::activity_of(record)?;
    let posted =
        domain::credit_rule::posted(policy.map(|p| (p.key.as_str(), &p.document)), &activity);
    record.credits_e4 = posted.credits.to_e4();
    record.policy_key = Some(posted.policy_key.to_owned());
    Ok(())
}

/// What a record whose idempotency key is already on the ledger does to the append.
pub enum OnDuplicate {
    /// Fails it with a `CONFLICT` saying this (a teacher sending the same claim twice).
    Refuse(Text),
    /// Leaves the record out (an import row posted before, or by a concurrent import).
    Skip,
}

/// Records appended inside a transaction that has not committed yet.
#[must_use = "finish with Appended::commit, which publishes the records' events"]
pub struct Appended {
    records: Vec<credit_records::Model>,
}

/// Inserts `records` inside `txn`. On SQLite, with [`OnDuplicate::Skip`], the caller must have
/// left out the keys already on the ledger inside this transaction (SQLite's single writer
/// keeps that answer true); PostgreSQL reports what it inserted itself.
pub async fn append(
    txn: &DatabaseTransaction,
    records: Vec<credit_records::Model>,
    on_duplicate: OnDuplicate,
) -> AppResult<Appended> {
    if records.is_empty() {
        return Ok(Appended { records });
    }
    let conflict = match on_duplicate {
        OnDuplicate::Refuse(conflict) => conflict,
        OnDuplicate::Skip => return append_new(txn, records).await,
    };
    credit_records::Entity::insert_many(
        records
            .iter()
            .cloned()
            .map(credit_records::ActiveModel::from),
    )
    .exec_without_returning(txn)
    .await
    .map_err(|e| AppError::db(e, conflict))?;
    Ok(Appended { records })
}

/// The records of `records` not yet on the ledger, inserted; a concurrent import of the same
/// rows loses the race quietly: the unique key keeps one.
async fn append_new(
    txn: &DatabaseTransaction,
    mut records: Vec<credit_records::Model>,
) -> AppResult<Appended> {
    match txn.get_database_backend() {
        DbBackend::Postgres => {
            let inserted: std::collections::HashSet<Uuid> =
                insert_array_rows::<credit_records::Entity>(
                    txn,
                    &records,
                    credit_records::Column::IdempotencyKey,
                )
                .await?
                .into_iter()
                .collect();
            records.retain(|r| inserted.contains(&r.id));
        }
        _ => {
            credit_records::Entity::insert_many(
                records
                    .iter()
                    .cloned()
                    .map(credit_records::ActiveModel::from),
            )
            .on_conflict(
                OnConflict::column(credit_records::Column::IdempotencyKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        }
    }
    Ok(Appended { records })
}

impl Appended {
    /// The appended records' ids, in the order given.
    pub fn ids(&self) -> Vec<Uuid> {
        self.records.iter().map(|r| r.id).collect()
    }

    /// Commits `txn`, then publishes `creditRecordChanged` for every appended record (never
    /// before: a subscriber must be able to read what it is told about). The records, as posted.
    pub async fn commit(
        self,
        state: &AppState,
        txn: DatabaseTransaction,
    ) -> AppResult<Vec<credit_records::Model>> {
        super::outbox::records(&txn, state, &self.records).await?;
        super::snapshot_marks::teachers(&txn, self.records.iter().map(|r| r.teacher_id)).await?;
        txn.commit().await?;
        let events = self.records.iter().map(Event::record_changed).collect();
        state.events.publish_all(events).await;
        Ok(self.records)
    }
}
