//! Work lists for institutions' own systems: a provider's course roster (who holds a place, by
//! teacher number, so its registrar can report completions from its own spreadsheet), and a
//! university's conversion requests and access grants.

use super::fixtures;
use super::universities::{campus, DECIDE, REQUEST};
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    a_provider_reads_its_roster_and_reports_completions_by_number,
    a_university_lists_the_conversions_waiting_for_it_and_its_grants,
);

const ROSTER: &str = "query($c: ID!, $s: EnrollmentStatus){ course(id:$c){ enrollments(status:$s, first: 10){ totalCount edges { node { status teacher { name teacherNumber } } } } } }";
const IMPORT: &str = "mutation($c: ID!, $f: Upload!){ importCompletions(courseId:$c, file:$f){ accepted duplicates rejected { row field code message } } }";

async fn roster(app: &TestApp, token: Option<&str>, course: &str, status: Value) -> Value {
    app.gql(token, ROSTER, json!({"c": course, "s": status}))
        .await
}

async fn a_provider_reads_its_roster_and_reports_completions_by_number(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "rs-inst", "370200", "名册培训机构").await;
    let (_, other) = fixtures::provider(&app, &admin, "rs-other", "370200", "别家机构").await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "RS-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    let school = fixtures::school(&app, &admin, "370202", "名册小学").await;
    for (name, number) in [("周老师", "RS0001"), ("吴老师", "RS0002")] {
        let t = app
            .ok(
                &admin,
                "mutation($i: CreateTeacherInput!){ createTeacher(input:$i){ id } }",
                json!({"i": {"schoolId": school, "name": name, "teacherNumber": number}}),
                "createTeacher",
            )
            .await;
        fixtures::enroll(&app, &admin, &course, &fixtures::id(&t)).await;
    }

    let listed = roster(&app, Some(&ptoken), &course, Value::Null).await;
    let places = &listed["data"]["course"]["enrollments"];
    assert_eq!(places["totalCount"], 2, "{listed}");
    let numbers: Vec<&str> = places["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            assert_eq!(e["node"]["status"], "ENROLLED");
            e["node"]["teacher"]["teacherNumber"]
                .as_str()
                .expect("number")
        })
        .collect();
    assert_eq!(numbers, ["RS0001", "RS0002"], "earliest enrolment first");

    // Another provider, and a caller without a token, see no one.
    assert_eq!(
        error_code(&roster(&app, Some(&other), &course, Value::Null).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&roster(&app, None, &course, Value::Null).await),
        "UNAUTHENTICATED"
    );
    // The bureau over the provider's region reads it too.
    let qingdao = fixtures::region_admin(&app, &admin, "rs-bureau", "370200").await;
    let bureau = roster(&app, Some(&qingdao), &course, Value::Null).await;
    assert_eq!(
        bureau["data"]["course"]["enrollments"]["totalCount"], 2,
        "{bureau}"
    );

    // The registrar's own sheet: the roster's numbers, Chinese headers, saved as GB18030.
    let mut text = String::from("教师编号,实际学时,是否合格,成绩\n");
    for n in &numbers {
        text.push_str(&format!("{n},24,是,88\n"));
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let posted = fixtures::upload(
        &app,
        &ptoken,
        IMPORT,
        json!({"c": course}),
        "成绩.csv",
        bytes.into_owned(),
    )
    .await;
    assert_eq!(
        posted["data"]["importCompletions"]["accepted"], 2,
        "{posted}"
    );

    let done = roster(&app, Some(&ptoken), &course, json!("COMPLETED")).await;
    assert_eq!(
        done["data"]["course"]["enrollments"]["totalCount"], 2,
        "{done}"
    );
    let waiting = roster(&app, Some(&ptoken), &course, json!("ENROLLED")).await;
    assert_eq!(waiting["data"]["course"]["enrollments"]["totalCount"], 0);
}

const WORK: &str = "query($s: ConversionStatus){ viewer { university { conversions(status:$s, first: 5){ totalCount edges { node { status academicCredits teacher { name } } } } accessGrants(first: 5){ totalCount edges { node { active teacherId } } } } } }";

async fn a_university_lists_the_conversions_waiting_for_it_and_its_grants(app: TestApp) {
    let c = campus(&app, "wl", 2).await;
    let work = |status: Value| {
        let uni = c.uni.clone();
        let app = &app;
        async move { app.gql(Some(&uni), WORK, json!({"s": status})).await }
    };
    let empty = work(json!("REQUESTED")).await;
    assert_eq!(
        empty["data"]["viewer"]["university"]["conversions"]["totalCount"], 0,
        "{empty}"
    );

    app.ok(
        &c.own,
        "mutation($u: ID!){ grantAccess(universityId:$u){ active } }",
        json!({"u": c.university}),
        "grantAccess",
    )
    .await;
    let asked = app
        .ok(
            &c.own,
            REQUEST,
            json!({"m": c.mapping}),
            "requestConversion",
        )
        .await;

    let pending = work(json!("REQUESTED")).await;
    let lists = &pending["data"]["viewer"]["university"];
    assert_eq!(lists["conversions"]["totalCount"], 1, "{pending}");
    let first = &lists["conversions"]["edges"][0]["node"];
    assert_eq!(first["status"], "REQUESTED");
    assert_eq!(first["academicCredits"], "2");
    assert_eq!(first["teacher"]["name"], "赵老师");
    assert_eq!(lists["accessGrants"]["totalCount"], 1);
    assert_eq!(lists["accessGrants"]["edges"][0]["node"]["active"], true);
    assert_eq!(
        lists["accessGrants"]["edges"][0]["node"]["teacherId"],
        c.teacher
    );

    // Decided, it leaves the waiting list and shows among the approved ones.
    app.ok(
        &c.uni,
        DECIDE,
        json!({"id": asked["id"], "d": "APPROVE"}),
        "decideConversion",
    )
    .await;
    let after = work(json!("REQUESTED")).await;
    assert_eq!(
        after["data"]["viewer"]["university"]["conversions"]["totalCount"],
        0
    );
    let approved = work(json!("APPROVED")).await;
    assert_eq!(
        approved["data"]["viewer"]["university"]["conversions"]["totalCount"],
        1
    );

    // Neither the bureau of the university's region nor another university reads the lists.
    let lists = "query($u: ID!){ node(id:$u){ ... on University { conversions { totalCount } } } }";
    let bureau = fixtures::region_admin(&app, &c.admin, "wl-bureau", "370000").await;
    assert_eq!(
        error_code(
            &app.gql(Some(&bureau), lists, json!({"u": c.university}))
                .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&c.own), lists, json!({"u": c.university}))
                .await
        ),
        "FORBIDDEN"
    );
}
