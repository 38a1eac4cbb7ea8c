//! Typed handles for one credit record: reading it, revoking it, deciding it at its review step.

use super::access::checked_for;
use super::authz::{Guard, LedgerView, Permit};
use crate::error::{AppError, AppResult};
use crate::rows;
use domain::codes::{CreditStatus, ReviewStep};
use domain::region::RegionCode;
use domain::scope::{Deed, Resource};
use entities::{courses, credit_records, review_events};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// What the caller wants of a credit record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordNeed {
    /// Read it: whoever reads the teacher's whole ledger, a provider only a record its own
    /// courses produced.
    Read,
    /// Revoke it ([`Deed::RevokeRecord`]): a region admin over the teacher or over the region
    /// where it was earned.
    Revoke,
    /// Accept or refuse it as earned in another province ([`Deed::Recognise`]): a region admin
    /// over the teacher's current school.
    Recognise,
}

/// A credit record the caller may have for a [`RecordNeed`], with the resource of its teacher.
/// Built only by [`Guard::record`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct RecordAccess {
    pub record: credit_records::Model,
    pub teacher: Resource,
    pub need: RecordNeed,
    /// The caller's account, for the rows it writes.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(RecordAccess, RecordNeed, need, "credit record");

/// A PENDING record the caller decides at its current step, with what the gate read of it.
/// Built only by [`Guard::review`].
// Sealed by a private field, not `#[non_exhaustive]`: that only stops other crates, and the
// point is that no module of this one but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct ReviewAccess {
    pub record: credit_records::Model,
    /// Where the record was earned: its review chain is that region's.
    pub earned_in: RegionCode,
    pub status: CreditStatus,
    /// The step the caller decides.
    pub step: ReviewStep,
    /// The reviewer's account, for the review event.
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

impl Guard<'_> {
    /// The record `id`, if the caller may have it for `need`. NOT_FOUND when there is no such
    /// record (or its teacher is gone), FORBIDDEN when out of reach.
    pub async fn record(
        &self,
        db: &DatabaseConnection,
        id: Uuid,
        need: RecordNeed,
    ) -> AppResult<RecordAccess> {
        let record = credit_records::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("credit record"))?;
        let (_, school, region) = self
            .teacher_rows(db, record.teacher_id)
            .await?
            .ok_or_else(|| AppError::not_found("teacher"))?;
        let teacher = Resource::Teacher {
            id: record.teacher_id,
            school: school.id,
            region,
        };
        let permit = match need {
            RecordNeed::Read => match self.ledger_view_granted(db, &teacher).await? {
                LedgerView::Whole(permit) => permit,
                LedgerView::ProviderCourses(provider, permit) => {
                    if !produced_by(db, provider, record.course_id).await? {
                        return Err(AppError::forbidden());
                    }
                    permit
                }
            },
            RecordNeed::Recognise => self.allow(Deed::Recognise { teacher: &teacher })?,
            RecordNeed::Revoke => {
                let earned_in = rows::region(&record.region_code)?;
                self.allow(Deed::RevokeRecord {
                    teacher: &teacher,
                    earned_in: &earned_in,
                })?
            }
        };
        Ok(RecordAccess {
            record,
            teacher,
            need,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }

    /// The record `id` for a decision at its current step. In this order: NOT_FOUND without
    /// such a record; FORBIDDEN when the caller reviews it at no step at all; CONFLICT when it
    /// is no longer under review, or when the caller decided it before and may not review again;
    /// FORBIDDEN ("not your step") when the caller reviews another step of its chain.
    pub async fn review(&self, db: &DatabaseConnection, id: Uuid) -> AppResult<ReviewAccess> {
        let record = credit_records::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("credit record"))?;
        let earned_in = rows::region(&record.region_code)?;
        let status = rows::code::<CreditStatus>(&record.status)?;
        let current = rows::optional_code::<ReviewStep>(record.next_step.as_deref())?;
        let at = |step| Deed::Review {
            step,
            school: record.school_id,
            region: &earned_in,
        };
        // Out of scope at every step: the record is not the caller's business at all.
        if !ReviewStep::ALL.iter().any(|s| self.allow(at(*s)).is_ok()) {
            return Err(AppError::forbidden());
        }
        let Some(step) = current.filter(|_| status == CreditStatus::Pending) else {
            return Err(AppError::Conflict(crate::msg!(
                "claims.no_longer_under_review",
                state = record.status.to_lowercase(),
                status = crate::i18n::Arg::Enum("CreditStatus", record.status.clone())
            )));
        };
        let actor = self.principal().account_id;
        // The fact the review-again rule needs, which only the database knows.
        let decided_before = review_events::Entity::find()
            .filter(review_events::Column::CreditRecordId.eq(id))
            .filter(review_events::Column::ActorAccountId.eq(actor))
            .one(db)
            .await?;
        if decided_before.is_some() && self.allow(Deed::ReviewAgain).is_err() {
            return Err(AppError::Conflict(crate::msg!("claims.already_decided")));
        }
        let permit = self
            .allow(at(step))
            .map_err(|_| AppError::Forbidden(crate::msg!("claims.not_your_step", step = step)))?;
        Ok(ReviewAccess {
            record,
            earned_in,
            status,
            step,
            actor,
            permit,
            _sealed: (),
        })
    }
}

/// Whether the course `course` (if any) is one of the provider's.
async fn produced_by(
    db: &DatabaseConnection,
    provider: Uuid,
    course: Option<Uuid>,
) -> AppResult<bool> {
    let Some(course) = course else {
        return Ok(false);
    };
    let n = courses::Entity::find()
        .filter(courses::Column::Id.eq(course))
        .filter(courses::Column::ProviderId.eq(provider))
        .count(db)
        .await?;
    Ok(n > 0)
}
