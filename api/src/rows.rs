//! Stored rows read back as domain values, in one place. Every column holding a code (a region,
//! a status, a kind, a level…) or a JSON list is parsed here; a value that does not parse is a
//! corrupt row (`AppError::corrupt`, answered as INTERNAL), never the caller's fault.

use crate::error::{AppError, AppResult};
use domain::account::LedgerEntry;
use domain::amount::Amount;
use domain::catalogue::CourseDraft;
use domain::codes::{CategoryKey, CourseStatus, Stage};
use domain::policy::CourseOffer;
use domain::region::RegionCode;
use entities::{courses, credit_records};
use std::fmt::Display;
use std::str::FromStr;

/// A stored code of a domain type (a status, a kind, a level, a role…).
pub fn code<T: FromStr>(stored: &str) -> AppResult<T>
where
    T::Err: Display,
{
    T::from_str(stored).map_err(AppError::corrupt)
}

/// A stored code that may be absent (a record's level, a claim's category…).
pub fn optional_code<T: FromStr>(stored: Option<&str>) -> AppResult<Option<T>>
where
    T::Err: Display,
{
    stored.map(code).transpose()
}

/// A stored GB/T 2260 region code.
pub fn region(stored: &str) -> AppResult<RegionCode> {
    RegionCode::parse(stored)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored region code {stored:?}: {e}")))
}

/// A list stored as a JSON array of strings (stages, subjects, event types).
pub fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    serde_json::Value::Array(
        items
            .map(|s| serde_json::Value::String(s.to_owned()))
            .collect(),
    )
    .to_string()
}

/// A stored JSON list; empty when the text is not one.
pub fn parse_json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The stages of a stored list, leaving out any the code no longer knows.
pub fn stages(text: &str) -> Vec<Stage> {
    parse_json_list(text)
        .iter()
        .filter_map(|s| Stage::from_str(s).ok())
        .collect()
}

/// Where a course is in its lifecycle.
pub fn course_status(course: &courses::Model) -> AppResult<CourseStatus> {
    code(&course.status)
}

/// The stored course as a draft, to compare credit-bearing fields.
pub fn course_draft(c: &courses::Model) -> AppResult<CourseDraft> {
    Ok(CourseDraft {
        code: c.code.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        kind: code(&c.kind)?,
        level: code(&c.level)?,
        modality: code(&c.modality)?,
        category: CategoryKey::parse(&c.category).map_err(AppError::corrupt)?,
        compulsory: c.compulsory,
        hours: Amount::from_e4(c.hours_e4),
        capacity: c.capacity.and_then(|n| u32::try_from(n).ok()),
        target_stages: stages(&c.target_stages),
        subjects: parse_json_list(&c.subjects),
        enrollment_opens_on: c.enrollment_opens_on,
        enrollment_closes_on: c.enrollment_closes_on,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
    })
}

/// A stored course's credit-bearing facts, as the policy engine prices them.
pub fn course_offer(c: &courses::Model) -> AppResult<CourseOffer> {
    Ok(CourseOffer {
        id: c.id,
        kind: code(&c.kind)?,
        level: code(&c.level)?,
        modality: code(&c.modality)?,
        category: CategoryKey::parse(&c.category).map_err(AppError::corrupt)?,
        compulsory: c.compulsory,
        hours: Amount::from_e4(c.hours_e4),
        ends_on: c.ends_on,
    })
}

/// A credit record as the ledger's sums see it.
pub fn ledger_entry(r: &credit_records::Model) -> AppResult<LedgerEntry> {
    Ok(LedgerEntry {
        credits: Amount::from_e4(r.credits_e4),
        status: code(&r.status)?,
        earned_on: r.earned_on,
        category: r
            .category
            .as_deref()
            .map(CategoryKey::parse)
            .transpose()
            .map_err(AppError::corrupt)?,
        level: optional_code(r.level.as_deref())?,
        region: region(&r.region_code)?,
        reversal_of: r.reversal_of,
    })
}
