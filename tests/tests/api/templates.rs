//! The downloadable spreadsheet templates, and the exported CSV's guard against formulas.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use serde_json::json;

on_both_backends!(
    templates_download_and_read_back_as_empty_imports,
    an_exported_csv_never_holds_a_formula,
);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The first sheet's first two rows of a downloaded template, and the raw file.
async fn template(app: &TestApp, name: &str) -> (Vec<Vec<String>>, Vec<u8>) {
    use calamine::{Reader, Xlsx};
    // Public: no token.
    let res = app
        .client
        .get(format!("{}/templates/{name}", app.address))
        .send()
        .await
        .expect("template");
    assert_eq!(res.status().as_u16(), 200);
    let header = |h: &str| {
        res.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), XLSX);
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{name}\"")
    );
    let bytes = res.bytes().await.expect("body").to_vec();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("a workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    let rows = range
        .rows()
        .take(2)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    (rows, bytes)
}

async fn templates_download_and_read_back_as_empty_imports(app: TestApp) {
    let (rows, completions) = template(&app, "completions.xlsx").await;
    assert_eq!(
        rows[0],
        [
            "教师编号",
            "教师ID",
            "实际学时",
            "是否合格",
            "成绩",
            "角色",
            "授课学时"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "teacherNumber",
            "teacherId",
            "attendedHours",
            "passed",
            "score",
            "role",
            "taughtHours"
        ]
    );
    let (rows, courses) = template(&app, "courses.xlsx").await;
    assert_eq!(rows[0][..3], ["课程编号", "课程名称", "课程简介"]);
    assert_eq!(rows[1][..3], ["code", "title", "description"]);
    let missing = app
        .client
        .get(format!("{}/templates/secrets.xlsx", app.address))
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status().as_u16(), 404);

    // Uploaded untouched, each template is understood (both header rows) and holds no row.
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "tpl-inst", "370200", "模板机构").await;
    let course =
        fixtures::published_course(&app, &ptoken, &admin, &provider, "TPL-1", json!({})).await;
    let body = fixtures::upload(
        &app,
        &ptoken,
        super::spreadsheets::IMPORT,
        json!({"c": course}),
        "completions.xlsx",
        completions,
    )
    .await;
    let result = &body["data"]["importCompletions"];
    assert_eq!(result["accepted"], 0, "{body}");
    assert_eq!(result["rejected"], json!([]));
    let body = fixtures::upload(
        &app,
        &ptoken,
        super::course_import::IMPORT,
        json!({"p": provider}),
        "courses.xlsx",
        courses,
    )
    .await;
    let result = &body["data"]["importCourses"];
    assert_eq!(result["created"], 0, "{body}");
    assert_eq!(result["rejected"], json!([]));
}

async fn an_exported_csv_never_holds_a_formula(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "fx-inst", "370200", "公式机构").await;
    let school = fixtures::school(&app, &admin, "370202", "公式小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "赵公式", Some("fx-t")).await;
    // A title a provider typed, which a spreadsheet would run as a formula.
    let title = "=HYPERLINK(\"http://evil.example\",\"点此\")";
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "FX-1",
        json!({"title": title, "endsOn": "2026-06-30"}),
    )
    .await;
    fixtures::enroll(&app, &admin, &course, &teacher).await;
    app.ok(
        &ptoken,
        "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
        json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    let own = app.login("fx-t", PASSWORD).await;
    let res = app
        .client
        .get(format!("{}/teachers/{teacher}/file.csv", app.address))
        .bearer_auth(&own)
        .send()
        .await
        .expect("file");
    assert_eq!(res.status().as_u16(), 200);
    let csv = res.text().await.expect("text");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let title_at = reader
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "title")
        .expect("a title column");
    let row = reader
        .records()
        .next()
        .expect("a record")
        .expect("readable");
    assert_eq!(&row[title_at], format!("'{title}"), "{csv}");
    // No cell of the file starts a formula.
    for record in csv::Reader::from_reader(csv.as_bytes()).records() {
        for cell in record.expect("record").iter() {
            assert!(!cell.starts_with(['=', '+', '@']), "{cell:?} in {csv}");
        }
    }
}
