//! Per-request DataLoaders: a page of courses loads its providers and seat counts in one
//! statement each, not one per course.

use crate::error::AppError;
use crate::services::enrolment;
use async_graphql::dataloader::{DataLoader, Loader};
use entities::{accounts, evidence, providers, review_events, schools};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Loader errors must be `Clone`; the message is all a resolver passes on.
#[derive(Clone)]
pub struct LoadError(pub Arc<AppError>);

impl From<LoadError> for async_graphql::Error {
    fn from(e: LoadError) -> Self {
        match Arc::try_unwrap(e.0) {
            Ok(err) => err.into(),
            Err(shared) => AppError::internal(anyhow::anyhow!("{shared}")).into(),
        }
    }
}

fn load_err(e: impl Into<AppError>) -> LoadError {
    LoadError(Arc::new(e.into()))
}

pub struct ProviderLoader(pub DatabaseConnection);

impl Loader<Uuid> for ProviderLoader {
    type Value = providers::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = providers::Entity::find()
            .filter(providers::Column::Id.is_in(keys.to_vec()))
            .all(&self.0)
            .await
            .map_err(load_err)?;
        Ok(rows.into_iter().map(|p| (p.id, p)).collect())
    }
}

pub struct SchoolLoader(pub DatabaseConnection);

impl Loader<Uuid> for SchoolLoader {
    type Value = schools::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = schools::Entity::find()
            .filter(schools::Column::Id.is_in(keys.to_vec()))
            .all(&self.0)
            .await
            .map_err(load_err)?;
        Ok(rows.into_iter().map(|s| (s.id, s)).collect())
    }
}

/// Seats per course: (enrolled, waitlisted).
pub struct SeatLoader(pub DatabaseConnection);

impl Loader<Uuid> for SeatLoader {
    type Value = (i64, i64);
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = enrolment::counts(&self.0, keys).await.map_err(load_err)?;
        let mut out: HashMap<Uuid, (i64, i64)> = keys.iter().map(|k| (*k, (0, 0))).collect();
        for (course, status, n) in rows {
            let entry = out.entry(course).or_default();
            match status.as_str() {
                "ENROLLED" => entry.0 += n,
                "WAITLISTED" => entry.1 += n,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Rows that belong to credit records, grouped by record: a page of records loads all of its
/// review events (or evidence) in one statement.
macro_rules! per_record_loader {
    ($(#[$doc:meta])* $name:ident, $entity:ident, $first:ident, $second:ident) => {
        $(#[$doc])*
        pub struct $name(pub DatabaseConnection);

        impl Loader<Uuid> for $name {
            type Value = Vec<$entity::Model>;
            type Error = LoadError;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::Column::CreditRecordId.is_in(keys.to_vec()))
                    .order_by_asc($entity::Column::$first)
                    .order_by_asc($entity::Column::$second)
                    .all(&self.0)
                    .await
                    .map_err(load_err)?;
                let mut out: HashMap<Uuid, Self::Value> = HashMap::new();
                for r in rows {
                    out.entry(r.credit_record_id).or_default().push(r);
                }
                Ok(out)
            }
        }
    };
}

per_record_loader!(
    /// A record's review events, oldest first.
    HistoryLoader, review_events, At, Id
);
per_record_loader!(
    /// A record's evidence, in the order it was given.
    EvidenceLoader, evidence, CreatedAt, Id
);

/// Accounts by id, for naming who decided.
pub struct AccountLoader(pub DatabaseConnection);

impl Loader<Uuid> for AccountLoader {
    type Value = accounts::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = accounts::Entity::find()
            .filter(accounts::Column::Id.is_in(keys.to_vec()))
            .all(&self.0)
            .await
            .map_err(load_err)?;
        Ok(rows.into_iter().map(|a| (a.id, a)).collect())
    }
}

pub struct Loaders {
    pub accounts: DataLoader<AccountLoader>,
    pub providers: DataLoader<ProviderLoader>,
    pub schools: DataLoader<SchoolLoader>,
    pub seats: DataLoader<SeatLoader>,
    pub history: DataLoader<HistoryLoader>,
    pub evidence: DataLoader<EvidenceLoader>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Loaders {
            accounts: DataLoader::new(AccountLoader(db.clone()), tokio::spawn),
            providers: DataLoader::new(ProviderLoader(db.clone()), tokio::spawn),
            schools: DataLoader::new(SchoolLoader(db.clone()), tokio::spawn),
            seats: DataLoader::new(SeatLoader(db.clone()), tokio::spawn),
            history: DataLoader::new(HistoryLoader(db.clone()), tokio::spawn),
            evidence: DataLoader::new(EvidenceLoader(db.clone()), tokio::spawn),
        }
    }
}
