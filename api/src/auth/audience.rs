//! The gate's side of webhooks: which webhook owners may hear of an event. Each owner's scope
//! is derived from its account exactly as authentication derives a caller's (a disabled
//! account hears nothing), the ties the rules need (a university's grant in force) are loaded
//! here, and the decision is `domain::webhook::may_hear` — built from the same
//! `domain::scope` rules that answer those accounts when they ask for the thing themselves.

use super::target::{scope_for, target_of};
use crate::error::AppResult;
use domain::region::RegionTree;
use domain::scope::{Scope, Ties};
use domain::webhook::{may_hear, Subject};
use entities::{access_grants, accounts};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The owners of the webhooks an event could go to, with what the rules need about them.
pub struct Audience<'t> {
    scopes: HashMap<Uuid, Scope>,
    /// (university, teacher) pairs with a grant in force.
    grants: HashSet<(Uuid, Uuid)>,
    tree: &'t RegionTree,
}

impl<'t> Audience<'t> {
    /// Reads the `owners`' accounts (one statement, plus one per organisation-bound account,
    /// as at sign-in) and, when a university is among them, its grants from `teachers` that
    /// are in force on `today` (one statement).
    pub async fn load(
        db: &impl ConnectionTrait,
        tree: &'t RegionTree,
        owners: &[Uuid],
        teachers: &[Uuid],
        today: chrono::NaiveDate,
    ) -> AppResult<Audience<'t>> {
        let rows = accounts::Entity::find()
            .filter(accounts::Column::Id.is_in(owners.iter().copied()))
            .filter(accounts::Column::Disabled.eq(false))
            .all(db)
            .await?;
        let mut scopes = HashMap::new();
        for account in rows {
            if let Some(scope) = scope_for(db, &target_of(&account)?).await? {
                scopes.insert(account.id, scope);
            }
        }
        let universities: Vec<Uuid> = scopes
            .values()
            .filter_map(|s| match s {
                Scope::University { university, .. } => Some(*university),
                _ => None,
            })
            .collect();
        let grants = if universities.is_empty() || teachers.is_empty() {
            HashSet::new()
        } else {
            granted(db, &universities, teachers, today).await?
        };
        Ok(Audience {
            scopes,
            grants,
            tree,
        })
    }

    /// Whether the account `owner` may be told about `subject`.
    pub fn hears(&self, owner: Uuid, subject: &Subject<'_>) -> bool {
        let Some(scope) = self.scopes.get(&owner) else {
            return false;
        };
        let granted = match (scope, subject.teacher()) {
            (Scope::University { university, .. }, Some(teacher)) => {
                self.grants.contains(&(*university, teacher))
            }
            _ => false,
        };
        let ties = Ties {
            trains: false,
            granted,
        };
        may_hear(scope, subject, ties, self.tree)
    }
}

async fn granted(
    db: &impl ConnectionTrait,
    universities: &[Uuid],
    teachers: &[Uuid],
    today: chrono::NaiveDate,
) -> AppResult<HashSet<(Uuid, Uuid)>> {
    let pairs: Vec<(Uuid, Uuid)> = access_grants::Entity::find()
        .select_only()
        .column(access_grants::Column::UniversityId)
        .column(access_grants::Column::TeacherId)
        .filter(access_grants::Column::UniversityId.is_in(universities.iter().copied()))
        .filter(access_grants::Column::TeacherId.is_in(teachers.iter().copied()))
        .filter(access_grants::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(access_grants::Column::ExpiresOn.is_null())
                .add(access_grants::Column::ExpiresOn.gte(today)),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(pairs.into_iter().collect())
}
