//! The snapshot worker's cache of each teacher's activities: the engine's facts of the ledger
//! as the worker last read them ([`super::activities::of_teachers`]), encoded compactly, so a
//! policy change re-evaluates a province without reading its ledger again.
//!
//! It is only read for a mark that is `policy_only` (see `services::snapshot_marks`): every
//! change to a teacher's data marks them with `false` in its own transaction, and the worker
//! then reads the ledger and writes the cache in the transaction that settles the mark. So a
//! teacher without a `false` mark has a cache equal to their ledger. Decoding goes through the
//! same conversion as a ledger row (`activities::facts_activity`), so the activities are the
//! ones the ledger gives, field by field (a test round-trips them).

use super::activities::{facts_activity, Earned, Facts};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::ArrayType;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// A teacher's activities as cached: each distinct code once (`texts`), every row naming them
/// by position, amounts in ten-thousandths, the day as days from the common era: about 50 bytes
/// an activity, half the size of the codes spelt out in every row.
#[derive(Serialize, Deserialize)]
struct Blob<'a> {
    #[serde(borrow)]
    texts: Vec<&'a str>,
    rows: Vec<Cached>,
}

/// One activity; the `u16`s are positions in [`Blob::texts`] (`None` for a NULL column).
#[derive(Serialize, Deserialize)]
struct Cached {
    id: Uuid,
    region: u16,
    kind: u16,
    level: Option<u16>,
    modality: Option<u16>,
    category: Option<u16>,
    compulsory: Option<bool>,
    role: u16,
    hours_e4: Option<i64>,
    attended_hours_e4: Option<i64>,
    taught_hours_e4: Option<i64>,
    days: Option<i32>,
    months: Option<i32>,
    words: Option<i32>,
    prize: Option<u16>,
    passed: Option<bool>,
    score_e4: Option<i64>,
    earned_on: i32,
    status: u16,
    from_catalogue: bool,
}

/// The texts of a blob being written, each given its position once.
#[derive(Default)]
struct Texts<'a> {
    list: Vec<&'a str>,
    at: HashMap<&'a str, u16>,
}

impl<'a> Texts<'a> {
    fn of(&mut self, text: &'a str) -> AppResult<u16> {
        if let Some(i) = self.at.get(text) {
            return Ok(*i);
        }
        let i = u16::try_from(self.list.len())
            .map_err(|_| AppError::internal(anyhow::anyhow!("too many texts to cache")))?;
        self.list.push(text);
        self.at.insert(text, i);
        Ok(i)
    }

    fn maybe(&mut self, text: Option<&'a str>) -> AppResult<Option<u16>> {
        text.map(|t| self.of(t)).transpose()
    }
}

/// A teacher's activities (as read from the ledger, recognition not applied), encoded.
pub fn encode(earned: &[Earned]) -> AppResult<Vec<u8>> {
    let mut texts = Texts::default();
    let mut rows = Vec::with_capacity(earned.len());
    for e in earned {
        let a = &e.activity;
        rows.push(Cached {
            id: a.id,
            region: texts.of(&e.region_code)?,
            kind: texts.of(a.kind.as_str())?,
            level: texts.maybe(a.level.map(|l| l.as_str()))?,
            modality: texts.maybe(a.modality.map(|m| m.as_str()))?,
            category: texts.maybe(a.category.as_ref().map(|c| c.as_str()))?,
            compulsory: a.compulsory,
            role: texts.of(a.role.as_str())?,
            hours_e4: a.hours.map(|h| h.to_e4()),
            attended_hours_e4: a.attended_hours.map(|h| h.to_e4()),
            taught_hours_e4: a.taught_hours.map(|h| h.to_e4()),
            days: a.days,
            months: a.months,
            words: a.words,
            prize: texts.maybe(a.prize.as_deref())?,
            passed: a.passed,
            score_e4: a.score.map(|s| s.to_e4()),
            earned_on: a.earned_on.num_days_from_ce(),
            status: texts.of(a.status.as_str())?,
            from_catalogue: a.from_catalogue,
        });
    }
    let blob = Blob {
        texts: texts.list,
        rows,
    };
    postcard::to_allocvec(&blob).map_err(AppError::internal)
}

/// The activities `encode` wrote.
pub fn decode(bytes: &[u8]) -> AppResult<Vec<Earned>> {
    let blob: Blob<'_> = postcard::from_bytes(bytes).map_err(AppError::corrupt)?;
    let text = |i: u16| {
        blob.texts
            .get(usize::from(i))
            .copied()
            .ok_or_else(|| AppError::corrupt("a cached activity names a text it does not hold"))
    };
    let maybe = |i: Option<u16>| i.map(text).transpose();
    blob.rows
        .iter()
        .map(|c| {
            let earned_on = NaiveDate::from_num_days_from_ce_opt(c.earned_on)
                .ok_or_else(|| AppError::corrupt("a cached activity's day is out of range"))?;
            let activity = facts_activity(Facts {
                id: c.id,
                kind: text(c.kind)?,
                level: maybe(c.level)?,
                modality: maybe(c.modality)?,
                category: maybe(c.category)?,
                compulsory: c.compulsory,
                role: text(c.role)?,
                hours_e4: c.hours_e4,
                attended_hours_e4: c.attended_hours_e4,
                taught_hours_e4: c.taught_hours_e4,
                days: c.days,
                months: c.months,
                words: c.words,
                prize: maybe(c.prize)?.map(str::to_owned),
                passed: c.passed,
                score_e4: c.score_e4,
                earned_on,
                status: text(c.status)?,
                from_catalogue: c.from_catalogue,
            })?;
            Ok(Earned {
                activity,
                region_code: text(c.region)?.to_owned(),
            })
        })
        .collect()
}

/// The cached activities of those of `teachers` that have any cache, in one statement.
pub async fn read(
    db: &impl ConnectionTrait,
    teachers: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Earned>>> {
    if teachers.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let (filter, values): (String, Vec<Value>) = match backend {
        DbBackend::Postgres => ("= ANY($1)".into(), vec![Value::from(teachers.to_vec())]),
        _ => (
            format!("IN ({})", vec!["?"; teachers.len()].join(", ")),
            teachers.iter().map(|t| Value::from(*t)).collect(),
        ),
    };
    let sql = format!(
        "SELECT teacher_id, activities FROM compliance_activity_cache WHERE teacher_id {filter}"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter()
        .map(|row| {
            let teacher: Uuid = row.try_get("", "teacher_id")?;
            let bytes: Vec<u8> = row.try_get("", "activities")?;
            Ok((teacher, decode(&bytes)?))
        })
        .collect()
}

/// Rows per multi-row upsert on SQLite (three bound values each).
const SQLITE_CHUNK: usize = 300;

/// Writes the encoded activities of `rows` (teacher, `encode`d) as read at `at`.
pub async fn write(
    txn: &impl ConnectionTrait,
    rows: Vec<(Uuid, Vec<u8>)>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let backend = txn.get_database_backend();
    let upsert = "ON CONFLICT (teacher_id) DO UPDATE SET activities = excluded.activities, \
                  read_at = excluded.read_at";
    if backend == DbBackend::Postgres {
        let (ids, blobs): (Vec<Uuid>, Vec<Vec<u8>>) = rows.into_iter().unzip();
        let blobs = blobs.into_iter().map(|b| Value::Bytes(Some(b))).collect();
        let sql = format!(
            "INSERT INTO compliance_activity_cache (teacher_id, activities, read_at) \
             SELECT t, a, $3 FROM unnest($1::uuid[], $2::bytea[]) AS u(t, a) {upsert}"
        );
        let values = vec![
            Value::from(ids),
            Value::Array(ArrayType::Bytes, Some(Box::new(blobs))),
            at.into(),
        ];
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        return Ok(());
    }
    for chunk in rows.chunks(SQLITE_CHUNK) {
        let places = vec!["(?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "INSERT INTO compliance_activity_cache (teacher_id, activities, read_at) \
             VALUES {places} {upsert}"
        );
        let values: Vec<Value> = chunk
            .iter()
            .flat_map(|(id, blob)| [Value::from(*id), Value::from(blob.clone()), at.into()])
            .collect();
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use domain::amount::Amount;
    use domain::codes::{
        ActivityKind, CategoryKey, CreditStatus, Modality, ParticipationRole, TrainingLevel,
    };
    use domain::policy::Activity;

    fn earned(i: u32) -> Earned {
        let day = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + chrono::Duration::days(i.into());
        let mut a = Activity::new(Uuid::now_v7(), ActivityKind::CourseCompletion, day);
        a.level = (i.is_multiple_of(2)).then_some(TrainingLevel::Municipal);
        a.modality = (i.is_multiple_of(3)).then_some(Modality::Online);
        a.category = Some(CategoryKey::parse("INFORMATION").unwrap());
        a.compulsory = Some(i.is_multiple_of(4));
        a.role = if i.is_multiple_of(5) {
            ParticipationRole::Instructor
        } else {
            ParticipationRole::Trainee
        };
        a.hours = Some(Amount::from_e4(240_000 + i64::from(i)));
        a.attended_hours = (!i.is_multiple_of(2)).then(|| Amount::from_e4(120_000));
        a.taught_hours = (i.is_multiple_of(5)).then(|| Amount::from_e4(35_000));
        a.days = Some(3);
        a.words = (i.is_multiple_of(7)).then_some(5_000);
        a.prize = (i.is_multiple_of(6)).then(|| "一等奖".to_owned());
        a.passed = Some(!i.is_multiple_of(9));
        a.score = Some(Amount::from_e4(875_000));
        a.status = if i.is_multiple_of(8) {
            CreditStatus::Pending
        } else {
            CreditStatus::Certified
        };
        a.from_catalogue = i.is_multiple_of(2);
        Earned {
            activity: a,
            region_code: if i.is_multiple_of(3) {
                "420102"
            } else {
                "370202"
            }
            .to_owned(),
        }
    }

    #[test]
    fn activities_come_back_from_the_cache_as_they_went_in() {
        let before: Vec<Earned> = (0..60).map(earned).collect();
        let bytes = encode(&before).unwrap();
        let after = decode(&bytes).unwrap();
        assert_eq!(after.len(), before.len());
        for (a, b) in after.iter().zip(&before) {
            assert_eq!(a.activity, b.activity);
            assert_eq!(a.region_code, b.region_code);
        }
        // Compact: about 50 bytes an activity with most columns set (the codes spelt out in
        // every row took 110).
        assert!(bytes.len() < 60 * 56, "{} bytes", bytes.len());
    }

    #[test]
    fn a_teacher_without_activities_is_cached_as_none() {
        let bytes = encode(&[]).unwrap();
        assert!(decode(&bytes).unwrap().is_empty());
    }
}
