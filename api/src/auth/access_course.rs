//! Typed handles for one course (rewriting it, moving it through its lifecycle, reporting its
//! completions) and for a teacher's place in it (taking one, giving it up).

use super::access::{checked_for, wrong_handle};
use super::access_provider::ProviderAccess;
use super::authz::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::rows;
use domain::catalogue::CourseAction;
use domain::scope::{Action, Deed, Resource};
use entities::{courses, enrollments, providers};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// What the caller wants of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseNeed {
    /// Rewrite it: whoever manages its provider.
    Edit,
    /// Report its completions (a provider's attendance file): whoever manages its provider.
    ReportCompletions,
    /// Read its roster (the places in it): whoever manages its provider.
    Roster,
    /// Move it through its lifecycle: approving or rejecting is for the region admins over the
    /// provider ([`Deed::ApproveCourse`]), every other step for whoever manages the provider.
    Transition(CourseAction),
}

/// A course the caller may have for a [`CourseNeed`], with its provider's row and resource.
/// Built only by [`Guard::course`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct CourseAccess {
    pub course: courses::Model,
    pub provider: providers::Model,
    /// The provider, as the rules see it.
    pub resource: Resource,
    pub need: CourseNeed,
    /// The caller's account, for the rows it writes (`approved_by`, a review's actor).
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(CourseAccess, CourseNeed, need, "course");

impl CourseAccess {
    /// A handle for a course of a provider the caller manages ([`ProviderAccess::course`]).
    pub(super) fn derived(
        course: courses::Model,
        provider: &ProviderAccess,
        need: CourseNeed,
        permit: Permit,
    ) -> Self {
        CourseAccess {
            course,
            provider: provider.provider.clone(),
            resource: provider.resource.clone(),
            need,
            actor: provider.actor,
            permit,
            _sealed: (),
        }
    }

    /// The lifecycle step this handle was checked for (else INTERNAL: a service would skip a
    /// rule).
    pub fn action(&self) -> AppResult<CourseAction> {
        match self.need {
            CourseNeed::Transition(action) => Ok(action),
            CourseNeed::Edit | CourseNeed::ReportCompletions | CourseNeed::Roster => {
                Err(wrong_handle("course", self.need, "a transition"))
            }
        }
    }
}

impl Guard<'_> {
    /// The course `id` with its provider, if the caller may have it for `need`: two statements.
    /// NOT_FOUND without such a course; FORBIDDEN when out of reach, with the reason when the
    /// caller's role never approves (a provider approving its own course).
    pub async fn course(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        need: CourseNeed,
    ) -> AppResult<CourseAccess> {
        let course = courses::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("course"))?;
        self.course_of(db, course, need).await
    }

    /// [`Guard::course`] for a course row the caller read already (a field of a `Course` the
    /// resolver holds, such as its roster): only its provider is read.
    pub async fn course_of(
        &self,
        db: &DatabaseConnection,
        course: courses::Model,
        need: CourseNeed,
    ) -> AppResult<CourseAccess> {
        let (provider, resource) = self.provider_rows(db, &course).await?;
        let region = rows::region(&provider.region_code)?;
        let permit = match need {
            CourseNeed::Transition(CourseAction::Approve | CourseAction::Reject) => self.allow_or(
                Deed::ApproveCourse {
                    provider_region: &region,
                },
                Some(crate::msg!("catalogue.only_region_approves")),
            )?,
            CourseNeed::Edit
            | CourseNeed::ReportCompletions
            | CourseNeed::Roster
            | CourseNeed::Transition(_) => self.require(Action::Manage, &resource)?,
        };
        Ok(CourseAccess {
            course,
            provider,
            resource,
            need,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}

impl Guard<'_> {
    /// A course, its provider and the provider's resource, in two statements. NOT_FOUND without
    /// such a course.
    async fn course_rows(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> AppResult<(courses::Model, providers::Model, Resource)> {
        let course = courses::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("course"))?;
        let (provider, resource) = self.provider_rows(db, &course).await?;
        Ok((course, provider, resource))
    }

    /// The provider of `course` and the resource the rules are asked about.
    async fn provider_rows(
        &self,
        db: &DatabaseConnection,
        course: &courses::Model,
    ) -> AppResult<(providers::Model, Resource)> {
        let provider = providers::Entity::find_by_id(course.provider_id)
            .one(db)
            .await?
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("course {} has no provider", course.id))
            })?;
        let resource = Resource::Provider {
            id: provider.id,
            region: rows::region(&provider.region_code)?,
        };
        Ok((provider, resource))
    }
}

/// What the caller wants of a teacher's place in a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceNeed {
    /// Take a new place: the teacher themself, an admin over them, or the course's provider for
    /// a teacher whose school is in its region.
    Take,
    /// Give up a place already held: the teacher themself, an admin over them, or the course's
    /// provider, wherever the teacher comes from.
    Withdraw,
}

/// A teacher's place in a course (to take, or held) the caller may act on, with the course as
/// read before any lock and the place itself when it is held. Built only by
/// [`Guard::new_place`] and [`Guard::held_place`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct PlaceAccess {
    pub course: courses::Model,
    /// The teacher, as the rules see it.
    pub teacher: Resource,
    /// The place, for [`PlaceNeed::Withdraw`].
    pub enrollment: Option<enrollments::Model>,
    pub need: PlaceNeed,
    /// The caller's account, for `enrolled_by`.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(PlaceAccess, PlaceNeed, need, "place");

impl Guard<'_> {
    /// A new place for `teacher_id` in `course_id`. NOT_FOUND without such a course; an
    /// invalid `teacherId` (NOT_FOUND) without such a teacher; FORBIDDEN when out of reach.
    pub async fn new_place(
        &self,
        db: &DatabaseConnection,
        course_id: Uuid,
        teacher_id: Uuid,
    ) -> AppResult<PlaceAccess> {
        let (course, _, provider) = self.course_rows(db, course_id).await?;
        let teacher = self.place_teacher(db, teacher_id, "teacherId").await?;
        let permit = self.act_for_teacher(&teacher, &provider)?;
        Ok(PlaceAccess {
            course,
            teacher,
            enrollment: None,
            need: PlaceNeed::Take,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The place `enrollment_id`, to give up. NOT_FOUND without such a place; an invalid
    /// `enrollmentId` (NOT_FOUND) when its teacher is gone; FORBIDDEN when out of reach.
    pub async fn held_place(
        &self,
        db: &DatabaseConnection,
        enrollment_id: Uuid,
    ) -> AppResult<PlaceAccess> {
        let enrollment = enrollments::Entity::find_by_id(enrollment_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("enrolment"))?;
        let (course, _, provider) = self.course_rows(db, enrollment.course_id).await?;
        let teacher = self
            .place_teacher(db, enrollment.teacher_id, "enrollmentId")
            .await?;
        let permit = self.manage_place(&teacher, &provider)?;
        Ok(PlaceAccess {
            course,
            teacher,
            enrollment: Some(enrollment),
            need: PlaceNeed::Withdraw,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The teacher of a place, as an input error on `field` when there is none.
    async fn place_teacher(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        field: &str,
    ) -> AppResult<Resource> {
        let (_, school, region) = self.teacher_rows(db, id).await?.ok_or_else(|| {
            AppError::invalid(field, "NOT_FOUND", crate::msg!("input.no_such_teacher"))
        })?;
        Ok(Resource::Teacher {
            id,
            school: school.id,
            region,
        })
    }
}

/// What produced the records to revoke in bulk: one course, or every course of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Producer {
    Course(Uuid),
    Provider(Uuid),
}

/// A course or a provider whose certified records the caller may revoke in bulk
/// ([`Deed::RevokeCourse`]: a region admin over the provider). Built only by
/// [`Guard::producer`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct ProducerAccess {
    pub producer: Producer,
    pub provider: providers::Model,
    /// The caller's account, for the reversals' `created_by`.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

impl Guard<'_> {
    /// The course's (or the provider's) records to revoke in bulk. NOT_FOUND without such a
    /// course or provider; FORBIDDEN when out of reach.
    pub async fn producer(
        &self,
        db: &DatabaseConnection,
        producer: Producer,
    ) -> AppResult<ProducerAccess> {
        let provider_id = match producer {
            Producer::Course(c) => {
                courses::Entity::find_by_id(c)
                    .one(db)
                    .await?
                    .ok_or_else(|| AppError::not_found("course"))?
                    .provider_id
            }
            Producer::Provider(p) => p,
        };
        let provider = providers::Entity::find_by_id(provider_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("provider"))?;
        let permit = self.allow(Deed::RevokeCourse {
            provider: &Resource::Provider {
                id: provider_id,
                region: rows::region(&provider.region_code)?,
            },
        })?;
        Ok(ProducerAccess {
            producer,
            provider,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}

/// A place the caller may read, as in `Teacher.enrollments`: whoever reads the teacher, a
/// provider only the places in its own courses. Built only by [`Guard::enrollment`].
#[allow(clippy::manual_non_exhaustive)]
pub struct EnrollmentAccess {
    pub enrollment: enrollments::Model,
    pub permit: Permit,
    _sealed: (),
}

impl Guard<'_> {
    /// The place `id`, to read it.
    pub async fn enrollment(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
    ) -> AppResult<EnrollmentAccess> {
        let enrollment = enrollments::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("enrolment"))?;
        let access = self
            .teacher(db, enrollment.teacher_id, super::TeacherNeed::Places)
            .await?;
        if let Some(provider) = access.only_courses_of {
            let its_own = courses::Entity::find_by_id(enrollment.course_id)
                .filter(courses::Column::ProviderId.eq(provider))
                .count(db)
                .await?;
            if its_own == 0 {
                return Err(AppError::forbidden());
            }
        }
        Ok(EnrollmentAccess {
            enrollment,
            permit: access.permit,
            _sealed: (),
        })
    }
}

/// Whether a provider vouches for an instructor in its completions file: no enrolment ties an
/// instructor to the course, so only for teachers whose school is in the provider's region
/// (`domain::scope::provider_reaches`); others claim their teaching through their school.
pub fn vouches_for_instructor(
    provider: &Resource,
    teacher: &Resource,
    tree: &domain::region::RegionTree,
) -> bool {
    domain::scope::provider_reaches(provider, teacher, tree)
}
