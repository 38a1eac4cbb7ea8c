//! Ledger rows as the policy engine reads them: the stored facts of each activity (never its
//! stored credits: every policy prices the facts itself), parsed once here, for one row or for
//! the records of a batch of teachers.

use crate::error::AppResult;
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::codes::{
    ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
};
use domain::policy::Activity;
use entities::credit_records;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Ledger entries that are activities: reversals are corrections, not things a teacher did.
pub fn activity_rows() -> sea_orm::Select<credit_records::Entity> {
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
    let amount = |v: Option<i64>| v.map(Amount::from_e4);
    Ok(Activity {
        id: f.id,
        kind: crate::rows::code::<ActivityKind>(f.kind)?,
        level: crate::rows::optional_code::<TrainingLevel>(f.level.as_deref())?,
        modality: crate::rows::optional_code::<Modality>(f.modality.as_deref())?,
        category: crate::rows::optional_code::<CategoryKey>(f.category.as_deref())?,
        compulsory: f.compulsory,
        role: crate::rows::code::<ParticipationRole>(f.role)?,
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
        status: crate::rows::code::<CreditStatus>(f.status)?,
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

/// An activity with the region it was earned in, which recognition reads.
pub struct Earned {
    pub activity: Activity,
    pub region_code: String,
}

/// The activities of each of `teachers`, in one statement reading only the columns the engine
/// needs (no titles, keys or timestamps), so a batch of a province's teachers stays small.
pub async fn of_teachers(
    db: &impl ConnectionTrait,
    teachers: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Earned>>> {
    let rows: Vec<FactsRow> = activity_rows()
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
        .filter(credit_records::Column::TeacherId.is_in(teachers.to_vec()))
        .into_model::<FactsRow>()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<Earned>> = HashMap::new();
    for mut r in rows {
        let teacher = r.teacher_id;
        let region_code = std::mem::take(&mut r.region_code);
        out.entry(teacher).or_default().push(Earned {
            activity: r.activity()?,
            region_code,
        });
    }
    Ok(out)
}
