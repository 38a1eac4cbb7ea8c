//! A provider acts for the teachers of its own region only, and reads only what its own
//! courses are about: their places in its courses and the records those produced.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::json;

on_both_backends!(a_provider_reaches_its_regions_teachers_and_its_own_records_only);

const ENROLL: &str = "mutation($c: ID!, $t: ID){ enroll(courseId:$c, teacherId:$t){ id status } }";
const ENROLMENTS: &str =
    "query($t: ID!){ node(id:$t){ ... on Teacher { enrollments(first: 10){ totalCount } } } }";
const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted rejected { row field code } } }";

async fn a_provider_reaches_its_regions_teachers_and_its_own_records_only(app: TestApp) {
    let admin = app.admin_token().await;
    let (qingdao, qtoken) =
        fixtures::provider(&app, &admin, "reach-qd", "370200", "青岛培训中心").await;
    let (other, otoken) =
        fixtures::provider(&app, &admin, "reach-sd", "370000", "山东培训中心").await;
    let course =
        fixtures::published_course(&app, &qtoken, &admin, &qingdao, "REACH-1", json!({})).await;
    let elsewhere =
        fixtures::published_course(&app, &otoken, &admin, &other, "REACH-2", json!({})).await;
    let shinan = fixtures::school(&app, &admin, "370202", "市南区第三小学").await;
    let wuhan = fixtures::school(&app, &admin, "420102", "江岸区第三小学").await;
    let near = fixtures::teacher(&app, &admin, &shinan, "近老师", None).await;
    let far = fixtures::teacher(&app, &admin, &wuhan, "远老师", Some("reach-far")).await;

    // Enrolling on someone's behalf: Qingdao's teachers yes, Wuhan's no.
    let refused = app
        .gql(Some(&qtoken), ENROLL, json!({"c": course, "t": far}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    // The Wuhan teacher may enrol itself; the provider may then withdraw that place.
    let own = app.login("reach-far", credit_bank_tests::PASSWORD).await;
    let place_far = app
        .ok(&own, ENROLL, json!({"c": course, "t": null}), "enroll")
        .await;
    let withdrawn = app
        .ok(
            &qtoken,
            "mutation($e: ID!){ withdraw(enrollmentId:$e){ status } }",
            json!({"e": place_far["id"]}),
            "withdraw",
        )
        .await;
    assert_eq!(withdrawn["status"], "WITHDRAWN");
    let place = fixtures::enroll(&app, &qtoken, &course, &near).await;
    fixtures::enroll(&app, &admin, &elsewhere, &near).await;

    // The provider sees the place in its own course, not the teacher's other studies.
    let seen = app
        .ok(&qtoken, ENROLMENTS, json!({"t": near}), "node")
        .await;
    assert_eq!(seen["enrollments"]["totalCount"], 1, "{seen}");
    let all = app.ok(&admin, ENROLMENTS, json!({"t": near}), "node").await;
    assert_eq!(all["enrollments"]["totalCount"], 2);

    // Whole-ledger reads are not a provider's: transcripts, conversions, transfer previews.
    for (query, vars) in [
        (
            "mutation($t: ID){ issueTranscript(teacherId:$t){ jwt } }",
            json!({"t": near}),
        ),
        (
            "query($t: ID!){ conversions(teacherId:$t){ id } }",
            json!({"t": near}),
        ),
    ] {
        let body = app.gql(Some(&qtoken), query, vars).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{query}: {body}");
    }

    // A withdrawn place is no tie: the provider no longer reads the teacher.
    app.ok(
        &admin,
        "mutation($e: ID!){ withdraw(enrollmentId:$e){ status } }",
        json!({"e": place["id"]}),
        "withdraw",
    )
    .await;
    let gone = app.gql(Some(&qtoken), ENROLMENTS, json!({"t": near})).await;
    assert!(gone["data"]["node"].is_null(), "{gone}");
    assert!(gone["errors"].is_array(), "{gone}");

    // An instructor row for a teacher outside the provider's region is refused; inside, posted.
    let rows = json!([
        {"teacherId": far, "passed": true, "role": "INSTRUCTOR", "taughtHours": "6"},
        {"teacherId": near, "passed": true, "role": "INSTRUCTOR", "taughtHours": "6"},
    ]);
    let outcome = app
        .ok(
            &qtoken,
            RECORD,
            json!({"c": course, "rows": rows}),
            "recordCompletions",
        )
        .await;
    assert_eq!(outcome["accepted"], 1, "{outcome}");
    assert_eq!(
        outcome["rejected"],
        json!([{"row": 1, "field": "teacherId", "code": "NOT_IN_PROVIDER_REGION"}])
    );
}
