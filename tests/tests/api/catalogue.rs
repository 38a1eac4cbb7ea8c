//! Providers publish, region admins approve, teachers choose.

use super::fixtures::{self, course_input, CREATE_COURSE};
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    a_course_is_invisible_until_a_region_admin_over_the_provider_approves_it,
    bad_course_input_names_the_field,
    credit_bearing_fields_freeze_once_teachers_enrol,
    the_catalogue_filters_and_pages,
    capacity_waitlist_and_withdrawal,
    bulk_enrolment_reports_each_row,
    concurrent_enrolments_never_exceed_capacity,
    a_page_of_courses_costs_a_bounded_number_of_statements,
);

const COURSES: &str = "query($f: CourseFilter, $first: Int, $after: String){ courses(filter:$f, first:$first, after:$after){ totalCount pageInfo { hasNextPage endCursor } edges { node { id code title status provider { name } } } } }";

fn codes(conn: &Value) -> Vec<String> {
    let mut v: Vec<String> = conn["edges"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| e["node"]["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

async fn a_course_is_invisible_until_a_region_admin_over_the_provider_approves_it(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "qd-inst", "370200", "青岛市教育科学研究院").await;
    let school = fixtures::school(&app, &admin, "370202", "市南区实验小学").await;
    fixtures::teacher(&app, &admin, &school, "张老师", Some("zhang-c")).await;
    let teacher = app.login("zhang-c", PASSWORD).await;

    let created = app
        .ok(
            &ptoken,
            CREATE_COURSE,
            json!({"i": course_input(&provider, "QD-IT-01", json!({}))}),
            "createCourse",
        )
        .await;
    assert_eq!(created["status"], "DRAFT");
    let course = fixtures::id(&created);
    let hidden = app
        .gql(
            Some(&teacher),
            "query($id: ID!){ course(id:$id){ id } }",
            json!({"id": course}),
        )
        .await;
    assert!(hidden["data"]["course"].is_null(), "{hidden}");
    let list = app.ok(&teacher, COURSES, json!({}), "courses").await;
    assert_eq!(list["totalCount"], 0);
    // The provider sees its own draft.
    let own = app.ok(&ptoken, COURSES, json!({}), "courses").await;
    assert_eq!(codes(&own), vec!["QD-IT-01"]);

    let early = app
        .gql(
            Some(&admin),
            "mutation($id: ID!){ approveCourse(id:$id, decision: APPROVE){ status } }",
            json!({"id": course}),
        )
        .await;
    assert_eq!(
        error_code(&early),
        "CONFLICT",
        "a draft cannot be approved: {early}"
    );
    let published = app
        .ok(
            &ptoken,
            "mutation($id: ID!){ publishCourse(id:$id){ status } }",
            json!({"id": course}),
            "publishCourse",
        )
        .await;
    assert_eq!(published["status"], "PENDING_APPROVAL");

    let approve = "mutation($id: ID!, $d: Decision!, $c: String){ approveCourse(id:$id, decision:$d, comment:$c){ status } }";
    let by_provider = app
        .gql(
            Some(&ptoken),
            approve,
            json!({"id": course, "d": "APPROVE"}),
        )
        .await;
    assert_eq!(error_code(&by_provider), "FORBIDDEN");
    let wuhan = fixtures::region_admin(&app, &admin, "wuhan-cat", "420100").await;
    let by_outsider = app
        .gql(Some(&wuhan), approve, json!({"id": course, "d": "APPROVE"}))
        .await;
    assert_eq!(error_code(&by_outsider), "FORBIDDEN");
    let reject_without_reason = app
        .gql(Some(&admin), approve, json!({"id": course, "d": "REJECT"}))
        .await;
    assert_eq!(error_code(&reject_without_reason), "BAD_USER_INPUT");

    let rejected = app
        .ok(
            &admin,
            approve,
            json!({"id": course, "d": "REJECT", "c": "缺少课程大纲"}),
            "approveCourse",
        )
        .await;
    assert_eq!(rejected["status"], "DRAFT");
    app.ok(
        &ptoken,
        "mutation($id: ID!){ publishCourse(id:$id){ status } }",
        json!({"id": course}),
        "publishCourse",
    )
    .await;
    let qingdao = fixtures::region_admin(&app, &admin, "qingdao-cat", "370200").await;
    let approved = app
        .ok(
            &qingdao,
            approve,
            json!({"id": course, "d": "APPROVE"}),
            "approveCourse",
        )
        .await;
    assert_eq!(approved["status"], "PUBLISHED");
    let again = app
        .gql(
            Some(&qingdao),
            approve,
            json!({"id": course, "d": "APPROVE"}),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");

    // The provider reads the decisions and their reasons; a teacher does not.
    let reviews = "query($id: ID!){ course(id:$id){ reviews { decision comment } } }";
    let seen = app
        .ok(&ptoken, reviews, json!({"id": course}), "course")
        .await;
    assert_eq!(
        seen["reviews"],
        json!([{"decision": "REJECT", "comment": "缺少课程大纲"}, {"decision": "APPROVE", "comment": null}])
    );
    let hidden = app
        .ok(&teacher, reviews, json!({"id": course}), "course")
        .await;
    assert_eq!(hidden["reviews"], json!([]));
    let visible = app.ok(&teacher, COURSES, json!({}), "courses").await;
    assert_eq!(codes(&visible), vec!["QD-IT-01"]);
    assert_eq!(
        visible["edges"][0]["node"]["provider"]["name"],
        "青岛市教育科学研究院"
    );
    // Anonymous visitors browse the approved catalogue too.
    let anonymous = app.gql(None, COURSES, json!({})).await;
    assert_eq!(anonymous["data"]["courses"]["totalCount"], 1);
}

async fn bad_course_input_names_the_field(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) = fixtures::provider(&app, &admin, "v-inst", "370200", "校验机构").await;
    let cases = [
        (json!({"hours": "0"}), "input.hours"),
        (json!({"code": ""}), "input.code"),
        (json!({"capacity": 0}), "input.capacity"),
        (json!({"category": "not a key"}), "input.category"),
        (
            json!({"enrollmentOpensOn": "2026-09-10", "enrollmentClosesOn": "2026-09-01"}),
            "input.enrollmentClosesOn",
        ),
    ];
    for (extra, field) in cases {
        let body = app
            .gql(
                Some(&ptoken),
                CREATE_COURSE,
                json!({"i": course_input(&provider, "BAD-1", extra)}),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    // A float is refused (it has already lost the exact value), and so is a fifth decimal place;
    // these are scalar errors, raised before any field is read, so they carry the type's message.
    for hours in [json!(1.5), json!("1.23456")] {
        let body = app
            .gql(
                Some(&ptoken),
                CREATE_COURSE,
                json!({"i": course_input(&provider, "BAD-2", json!({"hours": hours}))}),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("Decimal"),
            "{body}"
        );
    }
    app.ok(
        &ptoken,
        CREATE_COURSE,
        json!({"i": course_input(&provider, "DUP-1", json!({}))}),
        "createCourse",
    )
    .await;
    let dup = app
        .gql(
            Some(&ptoken),
            CREATE_COURSE,
            json!({"i": course_input(&provider, "DUP-1", json!({}))}),
        )
        .await;
    assert_eq!(error_code(&dup), "CONFLICT");
    let (_, other) = fixtures::provider(&app, &admin, "other-inst", "420100", "另一机构").await;
    let foreign = app
        .gql(
            Some(&other),
            CREATE_COURSE,
            json!({"i": course_input(&provider, "X-1", json!({}))}),
        )
        .await;
    assert_eq!(error_code(&foreign), "FORBIDDEN");
}

async fn credit_bearing_fields_freeze_once_teachers_enrol(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) = fixtures::provider(&app, &admin, "f-inst", "370200", "冻结机构").await;
    let school = fixtures::school(&app, &admin, "370202", "冻结小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "钱老师", None).await;
    let course =
        fixtures::published_course(&app, &ptoken, &admin, &provider, "FZ-1", json!({})).await;
    fixtures::enroll(&app, &admin, &course, &teacher).await;
    let update =
        "mutation($id: ID!, $i: CourseInput!){ updateCourse(id:$id, input:$i){ title hours } }";
    let hours = app
        .gql(
            Some(&ptoken),
            update,
            json!({"id": course, "i": course_input(&provider, "FZ-1", json!({"hours": "30"}))}),
        )
        .await;
    assert_eq!(error_code(&hours), "CONFLICT", "{hours}");
    assert!(hours["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("hours"));
    let title = app.ok(&ptoken, update, json!({"id": course, "i": course_input(&provider, "FZ-1", json!({"title": "信息技术 2.0"}))}), "updateCourse").await;
    assert_eq!(title["title"], "信息技术 2.0");
    assert_eq!(title["hours"], "24");
}

async fn the_catalogue_filters_and_pages(app: TestApp) {
    let admin = app.admin_token().await;
    let (qd, qd_token) = fixtures::provider(&app, &admin, "qd-f", "370200", "青岛机构").await;
    let (wh, wh_token) = fixtures::provider(&app, &admin, "wh-f", "420100", "武汉机构").await;
    fixtures::published_course(
        &app,
        &qd_token,
        &admin,
        &qd,
        "QD-1",
        json!({"title": "班主任工作专题", "category": "HEAD_TEACHER"}),
    )
    .await;
    fixtures::published_course(&app, &qd_token, &admin, &qd, "QD-2", json!({"level": "PROVINCIAL", "modality": "ONLINE", "targetStages": ["JUNIOR_SECONDARY"], "subjects": ["英语"]})).await;
    fixtures::published_course(
        &app,
        &wh_token,
        &admin,
        &wh,
        "WH-1",
        json!({"enrollmentOpensOn": "2020-01-01", "enrollmentClosesOn": "2020-02-01"}),
    )
    .await;
    fixtures::published_course(
        &app,
        &wh_token,
        &admin,
        &wh,
        "WH-2",
        json!({"description": "Python programming for teachers"}),
    )
    .await;
    let q = |f: Value| app.gql(None, COURSES, json!({"f": f}));
    assert_eq!(
        codes(&q(json!({"search": "班主任"})).await["data"]["courses"]),
        vec!["QD-1"]
    );
    assert_eq!(
        codes(&q(json!({"search": "PYTHON"})).await["data"]["courses"]),
        vec!["WH-2"]
    );
    assert_eq!(
        codes(&q(json!({"regionCode": "370000"})).await["data"]["courses"]),
        vec!["QD-1", "QD-2"]
    );
    assert_eq!(
        codes(&q(json!({"providerId": wh})).await["data"]["courses"]),
        vec!["WH-1", "WH-2"]
    );
    assert_eq!(
        codes(&q(json!({"level": "PROVINCIAL"})).await["data"]["courses"]),
        vec!["QD-2"]
    );
    assert_eq!(
        codes(&q(json!({"modality": "ONLINE"})).await["data"]["courses"]),
        vec!["QD-2"]
    );
    assert_eq!(
        codes(&q(json!({"category": "HEAD_TEACHER"})).await["data"]["courses"]),
        vec!["QD-1"]
    );
    assert_eq!(
        codes(&q(json!({"stage": "JUNIOR_SECONDARY"})).await["data"]["courses"]),
        vec!["QD-2"]
    );
    assert_eq!(
        codes(&q(json!({"subject": "英语"})).await["data"]["courses"]),
        vec!["QD-2"]
    );
    assert_eq!(
        codes(&q(json!({"openForEnrollment": true})).await["data"]["courses"]),
        vec!["QD-1", "QD-2", "WH-2"]
    );
    assert_eq!(
        codes(&q(json!({"openForEnrollment": false})).await["data"]["courses"]),
        vec!["WH-1"]
    );
    // Pages are stable and complete.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .gql(None, COURSES, json!({"first": 3, "after": after}))
            .await;
        let conn = &page["data"]["courses"];
        assert_eq!(conn["totalCount"], 4);
        seen.extend(codes(conn));
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    seen.sort();
    assert_eq!(seen, vec!["QD-1", "QD-2", "WH-1", "WH-2"]);
}

const COURSE_SEATS: &str =
    "query($id: ID!){ course(id:$id){ capacity enrolledCount waitlistedCount seatsLeft } }";

async fn capacity_waitlist_and_withdrawal(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "cap-inst", "370200", "容量机构").await;
    let school = fixtures::school(&app, &admin, "370202", "容量小学").await;
    let a = fixtures::teacher(&app, &admin, &school, "甲", Some("t-a")).await;
    let b = fixtures::teacher(&app, &admin, &school, "乙", Some("t-b")).await;
    let c = fixtures::teacher(&app, &admin, &school, "丙", Some("t-c")).await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "CAP-1",
        json!({"capacity": 2}),
    )
    .await;

    let ta = app.login("t-a", PASSWORD).await;
    let self_enrol = app
        .ok(
            &ta,
            "mutation($c: ID!){ enroll(courseId:$c){ id status } }",
            json!({"c": course}),
            "enroll",
        )
        .await;
    assert_eq!(self_enrol["status"], "ENROLLED");
    let twice = app
        .gql(
            Some(&ta),
            "mutation($c: ID!){ enroll(courseId:$c){ id } }",
            json!({"c": course}),
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");
    let colleague = app
        .gql(
            Some(&ta),
            "mutation($c: ID!, $t: ID){ enroll(courseId:$c, teacherId:$t){ id } }",
            json!({"c": course, "t": b}),
        )
        .await;
    assert_eq!(error_code(&colleague), "FORBIDDEN");

    fixtures::enroll(&app, &admin, &course, &b).await;
    let third = fixtures::enroll(&app, &ptoken, &course, &c).await;
    assert_eq!(third["status"], "WAITLISTED");
    let seats = app
        .ok(&admin, COURSE_SEATS, json!({"id": course}), "course")
        .await;
    assert_eq!(
        seats,
        json!({"capacity": 2, "enrolledCount": 2, "waitlistedCount": 1, "seatsLeft": 0})
    );

    let withdrawn = app
        .ok(
            &ta,
            "mutation($e: ID!){ withdraw(enrollmentId:$e){ status } }",
            json!({"e": self_enrol["id"]}),
            "withdraw",
        )
        .await;
    assert_eq!(withdrawn["status"], "WITHDRAWN");
    let seats = app
        .ok(&admin, COURSE_SEATS, json!({"id": course}), "course")
        .await;
    assert_eq!(
        seats,
        json!({"capacity": 2, "enrolledCount": 2, "waitlistedCount": 0, "seatsLeft": 0}),
        "the waitlisted teacher moved up"
    );
    let again = app
        .gql(
            Some(&ta),
            "mutation($e: ID!){ withdraw(enrollmentId:$e){ status } }",
            json!({"e": self_enrol["id"]}),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");

    // A teacher finds its own places (to withdraw later), not a colleague's.
    let places = "query($id: ID!){ node(id:$id){ ... on Teacher { enrollments { totalCount edges { node { id status course { code } } } } } } }";
    let mine = app.ok(&ta, places, json!({"id": a}), "node").await;
    assert_eq!(mine["enrollments"]["totalCount"], 1);
    assert_eq!(
        mine["enrollments"]["edges"][0]["node"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(
        mine["enrollments"]["edges"][0]["node"]["course"]["code"],
        "CAP-1"
    );
    assert_eq!(
        error_code(&app.gql(Some(&ta), places, json!({"id": b})).await),
        "FORBIDDEN"
    );
    let closed_window = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "CAP-2",
        json!({"enrollmentOpensOn": "2020-01-01", "enrollmentClosesOn": "2020-01-31"}),
    )
    .await;
    let late = app
        .gql(
            Some(&admin),
            "mutation($c: ID!, $t: ID){ enroll(courseId:$c, teacherId:$t){ id } }",
            json!({"c": closed_window, "t": a}),
        )
        .await;
    assert_eq!(error_code(&late), "CONFLICT");
}

async fn bulk_enrolment_reports_each_row(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "bulk-inst", "370200", "批量机构").await;
    let school = fixtures::school(&app, &admin, "370202", "批量小学").await;
    let a = fixtures::teacher(&app, &admin, &school, "甲", None).await;
    let b = fixtures::teacher(&app, &admin, &school, "乙", None).await;
    let course =
        fixtures::published_course(&app, &ptoken, &admin, &provider, "BULK-1", json!({})).await;
    let result = app
        .ok(&ptoken, "mutation($c: ID!, $t: [ID!]!){ enrollTeachers(courseId:$c, teacherIds:$t){ succeeded failed items { id ok code } } }", json!({"c": course, "t": [a, b, a, "bogus"]}), "enrollTeachers")
        .await;
    assert_eq!(result["succeeded"], 2);
    assert_eq!(result["failed"], 2);
    assert_eq!(result["items"][2]["code"], "CONFLICT");
    assert_eq!(result["items"][3]["code"], "BAD_USER_INPUT");
}

async fn concurrent_enrolments_never_exceed_capacity(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "race-inst", "370200", "并发机构").await;
    let school = fixtures::school(&app, &admin, "370202", "并发小学").await;
    let mut teachers = Vec::new();
    for i in 0..16 {
        teachers.push(fixtures::teacher(&app, &admin, &school, &format!("教师{i}"), None).await);
    }
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "RACE-1",
        json!({"capacity": 5}),
    )
    .await;
    let app = std::sync::Arc::new(app);
    let mut handles = Vec::new();
    for t in teachers {
        let (app, admin, course) = (app.clone(), admin.clone(), course.clone());
        handles.push(tokio::spawn(async move {
            app.gql(
                Some(&admin),
                "mutation($c: ID!, $t: ID){ enroll(courseId:$c, teacherId:$t){ status } }",
                json!({"c": course, "t": t}),
            )
            .await
        }));
    }
    let mut statuses = Vec::new();
    for h in handles {
        let body = h.await.expect("task");
        statuses.push(
            body["data"]["enroll"]["status"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_owned(),
        );
    }
    assert_eq!(statuses.iter().filter(|s| *s == "ENROLLED").count(), 5);
    assert_eq!(statuses.iter().filter(|s| *s == "WAITLISTED").count(), 11);
    let seats = app
        .ok(&admin, COURSE_SEATS, json!({"id": course}), "course")
        .await;
    assert_eq!(seats["enrolledCount"], 5);
}

async fn a_page_of_courses_costs_a_bounded_number_of_statements(app: TestApp) {
    let admin = app.admin_token().await;
    let mut providers = Vec::new();
    for i in 0..3 {
        providers.push(
            fixtures::provider(
                &app,
                &admin,
                &format!("stmt-{i}"),
                "370200",
                &format!("机构{i}"),
            )
            .await,
        );
    }
    for i in 0..24 {
        let (provider, token) = &providers[i % 3];
        fixtures::published_course(
            &app,
            token,
            &admin,
            provider,
            &format!("S-{i:02}"),
            json!({}),
        )
        .await;
    }
    let q = "query($n: Int){ courses(first:$n){ edges { node { code provider { name region { code } } enrolledCount seatsLeft } } } }";
    let mut costs = Vec::new();
    for n in [2, 24] {
        let before = app.state.metrics.db_statements();
        let body = app.gql(Some(&admin), q, json!({"n": n})).await;
        assert_eq!(
            body["data"]["courses"]["edges"].as_array().map(Vec::len),
            Some(n)
        );
        costs.push(app.state.metrics.db_statements() - before);
    }
    assert_eq!(
        costs[0], costs[1],
        "statements must not grow with the page: {costs:?}"
    );
    assert!(costs[1] <= 8, "a page costs {} statements", costs[1]);
}
