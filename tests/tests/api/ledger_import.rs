//! `importCreditRecords`: a region brings the records of its earlier platform (seed 003 names
//! Qingdao's 青岛市教师教育信息化管理服务平台) into the ledger, certified, with their source; the
//! same file imported twice yields one record per row.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    the_old_platforms_file_imported_twice_yields_one_certified_record_per_row,
    only_region_admins_over_the_teacher_and_the_region_import,
);

const IMPORT: &str = "mutation($s: String!, $f: Upload!){ importCreditRecords(source:$s, file:$f){ created unchanged rejected { row field code message } records { title status credits source externalId regionCode policyKey } } }";
const LEDGER: &str = "query($t: ID!){ node(id:$t){ ... on Teacher { creditAccount { total } creditRecords(first: 20){ totalCount edges { node { title status credits source externalId earnedOn } } } } } }";
const QINGDAO: &str = "青岛市教师教育信息化管理服务平台";

async fn import(app: &TestApp, token: &str, source: &str, csv: &str) -> Value {
    fixtures::upload(
        app,
        token,
        IMPORT,
        json!({ "s": source }),
        "old.csv",
        csv.as_bytes().to_vec(),
    )
    .await
}

/// A Shinan (370202) school with two teachers, the first numbered JS0001.
async fn shinan_teachers(app: &TestApp, admin: &str) -> (String, String) {
    let school = fixtures::school(app, admin, "370202", "青岛市南区实验小学").await;
    let numbered = app
        .ok(
            admin,
            "mutation($i: CreateTeacherInput!){ createTeacher(input:$i){ id } }",
            json!({"i": {"schoolId": school, "name": "王老师", "teacherNumber": "JS0001"}}),
            "createTeacher",
        )
        .await;
    let other = fixtures::teacher(app, admin, &school, "李老师", None).await;
    (fixtures::id(&numbered), other)
}

async fn the_old_platforms_file_imported_twice_yields_one_certified_record_per_row(app: TestApp) {
    let admin = app.admin_token().await;
    let (numbered, other) = shinan_teachers(&app, &admin).await;
    let qingdao = fixtures::region_admin(&app, &admin, "qd-bureau", "370200").await;
    // Chinese headers as the old platform exports them; rows 4-6 are wrong in different ways.
    let csv = format!(
        "原记录编号,教师编号,教师ID,项目类型,名称,培训级别,培训形式,学时,学分,获得日期\n\
         QD-2023-001,JS0001,,COURSE_COMPLETION,2023年暑期市级集中培训,市级,集中培训,24,,2023-08-20\n\
         QD-2023-002,,{other},COURSE_COMPLETION,信息技术应用能力提升,MUNICIPAL,ONLINE,12,,2023-10-09\n\
         QD-2023-003,JS0001,,NOT_A_KIND,未知项目,市级,集中培训,8,,2023-11-01\n\
         QD-2023-001,JS0001,,COURSE_COMPLETION,重复的记录,市级,集中培训,24,,2023-08-20\n\
         QD-2023-004,JS0001,,COURSE_COMPLETION,学分不符,市级,集中培训,24,999,2023-12-01\n"
    );
    let first = import(&app, &qingdao, QINGDAO, &csv).await;
    let result = &first["data"]["importCreditRecords"];
    assert_eq!(result["created"], 2, "{first}");
    assert_eq!(result["unchanged"], 0);
    let rejected: Vec<(i64, String, String)> = result["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().expect("row"),
                r["field"].as_str().expect("field").to_owned(),
                r["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (4, "kind".into(), "UNKNOWN_VALUE".into()),
            (5, "externalId".into(), "DUPLICATE_EXTERNAL_ID".into()),
            (6, "credits".into(), "CREDITS_DIFFER".into()),
        ],
        "{first}"
    );
    let posted = result["records"].as_array().expect("records");
    assert_eq!(posted.len(), 2);
    for r in posted {
        assert_eq!(r["status"], "CERTIFIED");
        assert_eq!(r["source"], QINGDAO);
        assert_eq!(r["regionCode"], "370202");
    }
    assert_eq!(posted[0]["externalId"], "QD-2023-001");
    // The message names the rule's figure, so the admin can fix or clear the cell.
    let differ = &result["rejected"][2]["message"];
    assert!(
        differ.as_str().expect("message").contains("999"),
        "{differ}"
    );

    // The same file again: nothing new, every good row says it is already there.
    let again = import(&app, &qingdao, QINGDAO, &csv).await;
    let again = &again["data"]["importCreditRecords"];
    assert_eq!(again["created"], 0, "{again}");
    assert_eq!(again["unchanged"], 2);
    assert_eq!(again["rejected"].as_array().map(Vec::len), Some(3));

    let ledger = app.ok(&admin, LEDGER, json!({"t": numbered}), "node").await;
    let records = &ledger["creditRecords"];
    assert_eq!(records["totalCount"], 1, "{ledger}");
    let record = &records["edges"][0]["node"];
    assert_eq!(record["title"], "2023年暑期市级集中培训");
    assert_eq!(record["status"], "CERTIFIED");
    assert_eq!(record["source"], QINGDAO);
    assert_eq!(record["earnedOn"], "2023-08-20");
    // Certified records count at once: the account holds exactly the imported credits.
    assert_eq!(ledger["creditAccount"]["total"], record["credits"]);

    // The same external id from another platform is another record.
    let other_platform = import(&app, &qingdao, "市南区继续教育旧系统", &csv).await;
    assert_eq!(other_platform["data"]["importCreditRecords"]["created"], 2);
}

async fn only_region_admins_over_the_teacher_and_the_region_import(app: TestApp) {
    let admin = app.admin_token().await;
    let (numbered, _) = shinan_teachers(&app, &admin).await;
    let header = "externalId,teacherNumber,kind,title,level,modality,hours,earnedOn,regionCode\n";
    let row = |id: &str, title: &str, region: &str| {
        format!(
            "{id},JS0001,COURSE_COMPLETION,{title},MUNICIPAL,CONCENTRATED,24,2024-05-01,{region}\n"
        )
    };

    // A school administrator never writes certified history: refused before any row is read.
    let school = fixtures::school(&app, &admin, "370202", "另一所学校").await;
    let school_admin = fixtures::school_admin(&app, &admin, "school-clerk", &school).await;
    let refused = import(
        &app,
        &school_admin,
        QINGDAO,
        &format!("{header}{}", row("A1", "t", "")),
    )
    .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");

    // Wuhan's bureau reaches neither the Shinan teacher nor Shinan.
    let wuhan = fixtures::region_admin(&app, &admin, "wh-bureau", "420100").await;
    let out = import(
        &app,
        &wuhan,
        QINGDAO,
        &format!("{header}{}", row("A1", "t", "420100")),
    )
    .await;
    let out = &out["data"]["importCreditRecords"];
    assert_eq!(out["created"], 0, "{out}");
    assert_eq!(out["rejected"][0]["code"], "OUT_OF_REACH");

    // Shinan's own bureau, but the row says the record was earned in Wuhan: also out of reach.
    let shinan = fixtures::region_admin(&app, &admin, "sn-bureau", "370202").await;
    let csv = format!(
        "{header}{}{}",
        row("A1", "t", "420100"),
        row("A2", "市南区培训", "")
    );
    let out = import(&app, &shinan, QINGDAO, &csv).await;
    let out = &out["data"]["importCreditRecords"];
    assert_eq!(out["created"], 1, "{out}");
    assert_eq!(out["rejected"][0]["row"], 2);
    assert_eq!(out["rejected"][0]["code"], "OUT_OF_REACH");

    // The old platform's record changed after it was imported: the ledger keeps the first.
    let changed = format!("{header}{}", row("A2", "改过的名称", ""));
    let out = import(&app, &shinan, QINGDAO, &changed).await;
    let out = &out["data"]["importCreditRecords"];
    assert_eq!(out["created"], 0, "{out}");
    assert_eq!(out["rejected"][0]["field"], "externalId");
    assert_eq!(out["rejected"][0]["code"], "CHANGED_SINCE_IMPORT");
    let ledger = app.ok(&admin, LEDGER, json!({"t": numbered}), "node").await;
    assert_eq!(ledger["creditRecords"]["totalCount"], 1, "{ledger}");
    assert_eq!(
        ledger["creditRecords"]["edges"][0]["node"]["title"],
        "市南区培训"
    );

    // A source name that is blank is refused as a whole, on its argument.
    let blank = import(&app, &shinan, "  ", &changed).await;
    assert_eq!(error_code(&blank), "BAD_USER_INPUT", "{blank}");
}
