//! `importCourses`: a provider's term of courses from one workbook, upserted as drafts by code;
//! the same file imported twice changes nothing and says so.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    importing_the_same_course_file_twice_changes_nothing,
    only_the_providers_admins_import_its_courses,
);

pub const IMPORT: &str = "mutation($p: ID!, $f: Upload!){ importCourses(providerId:$p, file:$f){ created updated unchanged rejected { row field code message } courses { code title status level modality category hours targetStages subjects startsOn } } }";

const HEADERS: [&str; 9] = [
    "课程编号",
    "课程名称",
    "培训级别",
    "培训形式",
    "课程类别",
    "是否必修",
    "学时",
    "适用学段",
    "开课日期",
];
const ENGLISH: [&str; 9] = [
    "code",
    "title",
    "level",
    "modality",
    "category",
    "compulsory",
    "hours",
    "targetStages",
    "startsOn",
];

/// A workbook laid out like the template: Chinese headers, English headers, then `rows`.
fn workbook(rows: &[[&str; 9]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in [HEADERS, ENGLISH].iter().chain(rows).enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

async fn import(app: &TestApp, token: &str, provider: &str, name: &str, bytes: Vec<u8>) -> Value {
    fixtures::upload(app, token, IMPORT, json!({"p": provider}), name, bytes).await
}

async fn importing_the_same_course_file_twice_changes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "ci-inst", "370200", "课程导入机构").await;
    let rows = [
        [
            "QD-IT-01",
            "信息技术应用能力提升",
            "市级",
            "集中培训",
            "信息技术应用能力",
            "必修",
            "24",
            "小学、初中",
            "2026-09-15",
        ],
        [
            "QD-ETH-02",
            "师德修养专题",
            "MUNICIPAL",
            "ONLINE",
            "ETHICS",
            "否",
            "12",
            "",
            "",
        ],
        [
            "QD-BAD-03",
            "级别有误",
            "超级",
            "集中培训",
            "ETHICS",
            "否",
            "12",
            "",
            "",
        ],
    ];
    let file = workbook(&rows);
    let first = import(&app, &ptoken, &provider, "课程.xlsx", file.clone()).await;
    let result = &first["data"]["importCourses"];
    assert_eq!(result["created"], 2, "{first}");
    assert_eq!(result["updated"], 0);
    assert_eq!(result["unchanged"], 0);
    // Data starts on row 3, under the two header rows.
    assert_eq!(result["rejected"][0]["row"], 5, "{first}");
    assert_eq!(result["rejected"][0]["field"], "level");
    assert_eq!(result["rejected"][0]["code"], "UNKNOWN_VALUE");
    let it = &result["courses"][0];
    assert_eq!(it["code"], "QD-IT-01");
    assert_eq!(it["status"], "DRAFT");
    assert_eq!(it["level"], "MUNICIPAL");
    assert_eq!(it["modality"], "CONCENTRATED");
    assert_eq!(it["category"], "INFORMATION");
    assert_eq!(it["hours"], "24");
    assert_eq!(it["targetStages"], json!(["PRIMARY", "JUNIOR_SECONDARY"]));
    assert_eq!(it["startsOn"], "2026-09-15");

    let again = import(&app, &ptoken, &provider, "课程.xlsx", file).await;
    let result = &again["data"]["importCourses"];
    assert_eq!(
        (&result["created"], &result["updated"], &result["unchanged"]),
        (&json!(0), &json!(0), &json!(2)),
        "{again}"
    );
    assert_eq!(result["courses"], json!([]));
    assert_eq!(result["rejected"].as_array().map(Vec::len), Some(1));

    // A CSV with English headers rewrites one draft; once a course is submitted, its row is
    // refused instead of silently changing what a region admin is reviewing.
    let it_id = app
        .ok(
            &ptoken,
            "query($p: ID!){ courses(filter: { providerId: $p, status: DRAFT }, first: 10){ edges { node { id code } } } }",
            json!({"p": provider}),
            "courses",
        )
        .await["edges"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["node"]["code"] == "QD-ETH-02"))
        .map(|e| e["node"]["id"].clone())
        .expect("the imported draft");
    let csv = "code,title,level,modality,category,hours\nQD-IT-01,信息技术应用能力提升（修订）,MUNICIPAL,CONCENTRATED,INFORMATION,24\nQD-ETH-02,师德修养专题,MUNICIPAL,ONLINE,ETHICS,12\nQD-IT-01,重复,MUNICIPAL,ONLINE,ETHICS,12\n";
    app.ok(
        &ptoken,
        "mutation($id: ID!){ publishCourse(id:$id){ status } }",
        json!({"id": it_id}),
        "publishCourse",
    )
    .await;
    let body = import(
        &app,
        &ptoken,
        &provider,
        "courses.csv",
        csv.as_bytes().to_vec(),
    )
    .await;
    let result = &body["data"]["importCourses"];
    assert_eq!(result["updated"], 1, "{body}");
    assert_eq!(
        result["courses"][0]["title"],
        "信息技术应用能力提升（修订）"
    );
    assert_eq!(
        result["rejected"].as_array().map(|r| r
            .iter()
            .map(|r| (r["row"].clone(), r["code"].clone()))
            .collect::<Vec<_>>()),
        Some(vec![
            (json!(3), json!("NOT_DRAFT")),
            (json!(4), json!("DUPLICATE_CODE"))
        ]),
        "{body}"
    );
}

async fn only_the_providers_admins_import_its_courses(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, _) = fixtures::provider(&app, &admin, "ci-own", "370200", "本机构").await;
    let (_, other) = fixtures::provider(&app, &admin, "ci-other", "370200", "他机构").await;
    let file = workbook(&[[
        "X-1",
        "课程",
        "市级",
        "集中培训",
        "ETHICS",
        "否",
        "8",
        "",
        "",
    ]]);
    let refused = import(&app, &other, &provider, "x.xlsx", file.clone()).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    // A region admin over the provider manages it, and may.
    let region = fixtures::region_admin(&app, &admin, "ci-qingdao", "370200").await;
    let body = import(&app, &region, &provider, "x.xlsx", file).await;
    assert_eq!(body["data"]["importCourses"]["created"], 1, "{body}");
    // A sheet without the required columns says which one is missing.
    let body = import(
        &app,
        &region,
        &provider,
        "x.csv",
        b"code,title\nA,B\n".to_vec(),
    )
    .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["reason"], "MISSING_COLUMN");
}
