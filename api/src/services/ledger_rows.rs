//! One spreadsheet row of `importCreditRecords` read into a claim's facts: the columns of
//! ../shared/API.md (`externalId`, `teacherNumber` or `teacherId`, `kind`, `title`, `level`,
//! `modality`, `category`, `compulsory`, `hours`, `credits`, `earnedOn`, `regionCode`), and the
//! facts some kinds need besides (`role`, `days`, `months`, `words`, `prize`), in English or
//! Chinese, with values as people type them (see [`super::course_rows`] for codes and labels).

use super::course_rows::{category, coded, date, whole_number, yes_no};
use super::csv_import::role_code;
use super::spreadsheet::SheetRow;
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::claim::{parse_claim, Claim, ClaimInput};
use domain::error::{FieldError, InputError};
use domain::imported::ExternalId;
use domain::region::RegionCode;

/// Each column's names, the first being the one messages use.
pub const COLUMNS: [&[&str]; 17] = [
    &["externalId", "原记录编号", "记录编号", "原平台编号"],
    &["teacherId", "教师ID"],
    &["teacherNumber", "教师编号", "工号"],
    &["kind", "项目类型", "培训项目", "类型"],
    &["title", "名称", "培训名称", "项目名称", "课程名称"],
    &["level", "培训级别", "级别"],
    &["modality", "培训形式", "形式"],
    &["category", "课程类别", "类别"],
    &["compulsory", "是否必修", "必修"],
    &["hours", "学时"],
    &["credits", "学分"],
    &["earnedOn", "获得日期", "完成日期", "日期"],
    &["regionCode", "地区代码", "行政区划代码"],
    &["role", "角色"],
    &["days", "天数"],
    &["months", "月数"],
    &["words", "字数"],
];
const PRIZE: &[&str] = &["prize", "奖项", "获奖等级"];

const EXTERNAL_ID: usize = 0;
const TEACHER_ID: usize = 1;
const TEACHER_NUMBER: usize = 2;
const KIND: usize = 3;
const TITLE: usize = 4;
const EARNED_ON: usize = 11;

/// Every column looked for, the prize last.
pub fn columns() -> Vec<&'static [&'static str]> {
    COLUMNS.iter().copied().chain([PRIZE]).collect()
}

/// A row that read: its record's id on the earlier platform, its teacher as the file names
/// them, the claim its facts make, what the platform awarded (if said), and where it was earned
/// (the teacher's region when the file does not say).
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub external: ExternalId,
    pub teacher_id: Option<String>,
    pub teacher_number: Option<String>,
    pub claim: Claim,
    pub stated_credits: Option<Amount>,
    pub earned_in: Option<RegionCode>,
}

/// The file's header must name the record, its teacher and the claim's required facts.
pub fn check_columns(at: &[Option<usize>]) -> AppResult<()> {
    let has = |i: usize| at.get(i).copied().flatten().is_some();
    let missing = [
        (has(EXTERNAL_ID), "externalId (原记录编号)"),
        (
            has(TEACHER_ID) || has(TEACHER_NUMBER),
            "teacherId / teacherNumber (教师ID / 教师编号)",
        ),
        (has(KIND), "kind (项目类型)"),
        (has(TITLE), "title (名称)"),
        (has(EARNED_ON), "earnedOn (获得日期)"),
    ];
    match missing.iter().find(|(present, _)| !present) {
        Some((_, column)) => Err(AppError::invalid(
            "file",
            "MISSING_COLUMN",
            crate::msg!("csv.missing_column", column = *column),
        )),
        None => Ok(()),
    }
}

/// The row's record, or the first problem in it (its field named as in the column list).
pub fn read(r: &SheetRow, at: &[Option<usize>], today: NaiveDate) -> Result<ImportRow, FieldError> {
    let cell = |i: usize| r.cell(at.get(i).copied().flatten());
    let field = |i: usize| FieldError::at(COLUMNS.get(i).map_or(PRIZE[0], |c| c[0]));
    let external =
        ExternalId::parse(&cell(EXTERNAL_ID).unwrap_or_default()).map_err(field(EXTERNAL_ID))?;
    let parsed = |i: usize, f: fn(&str) -> Result<Amount, InputError>| {
        cell(i).map(|v| f(&v)).transpose().map_err(field(i))
    };
    let count = |i: usize| {
        cell(i)
            .map(|v| whole_number(&v))
            .transpose()
            .map_err(field(i))
    };
    let input = ClaimInput {
        kind: cell(KIND)
            .map(|v| coded("ActivityKind", &v))
            .transpose()
            .map_err(field(KIND))?,
        title: cell(TITLE).unwrap_or_default(),
        level: cell(5)
            .map(|v| coded("TrainingLevel", &v))
            .transpose()
            .map_err(field(5))?,
        modality: cell(6)
            .map(|v| coded("Modality", &v))
            .transpose()
            .map_err(field(6))?,
        category: cell(7).map(|v| category(&v)),
        compulsory: cell(8).map(|v| yes_no(&v)).transpose().map_err(field(8))?,
        role: cell(13)
            .map(|v| coded("ParticipationRole", &role_code(&v)))
            .transpose()
            .map_err(field(13))?,
        hours: parsed(9, Amount::parse)?,
        days: count(14)?,
        months: count(15)?,
        words: count(16)?,
        prize: cell(COLUMNS.len()),
        earned_on: date(cell(EARNED_ON)).map_err(field(EARNED_ON))?,
        evidence: Vec::new(),
    };
    let claim = parse_claim(input, today).map_err(|e| FieldError {
        // The claim names its fields `input.x`; the file's columns are `x`.
        field: e.field.trim_start_matches("input."),
        ..e
    })?;
    Ok(ImportRow {
        external,
        teacher_id: cell(TEACHER_ID),
        teacher_number: cell(TEACHER_NUMBER),
        claim,
        stated_credits: parsed(10, Amount::parse)?,
        earned_in: cell(12)
            .map(|v| RegionCode::parse(&v))
            .transpose()
            .map_err(field(12))?,
    })
}
