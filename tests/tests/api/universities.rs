//! A university's path: courses, a transfer mapping, access granted and revoked, preview,
//! conversion requested, rejected, requested again, approved; a revoked record voids it; and
//! many simultaneous requests for the same records have exactly one winner.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    a_university_maps_previews_and_converts_with_consent,
    concurrent_conversion_requests_have_exactly_one_winner,
);

const PREVIEW: &str = "query($t: ID!, $m: ID!){ transferPreview(teacherId:$t, mappingId:$m){ eligible academicCredits hours missing usableRecords { id title } } }";
pub(super) const REQUEST: &str = "mutation($m: ID!){ requestConversion(mappingId:$m){ id status academicCredits records { id } teacher { name } } }";
pub(super) const DECIDE: &str = "mutation($id: ID!, $d: Decision!, $c: String){ decideConversion(id:$id, decision:$d, comment:$c){ id status comment } }";

pub(super) struct Campus {
    pub admin: String,
    pub university: String,
    pub uni: String,
    pub teacher: String,
    pub own: String,
    pub mapping: String,
    pub records: Vec<String>,
}

/// A teacher with `courses` certified 24-hour municipal INFORMATION completions, a university
/// with a mapping "36 hours of INFORMATION at MUNICIPAL level or above in 5 years = 2 credits".
pub(super) async fn campus(app: &TestApp, prefix: &str, courses: usize) -> Campus {
    let admin = app.admin_token().await;
    let university = app
        .ok(
            &admin,
            "mutation($i: CreateUniversityInput!){ createUniversity(input:$i){ id } }",
            json!({"i": {"regionCode": "370000", "name": format!("{prefix}师范大学")}}),
            "createUniversity",
        )
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    fixtures::account(app, &admin, json!({"username": format!("{prefix}-uni"), "role": "UNIVERSITY_ADMIN", "universityId": university})).await;
    let uni = app.login(&format!("{prefix}-uni"), PASSWORD).await;
    let (provider, ptoken) = fixtures::provider(
        app,
        &admin,
        &format!("{prefix}-inst"),
        "370200",
        "青岛研修院",
    )
    .await;
    let school = fixtures::school(app, &admin, "370202", &format!("{prefix}小学")).await;
    let teacher =
        fixtures::teacher(app, &admin, &school, "赵老师", Some(&format!("{prefix}-t"))).await;
    let own = app.login(&format!("{prefix}-t"), PASSWORD).await;
    let mut records = Vec::new();
    for i in 0..courses {
        let course = fixtures::published_course(
            app,
            &ptoken,
            &admin,
            &provider,
            &format!("{prefix}-{i}"),
            json!({"endsOn": format!("2026-0{}-15", i + 3)}),
        )
        .await;
        fixtures::enroll(app, &admin, &course, &teacher).await;
        let posted = app
            .ok(&ptoken, "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ records { id } } }",
                json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": true}]}), "recordCompletions")
            .await;
        records.push(
            posted["records"][0]["id"]
                .as_str()
                .expect("record")
                .to_owned(),
        );
    }
    let ucourse = app
        .ok(&uni, "mutation($i: UniversityCourseInput!){ createUniversityCourse(input:$i){ id academicCredits } }",
            json!({"i": {"universityId": university, "code": "EDU-501", "title": "教育信息技术", "academicCredits": "2"}}), "createUniversityCourse")
        .await;
    let mapping = app
        .ok(&uni, "mutation($i: TransferMappingInput!){ createTransferMapping(input:$i){ id unit withinYears universityCourse { code } } }",
            json!({"i": {"universityCourseId": ucourse["id"], "categories": ["INFORMATION"], "minLevel": "MUNICIPAL",
                         "minHours": "36", "withinYears": 5, "academicCredits": "2"}}), "createTransferMapping")
        .await["id"].as_str().expect("mapping").to_owned();
    Campus {
        admin,
        university,
        uni,
        teacher,
        own,
        mapping,
        records,
    }
}

fn vars(c: &Campus) -> Value {
    json!({"t": c.teacher, "m": c.mapping})
}

async fn a_university_maps_previews_and_converts_with_consent(app: TestApp) {
    let c = campus(&app, "uv", 1).await;
    // Another university's admin may not add mappings to this one's course.
    let listed = app.ok(&c.own, "query($u: ID){ transferMappings(universityId:$u){ id minLevel categories academicCredits } }", json!({"u": c.university}), "transferMappings").await;
    assert_eq!(listed[0]["categories"], json!(["INFORMATION"]));

    // One 24-hour course is not enough, and the teacher is told what is missing.
    let short = app
        .ok_in("en", &c.own, PREVIEW, vars(&c), "transferPreview")
        .await;
    assert_eq!(short["eligible"], false);
    assert_eq!(
        short["missing"][0]
            .as_str()
            .map(|m| m
                .starts_with("12 more hours of INFORMATION training at MUNICIPAL level or above")),
        Some(true),
        "{short}"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&c.own), REQUEST, json!({"m": c.mapping}))
                .await
        ),
        "BAD_USER_INPUT"
    );

    // Without a grant the university reads nothing of the teacher.
    assert_eq!(
        error_code(&app.gql(Some(&c.uni), PREVIEW, vars(&c)).await),
        "FORBIDDEN"
    );
    let records = "query($t: ID!){ node(id:$t){ ... on Teacher { name creditRecords(first: 5){ totalCount } } } }";
    assert_eq!(
        error_code(
            &app.gql(Some(&c.uni), records, json!({"t": c.teacher}))
                .await
        ),
        "FORBIDDEN"
    );
    app.ok(
        &c.own,
        "mutation($u: ID!){ grantAccess(universityId:$u, expiresOn: \"2099-12-31\"){ active } }",
        json!({"u": c.university}),
        "grantAccess",
    )
    .await;
    assert_eq!(
        app.ok(&c.uni, records, json!({"t": c.teacher}), "node")
            .await["creditRecords"]["totalCount"],
        1
    );
    assert_eq!(
        app.ok(&c.uni, PREVIEW, vars(&c), "transferPreview").await["eligible"],
        false
    );

    // A second course makes it eligible: both records, oldest first.
    let admin = &c.admin;
    let (provider, ptoken) =
        fixtures::provider(&app, admin, "uv-inst2", "370200", "第二机构").await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        admin,
        &provider,
        "uv-x",
        json!({"endsOn": "2026-08-01"}),
    )
    .await;
    fixtures::enroll(&app, admin, &course, &c.teacher).await;
    app.ok(&ptoken, "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
        json!({"c": course, "rows": [{"teacherId": c.teacher, "attendedHours": "24", "passed": true}]}), "recordCompletions").await;
    let ok = app.ok(&c.uni, PREVIEW, vars(&c), "transferPreview").await;
    assert_eq!(
        (
            ok["eligible"].as_bool(),
            ok["academicCredits"].as_str(),
            ok["hours"].as_str()
        ),
        (Some(true), Some("2"), Some("48"))
    );
    assert_eq!(ok["usableRecords"][0]["id"], c.records[0]);

    let first = app
        .ok(
            &c.own,
            REQUEST,
            json!({"m": c.mapping}),
            "requestConversion",
        )
        .await;
    assert_eq!(first["teacher"]["name"], "赵老师");
    assert_eq!(
        (
            first["status"].as_str(),
            first["records"].as_array().map(Vec::len)
        ),
        (Some("REQUESTED"), Some(2))
    );
    // The records are reserved: no second conversion may use them.
    assert_eq!(
        error_code(
            &app.gql(Some(&c.own), REQUEST, json!({"m": c.mapping}))
                .await
        ),
        "BAD_USER_INPUT"
    );
    assert_eq!(
        error_code(
            &app.gql(
                Some(&c.own),
                DECIDE,
                json!({"id": first["id"], "d": "APPROVE"})
            )
            .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql(
                Some(&c.uni),
                DECIDE,
                json!({"id": first["id"], "d": "REJECT"})
            )
            .await
        ),
        "BAD_USER_INPUT"
    );
    let rejected = app
        .ok(
            &c.uni,
            DECIDE,
            json!({"id": first["id"], "d": "REJECT", "c": "证书不全"}),
            "decideConversion",
        )
        .await;
    assert_eq!(rejected["status"], "REJECTED");
    // Rejection freed them.
    let second = app
        .ok(
            &c.own,
            REQUEST,
            json!({"m": c.mapping}),
            "requestConversion",
        )
        .await;
    let approved = app
        .ok(
            &c.uni,
            DECIDE,
            json!({"id": second["id"], "d": "APPROVE"}),
            "decideConversion",
        )
        .await;
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(
        error_code(
            &app.gql(
                Some(&c.uni),
                DECIDE,
                json!({"id": second["id"], "d": "APPROVE"})
            )
            .await
        ),
        "CONFLICT"
    );

    // Revoking a record it used voids the conversion, and its status says so.
    let county = fixtures::region_admin(&app, admin, "uv-county", "370202").await;
    app.ok(
        &county,
        "mutation($id: ID!){ revokeCredit(id:$id, reason:\"伪造\"){ status } }",
        json!({"id": c.records[0]}),
        "revokeCredit",
    )
    .await;
    let list = app
        .ok(
            &c.own,
            "query($t: ID!){ conversions(teacherId:$t){ status comment } }",
            json!({"t": c.teacher}),
            "conversions",
        )
        .await;
    // Oldest request first: the rejected one, then the approved one it voided.
    assert_eq!(list[0]["status"], "REJECTED", "{list}");
    assert_eq!(list[1]["status"], "CANCELLED", "{list}");
    assert!(list[1]["comment"]
        .as_str()
        .is_some_and(|m| m.contains("revoked")));

    // After the teacher revokes access, the university is refused again.
    app.ok(
        &c.own,
        "mutation($u: ID!){ revokeAccess(universityId:$u){ active } }",
        json!({"u": c.university}),
        "revokeAccess",
    )
    .await;
    assert_eq!(
        error_code(&app.gql(Some(&c.uni), PREVIEW, vars(&c)).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql(
                Some(&c.uni),
                "query($t: ID!){ conversions(teacherId:$t){ status } }",
                json!({"t": c.teacher})
            )
            .await
        ),
        "FORBIDDEN"
    );
}

async fn concurrent_conversion_requests_have_exactly_one_winner(app: TestApp) {
    let c = campus(&app, "race", 2).await;
    let attempts = 12;
    let mut tasks = Vec::new();
    for _ in 0..attempts {
        let client = app.client.clone();
        let address = app.address.clone();
        let token = c.own.clone();
        let mapping = c.mapping.clone();
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(format!("{address}/graphql"))
                .bearer_auth(token)
                .json(&json!({"query": REQUEST, "variables": {"m": mapping}}))
                .send()
                .await
                .expect("request");
            res.json::<Value>().await.expect("JSON")
        }));
    }
    let mut winners = 0;
    for task in tasks {
        let body = task.await.expect("task");
        match body.get("errors") {
            None => winners += 1,
            Some(_) => {
                let code = error_code(&body);
                assert!(
                    code == "CONFLICT" || code == "BAD_USER_INPUT",
                    "unexpected: {body}"
                );
            }
        }
    }
    assert_eq!(winners, 1);
    let list = app
        .ok(
            &c.own,
            "query($t: ID!){ conversions(teacherId:$t){ status records { id } } }",
            json!({"t": c.teacher}),
            "conversions",
        )
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["records"].as_array().map(Vec::len), Some(2));
    let _ = (&c.admin, &c.uni);
}

mod transcripts {
    use super::*;

    on_both_backends!(a_transcript_verifies_until_tampered_with_or_revoked);

    const VERIFY: &str = "query($j: String!){ verifyTranscript(jwt:$j){ valid reason teacherName recordCount issuedAt } }";

    async fn a_transcript_verifies_until_tampered_with_or_revoked(app: TestApp) {
        let c = campus(&app, "tr", 1).await;
        let issued = app
            .ok(
                &c.own,
                "mutation { issueTranscript { id jwt recordCount expiresAt } }",
                json!({}),
                "issueTranscript",
            )
            .await;
        assert_eq!(issued["recordCount"], 1);
        let jwt = issued["jwt"].as_str().expect("jwt").to_owned();

        // The credential is an Open Badges 3.0 AchievementCredential with the credits as value, unit, framework.
        use base64::Engine;
        let parts: Vec<&str> = jwt.split('.').collect();
        let decode = |s: &str| -> Value {
            serde_json::from_slice(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(s)
                    .expect("base64url"),
            )
            .expect("JSON")
        };
        let (header, payload) = (decode(parts[0]), decode(parts[1]));
        assert_eq!(header["alg"], "EdDSA");
        assert!(payload["vc"]["type"]
            .as_array()
            .expect("types")
            .contains(&json!("OpenBadgeCredential")));
        let result = &payload["vc"]["credentialSubject"]["result"][0];
        assert_eq!(
            result["credits"],
            json!({"value": "24", "unit": "credit", "framework": "qingdao-shinan"})
        );
        let keys: Value = app
            .client
            .get(format!("{}/.well-known/jwks.json", app.address))
            .send()
            .await
            .expect("jwks")
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            (
                keys["keys"][0]["kty"].as_str(),
                keys["keys"][0]["crv"].as_str()
            ),
            (Some("OKP"), Some("Ed25519"))
        );
        assert_eq!(keys["keys"][0]["kid"], header["kid"]);

        // Anyone can verify, without a token.
        let ok = app.gql(None, VERIFY, json!({"j": jwt})).await;
        assert_eq!(ok["data"]["verifyTranscript"]["valid"], true, "{ok}");
        assert_eq!(ok["data"]["verifyTranscript"]["teacherName"], "赵老师");
        assert_eq!(ok["data"]["verifyTranscript"]["recordCount"], 1);

        // One changed character in the payload breaks the signature.
        let mut tampered = jwt.clone().into_bytes();
        let at = parts[0].len() + 10;
        tampered[at] = if tampered[at] == b'x' { b'y' } else { b'x' };
        let bad = app
            .gql(
                None,
                VERIFY,
                json!({"j": String::from_utf8(tampered).expect("utf-8")}),
            )
            .await;
        assert_eq!(bad["data"]["verifyTranscript"]["valid"], false);
        assert!(
            bad["data"]["verifyTranscript"]["reason"]
                .as_str()
                .is_some_and(|r| r.contains("signature")
                    || r.contains("payload")
                    || r.contains("header")),
            "{bad}"
        );

        // A record revoked after issue makes the transcript invalid.
        let county = fixtures::region_admin(&app, &c.admin, "tr-county", "370202").await;
        app.ok(
            &county,
            "mutation($id: ID!){ revokeCredit(id:$id, reason:\"虚假培训\"){ status } }",
            json!({"id": c.records[0]}),
            "revokeCredit",
        )
        .await;
        let revoked = app.gql(None, VERIFY, json!({"j": jwt})).await;
        assert_eq!(revoked["data"]["verifyTranscript"]["valid"], false);
        assert!(revoked["data"]["verifyTranscript"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("revoked")));

        // Nobody else issues a teacher's transcript without the right to read it.
        let stranger = fixtures::region_admin(&app, &c.admin, "tr-wuhan", "420100").await;
        assert_eq!(
            error_code(
                &app.gql(
                    Some(&stranger),
                    "mutation($t: ID){ issueTranscript(teacherId:$t){ jwt } }",
                    json!({"t": c.teacher})
                )
                .await
            ),
            "FORBIDDEN"
        );
        let _ = (&c.uni, &c.university, &c.mapping);
    }
}
