//! One spreadsheet row of `importCourses` read into the catalogue's [`CourseDraft`]: the
//! columns are `CourseInput`'s fields (without `providerId`, which the call names), in English
//! or Chinese, and the values as people type them in a sheet — enum codes or their Chinese
//! labels (`市级`, `集中培训`, `小学`), 是/否 or 必修/选修, lists split by `,` `，` `、` or `;`,
//! dates as `2026-09-01`, `2026/9/1` or an Excel date cell.

use super::spreadsheet::SheetRow;
use crate::error::{AppError, AppResult};
use crate::i18n::{enum_label, Lang};
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::catalogue::{CourseDraft, CourseInputRaw};
use domain::codes::{
    ActivityKind, Modality, ParticipationRole, Stage, TrainingLevel, BUILT_IN_CATEGORIES,
};
use domain::error::{FieldError, InputError};
use std::str::FromStr;

/// Each column's names: the `CourseInput` field first (messages and rejections use it), then
/// the Chinese headers of the template (`GET /templates/courses.xlsx`) and common variants.
pub const COLUMNS: [&[&str]; 16] = [
    &["code", "课程编号", "课程代码"],
    &["title", "课程名称"],
    &["description", "课程简介", "课程描述"],
    &["kind", "项目类型", "培训项目"],
    &["level", "培训级别", "级别"],
    &["modality", "培训形式", "形式"],
    &["category", "课程类别", "类别"],
    &["compulsory", "是否必修", "必修"],
    &["hours", "学时", "课程学时", "总学时"],
    &["capacity", "人数上限", "容量", "名额"],
    &["targetStages", "适用学段", "学段"],
    &["subjects", "适用学科", "学科"],
    &["enrollmentOpensOn", "报名开始日期"],
    &["enrollmentClosesOn", "报名截止日期"],
    &["startsOn", "开课日期", "开始日期"],
    &["endsOn", "结课日期", "结束日期"],
];

/// Columns a row cannot do without.
const REQUIRED: [usize; 6] = [0, 1, 4, 5, 6, 8];

pub fn check_columns(at: &[Option<usize>]) -> AppResult<()> {
    for i in REQUIRED {
        if at.get(i).copied().flatten().is_none() {
            let names = COLUMNS[i].iter().take(2).copied().collect::<Vec<_>>();
            return Err(AppError::invalid(
                "file",
                "MISSING_COLUMN",
                crate::msg!("csv.missing_column", column = names.join(" / ")),
            ));
        }
    }
    Ok(())
}

/// The row as a validated draft, or the first problem in it (its field named as in `CourseInput`).
pub fn draft(r: &SheetRow, at: &[Option<usize>]) -> Result<CourseDraft, FieldError> {
    let cell = |i: usize| r.cell(at.get(i).copied().flatten());
    let text = |i: usize| cell(i).unwrap_or_default();
    let name = |i: usize| COLUMNS[i][0];
    let raw = CourseInputRaw {
        code: text(0),
        title: text(1),
        description: cell(2),
        kind: match cell(3) {
            None => ActivityKind::CourseCompletion,
            Some(v) => coded("ActivityKind", &v).map_err(FieldError::at(name(3)))?,
        },
        level: coded("TrainingLevel", &text(4)).map_err(FieldError::at(name(4)))?,
        modality: coded("Modality", &text(5)).map_err(FieldError::at(name(5)))?,
        category: category(&text(6)),
        compulsory: match cell(7) {
            None => false,
            Some(v) => yes_no(&v).map_err(FieldError::at(name(7)))?,
        },
        hours: Amount::parse(&text(8)).map_err(FieldError::at(name(8)))?,
        capacity: cell(9)
            .map(|v| whole_number(&v))
            .transpose()
            .map_err(FieldError::at(name(9)))?,
        target_stages: list(cell(10))
            .iter()
            .map(|s| coded::<Stage>("Stage", s))
            .collect::<Result<_, _>>()
            .map_err(FieldError::at(name(10)))?,
        subjects: list(cell(11)),
        enrollment_opens_on: date(cell(12)).map_err(FieldError::at(name(12)))?,
        enrollment_closes_on: date(cell(13)).map_err(FieldError::at(name(13)))?,
        starts_on: date(cell(14)).map_err(FieldError::at(name(14)))?,
        ends_on: date(cell(15)).map_err(FieldError::at(name(15)))?,
    };
    CourseDraft::parse(raw)
}

/// An enum value given by its code (any case) or by its label in either language.
pub(super) fn coded<E: FromStr<Err = InputError> + Labelled>(
    enum_name: &str,
    text: &str,
) -> Result<E, InputError> {
    let text = text.trim();
    // A code is the common case (and what machines send): no label lookups for it.
    if let Ok(value) = E::from_str(&text.replace([' ', '-'], "_")) {
        return Ok(value);
    }
    let by_label = E::codes().into_iter().find(|code| {
        [Lang::ZhCn, Lang::English]
            .iter()
            .any(|lang| enum_label(*lang, enum_name, code).is_some_and(|l| l == text))
    });
    match by_label {
        Some(code) => E::from_str(code),
        None => E::from_str(&text.replace([' ', '-'], "_")),
    }
}

/// The codes of an enum, for finding a value by its label.
pub(super) trait Labelled {
    fn codes() -> Vec<&'static str>;
}

macro_rules! labelled {
    ($($t:ty),*) => {$(
        impl Labelled for $t {
            fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }
    )*};
}
labelled!(
    ActivityKind,
    TrainingLevel,
    Modality,
    Stage,
    ParticipationRole
);

/// A category key, or a built-in category's Chinese name (信息技术应用能力 → INFORMATION).
pub(super) fn category(text: &str) -> String {
    let text = text.trim();
    BUILT_IN_CATEGORIES
        .iter()
        .find(|(_, label)| *label == text)
        .map_or_else(|| text.to_owned(), |(key, _)| (*key).to_owned())
}

pub(super) fn yes_no(text: &str) -> Result<bool, InputError> {
    match text.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "是" | "必修" => Ok(true),
        "false" | "0" | "no" | "n" | "否" | "选修" => Ok(false),
        _ => Err(InputError::new(
            InputError::INVALID_FORMAT,
            "must be true or false (是/否, 必修/选修)",
        )
        .with(crate::msg!("course_import.yes_no"))),
    }
}

pub(super) fn whole_number(text: &str) -> Result<i32, InputError> {
    text.trim().parse::<i32>().map_err(|_| {
        InputError::new(InputError::INVALID_FORMAT, "must be a whole number")
            .with(crate::msg!("course_import.whole_number"))
    })
}

fn list(cell: Option<String>) -> Vec<String> {
    cell.map(|c| {
        c.split([',', '，', '、', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// `2026-09-01`, `2026/9/1` or `2026.9.1` (an Excel date cell already reads as the first).
pub(super) fn date(cell: Option<String>) -> Result<Option<NaiveDate>, InputError> {
    let Some(text) = cell else { return Ok(None) };
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    let parsed = match parts.as_slice() {
        [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => NaiveDate::from_ymd_opt(y, m, d),
            _ => None,
        },
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        InputError::new(
            InputError::INVALID_FORMAT,
            "must be a date such as 2026-09-01",
        )
        .with(crate::msg!("course_import.date_format"))
    })
}
