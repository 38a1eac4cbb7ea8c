//! Completion rows from a CSV file (importCompletions and `credit-bank import-completions`).
//! UTF-8 with or without a byte-order mark; a header row names the columns in any order, in
//! camelCase or snake_case: teacherId, attendedHours, passed, score, role, taughtHours.

use super::completions::IncomingRow;
use crate::error::{AppError, AppResult};
use domain::amount::Amount;
use domain::completion::{parse_completion, CompletionRaw};

const COLUMNS: [&str; 6] = [
    "teacherid",
    "attendedhours",
    "passed",
    "score",
    "role",
    "taughthours",
];

fn normalise(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .replace(['_', ' ', '-'], "")
        .to_lowercase()
}

pub fn parse(content: &[u8], course_hours: Amount) -> AppResult<Vec<IncomingRow>> {
    let text = std::str::from_utf8(content)
        .map_err(|_| AppError::invalid("file", "INVALID_ENCODING", crate::msg!("csv.not_utf8")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            AppError::invalid(
                "file",
                "INVALID_FORMAT",
                crate::msg!("csv.bad_header", detail = e.to_string()),
            )
        })?
        .clone();
    let positions: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| headers.iter().position(|h| normalise(h) == *c))
        .collect();
    for required in ["teacherid", "passed"] {
        if positions[COLUMNS.iter().position(|c| *c == required).unwrap_or(0)].is_none() {
            return Err(AppError::invalid(
                "file",
                "MISSING_COLUMN",
                crate::msg!("csv.missing_column", column = required),
            ));
        }
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        // Line numbers as a spreadsheet shows them: the header is line 1.
        let line = i + 2;
        let record = record.map_err(|e| {
            AppError::invalid(
                "file",
                "INVALID_FORMAT",
                crate::msg!("csv.bad_line", line = line, detail = e.to_string()),
            )
        })?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |col: usize| {
            positions[col]
                .and_then(|p| record.get(p))
                .map(str::to_owned)
                .filter(|s| !s.is_empty())
        };
        let raw = CompletionRaw {
            teacher: cell(0).unwrap_or_default(),
            attended_hours: cell(1),
            passed: cell(2),
            score: cell(3),
            role: cell(4),
            taught_hours: cell(5),
        };
        rows.push(IncomingRow {
            row: line,
            teacher: raw.teacher.clone(),
            facts: parse_completion(&raw, course_hours),
        });
    }
    Ok(rows)
}
