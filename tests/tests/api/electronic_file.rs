//! The electronic file: every record, its evidence and history, as CSV and printable HTML, and
//! it follows a teacher who moves to another province.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp, PASSWORD};
use serde_json::json;

on_both_backends!(the_file_of_a_teacher_who_moved_holds_every_record);

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, String) {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

async fn the_file_of_a_teacher_who_moved_holds_every_record(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "ef-inst", "370200", "青岛培训中心").await;
    let school = fixtures::school(&app, &admin, "370202", "档案小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "李<档案>", Some("ef-t")).await;
    let own = app.login("ef-t", PASSWORD).await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "EF-1",
        json!({"endsOn": "2026-06-30"}),
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
    let claim = app
        .ok(
            &own,
            "mutation($i: ClaimInput!){ claimCredit(input:$i){ id } }",
            json!({"i": {"kind": "PAPER", "title": "课堂观察报告", "level": "MUNICIPAL", "earnedOn": "2026-03-01",
                         "evidence": [{"name": "录用通知", "url": "https://files.example.cn/accept.pdf"}]}}),
            "claimCredit",
        )
        .await;
    let school_admin = fixtures::school_admin(&app, &admin, "ef-sa", &school).await;
    app.ok(
        &school_admin,
        "mutation($id: ID!){ reviewCredit(id:$id, decision: APPROVE){ status } }",
        json!({"id": claim["id"]}),
        "reviewCredit",
    )
    .await;
    let wuhan = fixtures::school(&app, &admin, "420106", "武昌小学").await;
    app.ok(
        &admin,
        "mutation($t: ID!, $s: ID!){ transferTeacher(teacherId:$t, toSchoolId:$s, on:\"2026-09-01\"){ id } }",
        json!({"t": teacher, "s": wuhan}),
        "transferTeacher",
    )
    .await;

    let (status, csv) = get(&app, Some(&own), &format!("/teachers/{teacher}/file.csv")).await;
    assert_eq!(status, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "header and two records: {csv}");
    assert!(lines[0]
        .trim_start_matches('\u{feff}')
        .starts_with("earnedOn,kind,title"));
    assert!(csv.contains("信息技术应用能力提升"), "{csv}");
    assert!(csv.contains("课堂观察报告") && csv.contains("https://files.example.cn/accept.pdf"));
    assert!(csv.contains("SCHOOL APPROVE ef-sa"), "{csv}");
    // Both records, earned in Qingdao, are in the Wuhan teacher's file; the completion is
    // re-denominated under Wuhan's policy (24 concentrated hours = 3 credits).
    let completion = lines
        .iter()
        .find(|l| l.contains("信息技术应用能力提升"))
        .expect("completion");
    assert!(
        completion.contains(",370202,CERTIFIED,24,qingdao-shinan,3,3,"),
        "{completion}"
    );

    let (status, page) = get(&app, Some(&own), &format!("/teachers/{teacher}/file.html")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("李&lt;档案&gt;") && !page.contains("李<档案>"),
        "names are escaped"
    );
    assert!(page.contains("盖章"));
    assert!(page.contains("武汉市中小学教师继续教育管理办法"));

    assert_eq!(
        get(&app, None, &format!("/teachers/{teacher}/file.csv"))
            .await
            .0,
        401
    );
    let stranger = fixtures::region_admin(&app, &admin, "ef-weifang", "370700").await;
    assert_eq!(
        get(
            &app,
            Some(&stranger),
            &format!("/teachers/{teacher}/file.csv")
        )
        .await
        .0,
        403
    );
    assert_eq!(
        get(&app, Some(&own), &format!("/teachers/{teacher}/file.pdf"))
            .await
            .0,
        404
    );
}
