#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn rows(sheet: &Sheet) -> Vec<(usize, Vec<&str>)> {
    sheet
        .rows
        .iter()
        .map(|r| (r.row, r.cells.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
    // Row 3 is blank; row 4's second cell spans two lines and is still one row.
    let text = "a,b\n1,2\n\n3,\"x\ny\"\n4,5\n";
    let sheet = read(text.as_bytes()).unwrap();
    assert_eq!(sheet.header, ["a", "b"]);
    assert_eq!(
        rows(&sheet),
        [
            (2, vec!["1", "2"]),
            (4, vec!["3", "x\ny"]),
            (5, vec!["4", "5"])
        ]
    );
}

#[test]
fn a_bom_and_a_missing_final_newline_change_nothing() {
    let sheet = read("\u{feff}a,b\r\n1,2".as_bytes()).unwrap();
    assert_eq!(sheet.header, ["a", "b"]);
    assert_eq!(rows(&sheet), [(2, vec!["1", "2"])]);
}

#[test]
fn gb18030_text_is_decoded_and_other_bytes_are_refused() {
    let (bytes, _, _) = encoding_rs::GB18030.encode("教师编号,是否合格\nT1,合格\n");
    let sheet = read(&bytes).unwrap();
    assert_eq!(sheet.header, ["教师编号", "是否合格"]);
    assert_eq!(rows(&sheet), [(2, vec!["T1", "合格"])]);
    // 0xFF never starts a GB18030 sequence, and is never UTF-8.
    let err = read(b"teacherId,passed\n\xff\xfe,1\n").unwrap_err();
    assert!(
        matches!(&err, AppError::BadInput { code, .. } if *code == "INVALID_ENCODING"),
        "{err:?}"
    );
}

#[test]
fn workbook_cells_read_like_csv_text() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    // A title row above the header, as many providers' sheets have.
    sheet.write_string(0, 0, "2026 年结业名单").unwrap();
    sheet.write_string(1, 0, "教师编号").unwrap();
    sheet.write_string(1, 1, "实际学时（小时）").unwrap();
    sheet.write_string(1, 2, "开课日期").unwrap();
    sheet.write_string(2, 0, "teacherNumber").unwrap();
    sheet.write_string(3, 0, "T1").unwrap();
    sheet.write_number(3, 1, 24.0).unwrap();
    sheet
        .write_datetime_with_format(
            3,
            2,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 9, 1).unwrap(),
            &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
        )
        .unwrap();
    sheet.write_number(5, 0, 370202.0).unwrap();
    sheet.write_number(5, 1, 12.5).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let mut sheet = read(&bytes).unwrap();
    let at = locate(
        &mut sheet,
        &[
            &["teacherNumber", "教师编号"],
            &["attendedHours", "实际学时"],
        ],
    );
    assert_eq!(at, [Some(0), Some(1)]);
    // The title row above is not the header.
    assert_eq!(sheet.header, ["教师编号", "实际学时（小时）", "开课日期"]);
    // The English header row under the Chinese one is not data.
    assert_eq!(
        rows(&sheet),
        [
            (4, vec!["T1", "24", "2026-09-01"]),
            (6, vec!["370202", "12.5", ""])
        ]
    );
}

#[test]
fn a_broken_workbook_is_bad_input() {
    let err = read(b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(
        matches!(&err, AppError::BadInput { code, .. } if *code == "INVALID_FORMAT"),
        "{err:?}"
    );
}

#[test]
fn headers_compare_without_decoration() {
    assert_eq!(normalise_header("\u{feff} Teacher_ID "), "teacherid");
    assert_eq!(normalise_header("是否合格(是/否)"), "是否合格");
    assert_eq!(normalise_header("教师编号*"), "教师编号");
}

#[test]
fn a_workbook_that_would_inflate_like_a_zip_bomb_is_refused_unread() {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    archive
        .start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    // 4 MB of one byte deflates to a few kilobytes: no sheet compresses a thousandfold.
    archive.write_all(&vec![b' '; 4 << 20]).unwrap();
    let bytes = archive.finish().unwrap().into_inner();
    assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
    let err = read(&bytes).unwrap_err();
    assert!(
        matches!(&err, AppError::BadInput { code, .. } if *code == "FILE_TOO_LARGE"),
        "{err:?}"
    );
}
