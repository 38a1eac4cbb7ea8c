//! Credit policies: the shipped documents, saved versions and their assignment to regions.
//!
//! A policy key has immutable versions; the latest version is the one in force. A region's
//! effective policy on a day is the nearest assignment on the way up its tree that took effect
//! on or before that day.

use crate::auth::{Permit, PolicyAuthorAccess, RegionAccess, RegionNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use anyhow::Context;
use chrono::NaiveDate;
use domain::policy::{parse_policy, PolicyDocument, PolicyError, BUILT_IN};
use domain::region::{RegionCode, RegionTree};
use entities::{credit_policies, region_policy_assignments};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// A stored version of a policy, parsed.
#[derive(Debug, Clone)]
pub struct StoredPolicy {
    pub key: String,
    pub version: i32,
    pub document: PolicyDocument,
    pub json: serde_json::Value,
    pub built_in: bool,
}

impl StoredPolicy {
    fn from_row(row: credit_policies::Model) -> AppResult<Self> {
        let json: serde_json::Value =
            serde_json::from_str(&row.document).map_err(AppError::corrupt)?;
        let document = parse_policy(&json).map_err(|e| {
            AppError::corrupt(format!("policy {} v{}: {e:?}", row.key, row.version))
        })?;
        Ok(Self {
            key: row.key,
            version: row.version,
            document,
            json,
            built_in: row.built_in,
        })
    }
}

/// Stores each shipped document that is not yet the latest built-in version of its key, and on
/// a fresh installation (no assignment at all) assigns them to the seed regions.
pub async fn install_built_ins(db: &DatabaseConnection) -> anyhow::Result<()> {
    let fresh = region_policy_assignments::Entity::find().count(db).await? == 0;
    for b in BUILT_IN {
        let document = b
            .document()
            .map_err(|e| anyhow::anyhow!("built-in policy {} is invalid: {e:?}", b.key))?;
        let json = serde_json::to_value(&document)?;
        let latest = latest_row(db, b.key).await?;
        let same = latest.as_ref().is_some_and(|row| {
            row.built_in
                && serde_json::from_str::<serde_json::Value>(&row.document).ok()
                    == Some(json.clone())
        });
        if !same {
            insert_version(
                db,
                &document,
                &json,
                latest.map_or(1, |r| r.version + 1),
                true,
                None,
                None,
            )
            .await
            .with_context(|| format!("could not install built-in policy {}", b.key))?;
            super::snapshot_marks::policy(db, b.key).await?;
        }
        if fresh {
            for (region, from) in b.regions {
                let from = NaiveDate::parse_from_str(from, "%Y-%m-%d")?;
                region_policy_assignments::Entity::insert(region_policy_assignments::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    region_code: Set((*region).to_owned()),
                    policy_key: Set(b.key.to_owned()),
                    effective_from: Set(from),
                    assigned_by: Set(None),
                    created_at: Set(chrono::Utc::now()),
                })
                .exec(db)
                .await?;
            }
        }
    }
    Ok(())
}

async fn latest_row(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<credit_policies::Model>, sea_orm::DbErr> {
    credit_policies::Entity::find()
        .filter(credit_policies::Column::Key.eq(key))
        .order_by_desc(credit_policies::Column::Version)
        .one(db)
        .await
}

async fn insert_version(
    db: &impl ConnectionTrait,
    document: &PolicyDocument,
    json: &serde_json::Value,
    version: i32,
    built_in: bool,
    owner: Option<String>,
    created_by: Option<Uuid>,
) -> Result<credit_policies::Model, sea_orm::DbErr> {
    let model = credit_policies::Model {
        id: Uuid::now_v7(),
        key: document.key.clone(),
        version,
        name: document.name.clone(),
        document: json.to_string(),
        source_note: document.source_note.clone(),
        built_in,
        owner_region_code: owner,
        created_by,
        // Stamped by the system clock: a policy version is an installation event, not a civil date.
        created_at: chrono::Utc::now(),
    };
    credit_policies::Entity::insert(credit_policies::ActiveModel {
        id: Set(model.id),
        key: Set(model.key.clone()),
        version: Set(model.version),
        name: Set(model.name.clone()),
        document: Set(model.document.clone()),
        source_note: Set(model.source_note.clone()),
        built_in: Set(model.built_in),
        owner_region_code: Set(model.owner_region_code.clone()),
        created_by: Set(model.created_by),
        created_at: Set(model.created_at),
    })
    .exec(db)
    .await?;
    Ok(model)
}

/// The latest version of every policy, by key. Policies are public rules: any signed-in
/// caller may read them.
pub async fn list(state: &AppState) -> AppResult<Vec<StoredPolicy>> {
    let rows = credit_policies::Entity::find()
        .order_by_asc(credit_policies::Column::Key)
        .order_by_desc(credit_policies::Column::Version)
        .all(&state.db)
        .await?;
    let mut out: Vec<StoredPolicy> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|p| p.key != row.key) {
            out.push(StoredPolicy::from_row(row)?);
        }
    }
    Ok(out)
}

pub async fn latest(state: &AppState, key: &str) -> AppResult<Option<StoredPolicy>> {
    latest_row(&state.db, key)
        .await?
        .map(StoredPolicy::from_row)
        .transpose()
}

pub fn validate(document: &serde_json::Value) -> Vec<PolicyError> {
    parse_policy(document).err().unwrap_or_default()
}

/// Saves a new version of a policy. Region and system administrators may save; a key that
/// exists already may only be versioned by an administrator over its owner region (the
/// built-in ones: by the system administrator).
pub async fn save(
    state: &AppState,
    author: &PolicyAuthorAccess<'_>,
    json: &serde_json::Value,
) -> AppResult<StoredPolicy> {
    let document = parse_policy(json).map_err(refusal)?;
    let own_region = author.own_region.as_ref().map(|r| r.as_str().to_owned());
    let txn = super::sql::begin_write(&state.db).await?;
    let latest = latest_row(&txn, &document.key).await?;
    // Versioning a key someone else owns needs authority over its owner.
    let _versioning: Option<Permit> = match &latest {
        None => None,
        Some(existing) => {
            let owner = existing
                .owner_region_code
                .as_deref()
                .map(crate::rows::region)
                .transpose()?;
            Some(author.may_version(owner.as_ref(), existing.built_in)?)
        }
    };
    let normalised = serde_json::to_value(&document).map_err(AppError::internal)?;
    let row = insert_version(
        &txn,
        &document,
        &normalised,
        latest.as_ref().map_or(1, |r| r.version + 1),
        false,
        latest.and_then(|r| r.owner_region_code).or(own_region),
        Some(author.actor),
    )
    .await
    .map_err(|e| AppError::db(e, crate::msg!("policies.saved_concurrently")))?;
    super::snapshot_marks::policy(&txn, &row.key).await?;
    txn.commit().await?;
    tracing::info!(policy.key = %row.key, policy.version = row.version, "credit policy saved");
    StoredPolicy::from_row(row)
}

/// All of a document's problems as one BAD_USER_INPUT at the first one's path.
fn refusal(errors: Vec<PolicyError>) -> AppError {
    let first = errors.first().cloned().unwrap_or(PolicyError {
        path: String::new(),
        code: "INVALID_DOCUMENT",
        message: "is not a policy document".into(),
    });
    let all: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                if e.path.is_empty() {
                    "document"
                } else {
                    &e.path
                },
                e.message
            )
        })
        .collect();
    let field = if first.path.is_empty() {
        "document".to_owned()
    } else {
        format!("document.{}", first.path)
    };
    // The problems themselves are the validator's (English, with JSON paths).
    AppError::invalid(
        field,
        first.code,
        crate::msg!("policies.invalid_document", problems = all.join("; ")),
    )
}

/// Puts `key` in force for a region's subtree from a date on, for a handle checked for
/// [`RegionNeed::AssignPolicy`] (whoever manages the region).
pub async fn assign(
    state: &AppState,
    access: &RegionAccess,
    key: &str,
    effective_from: NaiveDate,
) -> AppResult<()> {
    access.checked_for(RegionNeed::AssignPolicy)?;
    let region = &access.region;
    let Some(policy) = latest_row(&state.db, key).await? else {
        return Err(AppError::invalid(
            "policyKey",
            "UNKNOWN_VALUE",
            crate::msg!("policies.unknown_key"),
        ));
    };
    // A region is governed by its own policies or those of a region above it: the owner keeps
    // versioning its key, and a sibling's new version must not change this region's credits.
    if let (Some(owner), false) = (&policy.owner_region_code, policy.built_in) {
        let owner = crate::rows::region(owner)?;
        if !state.regions.contains(&owner, region) {
            return Err(AppError::invalid(
                "policyKey",
                "NOT_IN_SCOPE",
                crate::msg!(
                    "policies.not_in_scope",
                    owner = owner.as_str(),
                    region = region.as_str()
                ),
            ));
        }
    }
    let txn = super::sql::begin_write(&state.db).await?;
    region_policy_assignments::Entity::insert(region_policy_assignments::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_code: Set(region.as_str().to_owned()),
        policy_key: Set(key.to_owned()),
        effective_from: Set(effective_from),
        assigned_by: Set(Some(access.actor)),
        created_at: Set(state.clock.now()),
    })
    .exec(&txn)
    .await
    .map_err(|e| AppError::db(e, crate::msg!("policies.assigned_that_day")))?;
    super::snapshot_marks::subtree(&txn, region).await?;
    txn.commit().await?;
    tracing::info!(region.code = %region.as_str(), policy.key = key, "credit policy assigned");
    Ok(())
}

/// The key of the policy in force for `region` on `on`, if any region on the way up has one.
pub async fn effective_key(
    db: &DatabaseConnection,
    regions: &RegionTree,
    region: &RegionCode,
    on: NaiveDate,
) -> AppResult<Option<String>> {
    let chain = chain_up(regions, region);
    let rows = region_policy_assignments::Entity::find()
        .filter(region_policy_assignments::Column::RegionCode.is_in(chain.clone()))
        .filter(region_policy_assignments::Column::EffectiveFrom.lte(on))
        .all(db)
        .await?;
    Ok(nearest_key(&chain, rows.iter()))
}

/// The region and those above it, nearest first (the region alone when the tree lacks it).
fn chain_up(regions: &RegionTree, region: &RegionCode) -> Vec<String> {
    let mut chain: Vec<String> = regions
        .ancestors(region)
        .iter()
        .map(|n| n.code.as_str().to_owned())
        .collect();
    if chain.is_empty() {
        chain.push(region.as_str().to_owned());
    }
    chain
}

/// The key of the nearest region's latest assignment among `rows`.
fn nearest_key<'r>(
    chain: &[String],
    rows: impl Iterator<Item = &'r region_policy_assignments::Model> + Clone,
) -> Option<String> {
    chain.iter().find_map(|code| {
        rows.clone()
            .filter(|r| &r.region_code == code)
            .max_by_key(|r| r.effective_from)
            .map(|r| r.policy_key.clone())
    })
}

/// The policy in force for `region` on `on`, at its latest version, in one statement: the
/// assignments on the way up the tree, each with every version of its policy.
pub async fn effective(
    state: &AppState,
    region: &RegionCode,
    on: NaiveDate,
) -> AppResult<Option<StoredPolicy>> {
    let chain = chain_up(&state.regions, region);
    let versions_of = region_policy_assignments::Entity::belongs_to(credit_policies::Entity)
        .from(region_policy_assignments::Column::PolicyKey)
        .to(credit_policies::Column::Key)
        .into();
    let rows = region_policy_assignments::Entity::find()
        .select_also(credit_policies::Entity)
        .join(sea_orm::JoinType::LeftJoin, versions_of)
        .filter(region_policy_assignments::Column::RegionCode.is_in(chain.clone()))
        .filter(region_policy_assignments::Column::EffectiveFrom.lte(on))
        .all(&state.db)
        .await?;
    let Some(key) = nearest_key(&chain, rows.iter().map(|(a, _)| a)) else {
        return Ok(None);
    };
    rows.into_iter()
        .filter_map(|(_, p)| p)
        .filter(|p| p.key == key)
        .max_by_key(|p| p.version)
        .map(StoredPolicy::from_row)
        .transpose()
}
