//! Course previews: what completing a course would add to a teacher's compliance in the current
//! period, under the teacher's policy.
//!
//! A [`PreviewBasis`] is the teacher's state, evaluated once: the policy, the activities, the
//! make-up allowances and the teacher's facts, with the compliance report they give today. Each
//! course is then priced against it by [`PreviewBasis::price`] without any IO: the report is
//! evaluated again with one more activity — the record a passed trainee with full attendance
//! would get — and compared with the basis. Pricing the hypothetical record inside a whole
//! evaluation, not on its own, is what makes the answer exact: limits (a cap already reached,
//! only the highest backbone training), shares of the total and the pools' maximum flow all see
//! the teacher's other records.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use super::activity::Activity;
use super::document::PolicyDocument;
use super::evaluate::{note, Evaluation};
use super::period::MakeUpAllowance;
use super::report::{codes, ComplianceReport, Note};
use super::teacher::TeacherFacts;
use crate::amount::Amount;
use crate::codes::{
    ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
};
use crate::completion::record_kind;
use crate::text::Text;

/// The credit-bearing facts of a catalogue course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseOffer {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub level: TrainingLevel,
    pub modality: Modality,
    pub category: CategoryKey,
    pub compulsory: bool,
    pub hours: Amount,
    /// A completion is earned on the course's last day (the day it is recorded when the course
    /// has none).
    pub ends_on: Option<NaiveDate>,
}

impl CourseOffer {
    /// The record a completion of this course would post for a trainee who attended every hour
    /// and passed, recorded on `today` when the course names no last day: the same facts as
    /// `recordCompletions` writes (its id is the course's, which no record has).
    pub fn completion(&self, today: NaiveDate) -> Activity {
        let mut a = Activity::new(
            self.id,
            record_kind(self.kind, ParticipationRole::Trainee),
            self.ends_on.unwrap_or(today),
        );
        a.level = Some(self.level);
        a.modality = Some(self.modality);
        a.category = Some(self.category.clone());
        a.compulsory = Some(self.compulsory);
        a.hours = Some(self.hours);
        a.attended_hours = Some(self.hours);
        a.passed = Some(true);
        a.status = CreditStatus::Certified;
        a.from_catalogue = true;
        a
    }
}

/// One requirement a course would fill: its shortfall would shrink by `credits`.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewFill {
    /// The requirement instance's key, as in the compliance report (`annual:2026`).
    pub requirement_key: String,
    /// The document's label with the instance's span, for logs and tests.
    pub label: String,
    /// What users read (see `RequirementResult::label_text`).
    pub label_text: Text,
    pub credits: Amount,
}

/// What completing a course would add to the teacher's compliance in the current period.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditPreview {
    /// The rule of the policy that would price the record.
    pub rule: Option<String>,
    /// What the course would earn under the policy.
    pub credits: Amount,
    /// What of it would count toward the period's total, after conditions, limits and
    /// requirements, and after what it would displace (a higher backbone training replacing a
    /// lower one adds only the difference).
    pub counted: Amount,
    /// The requirements whose shortfall it would close, and by how much; empty when every one
    /// it could count toward is met already.
    pub fills: Vec<PreviewFill>,
    /// Why it would count less than it earns (nothing at all included), each with a stable
    /// code: the compliance notes, and `ALREADY_RECORDED`.
    pub notes: Vec<Note>,
}

impl CreditPreview {
    /// How much of the teacher's shortfall the course would close, all requirements together:
    /// what recommendations rank by.
    pub fn closes(&self) -> Amount {
        Amount::from_e4(self.fills.iter().map(|f| f.credits.to_e4()).sum())
    }
}

/// A teacher's compliance state on a day, evaluated once, against which courses are priced.
#[derive(Debug, Clone)]
pub struct PreviewBasis {
    policy: PolicyDocument,
    as_of: NaiveDate,
    activities: Vec<Activity>,
    allowances: Vec<MakeUpAllowance>,
    teacher: TeacherFacts,
    /// Courses the teacher already has a trainee record of: they cannot be completed again.
    recorded_courses: BTreeSet<Uuid>,
    baseline: ComplianceReport,
}

impl PreviewBasis {
    /// Evaluates the teacher's compliance on `as_of` (today) once, counting certified records
    /// only, as `compliance` does by default. `teacher` is as the period reads it (see
    /// `TeacherFacts::in_period_of`).
    pub fn new(
        policy: PolicyDocument,
        as_of: NaiveDate,
        activities: Vec<Activity>,
        allowances: Vec<MakeUpAllowance>,
        teacher: TeacherFacts,
        recorded_courses: impl IntoIterator<Item = Uuid>,
    ) -> Self {
        let baseline = policy.evaluate(Evaluation {
            as_of,
            include_pending: false,
            activities: &activities,
            allowances: &allowances,
            teacher,
        });
        Self {
            policy,
            as_of,
            activities,
            allowances,
            teacher,
            recorded_courses: recorded_courses.into_iter().collect(),
            baseline,
        }
    }

    /// The teacher's compliance today, without any course added.
    pub fn baseline(&self) -> &ComplianceReport {
        &self.baseline
    }

    pub fn policy(&self) -> &PolicyDocument {
        &self.policy
    }

    /// Whether the course is already on the teacher's record (as a trainee).
    pub fn has_recorded(&self, course: Uuid) -> bool {
        self.recorded_courses.contains(&course)
    }

    /// What completing `course` would add. Pure and deterministic: the basis is not changed,
    /// and pricing many courses prices each against the same state.
    pub fn price(&self, course: &CourseOffer) -> CreditPreview {
        let candidate = course.completion(self.as_of);
        if self.recorded_courses.contains(&course.id) {
            let conversion = self.policy.convert(&candidate);
            return CreditPreview {
                rule: conversion.rule,
                credits: conversion.credits,
                counted: Amount::ZERO,
                fills: Vec::new(),
                notes: vec![note(
                    codes::ALREADY_RECORDED,
                    "this course is already on the teacher's record; it is completed once"
                        .to_owned(),
                    Text::new("notes.ALREADY_RECORDED"),
                )],
            };
        }
        let mut activities = Vec::with_capacity(self.activities.len() + 1);
        activities.extend(self.activities.iter().cloned());
        activities.push(candidate);
        let with = self.policy.evaluate(Evaluation {
            as_of: self.as_of,
            include_pending: false,
            activities: &activities,
            allowances: &self.allowances,
            teacher: self.teacher,
        });
        let Some(own) = with.records.iter().find(|r| r.record_id == course.id) else {
            // Every activity given is reported; this is unreachable, and answers "nothing".
            return CreditPreview {
                rule: None,
                credits: Amount::ZERO,
                counted: Amount::ZERO,
                fills: Vec::new(),
                notes: Vec::new(),
            };
        };
        let gained = (with.total_counted.to_e4() - self.baseline.total_counted.to_e4()).max(0);
        let counted = own.counted.to_e4().min(gained);
        let fills = with
            .requirements
            .iter()
            // A preview speaks credits: an hour requirement's shrinking is not summed with them.
            .filter(|after| after.unit.is_credits())
            .filter_map(|after| {
                let before = self
                    .baseline
                    .requirements
                    .iter()
                    .find(|b| b.key == after.key)?;
                let closed = before.shortfall.to_e4() - after.shortfall.to_e4();
                (closed > 0).then(|| PreviewFill {
                    requirement_key: after.key.clone(),
                    label: after.label.clone(),
                    label_text: after.label_text.clone(),
                    credits: Amount::from_e4(closed),
                })
            })
            .collect();
        let mut notes = own.notes.clone();
        if counted < own.counted.to_e4() {
            // The course would count, but push another record out (the same limit keeps one of
            // them): say why, with the notes that record would gain.
            for other in with.records.iter().filter(|r| r.record_id != course.id) {
                let Some(before) = self
                    .baseline
                    .records
                    .iter()
                    .find(|b| b.record_id == other.record_id)
                else {
                    continue;
                };
                if other.counted >= before.counted {
                    continue;
                }
                for n in &other.notes {
                    let new = !before.notes.iter().any(|b| b.code == n.code);
                    if new && !notes.iter().any(|m| m.code == n.code) {
                        notes.push(n.clone());
                    }
                }
            }
        }
        CreditPreview {
            rule: own.rule.clone(),
            credits: own.credits,
            counted: Amount::from_e4(counted),
            fills,
            notes,
        }
    }
}

#[cfg(test)]
mod tests;
