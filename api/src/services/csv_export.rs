//! Cells of the CSV files we hand out (the electronic file), made safe to open in a spreadsheet
//! program. A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which
//! some programs skip before reading one of those) is taken as a formula by Excel and LibreOffice
//! — text a teacher or provider typed (a course title, a reason) could run one on the reader's
//! machine (CSV injection, OWASP). Such a cell is prefixed with `'`, which the programs show as
//! text. A plain number (`-24`, a reversal's credits) is no formula and stays a number.

use std::borrow::Cow;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as it should be written to an exported CSV.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) && !plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A whole row, for `csv::Writer::write_record`.
pub fn safe_row(cells: &[String]) -> impl Iterator<Item = Cow<'_, [u8]>> {
    cells.iter().map(|c| match safe_cell(c) {
        Cow::Borrowed(_) => Cow::Borrowed(c.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    })
}

/// `-24`, `+1.5`: a sign, digits and at most one decimal point, nothing else.
fn plain_number(cell: &str) -> bool {
    let Some(digits) = cell.strip_prefix(['-', '+']) else {
        return false;
    };
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-1.", "'-1."),
        ] {
            assert_eq!(safe_cell(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn text_and_numbers_stay_as_they_are() {
        for cell in [
            "信息技术",
            "24",
            "-24",
            "-0.5",
            "+3",
            "",
            "a=b",
            "2026-09-01",
        ] {
            assert_eq!(safe_cell(cell), cell);
        }
    }
}
