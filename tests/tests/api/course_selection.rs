//! Course selection that closes the teacher's gap: a course's programme kind reaches its
//! trainees' records, the catalogue filters by level, compulsion, kind and start date, each
//! course previews what it would add to the teacher's compliance, and the open courses are
//! recommended by how much of the shortfall they close — one evaluation per teacher and request.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    a_programmes_kind_reaches_its_trainees_records_and_its_price,
    the_catalogue_filters_by_level_compulsion_kind_and_start,
    a_preview_fills_requirements_or_says_why_it_counts_nothing,
    recommendations_put_the_course_closing_most_of_the_gap_first,
    previews_of_a_page_cost_one_evaluation_whatever_its_size,
);

const RECORD: &str = "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted rejected { code } records { kind role credits policyKey } } }";
const PREVIEW: &str = "query($c: ID!, $t: ID){ course(id:$c){ code creditPreview(teacherId:$t){ credits counted fills { requirementKey label credits } notes { code message } } } }";
const RECOMMENDED: &str = "query($t: ID, $n: Int, $after: String){ recommendedCourses(teacherId:$t, first:$n, after:$after){ totalCount edges { cursor node { code creditPreview(teacherId:$t){ counted } } } pageInfo { hasNextPage endCursor } } }";

/// A Shandong teacher (Qingdao's Shibei district has no policy of its own) with a login, and a
/// Qingdao provider; the clock stands on 2026-09-05 in Shanghai, in the 2026–2030 cycle.
struct World {
    admin: String,
    provider: String,
    ptoken: String,
    school: String,
    teacher: String,
    token: String,
}

async fn world(app: &TestApp, tag: &str) -> World {
    let morning = chrono::DateTime::parse_from_rfc3339("2026-09-05T02:00:00Z")
        .expect("instant")
        .with_timezone(&chrono::Utc);
    app.state.clock.set(Some(morning));
    let admin = app.admin_token().await;
    let (provider, ptoken) = fixtures::provider(
        app,
        &admin,
        &format!("{tag}-p"),
        "370200",
        &format!("青岛{tag}研修机构"),
    )
    .await;
    let school = fixtures::school(app, &admin, "370203", &format!("市北区{tag}小学")).await;
    let login = format!("{tag}-t");
    let teacher = fixtures::teacher(app, &admin, &school, "选课老师", Some(&login)).await;
    let token = app.login(&login, PASSWORD).await;
    World {
        admin,
        provider,
        ptoken,
        school,
        teacher,
        token,
    }
}

impl World {
    async fn course(&self, app: &TestApp, code: &str, extra: Value) -> String {
        fixtures::published_course(app, &self.ptoken, &self.admin, &self.provider, code, extra)
            .await
    }

    /// Enrols the teacher and records it passed with every hour attended.
    async fn complete(&self, app: &TestApp, course: &str, hours: &str) -> Value {
        fixtures::enroll(app, &self.admin, course, &self.teacher).await;
        app.ok(
            &self.ptoken,
            RECORD,
            json!({"c": course, "rows": [{"teacherId": self.teacher, "attendedHours": hours, "passed": true}]}),
            "recordCompletions",
        )
        .await
    }
}

async fn preview(app: &TestApp, token: &str, course: &str, teacher: Option<&str>) -> Value {
    let body = app
        .gql(Some(token), PREVIEW, json!({"c": course, "t": teacher}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["course"]["creditPreview"].clone()
}

/// `requirementKey → credits` of a preview's fills.
fn fills(p: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = p["fills"]
        .as_array()
        .expect("fills")
        .iter()
        .map(|f| {
            (
                f["requirementKey"].as_str().unwrap_or_default().to_owned(),
                f["credits"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    out.sort();
    out
}

async fn a_programmes_kind_reaches_its_trainees_records_and_its_price(app: TestApp) {
    let w = world(&app, "kind").await;
    let degree = w
        .course(
            &app,
            "DEG-01",
            json!({"kind": "DEGREE_STUDY", "modality": "DEGREE_STUDY", "title": "教育硕士课程", "endsOn": "2026-09-30"}),
        )
        .await;
    let plain = w
        .course(&app, "PLN-01", json!({"endsOn": "2026-09-30"}))
        .await;
    let kind_of = |id: String| {
        let app = &app;
        async move {
            app.gql(
                None,
                "query($c: ID!){ course(id:$c){ kind } }",
                json!({"c": id}),
            )
            .await["data"]["course"]["kind"]
                .clone()
        }
    };
    assert_eq!(kind_of(degree.clone()).await, "DEGREE_STUDY");
    assert_eq!(kind_of(plain.clone()).await, "COURSE_COMPLETION");

    // Shandong art. 15: a degree programme earns 72 for the academic year; the same 24 hours of
    // plain training earn 24 (art. 14). The instructor of the degree programme taught it: a
    // TEACHING record, twice the hours taught (art. 17).
    let lecturer = fixtures::teacher(&app, &w.admin, &w.school, "授课老师", None).await;
    fixtures::enroll(&app, &w.admin, &degree, &w.teacher).await;
    let posted = app
        .ok(
            &w.ptoken,
            RECORD,
            json!({"c": degree, "rows": [
                {"teacherId": w.teacher, "attendedHours": "24", "passed": true},
                {"teacherId": lecturer, "passed": true, "role": "INSTRUCTOR", "taughtHours": "8"}
            ]}),
            "recordCompletions",
        )
        .await;
    assert_eq!(posted["accepted"], 2, "{posted}");
    let records = posted["records"].as_array().expect("records");
    let trainee = records
        .iter()
        .find(|r| r["role"] == "TRAINEE")
        .expect("trainee record");
    assert_eq!(trainee["kind"], "DEGREE_STUDY");
    assert_eq!(trainee["credits"], "72");
    assert_eq!(trainee["policyKey"], "shandong");
    let instructor = records
        .iter()
        .find(|r| r["role"] == "INSTRUCTOR")
        .expect("instructor record");
    assert_eq!(instructor["kind"], "TEACHING");
    assert_eq!(instructor["credits"], "16");
    let plain_posted = w.complete(&app, &plain, "24").await;
    assert_eq!(plain_posted["records"][0]["kind"], "COURSE_COMPLETION");
    assert_eq!(plain_posted["records"][0]["credits"], "24");

    // The compliance report re-prices the record from its kind: the degree-study rule.
    let report = app
        .ok(
            &w.token,
            "query($t: ID!){ compliance(teacherId:$t){ totalCounted records { record { kind } rule credits counted } } }",
            json!({"t": w.teacher}),
            "compliance",
        )
        .await;
    assert_eq!(report["totalCounted"], "96", "{report}");
    let degree_row = report["records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["record"]["kind"] == "DEGREE_STUDY")
        .expect("degree record");
    assert_eq!(degree_row["rule"], "degree-study");
    assert_eq!(degree_row["counted"], "72");

    // A paper is not a programme one enrols in.
    let paper = app
        .gql(
            Some(&w.ptoken),
            fixtures::CREATE_COURSE,
            json!({"i": fixtures::course_input(&w.provider, "PAPER-01", json!({"kind": "PAPER"}))}),
        )
        .await;
    assert_eq!(error_code(&paper), "BAD_USER_INPUT");
    assert_eq!(
        paper["errors"][0]["extensions"]["field"], "input.kind",
        "{paper}"
    );
    assert_eq!(
        paper["errors"][0]["extensions"]["reason"], "NOT_ALLOWED",
        "{paper}"
    );
    // The kind prices the course: once teachers are in, it is frozen with hours and level.
    let changed = app
        .gql(
            Some(&w.ptoken),
            "mutation($id: ID!, $i: CourseInput!){ updateCourse(id:$id, input:$i){ kind } }",
            json!({"id": plain, "i": fixtures::course_input(&w.provider, "PLN-01", json!({"kind": "DEGREE_STUDY", "endsOn": "2026-09-30"}))}),
        )
        .await;
    assert_eq!(error_code(&changed), "CONFLICT", "{changed}");
}

async fn the_catalogue_filters_by_level_compulsion_kind_and_start(app: TestApp) {
    let w = world(&app, "filt").await;
    w.course(
        &app,
        "F-SCH",
        json!({"level": "SCHOOL", "compulsory": false, "startsOn": "2026-10-01"}),
    )
    .await;
    w.course(
        &app,
        "F-CTY",
        json!({"level": "COUNTY", "compulsory": true, "kind": "BACKBONE_TRAINING", "startsOn": "2026-10-15"}),
    )
    .await;
    w.course(
        &app,
        "F-MUN",
        json!({"level": "MUNICIPAL", "compulsory": false, "kind": "DEGREE_STUDY", "modality": "DEGREE_STUDY", "startsOn": "2026-11-01"}),
    )
    .await;
    w.course(
        &app,
        "F-PRV",
        json!({"level": "PROVINCIAL", "compulsory": true}),
    )
    .await;
    let query = "query($f: CourseFilter){ courses(filter:$f, first: 50){ totalCount edges { node { code } } } }";
    let codes = |extra: Value| {
        let app = &app;
        let mut filter = json!({"providerId": w.provider});
        if let (Some(f), Some(more)) = (filter.as_object_mut(), extra.as_object()) {
            f.extend(more.clone());
        }
        async move {
            let body = app.gql(None, query, json!({"f": filter})).await;
            assert!(body["errors"].is_null(), "{body}");
            let conn = &body["data"]["courses"];
            let mut codes: Vec<String> = conn["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"]["code"].as_str().unwrap_or_default().to_owned())
                .collect();
            assert_eq!(conn["totalCount"], codes.len(), "{body}");
            codes.sort();
            codes
        }
    };
    assert_eq!(
        codes(json!({"minLevel": "COUNTY"})).await,
        ["F-CTY", "F-MUN", "F-PRV"]
    );
    assert_eq!(
        codes(json!({"minLevel": "MUNICIPAL"})).await,
        ["F-MUN", "F-PRV"]
    );
    assert_eq!(
        codes(json!({"minLevel": "NATIONAL"})).await,
        Vec::<String>::new()
    );
    assert_eq!(codes(json!({"compulsory": true})).await, ["F-CTY", "F-PRV"]);
    assert_eq!(
        codes(json!({"compulsory": false})).await,
        ["F-MUN", "F-SCH"]
    );
    assert_eq!(codes(json!({"kind": "DEGREE_STUDY"})).await, ["F-MUN"]);
    assert_eq!(
        codes(json!({"kind": "COURSE_COMPLETION"})).await,
        ["F-PRV", "F-SCH"]
    );
    // Both bounds are inclusive; a course without a start date matches neither.
    assert_eq!(
        codes(json!({"startsOnOrAfter": "2026-10-15"})).await,
        ["F-CTY", "F-MUN"]
    );
    assert_eq!(
        codes(json!({"startsOnOrBefore": "2026-10-15"})).await,
        ["F-CTY", "F-SCH"]
    );
    assert_eq!(
        codes(json!({"startsOnOrAfter": "2026-10-15", "startsOnOrBefore": "2026-10-15"})).await,
        ["F-CTY"]
    );
    assert_eq!(
        codes(json!({"minLevel": "COUNTY", "compulsory": true})).await,
        ["F-CTY", "F-PRV"]
    );
}

async fn a_preview_fills_requirements_or_says_why_it_counts_nothing(app: TestApp) {
    let w = world(&app, "prev").await;
    let it = w
        .course(&app, "PV-IT", json!({"endsOn": "2026-09-30"}))
        .await;
    // Shandong: 24 municipal face-to-face hours are 24 credits toward the cycle, 2026's 48, the
    // 240 county-or-higher and the 60 face-to-face credits at once.
    let p = preview(&app, &w.token, &it, None).await;
    assert_eq!(
        (p["credits"].clone(), p["counted"].clone()),
        (json!("24"), json!("24"))
    );
    assert_eq!(
        fills(&p),
        pairs(&[
            ("annual:2026", "24"),
            ("county-or-higher", "24"),
            ("face-to-face", "24"),
            ("total", "24"),
        ])
    );
    let total = p["fills"]
        .as_array()
        .expect("fills")
        .iter()
        .find(|f| f["requirementKey"] == "total")
        .expect("total");
    assert_eq!(total["label"], "周期不少于360学分 (art. 6)");
    assert_eq!(p["notes"], json!([]));
    // The same for the teacher's administrators, who name the teacher.
    assert_eq!(preview(&app, &w.admin, &it, Some(&w.teacher)).await, p);

    // Shandong art. 15: a degree programme earns 72 whatever its hours.
    let degree = w
        .course(
            &app,
            "PV-DEG",
            json!({"kind": "DEGREE_STUDY", "modality": "DEGREE_STUDY", "endsOn": "2026-12-20"}),
        )
        .await;
    let d = preview(&app, &w.token, &degree, None).await;
    assert_eq!(
        (d["credits"].clone(), d["counted"].clone()),
        (json!("72"), json!("72"))
    );
    assert_eq!(
        fills(&d),
        pairs(&[
            ("annual:2026", "48"),
            ("county-or-higher", "72"),
            ("total", "72"),
        ])
    );

    // A course ending after the cycle counts nothing in it, and says why.
    let late = w
        .course(&app, "PV-LATE", json!({"endsOn": "2031-01-15"}))
        .await;
    let l = preview(&app, &w.token, &late, None).await;
    assert_eq!(
        (l["credits"].clone(), l["counted"].clone()),
        (json!("24"), json!("0"))
    );
    assert_eq!(l["fills"], json!([]));
    assert_eq!(l["notes"][0]["code"], "OUT_OF_PERIOD", "{l}");
    assert!(l["notes"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("2031-01-15")));

    // Once completed, the course is on the record: it is not completed twice.
    w.complete(&app, &it, "24").await;
    let again = preview(&app, &w.token, &it, None).await;
    assert_eq!(again["counted"], "0");
    assert_eq!(again["notes"][0]["code"], "ALREADY_RECORDED", "{again}");
    // What the preview promised is what the compliance report now counts.
    let report = app
        .ok(
            &w.token,
            "query($t: ID!){ compliance(teacherId:$t){ totalCounted } }",
            json!({"t": w.teacher}),
            "compliance",
        )
        .await;
    assert_eq!(report["totalCounted"], p["counted"]);
    // 2026's minimum now lacks 24: the degree programme closes only that much of it.
    let d = preview(&app, &w.token, &degree, None).await;
    assert!(
        fills(&d).contains(&("annual:2026".to_owned(), "24".to_owned())),
        "{d}"
    );

    // Who may: whoever reads the teacher's compliance.
    let other_school = fixtures::school(&app, &w.admin, "370203", "市北区另一小学").await;
    fixtures::teacher(
        &app,
        &w.admin,
        &other_school,
        "别的老师",
        Some("prev-other"),
    )
    .await;
    let other = app.login("prev-other", PASSWORD).await;
    let refused = |token: Option<String>, teacher: Option<String>| {
        let app = &app;
        let it = it.clone();
        async move {
            app.gql(token.as_deref(), PREVIEW, json!({"c": it, "t": teacher}))
                .await
        }
    };
    let body = refused(Some(other), Some(w.teacher.clone())).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = refused(Some(w.ptoken.clone()), Some(w.teacher.clone())).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = refused(None, None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    let body = refused(Some(w.admin.clone()), None).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "teacherId");
}

async fn recommendations_put_the_course_closing_most_of_the_gap_first(app: TestApp) {
    let w = world(&app, "rec").await;
    // 40 school-based hours start first: 40 toward the cycle and 40 of 2026's 48 (80 in all).
    w.course(
        &app,
        "R-SCHOOL",
        json!({"level": "SCHOOL", "modality": "SCHOOL_BASED", "hours": "40", "startsOn": "2026-09-10", "endsOn": "2026-09-20"}),
    )
    .await;
    // 24 municipal face-to-face hours start later but close more: 24 toward each of the cycle,
    // the year, county-or-higher and face-to-face (96).
    w.course(
        &app,
        "R-MUNICIPAL",
        json!({"startsOn": "2026-10-01", "endsOn": "2026-10-10"}),
    )
    .await;
    // Ends after the cycle: closes nothing, ranked last although it starts first.
    w.course(
        &app,
        "R-LATE",
        json!({"startsOn": "2026-09-08", "endsOn": "2031-01-10"}),
    )
    .await;
    // Not open: enrolment closed, or still a draft; and one the teacher already holds a place in.
    w.course(
        &app,
        "R-CLOSED",
        json!({"enrollmentOpensOn": "2026-08-01", "enrollmentClosesOn": "2026-09-01", "startsOn": "2026-09-02", "endsOn": "2026-09-03"}),
    )
    .await;
    app.ok(
        &w.ptoken,
        fixtures::CREATE_COURSE,
        json!({"i": fixtures::course_input(&w.provider, "R-DRAFT", json!({}))}),
        "createCourse",
    )
    .await;
    let held = w
        .course(&app, "R-HELD", json!({"endsOn": "2026-10-10"}))
        .await;
    fixtures::enroll(&app, &w.admin, &held, &w.teacher).await;

    let evaluations = app.state.metrics.teacher_evaluations();
    let first = app
        .ok(
            &w.token,
            RECOMMENDED,
            json!({"t": null, "n": 2}),
            "recommendedCourses",
        )
        .await;
    // One evaluation for the ranking and every preview on the page.
    assert_eq!(app.state.metrics.teacher_evaluations() - evaluations, 1);
    let codes = |conn: &Value| -> Vec<String> {
        conn["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["code"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(codes(&first), ["R-MUNICIPAL", "R-SCHOOL"], "{first}");
    assert_eq!(first["totalCount"], 3);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["edges"][0]["node"]["creditPreview"]["counted"], "24");
    let next = app
        .ok(
            &w.token,
            RECOMMENDED,
            json!({"t": null, "n": 2, "after": first["pageInfo"]["endCursor"]}),
            "recommendedCourses",
        )
        .await;
    assert_eq!(codes(&next), ["R-LATE"], "{next}");
    assert_eq!(next["pageInfo"]["hasNextPage"], false);
    assert_eq!(next["edges"][0]["node"]["creditPreview"]["counted"], "0");

    // An administrator over the teacher sees the same ranking; a cursor of another list is refused.
    let by_admin = app
        .ok(
            &w.admin,
            RECOMMENDED,
            json!({"t": w.teacher, "n": 10}),
            "recommendedCourses",
        )
        .await;
    assert_eq!(codes(&by_admin), ["R-MUNICIPAL", "R-SCHOOL", "R-LATE"]);
    let courses = app
        .ok(
            &w.token,
            "{ courses(first: 1){ pageInfo { endCursor } } }",
            json!({}),
            "courses",
        )
        .await;
    let foreign = app
        .gql(
            Some(&w.token),
            RECOMMENDED,
            json!({"t": null, "n": 2, "after": courses["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(error_code(&foreign), "BAD_USER_INPUT", "{foreign}");
    let by_provider = app
        .gql(
            Some(&w.ptoken),
            RECOMMENDED,
            json!({"t": w.teacher, "n": 2}),
        )
        .await;
    assert_eq!(error_code(&by_provider), "FORBIDDEN", "{by_provider}");
}

async fn previews_of_a_page_cost_one_evaluation_whatever_its_size(app: TestApp) {
    let w = world(&app, "cost").await;
    for i in 0..20 {
        let level = ["MUNICIPAL", "COUNTY", "SCHOOL", "PROVINCIAL"][i % 4];
        let kind = [
            "COURSE_COMPLETION",
            "BACKBONE_TRAINING",
            "COURSE_COMPLETION",
            "DEGREE_STUDY",
        ][i % 4];
        w.course(
            &app,
            &format!("COST-{i:02}"),
            json!({"level": level, "kind": kind, "hours": format!("{}", 8 + i), "endsOn": "2026-11-30"}),
        )
        .await;
    }
    // The teacher has a record, so the evaluation has something to read.
    let done = w
        .course(&app, "COST-DONE", json!({"endsOn": "2026-06-30"}))
        .await;
    w.complete(&app, &done, "24").await;

    let query = "query($n: Int){ courses(first:$n){ edges { node { code creditPreview { credits counted fills { requirementKey label credits } notes { code message } } } } } }";
    let mut statements = Vec::new();
    for n in [2, 20] {
        let (before, evaluations) = (
            app.state.metrics.db_statements(),
            app.state.metrics.teacher_evaluations(),
        );
        let body = app.gql(Some(&w.token), query, json!({"n": n})).await;
        assert!(body["errors"].is_null(), "{body}");
        let edges = body["data"]["courses"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), n);
        for e in edges {
            let p = &e["node"]["creditPreview"];
            assert!(p["credits"].is_string(), "{e}");
        }
        assert_eq!(
            app.state.metrics.teacher_evaluations() - evaluations,
            1,
            "a page of {n} previews evaluates the teacher once"
        );
        statements.push(app.state.metrics.db_statements() - before);
    }
    assert_eq!(
        statements[0], statements[1],
        "statements must not grow with the page: {statements:?}"
    );
}
