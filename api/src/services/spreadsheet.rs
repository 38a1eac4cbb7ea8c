//! Spreadsheets as providers really send them: a CSV saved by Excel (UTF-8 with or without a
//! byte-order mark, or GB18030/GBK on Chinese Windows) or an XLSX workbook. Either becomes the
//! same table of text cells, each row numbered as the spreadsheet program shows it (the header
//! is row 1), so a rejected row can be found where the sender looks for it.
//!
//! The encoding is detected, never guessed: valid UTF-8 is UTF-8; otherwise the bytes must be
//! valid GB18030 throughout, or the file is refused (`INVALID_ENCODING`) rather than read as
//! mojibake.

use crate::error::{AppError, AppResult};
use calamine::{Data, Reader, Xlsx};
use std::borrow::Cow;
use std::io::Cursor;

/// Every XLSX file is a zip archive; a CSV never starts with these bytes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// How far below the first row a header is looked for when that row names no known column.
const TITLE_ROWS: usize = 5;

/// One data row: its number in the spreadsheet and its cells, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub row: usize,
    pub cells: Vec<String>,
}

/// A sheet's header row and the non-blank rows below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<SheetRow>,
}

impl SheetRow {
    /// The cell at `position`, `None` when absent or blank.
    pub fn cell(&self, position: Option<usize>) -> Option<String> {
        position
            .and_then(|p| self.cells.get(p))
            .filter(|c| !c.is_empty())
            .cloned()
    }
}

/// Reads the first sheet of a workbook, or a CSV file.
pub fn read(content: &[u8]) -> AppResult<Sheet> {
    let mut grid = if content.starts_with(ZIP_MAGIC) {
        read_xlsx(content)?
    } else {
        read_csv(&decode(content)?)?
    };
    // The first non-blank row is the header; rows above it (a title) are not data.
    let Some(first) = grid.iter().position(|r| !blank(&r.cells)) else {
        return Err(AppError::invalid(
            "file",
            "MISSING_COLUMN",
            crate::msg!("csv.no_header"),
        ));
    };
    let rest = grid.split_off(first + 1);
    let header = grid.pop().map(|r| r.cells).unwrap_or_default();
    Ok(Sheet {
        header,
        rows: rest.into_iter().filter(|r| !blank(&r.cells)).collect(),
    })
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(String::is_empty)
}

/// The text of a CSV file: UTF-8 (a BOM is dropped) or, failing that, strict GB18030 (which
/// includes GBK and GB2312).
pub fn decode(content: &[u8]) -> AppResult<Cow<'_, str>> {
    let text = match std::str::from_utf8(content) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(content)
            .ok_or_else(|| {
                AppError::invalid(
                    "file",
                    "INVALID_ENCODING",
                    crate::msg!("csv.unknown_encoding"),
                )
            })?,
    };
    Ok(match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Cow::Owned(t) => match t.strip_prefix('\u{feff}') {
            Some(rest) => Cow::Owned(rest.to_owned()),
            None => Cow::Owned(t),
        },
    })
}

/// Every CSV record with the row a spreadsheet program gives it: blank lines are rows too, and
/// a quoted cell that spans lines is still one row.
fn read_csv(text: &str) -> AppResult<Vec<SheetRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The reader's own line numbers skip blank lines and lag behind CRLF endings, so lines are
    // counted here: `lines` newlines lie before byte `counted`; `spanned` of them were inside
    // quoted cells, which shift the line count but not the row count.
    let bytes = text.as_bytes();
    let (mut counted, mut lines, mut spanned) = (0usize, 0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            AppError::invalid(
                "file",
                "INVALID_FORMAT",
                crate::msg!("csv.bad_line", line = lines + 1, detail = e.to_string()),
            )
        })?;
        if !more {
            break;
        }
        let mut start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counted)
            .max(counted);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let between = bytes.get(counted..start).unwrap_or_default();
        lines += between.iter().filter(|b| **b == b'\n').count();
        counted = start;
        rows.push(SheetRow {
            row: lines + 1 - spanned,
            cells: record.iter().map(str::to_owned).collect(),
        });
        spanned += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
    }
    Ok(rows)
}

/// What a workbook may inflate to: far above any real sheet of rows (a 100,000-row completion
/// file is ~10 MB of XML), far below what would exhaust memory.
const XLSX_MAX_INFLATED: u64 = 256 * 1024 * 1024;
/// A part compressing better than this is a zip bomb, not a spreadsheet (sheet XML compresses
/// 10–30×; a bomb's runs of zeros over 1000×).
const XLSX_MAX_RATIO: u64 = 200;
const XLSX_MAX_PARTS: usize = 1000;

/// Refuses a workbook whose parts would inflate to more than the limits above, reading only the
/// archive's directory (before calamine inflates anything).
fn check_inflated_size(content: &[u8]) -> AppResult<()> {
    let too_large = || {
        AppError::invalid(
            "file",
            "FILE_TOO_LARGE",
            crate::msg!("csv.workbook_too_large"),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(content)).map_err(|e| {
        AppError::invalid(
            "file",
            "INVALID_FORMAT",
            crate::msg!("csv.bad_workbook", detail = e.to_string()),
        )
    })?;
    if archive.len() > XLSX_MAX_PARTS {
        return Err(too_large());
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|_| too_large())?;
        let (inflated, deflated) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(inflated);
        if total > XLSX_MAX_INFLATED || (inflated > 1 << 20 && inflated / deflated > XLSX_MAX_RATIO)
        {
            return Err(too_large());
        }
    }
    Ok(())
}

fn read_xlsx(content: &[u8]) -> AppResult<Vec<SheetRow>> {
    check_inflated_size(content)?;
    let bad = |e: &dyn std::fmt::Display| {
        AppError::invalid(
            "file",
            "INVALID_FORMAT",
            crate::msg!("csv.bad_workbook", detail = e.to_string()),
        )
    };
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(content)).map_err(|e| bad(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(range) => range.map_err(|e| bad(&e))?,
        None => return Ok(Vec::new()),
    };
    // The range starts at the first used cell; the sheet's own row numbers count from A1.
    let (top, left) = range.start().unwrap_or((0, 0));
    let left = usize::try_from(left).unwrap_or(0);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| SheetRow {
            row: usize::try_from(top).unwrap_or(0) + i + 1,
            cells: std::iter::repeat_n(String::new(), left)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect())
}

/// A cell as the text a CSV would hold: whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A header as compared: no BOM, spaces, `_` or `-`, a trailing note in brackets
/// (`实际学时（小时）`) or a required-mark `*` dropped, lower case.
pub fn normalise_header(header: &str) -> String {
    let mut h = header
        .trim()
        .trim_start_matches('\u{feff}')
        .trim_end_matches('*');
    for open in ['(', '（'] {
        if let Some(i) = h.find(open) {
            if h.ends_with([')', '）']) && i > 0 {
                h = &h[..i];
            }
        }
    }
    h.replace(['_', ' ', '-', '*'], "").to_lowercase()
}

/// Where each of `columns` is in the sheet: every name of a column is compared normalised, so
/// `teacherId`, `teacher_id` and `教师ID` all find the first column. Rows above the header
/// (a sheet's title, within the first [`TITLE_ROWS`]) are not data, nor is a row just below
/// it that only repeats column names (the templates' English header row).
pub fn locate(sheet: &mut Sheet, columns: &[&[&str]]) -> Vec<Option<usize>> {
    let known = |cell: &str| {
        let cell = normalise_header(cell);
        columns
            .iter()
            .any(|names| names.iter().any(|n| normalise_header(n) == cell))
    };
    if !sheet.header.iter().any(|h| known(h)) {
        let mut below = sheet.rows.iter().take(TITLE_ROWS);
        if let Some(at) = below.position(|r| r.cells.iter().any(|c| known(c))) {
            let mut rest = sheet.rows.split_off(at);
            sheet.header = rest.remove(0).cells;
            sheet.rows = rest;
        }
    }
    if let Some(first) = sheet.rows.first() {
        if first.cells.iter().all(|c| c.is_empty() || known(c)) {
            sheet.rows.remove(0);
        }
    }
    columns
        .iter()
        .map(|names| {
            sheet.header.iter().position(|h| {
                let h = normalise_header(h);
                names.iter().any(|n| normalise_header(n) == h)
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "spreadsheet_tests.rs"]
mod tests;
