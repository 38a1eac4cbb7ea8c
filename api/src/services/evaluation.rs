//! The one way a teacher's compliance is evaluated. The per-teacher report, the electronic file
//! and the region statistics all load a [`Subject`] — one teacher or a batch of them — and ask
//! it for its report, so what counts (make-up allowances, recognition, head-teacher terms) can
//! never differ between them.

use super::activities::{self, Earned};
use super::recognition::foreign_states;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::policy::{
    Activity, ComplianceReport, ComplianceTotals, Evaluation, MakeUpAllowance, PolicyDocument,
    TeacherFacts, Term,
};
use domain::region::RegionCode;
use std::collections::HashMap;
use uuid::Uuid;

/// Who is evaluated: the teacher, their current school and its region (whose policy judges
/// them), and the facts their school records.
#[derive(Debug, Clone)]
pub struct Member {
    pub teacher: Uuid,
    pub school: Uuid,
    pub home: RegionCode,
    pub facts: TeacherFacts,
}

/// Everything evaluating a teacher reads.
pub struct Subject {
    pub member: Member,
    /// Their activities (reversals excluded).
    pub activities: Vec<Activity>,
    /// Where each activity was earned (the region code), index by index.
    earned_in: Vec<String>,
    pub allowances: Vec<MakeUpAllowance>,
    terms: Vec<Term>,
}

impl Subject {
    /// A teacher whose activities the caller already parsed; loads their allowances and
    /// head-teacher terms (two statements).
    pub async fn of_one(state: &AppState, member: Member, earned: Vec<Earned>) -> AppResult<Self> {
        let ids = [member.teacher];
        let mut allowances = super::closing::allowances(&state.db, &ids).await?;
        let mut terms = super::teacher_facts::terms(&state.db, &ids).await?;
        let allowances = allowances.remove(&member.teacher).unwrap_or_default();
        let terms = terms.remove(&member.teacher).unwrap_or_default();
        Ok(Subject::new(member, earned, allowances, terms))
    }

    /// The teachers of `batch`, in the batch's order, in three statements whatever its size.
    pub async fn of_batch(state: &AppState, batch: &[Member]) -> AppResult<Vec<Self>> {
        let ids: Vec<Uuid> = batch.iter().map(|m| m.teacher).collect();
        let earned = activities::of_teachers(&state.db, &ids).await?;
        Self::of_batch_with(state, batch, earned).await
    }

    /// The teachers of `batch` with the activities given (read from the ledger, or from the
    /// snapshot worker's cache of it); loads their allowances and terms (two statements).
    pub async fn of_batch_with(
        state: &AppState,
        batch: &[Member],
        mut earned: HashMap<Uuid, Vec<Earned>>,
    ) -> AppResult<Vec<Self>> {
        let ids: Vec<Uuid> = batch.iter().map(|m| m.teacher).collect();
        let mut allowances = super::closing::allowances(&state.db, &ids).await?;
        let mut terms = super::teacher_facts::terms(&state.db, &ids).await?;
        Ok(batch
            .iter()
            .map(|m| {
                Subject::new(
                    m.clone(),
                    earned.remove(&m.teacher).unwrap_or_default(),
                    allowances.remove(&m.teacher).unwrap_or_default(),
                    terms.remove(&m.teacher).unwrap_or_default(),
                )
            })
            .collect())
    }

    fn new(
        member: Member,
        earned: Vec<Earned>,
        allowances: Vec<MakeUpAllowance>,
        terms: Vec<Term>,
    ) -> Self {
        let (activities, earned_in) = earned
            .into_iter()
            .map(|e| (e.activity, e.region_code))
            .unzip();
        Subject {
            member,
            activities,
            earned_in,
            allowances,
            terms,
        }
    }

    /// Marks the records earned in another province with this province's recognition, where
    /// `policy` counts such records only once recognised; a query only when there are any.
    pub async fn recognise(&mut self, state: &AppState, policy: &PolicyDocument) -> AppResult<()> {
        recognise_all(state, std::slice::from_mut(self), |_| Some(policy)).await
    }

    /// The teacher's facts as `policy`'s period containing `as_of` reads them.
    pub fn facts_on(&self, policy: &PolicyDocument, as_of: NaiveDate) -> TeacherFacts {
        self.member.facts.in_period_of(&self.terms, policy, as_of)
    }

    /// The compliance report under `policy` on `as_of`, every record explained.
    pub fn evaluate(
        &self,
        policy: &PolicyDocument,
        as_of: NaiveDate,
        include_pending: bool,
    ) -> ComplianceReport {
        policy.evaluate(self.input(policy, as_of, include_pending))
    }

    /// The figures of [`Self::evaluate`] (pending records not included), without explaining
    /// the records: what snapshots, statistics and the monitoring report keep. The domain
    /// runs the same steps either way (`PolicyDocument::evaluate_totals`).
    pub fn totals(&self, policy: &PolicyDocument, as_of: NaiveDate) -> ComplianceTotals {
        policy.evaluate_totals(self.input(policy, as_of, false))
    }

    fn input<'a>(
        &'a self,
        policy: &PolicyDocument,
        as_of: NaiveDate,
        include_pending: bool,
    ) -> Evaluation<'a> {
        Evaluation {
            as_of,
            include_pending,
            activities: &self.activities,
            allowances: &self.allowances,
            teacher: self.facts_on(policy, as_of),
        }
    }
}

/// [`Subject::recognise`] for each of `subjects` under the policy `policy_of` gives it (`None`:
/// no policy judges the teacher, nothing to look up): one statement for the whole batch, and
/// only when some record was earned in another province.
pub async fn recognise_all<'p>(
    state: &AppState,
    subjects: &mut [Subject],
    policy_of: impl Fn(&Subject) -> Option<&'p PolicyDocument>,
) -> AppResult<()> {
    // The engine reads recognition only under this setting: elsewhere nothing to look up.
    let wanted: Vec<bool> = subjects
        .iter()
        .map(|s| policy_of(s).is_some_and(|p| p.recognition.outside_province))
        .collect();
    let records: Vec<(&RegionCode, Vec<(Uuid, &str)>)> = subjects
        .iter()
        .zip(&wanted)
        .filter(|(_, wanted)| **wanted)
        .map(|(s, _)| {
            let pairs = s
                .activities
                .iter()
                .zip(&s.earned_in)
                .map(|(a, region)| (a.id, region.as_str()))
                .collect();
            (&s.member.home, pairs)
        })
        .collect();
    if records.is_empty() {
        return Ok(());
    }
    let foreign = foreign_states(&state.db, &state.regions, &records).await?;
    for (s, wanted) in subjects.iter_mut().zip(wanted) {
        if wanted {
            for a in &mut s.activities {
                a.foreign = foreign.get(&a.id).copied();
            }
        }
    }
    Ok(())
}
