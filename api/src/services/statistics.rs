//! Region statistics: what they hold, who may read them, and the one batched evaluation that
//! both the audit path (every teacher evaluated again on a day, `fresh`) and the snapshot
//! worker run — the same [`Subject`] path as a teacher's own report, so the figures agree with
//! what each teacher is told. Today's figures come from snapshots
//! ([`super::snapshot_statistics`]); [`super::statistics_cache`] chooses.

use super::evaluation::{recognise_all, Member, Subject};
use super::policies::{self, StoredPolicy};
use crate::auth::Permit;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::policy::{ComplianceTotals, TeacherFacts};
use domain::region::{RegionCode, RegionNode};
use entities::{schools, teachers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct SchoolStatistics {
    pub school: schools::Model,
    pub teachers: u64,
    pub compliant: u64,
}

/// The figures of one child region of the region asked about (its whole subtree).
#[derive(Debug, Clone)]
pub struct RegionStatistics {
    pub region: RegionNode,
    pub teachers: u64,
    pub compliant: u64,
}

#[derive(Debug, Clone)]
pub struct Statistics {
    pub teachers: u64,
    pub compliant: u64,
    /// Teachers whose region has no policy in force on the day (counted, never compliant).
    pub without_policy: u64,
    pub by_school: Vec<SchoolStatistics>,
    pub by_region: Vec<RegionStatistics>,
    /// Teachers of the subtree marked for (re-)evaluation: always 0 when recomputed.
    pub snapshot_backlog: u64,
    pub computed_at: chrono::DateTime<chrono::Utc>,
}

/// The policy in force on a day for each region of interest (`None`: no policy there).
pub type Policies = HashMap<RegionCode, Option<StoredPolicy>>;

/// Teachers loaded and evaluated per batch, so memory stays flat for a province.
const BATCH: usize = 500;

/// Every teacher of a region's subtree evaluated again on `as_of` (the audit path).
pub async fn statistics(
    state: &AppState,
    _permit: &Permit,
    region: &RegionCode,
    as_of: NaiveDate,
) -> AppResult<Statistics> {
    let schools = schools_of(state, region).await?;
    let regions: Vec<&str> = schools.iter().map(|s| s.region_code.as_str()).collect();
    let policies = policies_for(state, regions, as_of).await?;
    let roster = roster(state, &schools).await?;
    let mut per_school: BTreeMap<Uuid, Tally> = BTreeMap::new();
    for batch in roster.chunks(BATCH) {
        for (member, report) in evaluate_batch(state, batch, &policies, as_of).await? {
            per_school
                .entry(member.school)
                .or_default()
                .count(report.map(|r| r.satisfied));
        }
    }
    Ok(assemble(state, region, schools, &per_school, 0))
}

/// Evaluates `batch` on `as_of`, each teacher under the policy of `policies` for their
/// region: the report's figures (`ComplianceTotals`), or `None` where no policy is in force.
/// `policies` must hold every region of the batch.
pub async fn evaluate_batch(
    state: &AppState,
    batch: &[Member],
    policies: &Policies,
    as_of: NaiveDate,
) -> AppResult<Vec<(Member, Option<ComplianceTotals>)>> {
    let subjects = Subject::of_batch(state, batch).await?;
    evaluate_subjects(state, subjects, policies, as_of).await
}

/// [`evaluate_batch`] of subjects already loaded (the snapshot worker's, some of whose
/// activities come from its cache).
pub async fn evaluate_subjects(
    state: &AppState,
    mut subjects: Vec<Subject>,
    policies: &Policies,
    as_of: NaiveDate,
) -> AppResult<Vec<(Member, Option<ComplianceTotals>)>> {
    let policy_of = |m: &Member| {
        policies
            .get(&m.home)
            .and_then(Option::as_ref)
            .map(|p| &p.document)
    };
    // Recognition for the whole batch at once: one statement, not one per teacher.
    recognise_all(state, &mut subjects, |s| policy_of(&s.member)).await?;
    Ok(subjects
        .into_iter()
        .map(|subject| {
            let report = policy_of(&subject.member).map(|p| subject.totals(p, as_of));
            (subject.member, report)
        })
        .collect())
}

/// The schools of `region`'s subtree, by name.
pub async fn schools_of(state: &AppState, region: &RegionCode) -> AppResult<Vec<schools::Model>> {
    Ok(schools::Entity::find()
        .filter(schools::Column::RegionCode.is_in(subtree_codes(state, region)))
        .order_by_asc(schools::Column::Name)
        .order_by_asc(schools::Column::Id)
        .all(&state.db)
        .await?)
}

/// The codes of `region`'s subtree, itself included.
pub fn subtree_codes(state: &AppState, region: &RegionCode) -> Vec<String> {
    state
        .regions
        .subtree(region)
        .into_iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// The policy in force on `as_of` in each of `regions`, each looked up once.
pub async fn policies_for<'a>(
    state: &AppState,
    regions: impl IntoIterator<Item = &'a str>,
    as_of: NaiveDate,
) -> AppResult<Policies> {
    let mut out = HashMap::new();
    for code in regions {
        let code = crate::rows::region(code)?;
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(code) {
            let policy = policies::effective(state, slot.key(), as_of).await?;
            slot.insert(policy);
        }
    }
    Ok(out)
}

/// The teachers of `schools`, each with their school's region and their recorded facts.
async fn roster(state: &AppState, schools: &[schools::Model]) -> AppResult<Vec<Member>> {
    let mut region_of: HashMap<Uuid, RegionCode> = HashMap::new();
    for s in schools {
        let code = crate::rows::region(&s.region_code)?;
        region_of.insert(s.id, code);
    }
    let rows = member_columns()
        .filter(teachers::Column::SchoolId.is_in(region_of.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(teachers::Column::Id)
        .into_tuple::<MemberRow>()
        .all(&state.db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let home = region_of
                .get(&row.1)
                .cloned()
                .ok_or_else(|| AppError::corrupt("a teacher of a school outside the roster"))?;
            Ok(member(row, home))
        })
        .collect()
}

/// `(teacher, school, hired_on, head_teacher, normal_school_graduate)`.
pub type MemberRow = (Uuid, Uuid, Option<NaiveDate>, bool, bool);

/// Only the teacher columns evaluation reads: a province's roster is held in memory at once.
pub fn member_columns() -> sea_orm::Select<teachers::Entity> {
    teachers::Entity::find()
        .select_only()
        .column(teachers::Column::Id)
        .column(teachers::Column::SchoolId)
        .column(teachers::Column::HiredOn)
        .column(teachers::Column::HeadTeacher)
        .column(teachers::Column::NormalSchoolGraduate)
}

pub fn member(row: MemberRow, home: RegionCode) -> Member {
    let (teacher, school, hired_on, head_teacher, normal_school_graduate) = row;
    Member {
        teacher,
        school,
        home,
        facts: TeacherFacts {
            hired_on,
            head_teacher,
            normal_school_graduate,
        },
    }
}

/// Teachers, compliant teachers and teachers without a policy, as counted.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub teachers: u64,
    pub compliant: u64,
    pub without_policy: u64,
}

impl Tally {
    /// One teacher: `None` when no policy judges them.
    fn count(&mut self, satisfied: Option<bool>) {
        self.teachers += 1;
        match satisfied {
            Some(true) => self.compliant += 1,
            Some(false) => {}
            None => self.without_policy += 1,
        }
    }
}

/// The figures of `schools` (every school of the subtree, by name) from per-school tallies,
/// rolled up into the totals and the region's children.
pub fn assemble(
    state: &AppState,
    region: &RegionCode,
    schools: Vec<schools::Model>,
    per_school: &BTreeMap<Uuid, Tally>,
    snapshot_backlog: u64,
) -> Statistics {
    let mut total = Tally::default();
    let by_school: Vec<SchoolStatistics> = schools
        .into_iter()
        .map(|school| {
            let t = per_school.get(&school.id).copied().unwrap_or_default();
            total.teachers += t.teachers;
            total.compliant += t.compliant;
            total.without_policy += t.without_policy;
            SchoolStatistics {
                school,
                teachers: t.teachers,
                compliant: t.compliant,
            }
        })
        .collect();
    let by_region = by_region(state, region, &by_school);
    Statistics {
        teachers: total.teachers,
        compliant: total.compliant,
        without_policy: total.without_policy,
        by_school,
        by_region,
        snapshot_backlog,
        computed_at: state.clock.now(),
    }
}

/// Every child region of `region`, by code, with the schools of its subtree summed. Schools
/// placed in `region` itself belong to no child.
pub fn by_region(
    state: &AppState,
    region: &RegionCode,
    by_school: &[SchoolStatistics],
) -> Vec<RegionStatistics> {
    let mut children: Vec<RegionStatistics> = state
        .regions
        .children(region)
        .into_iter()
        .map(|node| RegionStatistics {
            region: node.clone(),
            teachers: 0,
            compliant: 0,
        })
        .collect();
    for s in by_school {
        let Ok(code) = RegionCode::from_str(&s.school.region_code) else {
            continue;
        };
        let child = state
            .regions
            .ancestors(&code)
            .into_iter()
            .find(|n| n.parent.as_ref() == Some(region))
            .map(|n| n.code.clone());
        if let Some(slot) = children
            .iter_mut()
            .find(|c| Some(&c.region.code) == child.as_ref())
        {
            slot.teachers += s.teachers;
            slot.compliant += s.compliant;
        }
    }
    children
}
