//! The typed handle for managing a training provider's catalogue: creating courses (one by
//! one or from a file) and, through it, editing the provider's own drafts.

use super::access_course::{CourseAccess, CourseNeed};
use super::authz::{Guard, Permit};
use super::principal::Principal;
use crate::error::{AppError, AppResult};
use crate::rows;
use domain::region::RegionTree;
use domain::scope::{Action, Resource};
use entities::{courses, providers};
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

/// A provider whose catalogue the caller manages (its admins, the region and system admins
/// over it). Built only by [`Guard::provider`].
// Sealed by a private field: no module but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct ProviderAccess {
    pub provider: providers::Model,
    pub resource: Resource,
    /// The caller's account, for the rows it writes.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

impl ProviderAccess {
    /// One of this provider's courses, to edit: managing the provider is what editing its
    /// courses takes ([`CourseNeed::Edit`]). Another provider's course is INTERNAL: the service
    /// only ever asks for rows it found under this provider.
    pub fn course(&self, course: courses::Model) -> AppResult<CourseAccess> {
        if course.provider_id != self.provider.id {
            return Err(AppError::internal(anyhow::anyhow!(
                "course {} is not provider {}'s",
                course.id,
                self.provider.id
            )));
        }
        Ok(CourseAccess::derived(
            course,
            self,
            CourseNeed::Edit,
            Permit::derived(&self.permit),
        ))
    }
}

impl Guard<'_> {
    /// The provider `id`, to manage its catalogue; one that does not exist is BAD_USER_INPUT at
    /// `field` (the id came in as input), FORBIDDEN when out of reach.
    pub async fn provider(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        field: &str,
    ) -> AppResult<ProviderAccess> {
        let provider = providers::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::invalid(field, "NOT_FOUND", crate::msg!("input.no_such_provider"))
            })?;
        let resource = Resource::Provider {
            id: provider.id,
            region: rows::region(&provider.region_code)?,
        };
        let permit = self.require(Action::Manage, &resource)?;
        Ok(ProviderAccess {
            provider,
            resource,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}

/// Whether `viewer` sees a provider's courses in any status (drafts, those under review), not
/// only the approved ones: whoever manages the provider. Anonymous visitors never do.
pub fn sees_unpublished(
    viewer: Option<&Principal>,
    provider: &providers::Model,
    regions: &RegionTree,
    today: chrono::NaiveDate,
) -> bool {
    let Some(p) = viewer else { return false };
    let Ok(region) = rows::region(&provider.region_code) else {
        return false;
    };
    let resource = Resource::Provider {
        id: provider.id,
        region,
    };
    Guard::new(p, regions, today)
        .require(Action::Manage, &resource)
        .is_ok()
}

/// Which courses beyond the approved ones `viewer` sees in the catalogue (drafts and courses
/// under review): everything for the system, a region admin's subtree, a provider's own, none
/// for anyone else (`domain::scope::course_reach`). The catalogue narrows its SQL by it.
pub fn catalogue_reach(viewer: Option<&Principal>) -> domain::scope::CourseReach {
    domain::scope::course_reach(viewer.map(|p| &p.scope))
}
