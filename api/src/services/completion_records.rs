//! What a completion row becomes once admitted: a CERTIFIED ledger record of the course, priced
//! under the policy in force where and when it was earned, and the trainee's place settled.
//! Used by [`super::completion_chunk`].

use super::policies::{self, StoredPolicy};
use super::sql::one_of;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::codes::{ActivityKind, CreditStatus, EnrollmentStatus};
use domain::completion::CompletionFacts;
use entities::{courses, credit_records, enrollments, schools};
use sea_orm::{ActiveValue::Set, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// The credit policy in force on `on` in each region of `schools`, looked up once per region:
/// a record is priced where and when it was earned.
pub(super) async fn policies_by_region(
    state: &AppState,
    schools: &HashMap<Uuid, schools::Model>,
    on: NaiveDate,
) -> AppResult<HashMap<String, Option<StoredPolicy>>> {
    let mut out: HashMap<String, Option<StoredPolicy>> = HashMap::new();
    for school in schools.values() {
        if !out.contains_key(&school.region_code) {
            let code = crate::rows::region(&school.region_code)?;
            let policy = policies::effective(state, &code, on).await?;
            out.insert(school.region_code.clone(), policy);
        }
    }
    Ok(out)
}

/// What every record of the chunk shares.
pub(super) struct Posting<'a> {
    pub course: &'a courses::Model,
    pub course_kind: ActivityKind,
    pub earned_on: NaiveDate,
    pub now: DateTime<Utc>,
    pub recorded_by: Option<Uuid>,
}

impl Posting<'_> {
    /// A CERTIFIED record of the course for one row, not yet priced.
    pub(super) fn record(
        &self,
        teacher_id: Uuid,
        school: &schools::Model,
        facts: &CompletionFacts,
        key: String,
    ) -> credit_records::Model {
        let course = self.course;
        credit_records::Model {
            id: Uuid::now_v7(),
            teacher_id,
            school_id: school.id,
            region_code: school.region_code.clone(),
            kind: domain::completion::record_kind(self.course_kind, facts.role)
                .as_str()
                .to_owned(),
            title: course.title.clone(),
            course_id: Some(course.id),
            level: Some(course.level.clone()),
            modality: Some(course.modality.clone()),
            category: Some(course.category.clone()),
            compulsory: Some(course.compulsory),
            role: facts.role.as_str().to_owned(),
            hours_e4: Some(course.hours_e4),
            attended_hours_e4: Some(facts.attended_hours.to_e4()),
            taught_hours_e4: facts.taught_hours.map(|h| h.to_e4()),
            days: None,
            months: None,
            words: None,
            prize: None,
            passed: Some(facts.passed),
            score_e4: facts.score.map(|s| s.to_e4()),
            earned_on: self.earned_on,
            policy_key: None,
            credits_e4: 0,
            status: CreditStatus::Certified.as_str().to_owned(),
            next_step: None,
            idempotency_key: key,
            reversal_of: None,
            reason: None,
            created_by: self.recorded_by,
            source: None,
            external_id: None,
            created_at: self.now,
            updated_at: self.now,
        }
    }
}

/// Trainees' places the chunk judged: passed ones become COMPLETED, failed ones FAILED.
#[derive(Default)]
pub(super) struct Places {
    completed: Vec<Uuid>,
    failed: Vec<Uuid>,
}

impl Places {
    pub(super) fn settle(&mut self, place: Uuid, passed: bool) {
        if passed {
            self.completed.push(place);
        } else {
            self.failed.push(place);
        }
    }

    /// Saves the places' new states; the places changed (for their webhook events).
    pub(super) async fn save(
        self,
        txn: &DatabaseTransaction,
        backend: DbBackend,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<Uuid>> {
        let changed: Vec<Uuid> = self.completed.iter().chain(&self.failed).copied().collect();
        for (ids, status) in [
            (self.completed, EnrollmentStatus::Completed),
            (self.failed, EnrollmentStatus::Failed),
        ] {
            if !ids.is_empty() {
                enrollments::Entity::update_many()
                    .set(enrollments::ActiveModel {
                        status: Set(status.as_str().to_owned()),
                        updated_at: Set(now),
                        ..Default::default()
                    })
                    .filter(one_of(backend, enrollments::Column::Id, ids))
                    .exec(txn)
                    .await?;
            }
        }
        Ok(changed)
    }
}
