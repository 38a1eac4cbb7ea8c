//! Region statistics: every teacher of a region's subtree evaluated on a day, in batches, by the
//! same [`Subject`] path as a teacher's own report — so the figures agree with what each teacher
//! is told. Cached by [`super::statistics_cache`].

use super::evaluation::{Member, Subject};
use super::policies;
use crate::auth::{Guard, Permit};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::policy::{PolicyDocument, TeacherFacts};
use domain::region::RegionCode;
use domain::scope::{Action, Resource};
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

#[derive(Debug, Clone)]
pub struct Statistics {
    pub teachers: u64,
    pub compliant: u64,
    /// Teachers whose region has no policy in force on the day (counted, never compliant).
    pub without_policy: u64,
    pub by_school: Vec<SchoolStatistics>,
    pub computed_at: chrono::DateTime<chrono::Utc>,
}

/// Teachers loaded and evaluated per batch, so memory stays flat for a province.
const BATCH: usize = 500;

/// Figures about a region's teachers are for the administrators over it (regions are public).
pub fn authorize(state: &AppState, guard: &Guard<'_>, region: &RegionCode) -> AppResult<Permit> {
    if state.regions.get(region).is_none() {
        return Err(AppError::not_found("region"));
    }
    guard.require(Action::Manage, &Resource::Region(region.clone()))
}

/// Every teacher of a region's subtree evaluated on `as_of`.
pub async fn statistics(
    state: &AppState,
    _permit: &Permit,
    region: &RegionCode,
    as_of: NaiveDate,
) -> AppResult<Statistics> {
    let schools = schools_of(state, region).await?;
    let policies = policies_of(state, &schools, as_of).await?;
    let roster = roster(state, &schools).await?;
    let mut tally = Tally::default();
    for batch in roster.chunks(BATCH) {
        for mut subject in Subject::of_batch(state, batch).await? {
            let school = subject.member.school;
            let Some(policy) = policies.get(&subject.member.home).and_then(Option::as_ref) else {
                tally.count(school, None);
                continue;
            };
            subject.recognise(state, policy).await?;
            let report = subject.evaluate(policy, as_of, false);
            tally.count(school, Some(report.satisfied));
        }
    }
    Ok(tally.into_statistics(schools, state.clock.now()))
}

/// The schools of `region`'s subtree, by name.
async fn schools_of(state: &AppState, region: &RegionCode) -> AppResult<Vec<schools::Model>> {
    let codes: Vec<String> = state
        .regions
        .subtree(region)
        .into_iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    Ok(schools::Entity::find()
        .filter(schools::Column::RegionCode.is_in(codes))
        .order_by_asc(schools::Column::Name)
        .order_by_asc(schools::Column::Id)
        .all(&state.db)
        .await?)
}

/// The policy in force on `as_of` in each region that has one of `schools`, looked up once.
async fn policies_of(
    state: &AppState,
    schools: &[schools::Model],
    as_of: NaiveDate,
) -> AppResult<HashMap<RegionCode, Option<PolicyDocument>>> {
    let mut out = HashMap::new();
    for s in schools {
        let code = RegionCode::from_str(&s.region_code).map_err(AppError::corrupt)?;
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(code) {
            let doc = policies::effective(state, slot.key(), as_of)
                .await?
                .map(|p| p.document);
            slot.insert(doc);
        }
    }
    Ok(out)
}

/// The teachers of `schools`, each with their school's region and their recorded facts.
async fn roster(state: &AppState, schools: &[schools::Model]) -> AppResult<Vec<Member>> {
    let mut region_of: HashMap<Uuid, RegionCode> = HashMap::new();
    for s in schools {
        let code = RegionCode::from_str(&s.region_code).map_err(AppError::corrupt)?;
        region_of.insert(s.id, code);
    }
    // Only the columns evaluation reads: a province's roster is held in memory at once.
    let rows = teachers::Entity::find()
        .select_only()
        .column(teachers::Column::Id)
        .column(teachers::Column::SchoolId)
        .column(teachers::Column::HiredOn)
        .column(teachers::Column::HeadTeacher)
        .column(teachers::Column::NormalSchoolGraduate)
        .filter(teachers::Column::SchoolId.is_in(region_of.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(teachers::Column::Id)
        .into_tuple::<(Uuid, Uuid, Option<NaiveDate>, bool, bool)>()
        .all(&state.db)
        .await?;
    rows.into_iter()
        .map(
            |(teacher, school, hired_on, head_teacher, normal_school_graduate)| {
                let home = region_of
                    .get(&school)
                    .cloned()
                    .ok_or_else(|| AppError::corrupt("a teacher of a school outside the roster"))?;
                Ok(Member {
                    teacher,
                    school,
                    home,
                    facts: TeacherFacts {
                        hired_on,
                        head_teacher,
                        normal_school_graduate,
                    },
                })
            },
        )
        .collect()
}

/// Teachers and compliant teachers per school, as they are counted.
#[derive(Default)]
struct Tally {
    per_school: BTreeMap<Uuid, (u64, u64)>,
    without_policy: u64,
}

impl Tally {
    /// One teacher of `school`: `None` when no policy judges them.
    fn count(&mut self, school: Uuid, satisfied: Option<bool>) {
        let entry = self.per_school.entry(school).or_default();
        entry.0 += 1;
        match satisfied {
            Some(true) => entry.1 += 1,
            Some(false) => {}
            None => self.without_policy += 1,
        }
    }

    fn into_statistics(
        self,
        schools: Vec<schools::Model>,
        computed_at: chrono::DateTime<chrono::Utc>,
    ) -> Statistics {
        let by_school: Vec<SchoolStatistics> = schools
            .into_iter()
            .map(|school| {
                let (teachers, compliant) =
                    self.per_school.get(&school.id).copied().unwrap_or((0, 0));
                SchoolStatistics {
                    school,
                    teachers,
                    compliant,
                }
            })
            .collect();
        Statistics {
            teachers: by_school.iter().map(|s| s.teachers).sum(),
            compliant: by_school.iter().map(|s| s.compliant).sum(),
            without_policy: self.without_policy,
            by_school,
            computed_at,
        }
    }
}
