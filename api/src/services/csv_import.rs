//! Completion rows from a file (importCompletions and `credit-bank import-completions`): a CSV
//! in UTF-8 or GB18030, or an XLSX workbook (see [`super::spreadsheet`]). A header row names
//! the columns in any order, in English (camelCase or snake_case) or Chinese; a teacher is
//! named by `teacherId` or by `teacherNumber` (教师编号), which the posting resolves.

use super::completions::IncomingRow;
use super::spreadsheet;
use crate::error::{AppError, AppResult};
use domain::amount::Amount;
use domain::completion::{parse_completion, CompletionRaw};

const TEACHER_ID: usize = 0;
const TEACHER_NUMBER: usize = 1;
const ATTENDED_HOURS: usize = 2;
const PASSED: usize = 3;
const SCORE: usize = 4;
const ROLE: usize = 5;
const TAUGHT_HOURS: usize = 6;

/// Each column's names, the first being the one messages use. The Chinese names are those of
/// the template (`GET /templates/completions.xlsx`) and of the registrars' usual sheets.
pub const COLUMNS: [&[&str]; 7] = [
    &["teacherId", "教师ID"],
    &["teacherNumber", "教师编号", "工号"],
    &["attendedHours", "实际学时", "参训学时"],
    &["passed", "是否合格", "考核结果", "合格"],
    &["score", "成绩", "分数"],
    &["role", "角色"],
    &["taughtHours", "授课学时"],
];

/// Role values as Chinese sheets write them, to the codes `ParticipationRole` reads.
pub(super) fn role_code(text: &str) -> String {
    match text.trim() {
        "学员" | "参训" | "参训教师" | "参训学员" => "TRAINEE".to_owned(),
        "授课教师" | "讲师" | "主讲" | "主讲教师" | "授课" => "INSTRUCTOR".to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

pub fn parse(content: &[u8], course_hours: Amount) -> AppResult<Vec<IncomingRow>> {
    let mut sheet = spreadsheet::read(content)?;
    let at = spreadsheet::locate(&mut sheet, &COLUMNS);
    if at[TEACHER_ID].is_none() && at[TEACHER_NUMBER].is_none() {
        return Err(missing("teacherId / teacherNumber (教师ID / 教师编号)"));
    }
    if at[PASSED].is_none() {
        return Err(missing("passed (是否合格)"));
    }
    Ok(sheet
        .rows
        .into_iter()
        .map(|r| {
            let raw = CompletionRaw {
                teacher: r.cell(at[TEACHER_ID]).unwrap_or_default(),
                attended_hours: r.cell(at[ATTENDED_HOURS]),
                passed: r.cell(at[PASSED]),
                score: r.cell(at[SCORE]),
                role: r.cell(at[ROLE]).map(|v| role_code(&v)),
                taught_hours: r.cell(at[TAUGHT_HOURS]),
            };
            IncomingRow {
                row: r.row,
                teacher: raw.teacher.clone(),
                teacher_number: r.cell(at[TEACHER_NUMBER]),
                facts: parse_completion(&raw, course_hours),
            }
        })
        .collect())
}

fn missing(column: &str) -> AppError {
    AppError::invalid(
        "file",
        "MISSING_COLUMN",
        crate::msg!("csv.missing_column", column = column.to_owned()),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn chinese_headers_and_values_read_like_english_ones() {
        let text = "教师编号,实际学时,是否合格,成绩,角色,授课学时\nT1,24,合格,90,学员,\nT2,,是,,授课教师,6\n";
        let rows = parse(text.as_bytes(), Amount::from_e4(240_000)).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].teacher_number.as_deref(), Some("T1"));
        assert!(rows[0].facts.as_ref().is_ok_and(|f| f.passed));
        let instructor = rows[1].facts.as_ref().unwrap();
        assert_eq!(
            instructor.role,
            domain::codes::ParticipationRole::Instructor
        );
        assert_eq!(instructor.taught_hours, Some(Amount::from_e4(60_000)));
    }

    #[test]
    fn a_file_naming_no_teacher_column_is_refused() {
        let Err(err) = parse(b"name,passed\nx,1\n", Amount::from_e4(10_000)) else {
            panic!("a file without a teacher column was read");
        };
        assert!(matches!(
            err,
            AppError::BadInput {
                code: "MISSING_COLUMN",
                ..
            }
        ));
    }
}
