//! Relay: every object with an id is a `Node` that `node(id:)` finds again, read with the same
//! rights as where it is normally read; lists have a stable order, and `courses(orderBy:)` pages
//! correctly through every field and direction, ties and missing start dates included.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    every_object_with_an_id_is_a_node,
    courses_page_in_every_order,
);

const NODE: &str = "query($id: ID!){ node(id:$id){ __typename id
    ... on Enrollment { status }
    ... on UniversityCourse { code }
    ... on TransferMapping { academicCredits universityCourse { code } }
    ... on Conversion { status academicCredits }
    ... on AccessGrant { active expiresOn } } }";

/// A global id of `kind` for a key that names nothing.
fn unknown(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{kind}:{}", uuid::Uuid::now_v7()))
}

async fn node(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql(Some(token), NODE, json!({ "id": id })).await
}

/// `node(id:)` as `token`: the object, which must come back with its own id.
async fn found(app: &TestApp, token: &str, id: &str) -> Value {
    let body = node(app, token, id).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    assert_eq!(body["data"]["node"]["id"], id, "{body}");
    body["data"]["node"].clone()
}

async fn every_object_with_an_id_is_a_node(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "rl-inst", "370200", "青岛研修院").await;
    let school = fixtures::school(&app, &admin, "370202", "市南区实验小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "钱老师", Some("rl-t")).await;
    let own = app.login("rl-t", PASSWORD).await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "RL-1",
        json!({"endsOn": "2026-03-15"}),
    )
    .await;
    let enrollment = fixtures::id(&fixtures::enroll(&app, &admin, &course, &teacher).await);
    app.ok(&ptoken, "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
        json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": true}]}), "recordCompletions")
        .await;

    let university = fixtures::id(
        &app.ok(
            &admin,
            "mutation($i: CreateUniversityInput!){ createUniversity(input:$i){ id } }",
            json!({"i": {"regionCode": "370000", "name": "山东师范大学"}}),
            "createUniversity",
        )
        .await,
    );
    fixtures::account(
        &app,
        &admin,
        json!({"username": "rl-uni", "role": "UNIVERSITY_ADMIN", "universityId": university}),
    )
    .await;
    let uni = app.login("rl-uni", PASSWORD).await;
    let ucourse = fixtures::id(&app
        .ok(&uni, "mutation($i: UniversityCourseInput!){ createUniversityCourse(input:$i){ id } }",
            json!({"i": {"universityId": university, "code": "EDU-501", "title": "教育信息技术", "academicCredits": "2"}}), "createUniversityCourse")
        .await);
    let mapping = fixtures::id(&app
        .ok(&uni, "mutation($i: TransferMappingInput!){ createTransferMapping(input:$i){ id } }",
            json!({"i": {"universityCourseId": ucourse, "categories": ["INFORMATION"], "minLevel": "MUNICIPAL",
                         "minHours": "24", "withinYears": 5, "academicCredits": "2"}}), "createTransferMapping")
        .await);
    let grant = fixtures::id(
        &app.ok(
            &own,
            "mutation($u: ID!){ grantAccess(universityId:$u, expiresOn: \"2099-12-31\"){ id active } }",
            json!({"u": university}),
            "grantAccess",
        )
        .await,
    );
    let conversion = fixtures::id(
        &app.ok(
            &own,
            "mutation($m: ID!){ requestConversion(mappingId:$m){ id status } }",
            json!({"m": mapping}),
            "requestConversion",
        )
        .await,
    );

    // Each kind comes back with its type and fields, to the callers who read it elsewhere.
    let place = found(&app, &own, &enrollment).await;
    assert_eq!(
        (place["__typename"].as_str(), place["status"].as_str()),
        (Some("Enrollment"), Some("COMPLETED"))
    );
    assert_eq!(
        found(&app, &ptoken, &enrollment).await["__typename"],
        "Enrollment"
    );
    let uc = found(&app, &own, &ucourse).await;
    assert_eq!(
        (uc["__typename"].as_str(), uc["code"].as_str()),
        (Some("UniversityCourse"), Some("EDU-501"))
    );
    let m = found(&app, &ptoken, &mapping).await;
    assert_eq!(
        (
            m["__typename"].as_str(),
            m["academicCredits"].as_str(),
            m["universityCourse"]["code"].as_str()
        ),
        (Some("TransferMapping"), Some("2"), Some("EDU-501"))
    );
    for reader in [&own, &uni, &admin] {
        let c = found(&app, reader, &conversion).await;
        assert_eq!(
            (c["__typename"].as_str(), c["status"].as_str()),
            (Some("Conversion"), Some("REQUESTED"))
        );
    }
    for reader in [&own, &uni] {
        let g = found(&app, reader, &grant).await;
        assert_eq!(
            (
                g["__typename"].as_str(),
                g["active"].as_bool(),
                g["expiresOn"].as_str()
            ),
            (Some("AccessGrant"), Some(true), Some("2099-12-31"))
        );
    }

    // Foreign objects are refused.
    let wuhan = fixtures::region_admin(&app, &admin, "rl-wuhan", "420100").await;
    let county = fixtures::region_admin(&app, &admin, "rl-county", "370202").await;
    let (_, other_provider) =
        fixtures::provider(&app, &admin, "rl-inst2", "370200", "第二机构").await;
    for (who, token, id) in [
        ("an admin elsewhere, a place", &wuhan, &enrollment),
        ("another provider, a place", &other_provider, &enrollment),
        ("an admin elsewhere, a conversion", &wuhan, &conversion),
        ("the course's provider, a conversion", &ptoken, &conversion),
        ("the teacher's own admin, a grant", &county, &grant),
        ("a provider, a grant", &ptoken, &grant),
    ] {
        assert_eq!(
            error_code(&node(&app, token, id).await),
            "FORBIDDEN",
            "{who}"
        );
    }
    // Once access is revoked the university no longer reads the conversion, but still its grant.
    app.ok(
        &own,
        "mutation($u: ID!){ revokeAccess(universityId:$u){ active } }",
        json!({"u": university}),
        "revokeAccess",
    )
    .await;
    assert_eq!(
        error_code(&node(&app, &uni, &conversion).await),
        "FORBIDDEN"
    );
    assert_eq!(found(&app, &uni, &grant).await["active"], false);

    // Ids that name nothing are null.
    for kind in [
        "Enrollment",
        "UniversityCourse",
        "TransferMapping",
        "Conversion",
        "AccessGrant",
    ] {
        let body = node(&app, &admin, &unknown(kind)).await;
        assert!(body.get("errors").is_none(), "{kind}: {body}");
        assert!(body["data"]["node"].is_null(), "{kind}: {body}");
    }
}

const COURSES: &str = "query($p: ID!, $o: CourseOrder, $first: Int, $after: String){
    courses(filter: { providerId: $p }, orderBy: $o, first: $first, after: $after){
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { code } } } }";

/// Every page of the provider's courses in `order`, two at a time: the codes as a user sees them.
async fn read_all(app: &TestApp, provider: &str, order: Value) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    for _ in 0..10 {
        let body = app
            .gql(
                None,
                COURSES,
                json!({"p": provider, "o": order, "first": 2, "after": after}),
            )
            .await;
        assert!(body.get("errors").is_none(), "{order}: {body}");
        let conn = &body["data"]["courses"];
        assert_eq!(conn["totalCount"], 5, "{order}");
        let edges = conn["edges"].as_array().cloned().unwrap_or_default();
        seen.extend(
            edges
                .iter()
                .map(|e| e["node"]["code"].as_str().unwrap_or_default().to_owned()),
        );
        if conn["pageInfo"]["hasNextPage"] != true {
            return seen;
        }
        after = conn["pageInfo"]["endCursor"].clone();
        assert_eq!(edges.last().map(|e| &e["cursor"]), Some(&after));
    }
    panic!("{order}: more pages than courses");
}

async fn courses_page_in_every_order(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "ord-inst", "370200", "青岛研修院").await;
    // Created in this order; equal titles, hours and start dates, and two without a start date.
    for (code, title, hours, starts_on) in [
        ("A", "Beta", "24", Some("2026-09-01")),
        ("B", "Alpha", "12", None),
        ("C", "Beta", "36", Some("2026-08-01")),
        ("D", "Gamma", "24", Some("2026-09-01")),
        ("E", "Alpha", "12", None),
    ] {
        let mut extra = json!({"title": title, "hours": hours, "endsOn": "2026-12-31"});
        if let Some(d) = starts_on {
            extra["startsOn"] = json!(d);
        }
        fixtures::published_course(&app, &ptoken, &admin, &provider, code, extra).await;
    }
    let order = |field: &str, direction: &str| json!({"field": field, "direction": direction});
    let cases = [
        (Value::Null, "ABCDE"),
        (json!({"field": "CREATED_AT"}), "ABCDE"),
        (order("CREATED_AT", "ASC"), "ABCDE"),
        (order("CREATED_AT", "DESC"), "EDCBA"),
        (order("TITLE", "ASC"), "BEACD"),
        (order("TITLE", "DESC"), "DCAEB"),
        (order("HOURS", "ASC"), "BEADC"),
        (order("HOURS", "DESC"), "CDAEB"),
        // No start date: last in both directions.
        (order("STARTS_ON", "ASC"), "CADBE"),
        (order("STARTS_ON", "DESC"), "DACEB"),
    ];
    for (o, expected) in cases {
        let codes = read_all(&app, &provider, o.clone()).await.concat();
        assert_eq!(codes, expected, "orderBy {o}");
    }

    // A cursor belongs to the order it was read in.
    let first = app
        .gql(
            None,
            COURSES,
            json!({"p": provider, "o": order("TITLE", "ASC"), "first": 2}),
        )
        .await;
    let cursor = first["data"]["courses"]["pageInfo"]["endCursor"].clone();
    let mixed = app
        .gql(
            None,
            COURSES,
            json!({"p": provider, "o": order("HOURS", "ASC"), "first": 2, "after": cursor}),
        )
        .await;
    assert_eq!(error_code(&mixed), "BAD_USER_INPUT", "{mixed}");
}
