//! Completions post credits; the teacher's account explains every figure.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    completions_post_credits_once_and_report_bad_rows,
    a_csv_upload_posts_the_same_rows,
    the_command_line_import_is_idempotent,
    who_reads_a_teachers_ledger,
    a_thousand_row_file_with_three_bad_rows_posts_the_rest_once,
    a_teacher_who_moves_keeps_every_record,
);

async fn a_teacher_who_moves_keeps_every_record(app: TestApp) {
    let w = world(&app, 1).await;
    let t = &w.teachers[0];
    fixtures::enroll(&app, &w.admin, &w.course, t).await;
    app.ok(
        &w.ptoken,
        RECORD,
        json!({"c": w.course, "rows": [{"teacherId": t, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    let wuhan_school = fixtures::school(&app, &w.admin, "420102", "江岸区实验小学").await;
    let transfer = "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-09-01\"){ school { name } region { code } } }";
    // The sending district alone may not move a teacher into another province.
    let shinan = fixtures::region_admin(&app, &w.admin, "shinan-move", "370202").await;
    let refused = app
        .gql(Some(&shinan), transfer, json!({"t": t, "s": wuhan_school}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let moved = app
        .ok(
            &w.admin,
            transfer,
            json!({"t": t, "s": wuhan_school}),
            "transferTeacher",
        )
        .await;
    assert_eq!(moved["region"]["code"], "420102");
    let again = app
        .gql(Some(&w.admin), transfer, json!({"t": t, "s": wuhan_school}))
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    // The file moved with the teacher: the Qingdao record is still there, still counted where earned.
    let own = app
        .ok(
            &app.login("done-t0", PASSWORD).await,
            ACCOUNT,
            json!({"id": t}),
            "node",
        )
        .await;
    assert_eq!(own["creditAccount"]["total"], "24");
    let record = own["creditRecords"]["edges"][0]["node"]["id"].clone();
    assert_eq!(
        own["creditAccount"]["byRegion"],
        json!([{"regionCode": "370202", "credits": "24"}])
    );
    // The old district no longer administers the teacher; the new one does.
    assert_eq!(
        error_code(&app.gql(Some(&shinan), ACCOUNT, json!({"id": t})).await),
        "FORBIDDEN"
    );
    let wuhan = fixtures::region_admin(&app, &w.admin, "wuhan-move", "420100").await;
    assert_eq!(
        app.ok(&wuhan, ACCOUNT, json!({"id": t}), "node").await["creditAccount"]["total"],
        "24"
    );
    // The district where the record was certified may still revoke it (fraud found later);
    // a third region may not.
    let revoke = "mutation($id: ID!){ revokeCredit(id:$id, reason:\"伪造签到\"){ status } }";
    let suzhou = fixtures::region_admin(&app, &w.admin, "suzhou-move", "620902").await;
    assert_eq!(
        error_code(&app.gql(Some(&suzhou), revoke, json!({"id": record})).await),
        "FORBIDDEN"
    );
    assert_eq!(
        app.ok(&shinan, revoke, json!({"id": record}), "revokeCredit")
            .await["status"],
        "REVOKED"
    );
}

const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted duplicates rejected { row field code message } records { teacherId credits role kind status title attendedHours taughtHours score } } }";
const ACCOUNT: &str = "query($id: ID!){ node(id:$id){ ... on Teacher { creditAccount { total pending byYear { year credits } byCategory { category credits } byLevel { level credits } byRegion { regionCode credits } } creditRecords(first: 50){ totalCount edges { node { id credits status category earnedOn } } } } } }";

struct World {
    admin: String,
    provider: String,
    ptoken: String,
    course: String,
    teachers: Vec<String>,
}

async fn world(app: &TestApp, capacity: usize) -> World {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(app, &admin, "done-inst", "370200", "完成机构").await;
    let school = fixtures::school(app, &admin, "370202", "完成小学").await;
    let mut teachers = Vec::new();
    for i in 0..capacity {
        let login = format!("done-t{i}");
        teachers
            .push(fixtures::teacher(app, &admin, &school, &format!("教师{i}"), Some(&login)).await);
    }
    let course = fixtures::published_course(
        app,
        &ptoken,
        &admin,
        &provider,
        "DONE-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    World {
        admin,
        provider,
        ptoken,
        course,
        teachers,
    }
}

async fn completions_post_credits_once_and_report_bad_rows(app: TestApp) {
    let w = world(&app, 4).await;
    for t in &w.teachers[..3] {
        fixtures::enroll(&app, &w.admin, &w.course, t).await;
    }
    let rows = json!([
        {"teacherId": w.teachers[0], "attendedHours": "24", "passed": true, "score": "92.5"},
        {"teacherId": w.teachers[1], "attendedHours": "10", "passed": false},
        {"teacherId": w.teachers[2], "passed": true, "role": "INSTRUCTOR", "taughtHours": "6"},
        {"teacherId": w.teachers[3], "attendedHours": "24", "passed": true},
        {"teacherId": w.teachers[0], "passed": true, "role": "INSTRUCTOR", "taughtHours": "99"},
        {"teacherId": "nobody", "attendedHours": "1", "passed": true},
    ]);
    let first = app
        .ok(
            &w.ptoken,
            RECORD,
            json!({"c": w.course, "rows": rows}),
            "recordCompletions",
        )
        .await;
    assert_eq!(first["accepted"], 3, "{first}");
    assert_eq!(first["duplicates"], 0);
    let rejected: Vec<(u64, String, String)> = first["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap_or(0),
                r["field"].as_str().unwrap_or("").to_owned(),
                r["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (4, "teacherId".into(), "NOT_ENROLLED".into()),
            (5, "taughtHours".into(), "OUT_OF_RANGE".into()),
            (6, "teacherId".into(), "INVALID_ID".into())
        ]
    );
    let credits: Vec<&str> = first["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["credits"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        credits,
        vec!["24", "0", "12"],
        "passed: the hours; failed: nothing; instructor: 2 × taught hours"
    );
    assert_eq!(first["records"][2]["kind"], "TEACHING");
    // The facts come back as stored: hours and score a row did not give stay empty, not zero.
    let facts: Vec<(Value, Value, Value)> = first["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| {
            (
                r["attendedHours"].clone(),
                r["taughtHours"].clone(),
                r["score"].clone(),
            )
        })
        .collect();
    assert_eq!(
        facts,
        vec![
            (json!("24"), Value::Null, json!("92.5")),
            (json!("10"), Value::Null, Value::Null),
            (json!("0"), json!("6"), Value::Null),
        ]
    );
    assert_eq!(first["records"][0]["status"], "CERTIFIED");

    // A retry changes nothing.
    let retry = app
        .ok(
            &w.ptoken,
            RECORD,
            json!({"c": w.course, "rows": rows}),
            "recordCompletions",
        )
        .await;
    assert_eq!(retry["accepted"], 0);
    assert_eq!(retry["duplicates"], 3);

    let t0 = app.login("done-t0", PASSWORD).await;
    let account = app
        .ok(&t0, ACCOUNT, json!({"id": w.teachers[0]}), "node")
        .await;
    assert_eq!(account["creditAccount"]["total"], "24");
    assert_eq!(account["creditAccount"]["pending"], "0");
    assert_eq!(
        account["creditAccount"]["byYear"],
        json!([{"year": 2026, "credits": "24"}])
    );
    assert_eq!(
        account["creditAccount"]["byCategory"],
        json!([{"category": "INFORMATION", "credits": "24"}])
    );
    assert_eq!(
        account["creditAccount"]["byLevel"],
        json!([{"level": "MUNICIPAL", "credits": "24"}])
    );
    assert_eq!(
        account["creditAccount"]["byRegion"],
        json!([{"regionCode": "370202", "credits": "24"}])
    );
    assert_eq!(account["creditRecords"]["totalCount"], 1);
    assert_eq!(
        account["creditRecords"]["edges"][0]["node"]["earnedOn"],
        "2026-06-30"
    );

    // A course still in draft takes no completions.
    let draft = app
        .ok(
            &w.ptoken,
            fixtures::CREATE_COURSE,
            json!({"i": fixtures::course_input(&w.provider, "DRAFT-1", json!({}))}),
            "createCourse",
        )
        .await;
    let refused = app
        .gql(
            Some(&w.ptoken),
            RECORD,
            json!({"c": draft["id"], "rows": []}),
        )
        .await;
    assert_eq!(error_code(&refused), "CONFLICT");
}

async fn upload(app: &TestApp, token: &str, course: &str, csv: String) -> Value {
    let operations = json!({
        "query": "mutation($c: ID!, $f: Upload!){ importCompletions(courseId:$c, file:$f){ accepted duplicates rejected { row field code } } }",
        "variables": {"c": course, "f": null}
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(csv.into_bytes())
                .file_name("completions.csv")
                .mime_str("text/csv")
                .expect("mime"),
        );
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    res.json().await.expect("json")
}

async fn a_thousand_row_file_with_three_bad_rows_posts_the_rest_once(app: TestApp) {
    let w = world(&app, 0).await;
    let course_id = uuid::Uuid::parse_str(&credit_bank_tests::uuid_of(&w.course)).expect("uuid");
    let teachers = credit_bank::bench::roster(&app.state, 1000)
        .await
        .expect("roster");
    credit_bank::bench::enrol_all(&app.state, course_id, &teachers)
        .await
        .expect("enrol");
    let mut csv = String::from("teacherId,attendedHours,passed,score\n");
    for (i, t) in teachers.iter().enumerate() {
        // Lines 2..=1001; three of them are bad.
        match i {
            10 => csv.push_str(&format!("{},24,maybe,80\n", t)),
            500 => csv.push_str(&format!("{},-1,true,80\n", t)),
            998 => csv.push_str(&format!("{},24,true,80\n", uuid::Uuid::new_v4())),
            _ => csv.push_str(&format!("{t},24,true,80\n")),
        }
    }
    let first = upload(&app, &w.ptoken, &w.course, csv.clone()).await;
    let result = &first["data"]["importCompletions"];
    assert_eq!(result["accepted"], 997, "{first}");
    assert_eq!(result["duplicates"], 0);
    assert_eq!(
        result["rejected"],
        json!([
            {"row": 12, "field": "passed", "code": "INVALID_FORMAT"},
            {"row": 502, "field": "attendedHours", "code": "OUT_OF_RANGE"},
            {"row": 1000, "field": "teacherId", "code": "NOT_FOUND"}
        ])
    );
    let again = upload(&app, &w.ptoken, &w.course, csv).await;
    let result = &again["data"]["importCompletions"];
    assert_eq!(result["accepted"], 0, "{again}");
    assert_eq!(result["duplicates"], 997);
    assert_eq!(result["rejected"].as_array().map(Vec::len), Some(3));
}

async fn a_csv_upload_posts_the_same_rows(app: TestApp) {
    let w = world(&app, 2).await;
    for t in &w.teachers {
        fixtures::enroll(&app, &w.admin, &w.course, t).await;
    }
    let csv = format!(
        "\u{feff}teacher_id,attended_hours,passed,score,role,taught_hours\n{},24,通过,88,trainee,\n{},abc,是,,,\n",
        w.teachers[0], w.teachers[1]
    );
    let operations = json!({
        "query": "mutation($c: ID!, $f: Upload!){ importCompletions(courseId:$c, file:$f){ accepted duplicates rejected { row field code } } }",
        "variables": {"c": w.course, "f": null}
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(csv.into_bytes())
                .file_name("completions.csv")
                .mime_str("text/csv")
                .expect("mime"),
        );
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&w.ptoken)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let body: Value = res.json().await.expect("json");
    let result = &body["data"]["importCompletions"];
    assert_eq!(result["accepted"], 1, "{body}");
    assert_eq!(
        result["rejected"],
        json!([{"row": 3, "field": "attendedHours", "code": "INVALID_FORMAT"}])
    );
}

async fn the_command_line_import_is_idempotent(app: TestApp) {
    let w = world(&app, 3).await;
    for t in &w.teachers {
        fixtures::enroll(&app, &w.admin, &w.course, t).await;
    }
    let path = std::env::temp_dir().join(format!("completions-{}.csv", uuid::Uuid::new_v4()));
    let mut csv = String::from("teacherId,attendedHours,passed\n");
    for t in &w.teachers {
        csv.push_str(&format!("{t},24,true\n"));
    }
    std::fs::write(&path, csv).expect("write csv");
    let course = w.course.clone();
    let first = credit_bank::cli::import_completions(&app.state, &course, &path)
        .await
        .expect("import");
    assert!(
        first.starts_with("accepted 3 · duplicates 0 · rejected 0"),
        "{first}"
    );
    let second = credit_bank::cli::import_completions(&app.state, &course, &path)
        .await
        .expect("re-import");
    assert!(
        second.starts_with("accepted 0 · duplicates 3 · rejected 0"),
        "{second}"
    );
    let _ = std::fs::remove_file(path);
}

async fn who_reads_a_teachers_ledger(app: TestApp) {
    let w = world(&app, 2).await;
    let (other_provider, other_token) =
        fixtures::provider(&app, &w.admin, "other-done", "370200", "另一完成机构").await;
    let other_course = fixtures::published_course(
        &app,
        &other_token,
        &w.admin,
        &other_provider,
        "OTHER-1",
        json!({"hours": "8"}),
    )
    .await;
    let t = &w.teachers[0];
    fixtures::enroll(&app, &w.admin, &w.course, t).await;
    fixtures::enroll(&app, &w.admin, &other_course, t).await;
    app.ok(
        &w.ptoken,
        RECORD,
        json!({"c": w.course, "rows": [{"teacherId": t, "attendedHours": "24", "passed": true}]}),
        "recordCompletions",
    )
    .await;
    app.ok(&other_token, RECORD, json!({"c": other_course, "rows": [{"teacherId": t, "attendedHours": "8", "passed": true}]}), "recordCompletions").await;

    let total = |body: &Value| {
        body["data"]["node"]["creditAccount"]["total"]
            .as_str()
            .map(str::to_owned)
    };
    let own = app
        .gql(
            Some(&app.login("done-t0", PASSWORD).await),
            ACCOUNT,
            json!({"id": t}),
        )
        .await;
    assert_eq!(total(&own).as_deref(), Some("32"), "{own}");
    let colleague = app
        .gql(
            Some(&app.login("done-t1", PASSWORD).await),
            ACCOUNT,
            json!({"id": t}),
        )
        .await;
    assert_eq!(error_code(&colleague), "FORBIDDEN");
    // A provider reads only what its own courses produced.
    let provider_view = app.gql(Some(&other_token), ACCOUNT, json!({"id": t})).await;
    assert_eq!(
        total(&provider_view).as_deref(),
        Some("8"),
        "{provider_view}"
    );
    assert_eq!(
        provider_view["data"]["node"]["creditRecords"]["totalCount"],
        1
    );
    let shinan = fixtures::region_admin(&app, &w.admin, "shinan-ledger", "370202").await;
    assert_eq!(
        total(&app.gql(Some(&shinan), ACCOUNT, json!({"id": t})).await).as_deref(),
        Some("32")
    );
    let weifang = fixtures::region_admin(&app, &w.admin, "weifang-ledger", "370700").await;
    assert_eq!(
        error_code(&app.gql(Some(&weifang), ACCOUNT, json!({"id": t})).await),
        "FORBIDDEN"
    );
}
