//! Compliance: a teacher's activities evaluated under the policy in force for them, and the
//! same for every teacher of a region.

use super::policies::{self, StoredPolicy};
use super::recognition::foreign_states;
use crate::auth::{Guard, Permit, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::codes::{
    ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
};
use domain::policy::{
    Activity, ComplianceReport, Evaluation, MakeUpAllowance, PolicyDocument, TeacherFacts,
};
use domain::region::RegionCode;
use domain::scope::{Action, Resource};
use entities::{credit_records, schools, teachers};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use uuid::Uuid;

pub struct TeacherCompliance {
    pub policy: StoredPolicy,
    pub report: ComplianceReport,
    pub records: HashMap<Uuid, credit_records::Model>,
}

/// A teacher's compliance on `as_of` under the policy in force for their current school's
/// region. Reading it needs the whole ledger (a provider sees only part, so it is refused).
pub async fn for_teacher(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
    as_of: NaiveDate,
    include_pending: bool,
) -> AppResult<TeacherCompliance> {
    let inputs = inputs(state, guard, teacher_id, as_of).await?;
    let report = inputs.policy.document.evaluate(Evaluation {
        as_of,
        include_pending,
        activities: &inputs.activities,
        allowances: &inputs.allowances,
        teacher: inputs.teacher,
    });
    state.metrics.teacher_evaluation();
    Ok(TeacherCompliance {
        policy: inputs.policy,
        report,
        records: inputs.rows.into_iter().map(|r| (r.id, r)).collect(),
    })
}

/// What evaluating a teacher's compliance on a day reads: the policy in force for their current
/// school's region, their activities (with the recognition of records from another province),
/// make-up allowances and facts, and the ledger rows themselves.
pub struct TeacherInputs {
    pub policy: StoredPolicy,
    pub activities: Vec<Activity>,
    pub allowances: Vec<MakeUpAllowance>,
    /// As the period containing `as_of` reads them.
    pub teacher: TeacherFacts,
    pub rows: Vec<credit_records::Model>,
}

/// Loads a teacher's [`TeacherInputs`] for `as_of`, for a caller who may read the teacher's
/// compliance (the whole ledger: the teacher, the admins over them; never a provider).
pub async fn inputs(
    state: &AppState,
    guard: &Guard<'_>,
    teacher_id: Uuid,
    as_of: NaiveDate,
) -> AppResult<TeacherInputs> {
    let access = guard
        .teacher(&state.db, teacher_id, TeacherNeed::Compliance)
        .await?;
    let Resource::Teacher { region, .. } = &access.resource else {
        return Err(AppError::not_found("teacher"));
    };
    let policy = policies::effective(state, region, as_of)
        .await?
        .ok_or_else(|| no_policy(region, as_of))?;
    let rows = activity_rows(state)
        .filter(credit_records::Column::TeacherId.eq(teacher_id))
        .all(&state.db)
        .await?;
    let mut activities = rows
        .iter()
        .map(activity_of)
        .collect::<AppResult<Vec<_>>>()?;
    let earned: Vec<(Uuid, &str)> = rows
        .iter()
        .map(|r| (r.id, r.region_code.as_str()))
        .collect();
    let foreign = foreign_states(&state.db, &state.regions, region, &earned).await?;
    for a in &mut activities {
        a.foreign = foreign.get(&a.id).copied();
    }
    let allowances = super::closing::allowances(&state.db, teacher_id).await?;
    let teacher =
        super::teacher_facts::of_row(state, &access.teacher, &policy.document, as_of).await?;
    Ok(TeacherInputs {
        policy,
        activities,
        allowances,
        teacher,
        rows,
    })
}

fn no_policy(region: &RegionCode, on: NaiveDate) -> AppError {
    AppError::NotFound(crate::msg!(
        "compliance.no_policy",
        region = region.as_str(),
        on = on
    ))
}

/// Ledger entries that are activities: reversals are corrections, not things a teacher did.
fn activity_rows(_state: &AppState) -> sea_orm::Select<credit_records::Entity> {
    credit_records::Entity::find().filter(credit_records::Column::ReversalOf.is_null())
}

/// A ledger row's facts, as the policy engine reads them. Its stored credits are not used:
/// every policy prices the facts itself.
pub fn activity_of(r: &credit_records::Model) -> AppResult<Activity> {
    facts_activity(Facts {
        id: r.id,
        kind: &r.kind,
        level: &r.level,
        modality: &r.modality,
        category: &r.category,
        compulsory: r.compulsory,
        role: &r.role,
        hours_e4: r.hours_e4,
        attended_hours_e4: r.attended_hours_e4,
        taught_hours_e4: r.taught_hours_e4,
        days: r.days,
        months: r.months,
        words: r.words,
        prize: r.prize.clone(),
        passed: r.passed,
        score_e4: r.score_e4,
        earned_on: r.earned_on,
        status: &r.status,
        from_catalogue: r.course_id.is_some(),
    })
}

/// The stored facts, borrowed from a full row or a partial one.
struct Facts<'a> {
    id: Uuid,
    kind: &'a str,
    level: &'a Option<String>,
    modality: &'a Option<String>,
    category: &'a Option<String>,
    compulsory: Option<bool>,
    role: &'a str,
    hours_e4: Option<i64>,
    attended_hours_e4: Option<i64>,
    taught_hours_e4: Option<i64>,
    days: Option<i32>,
    months: Option<i32>,
    words: Option<i32>,
    prize: Option<String>,
    passed: Option<bool>,
    score_e4: Option<i64>,
    earned_on: NaiveDate,
    status: &'a str,
    from_catalogue: bool,
}

fn facts_activity(f: Facts<'_>) -> AppResult<Activity> {
    fn parse<T: FromStr>(s: &Option<String>) -> AppResult<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        s.as_deref()
            .map(T::from_str)
            .transpose()
            .map_err(AppError::corrupt)
    }
    let amount = |v: Option<i64>| v.map(Amount::from_e4);
    Ok(Activity {
        id: f.id,
        kind: ActivityKind::from_str(f.kind).map_err(AppError::corrupt)?,
        level: parse::<TrainingLevel>(f.level)?,
        modality: parse::<Modality>(f.modality)?,
        category: parse::<CategoryKey>(f.category)?,
        compulsory: f.compulsory,
        role: ParticipationRole::from_str(f.role).map_err(AppError::corrupt)?,
        hours: amount(f.hours_e4),
        attended_hours: amount(f.attended_hours_e4),
        taught_hours: amount(f.taught_hours_e4),
        days: f.days,
        months: f.months,
        words: f.words,
        prize: f.prize,
        passed: f.passed,
        score: amount(f.score_e4),
        earned_on: f.earned_on,
        status: CreditStatus::from_str(f.status).map_err(AppError::corrupt)?,
        from_catalogue: f.from_catalogue,
        foreign: None,
    })
}

/// The columns the policy engine reads, for evaluating many teachers without loading titles,
/// keys and timestamps.
#[derive(Debug, FromQueryResult)]
struct FactsRow {
    id: Uuid,
    teacher_id: Uuid,
    region_code: String,
    kind: String,
    level: Option<String>,
    modality: Option<String>,
    category: Option<String>,
    compulsory: Option<bool>,
    role: String,
    hours_e4: Option<i64>,
    attended_hours_e4: Option<i64>,
    taught_hours_e4: Option<i64>,
    days: Option<i32>,
    months: Option<i32>,
    words: Option<i32>,
    prize: Option<String>,
    passed: Option<bool>,
    score_e4: Option<i64>,
    earned_on: NaiveDate,
    status: String,
    course_id: Option<Uuid>,
}

impl FactsRow {
    fn activity(self) -> AppResult<Activity> {
        facts_activity(Facts {
            id: self.id,
            kind: &self.kind,
            level: &self.level,
            modality: &self.modality,
            category: &self.category,
            compulsory: self.compulsory,
            role: &self.role,
            hours_e4: self.hours_e4,
            attended_hours_e4: self.attended_hours_e4,
            taught_hours_e4: self.taught_hours_e4,
            days: self.days,
            months: self.months,
            words: self.words,
            prize: self.prize,
            passed: self.passed,
            score_e4: self.score_e4,
            earned_on: self.earned_on,
            status: &self.status,
            from_catalogue: self.course_id.is_some(),
        })
    }
}

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
pub fn authorize_statistics(
    state: &AppState,
    guard: &Guard<'_>,
    region: &RegionCode,
) -> AppResult<Permit> {
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
    let codes: Vec<String> = state
        .regions
        .subtree(region)
        .into_iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let school_rows = schools::Entity::find()
        .filter(schools::Column::RegionCode.is_in(codes))
        .order_by_asc(schools::Column::Name)
        .order_by_asc(schools::Column::Id)
        .all(&state.db)
        .await?;
    let mut policy_of_region: HashMap<String, Option<PolicyDocument>> = HashMap::new();
    for s in &school_rows {
        if !policy_of_region.contains_key(&s.region_code) {
            let code = RegionCode::from_str(&s.region_code).map_err(AppError::corrupt)?;
            let doc = policies::effective(state, &code, as_of)
                .await?
                .map(|p| p.document);
            policy_of_region.insert(s.region_code.clone(), doc);
        }
    }
    let school_region: HashMap<Uuid, String> = school_rows
        .iter()
        .map(|s| (s.id, s.region_code.clone()))
        .collect();
    let mut per_school: BTreeMap<Uuid, (u64, u64)> = BTreeMap::new();
    let mut without_policy = 0;

    let school_ids: Vec<Uuid> = school_rows.iter().map(|s| s.id).collect();
    let roster: Vec<(Uuid, Uuid, TeacherFacts)> = teachers::Entity::find()
        .select_only()
        .column(teachers::Column::Id)
        .column(teachers::Column::SchoolId)
        .column(teachers::Column::HiredOn)
        .column(teachers::Column::HeadTeacher)
        .column(teachers::Column::NormalSchoolGraduate)
        .filter(teachers::Column::SchoolId.is_in(school_ids))
        .order_by_asc(teachers::Column::Id)
        .into_tuple::<(Uuid, Uuid, Option<NaiveDate>, bool, bool)>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(
            |(id, school, hired_on, head_teacher, normal_school_graduate)| {
                let facts = TeacherFacts {
                    hired_on,
                    head_teacher,
                    normal_school_graduate,
                };
                (id, school, facts)
            },
        )
        .collect();
    for batch in roster.chunks(BATCH) {
        let ids: Vec<Uuid> = batch.iter().map(|(id, _, _)| *id).collect();
        let terms = super::teacher_facts::terms(&state.db, &ids).await?;
        let rows: Vec<FactsRow> = activity_rows(state)
            .select_only()
            .columns([
                credit_records::Column::Id,
                credit_records::Column::TeacherId,
                credit_records::Column::RegionCode,
                credit_records::Column::Kind,
                credit_records::Column::Level,
                credit_records::Column::Modality,
                credit_records::Column::Category,
                credit_records::Column::Compulsory,
                credit_records::Column::Role,
                credit_records::Column::HoursE4,
                credit_records::Column::AttendedHoursE4,
                credit_records::Column::TaughtHoursE4,
                credit_records::Column::Days,
                credit_records::Column::Months,
                credit_records::Column::Words,
                credit_records::Column::Prize,
                credit_records::Column::Passed,
                credit_records::Column::ScoreE4,
                credit_records::Column::EarnedOn,
                credit_records::Column::Status,
                credit_records::Column::CourseId,
            ])
            .filter(credit_records::Column::TeacherId.is_in(ids))
            .into_model::<FactsRow>()
            .all(&state.db)
            .await?;
        let earned: HashMap<Uuid, String> =
            rows.iter().map(|r| (r.id, r.region_code.clone())).collect();
        let mut by_teacher: HashMap<Uuid, Vec<Activity>> = HashMap::new();
        for r in rows {
            let teacher = r.teacher_id;
            by_teacher.entry(teacher).or_default().push(r.activity()?);
        }
        for (teacher, school, facts) in batch {
            let entry = per_school.entry(*school).or_default();
            entry.0 += 1;
            let policy = school_region
                .get(school)
                .and_then(|code| policy_of_region.get(code))
                .and_then(Option::as_ref);
            let Some(policy) = policy else {
                without_policy += 1;
                continue;
            };
            let mut activities = by_teacher.remove(teacher).unwrap_or_default();
            if policy.recognition.outside_province {
                let home = school_region
                    .get(school)
                    .and_then(|c| RegionCode::from_str(c).ok())
                    .ok_or_else(|| AppError::corrupt("a school without a region"))?;
                let pairs: Vec<(Uuid, &str)> = activities
                    .iter()
                    .filter_map(|a| earned.get(&a.id).map(|r| (a.id, r.as_str())))
                    .collect();
                // Queries only for teachers who have records from another province.
                let foreign = foreign_states(&state.db, &state.regions, &home, &pairs).await?;
                for a in &mut activities {
                    a.foreign = foreign.get(&a.id).copied();
                }
            }
            let report = policy.evaluate(Evaluation {
                as_of,
                include_pending: false,
                activities: &activities,
                allowances: &[],
                teacher: facts.in_period_of(
                    terms.get(teacher).map_or(&[][..], Vec::as_slice),
                    policy,
                    as_of,
                ),
            });
            if report.satisfied {
                entry.1 += 1;
            }
        }
    }
    let by_school: Vec<SchoolStatistics> = school_rows
        .into_iter()
        .map(|school| {
            let (teachers, compliant) = per_school.get(&school.id).copied().unwrap_or((0, 0));
            SchoolStatistics {
                school,
                teachers,
                compliant,
            }
        })
        .collect();
    Ok(Statistics {
        teachers: by_school.iter().map(|s| s.teachers).sum(),
        compliant: by_school.iter().map(|s| s.compliant).sum(),
        without_policy,
        by_school,
        computed_at: state.clock.now(),
    })
}
