//! Ledger rows as the policy engine reads them: the stored facts of each activity (never its
//! stored credits: every policy prices the facts itself), parsed once here, for one row or for
//! the records of a batch of teachers.

use super::sql::one_of;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::codes::{
    ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
};
use domain::policy::Activity;
use entities::credit_records;
use sea_orm::sqlx::{ColumnIndex, Decode, Row, Type};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
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
        level: r.level.as_deref(),
        modality: r.modality.as_deref(),
        category: r.category.as_deref(),
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
pub(super) struct Facts<'a> {
    pub(super) id: Uuid,
    pub(super) kind: &'a str,
    pub(super) level: Option<&'a str>,
    pub(super) modality: Option<&'a str>,
    pub(super) category: Option<&'a str>,
    pub(super) compulsory: Option<bool>,
    pub(super) role: &'a str,
    pub(super) hours_e4: Option<i64>,
    pub(super) attended_hours_e4: Option<i64>,
    pub(super) taught_hours_e4: Option<i64>,
    pub(super) days: Option<i32>,
    pub(super) months: Option<i32>,
    pub(super) words: Option<i32>,
    pub(super) prize: Option<String>,
    pub(super) passed: Option<bool>,
    pub(super) score_e4: Option<i64>,
    pub(super) earned_on: NaiveDate,
    pub(super) status: &'a str,
    pub(super) from_catalogue: bool,
}

pub(super) fn facts_activity(f: Facts<'_>) -> AppResult<Activity> {
    let amount = |v: Option<i64>| v.map(Amount::from_e4);
    Ok(Activity {
        id: f.id,
        kind: crate::rows::code::<ActivityKind>(f.kind)?,
        level: crate::rows::optional_code::<TrainingLevel>(f.level)?,
        modality: crate::rows::optional_code::<Modality>(f.modality)?,
        category: crate::rows::optional_code::<CategoryKey>(f.category)?,
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

/// An activity with the region it was earned in, which recognition reads.
pub struct Earned {
    pub activity: Activity,
    pub region_code: String,
}

/// The columns the policy engine reads, in the order [`decode`] reads them: no titles, keys or
/// timestamps, so a batch of a province's teachers stays small.
const ENGINE_COLUMNS: [credit_records::Column; 21] = [
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
];

/// The activities of each of `teachers`, in one statement (`= ANY($1)` on PostgreSQL) reading
/// only [`ENGINE_COLUMNS`]. Rows are decoded by position straight from the driver's row, codes
/// parsed from the borrowed text: a province is millions of rows, and decoding them through
/// named, owned columns cost more than evaluating them.
pub async fn of_teachers(
    db: &impl ConnectionTrait,
    teachers: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Earned>>> {
    let backend = db.get_database_backend();
    let statement = activity_rows()
        .select_only()
        .columns(ENGINE_COLUMNS)
        .filter(one_of(
            backend,
            credit_records::Column::TeacherId,
            teachers.to_vec(),
        ))
        .build(backend);
    let rows = db.query_all_raw(statement).await?;
    let mut out: HashMap<Uuid, Vec<Earned>> = HashMap::with_capacity(teachers.len());
    for row in &rows {
        let (teacher, earned) = if let Some(r) = row.try_as_pg_row() {
            decode(r)?
        } else if let Some(r) = row.try_as_sqlite_row() {
            decode(r)?
        } else {
            return Err(AppError::corrupt("a ledger row from an unknown driver"));
        };
        out.entry(teacher).or_default().push(earned);
    }
    Ok(out)
}

/// A column value sqlx decodes from a row of `R`, borrowing text from it.
trait Cell<'r, R: Row>: Decode<'r, R::Database> + Type<R::Database> {}
impl<'r, R: Row, T: Decode<'r, R::Database> + Type<R::Database>> Cell<'r, R> for T {}

fn at<'r, R: Row, T: Cell<'r, R>>(row: &'r R, index: usize) -> AppResult<T>
where
    usize: ColumnIndex<R>,
{
    row.try_get(index).map_err(AppError::corrupt)
}

/// One row of [`ENGINE_COLUMNS`]: the teacher and the activity.
fn decode<'r, R>(row: &'r R) -> AppResult<(Uuid, Earned)>
where
    R: Row,
    usize: ColumnIndex<R>,
    Uuid: Cell<'r, R>,
    &'r str: Cell<'r, R>,
    bool: Cell<'r, R>,
    i32: Cell<'r, R>,
    i64: Cell<'r, R>,
    NaiveDate: Cell<'r, R>,
{
    let course: Option<Uuid> = at(row, 20)?;
    let region: &str = at(row, 2)?;
    let prize: Option<&str> = at(row, 15)?;
    let activity = facts_activity(Facts {
        id: at(row, 0)?,
        kind: at(row, 3)?,
        level: at(row, 4)?,
        modality: at(row, 5)?,
        category: at(row, 6)?,
        compulsory: at(row, 7)?,
        role: at(row, 8)?,
        hours_e4: at(row, 9)?,
        attended_hours_e4: at(row, 10)?,
        taught_hours_e4: at(row, 11)?,
        days: at(row, 12)?,
        months: at(row, 13)?,
        words: at(row, 14)?,
        prize: prize.map(str::to_owned),
        passed: at(row, 16)?,
        score_e4: at(row, 17)?,
        earned_on: at(row, 18)?,
        status: at(row, 19)?,
        from_catalogue: course.is_some(),
    })?;
    let earned = Earned {
        activity,
        region_code: region.to_owned(),
    };
    Ok((at(row, 1)?, earned))
}
