//! Per-request DataLoaders: a page of courses loads its providers and seat counts in one
//! statement each, not one per course; a page of credit records its teachers, courses and
//! reversal entries likewise.

use crate::auth::{Guard, Principal};
use crate::error::AppError;
use crate::services::enrolment;
use crate::state::AppState;
use async_graphql::dataloader::{DataLoader, Loader};
use entities::{
    accounts, courses, credit_records, evidence, providers, review_events, schools, teachers,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Loader errors must be `Clone`; the message is all a resolver passes on.
#[derive(Clone)]
pub struct LoadError(pub Arc<AppError>);

impl From<LoadError> for async_graphql::Error {
    fn from(e: LoadError) -> Self {
        // Rendered here, in the resolver's task, so the message is in the request's language
        // although the load ran in a spawned task.
        e.0.to_graphql()
    }
}

fn load_err(e: impl Into<AppError>) -> LoadError {
    LoadError(Arc::new(e.into()))
}

/// Rows by primary key: a page loads all the rows it names in one statement.
macro_rules! by_id_loader {
    ($(#[$doc:meta])* $name:ident, $entity:ident) => {
        $(#[$doc])*
        pub struct $name(pub DatabaseConnection);

        impl Loader<Uuid> for $name {
            type Value = $entity::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::Column::Id.is_in(keys.to_vec()))
                    .all(&self.0)
                    .await
                    .map_err(load_err)?;
                Ok(rows.into_iter().map(|r| (r.id, r)).collect())
            }
        }
    };
}

by_id_loader!(ProviderLoader, providers);
by_id_loader!(SchoolLoader, schools);
by_id_loader!(
    /// Courses (visibility is the resolver's: it needs the provider too).
    CourseLoader, courses
);
by_id_loader!(
    /// Accounts, for naming who decided.
    AccountLoader, accounts
);

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

/// Teachers by id, only those the caller may read (see `Guard::readable_teachers`).
pub struct TeacherLoader {
    state: AppState,
    principal: Option<Principal>,
}

impl Loader<Uuid> for TeacherLoader {
    type Value = teachers::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(principal) = &self.principal else {
            return Ok(HashMap::new());
        };
        let guard = Guard::new(principal, &self.state.regions, self.state.clock.today());
        guard
            .readable_teachers(&self.state.db, keys)
            .await
            .map_err(load_err)
    }
}

/// The reversal entry of each revoked record, by the original's id.
pub struct ReversalLoader(pub DatabaseConnection);

impl Loader<Uuid> for ReversalLoader {
    type Value = credit_records::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = credit_records::Entity::find()
            .filter(credit_records::Column::ReversalOf.is_in(keys.to_vec()))
            .all(&self.0)
            .await
            .map_err(load_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.reversal_of.map(|of| (of, r)))
            .collect())
    }
}

pub struct Loaders {
    pub accounts: DataLoader<AccountLoader>,
    pub courses: DataLoader<CourseLoader>,
    pub teachers: DataLoader<TeacherLoader>,
    pub reversals: DataLoader<ReversalLoader>,
    pub providers: DataLoader<ProviderLoader>,
    pub schools: DataLoader<SchoolLoader>,
    pub seats: DataLoader<SeatLoader>,
    pub history: DataLoader<HistoryLoader>,
    pub evidence: DataLoader<EvidenceLoader>,
    /// Each teacher's state for course previews, evaluated once per request.
    pub previews: DataLoader<super::course_selection::PreviewLoader>,
}

impl Loaders {
    /// One set per request: the teacher loader reads as `principal`.
    pub fn new(state: &AppState, principal: Option<Principal>) -> Self {
        let db = &state.db;
        Loaders {
            accounts: DataLoader::new(AccountLoader(db.clone()), tokio::spawn),
            courses: DataLoader::new(CourseLoader(db.clone()), tokio::spawn),
            previews: DataLoader::new(
                super::course_selection::PreviewLoader::new(state.clone(), principal.clone()),
                tokio::spawn,
            ),
            teachers: DataLoader::new(
                TeacherLoader {
                    state: state.clone(),
                    principal,
                },
                tokio::spawn,
            ),
            reversals: DataLoader::new(ReversalLoader(db.clone()), tokio::spawn),
            providers: DataLoader::new(ProviderLoader(db.clone()), tokio::spawn),
            schools: DataLoader::new(SchoolLoader(db.clone()), tokio::spawn),
            seats: DataLoader::new(SeatLoader(db.clone()), tokio::spawn),
            history: DataLoader::new(HistoryLoader(db.clone()), tokio::spawn),
            evidence: DataLoader::new(EvidenceLoader(db.clone()), tokio::spawn),
        }
    }
}

/// A teacher the caller may read (`FORBIDDEN` otherwise), through the request's DataLoader so
/// a page of records or places loads its teachers at once; subscriptions, which have no
/// loaders, read the one teacher directly.
pub async fn readable_teacher(
    ctx: &async_graphql::Context<'_>,
    id: uuid::Uuid,
) -> async_graphql::Result<super::teacher_file::Teacher> {
    let teacher = match ctx.data_opt::<Loaders>() {
        Some(l) => l
            .teachers
            .load_one(id)
            .await?
            .ok_or_else(AppError::forbidden)?,
        None => {
            let state = super::ContextExt::state(ctx)?;
            super::ContextExt::guard(ctx)?
                .teacher(&state.db, id, crate::auth::TeacherNeed::Read)
                .await?
                .teacher
        }
    };
    Ok(super::teacher_file::Teacher(teacher))
}
