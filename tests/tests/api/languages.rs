//! `Accept-Language` picks the language of what a person reads (API.md "Languages"): error
//! messages, compliance notes, requirement labels, transfer `missing` texts and enum labels are
//! Chinese without a header and with `zh-CN`, English with `en`; every code stays the same.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    errors_are_said_in_the_language_and_keep_their_codes,
    compliance_notes_and_requirement_labels_follow_the_language,
    enum_labels_follow_the_language,
    transfer_preview_says_what_is_missing_in_the_language_and_as_data,
);

/// The three ways to ask: no header (Chinese), `zh-CN` and `en`.
const LANGUAGES: [Option<&str>; 3] = [None, Some("zh-CN"), Some("en")];

fn message(body: &Value) -> &str {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message in {body}"))
}

async fn errors_are_said_in_the_language_and_keep_their_codes(app: TestApp) {
    // An input error raised by the api, with a field and a reason.
    let bad_id = "{ node(id: \"not-a-global-id\") { id } }";
    let [none, zh, en] = [
        app.gql_in(LANGUAGES[0], None, bad_id, json!({})).await,
        app.gql_in(LANGUAGES[1], None, bad_id, json!({})).await,
        app.gql_in(LANGUAGES[2], None, bad_id, json!({})).await,
    ];
    assert_eq!(message(&none), "不是有效的全局 ID", "{none}");
    assert_eq!(message(&zh), "不是有效的全局 ID", "{zh}");
    assert_eq!(message(&en), "not a global id", "{en}");
    for body in [&none, &zh, &en] {
        assert_eq!(error_code(body), "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "id");
        assert_eq!(body["errors"][0]["extensions"]["reason"], "INVALID_ID");
    }

    // Authentication, the same way.
    let policies = "{ creditPolicies { key } }";
    let zh = app.gql_in(None, None, policies, json!({})).await;
    let en = app.gql_in(Some("en"), None, policies, json!({})).await;
    assert_eq!(message(&zh), "请先登录", "{zh}");
    assert_eq!(message(&en), "authentication required", "{en}");
    assert_eq!(error_code(&zh), "UNAUTHENTICATED");
    assert_eq!(error_code(&en), "UNAUTHENTICATED");

    // A domain input error (a region code's shape), said by its text.
    let admin = app.admin_token().await;
    let school = "mutation($i: CreateSchoolInput!){ createSchool(input:$i){ id } }";
    let vars = json!({"i": {"regionCode": "37", "name": "语言小学"}});
    let zh = app
        .gql_in(Some("zh-CN"), Some(&admin), school, vars.clone())
        .await;
    let en = app.gql_in(Some("en"), Some(&admin), school, vars).await;
    assert_eq!(message(&zh), "须为 6 位行政区划代码，如 370202", "{zh}");
    assert_eq!(
        message(&en),
        "must be a 6-digit region code such as 370202",
        "{en}"
    );
    for body in [&zh, &en] {
        assert_eq!(error_code(body), "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.regionCode");
        assert_eq!(body["errors"][0]["extensions"]["reason"], "INVALID_FORMAT");
    }

    // Wrong credentials.
    let zh = app
        .gql_in(
            None,
            Some(&admin),
            "mutation { login(username: \"nobody-here\", password: \"wrong-password\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(message(&zh), "用户名或密码错误", "{zh}");
    // A language the API does not speak falls back to Chinese; the preferred one wins.
    let fr = app.gql_in(Some("fr-FR"), None, bad_id, json!({})).await;
    assert_eq!(message(&fr), "不是有效的全局 ID", "{fr}");
    let preferred = app
        .gql_in(
            Some("fr;q=0.9, en;q=0.8, zh;q=0.1"),
            None,
            bad_id,
            json!({}),
        )
        .await;
    assert_eq!(message(&preferred), "not a global id", "{preferred}");
}

const REPORT: &str = "query($t: ID!){ compliance(teacherId:$t, asOf:\"2026-12-31\"){ policy { key categories { key label } } requirements { key label } records { record { title } notes { code message } } } }";

fn requirement<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["requirements"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["key"] == key))
        .unwrap_or_else(|| panic!("no requirement {key} in {report}"))
}

/// The notes of the record of the course titled `title`.
fn notes<'a>(report: &'a Value, title: &str) -> &'a Vec<Value> {
    report["records"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["record"]["title"] == title))
        .and_then(|r| r["notes"].as_array())
        .unwrap_or_else(|| panic!("no record {title} in {report}"))
}

fn note<'a>(notes: &'a [Value], code: &str) -> &'a str {
    notes
        .iter()
        .find(|n| n["code"] == code)
        .and_then(|n| n["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} note in {notes:?}"))
}

async fn compliance_notes_and_requirement_labels_follow_the_language(app: TestApp) {
    let admin = app.admin_token().await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "lang-inst", "370200", "语言研修院").await;
    // Shinan (370202): the qingdao-shinan policy, cycles 2021–2025 and 2026–2030.
    let school = fixtures::school(&app, &admin, "370202", "语言实验小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "钱老师", None).await;
    let post = |course: String, passed: bool| {
        let (app, ptoken, teacher) = (&app, &ptoken, &teacher);
        async move {
            app.ok(ptoken, "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
                json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": passed}]}), "recordCompletions")
                .await;
        }
    };
    // A failed assessment in this cycle, and a passed course of the last cycle.
    let failed = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "LANG-1",
        json!({"title": "未通过的课程", "endsOn": "2026-03-15"}),
    )
    .await;
    let earlier = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "LANG-2",
        json!({"title": "上个周期的课程", "endsOn": "2025-06-15"}),
    )
    .await;
    for course in [&failed, &earlier] {
        fixtures::enroll(&app, &admin, course, &teacher).await;
    }
    post(failed, false).await;
    post(earlier, true).await;

    let vars = json!({"t": teacher});
    let none = app.ok(&admin, REPORT, vars.clone(), "compliance").await;
    let zh = app
        .ok_in("zh-CN", &admin, REPORT, vars.clone(), "compliance")
        .await;
    let en = app.ok_in("en", &admin, REPORT, vars, "compliance").await;
    assert_eq!(none, zh, "no header is Chinese");
    assert_eq!(zh["policy"]["key"], "qingdao-shinan");

    // Requirement labels: the document's label, or its labelEn; the span in the language.
    assert_eq!(requirement(&zh, "total")["label"], "周期不少于360学分");
    assert_eq!(
        requirement(&en, "total")["label"],
        "At least 360 credits per cycle"
    );
    assert_eq!(
        requirement(&zh, "annual:2026")["label"],
        "每年不少于48学分（2026 年）"
    );
    assert_eq!(
        requirement(&en, "annual:2026")["label"],
        "At least 48 credits a year (2026)"
    );

    // Notes: the same codes, the message in the language, with the note's values.
    let (zh_failed, en_failed) = (notes(&zh, "未通过的课程"), notes(&en, "未通过的课程"));
    assert_eq!(note(zh_failed, "NOT_PASSED"), "考核未通过");
    assert_eq!(
        note(en_failed, "NOT_PASSED"),
        "the assessment was not passed"
    );
    let (zh_earlier, en_earlier) = (notes(&zh, "上个周期的课程"), notes(&en, "上个周期的课程"));
    assert_eq!(
        note(zh_earlier, "OUT_OF_PERIOD"),
        "取得于 2025-06-15，不在考核周期（2026-01-01 至 2030-12-31）内"
    );
    assert_eq!(
        note(en_earlier, "OUT_OF_PERIOD"),
        "earned on 2025-06-15, outside the period 2026-01-01 to 2030-12-31"
    );
    let codes = |notes: &[Value]| notes.iter().map(|n| n["code"].clone()).collect::<Vec<_>>();
    assert_eq!(codes(zh_failed), codes(en_failed));
    assert_eq!(codes(zh_earlier), codes(en_earlier));

    // The policy's categories: built-in labels from the catalogue.
    let category = |report: &Value, key: &str| {
        report["policy"]["categories"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["key"] == key))
            .map(|c| c["label"].clone())
    };
    assert_eq!(
        category(&zh, "INFORMATION"),
        Some(json!("信息技术应用能力"))
    );
    assert_eq!(
        category(&en, "INFORMATION"),
        Some(json!("Information technology application"))
    );
}

const LABELS: &str = "query($e: String!){ enumLabels(enum:$e){ value label } }";

fn label_of<'a>(labels: &'a Value, value: &str) -> &'a str {
    labels
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["value"] == value))
        .and_then(|l| l["label"].as_str())
        .unwrap_or_else(|| panic!("no {value} in {labels}"))
}

async fn enum_labels_follow_the_language(app: TestApp) {
    let ask = |language: Option<&'static str>, name: &'static str| {
        let app = &app;
        async move {
            let body = app.gql_in(language, None, LABELS, json!({"e": name})).await;
            assert!(body.get("errors").is_none(), "{body}");
            body["data"]["enumLabels"].clone()
        }
    };
    let zh = ask(None, "TrainingLevel").await;
    let en = ask(Some("en"), "TrainingLevel").await;
    let values = |v: &Value| -> Vec<Value> {
        v.as_array()
            .map(|ls| ls.iter().map(|l| l["value"].clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        values(&zh),
        ["NATIONAL", "PROVINCIAL", "MUNICIPAL", "COUNTY", "SCHOOL"].map(|v| json!(v))
    );
    assert_eq!(values(&zh), values(&en), "the values never change");
    assert_eq!(label_of(&zh, "MUNICIPAL"), "市级");
    assert_eq!(label_of(&en, "MUNICIPAL"), "Municipal");
    assert_eq!(ask(Some("zh-CN"), "TrainingLevel").await, zh);

    for (name, value, zh_label, en_label) in [
        ("ActivityKind", "OPEN_CLASS", "公开课", "Open class"),
        ("CreditStatus", "CERTIFIED", "已认定", "Certified"),
        ("EnrollmentStatus", "WAITLISTED", "候补中", "Waitlisted"),
        ("ConversionStatus", "REQUESTED", "已申请", "Requested"),
        ("Role", "SCHOOL_ADMIN", "学校管理员", "School administrator"),
        (
            "CourseStatus",
            "PENDING_APPROVAL",
            "待审核",
            "Pending approval",
        ),
        (
            "ReviewStep",
            "PROVINCE",
            "省级认定",
            "Provincial certification",
        ),
        ("Modality", "SCHOOL_BASED", "校本培训", "School-based"),
        (
            "Category",
            "HEAD_TEACHER",
            "班主任工作",
            "Head-teacher work",
        ),
    ] {
        assert_eq!(label_of(&ask(None, name).await, value), zh_label, "{name}");
        assert_eq!(
            label_of(&ask(Some("en"), name).await, value),
            en_label,
            "{name}"
        );
    }

    for language in LANGUAGES {
        let unknown = app
            .gql_in(language, None, LABELS, json!({"e": "Weather"}))
            .await;
        assert_eq!(error_code(&unknown), "BAD_USER_INPUT", "{unknown}");
        assert_eq!(unknown["errors"][0]["extensions"]["field"], "enum");
    }
}

const PREVIEW: &str = "query($t: ID!, $m: ID!){ transferPreview(teacherId:$t, mappingId:$m){ eligible missing missingItems { code categories minLevel modalities hours since } } }";

async fn transfer_preview_says_what_is_missing_in_the_language_and_as_data(app: TestApp) {
    let admin = app.admin_token().await;
    let university = app
        .ok(
            &admin,
            "mutation($i: CreateUniversityInput!){ createUniversity(input:$i){ id } }",
            json!({"i": {"regionCode": "370000", "name": "语言师范大学"}}),
            "createUniversity",
        )
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    fixtures::account(
        &app,
        &admin,
        json!({"username": "lang-uni", "role": "UNIVERSITY_ADMIN", "universityId": university}),
    )
    .await;
    let uni = app.login("lang-uni", PASSWORD).await;
    let (provider, ptoken) =
        fixtures::provider(&app, &admin, "lang-t-inst", "370200", "青岛语言研修院").await;
    let school = fixtures::school(&app, &admin, "370202", "语言转换小学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "孙老师", Some("lang-t")).await;
    let own = app.login("lang-t", PASSWORD).await;
    let course = fixtures::published_course(
        &app,
        &ptoken,
        &admin,
        &provider,
        "LANG-T-1",
        json!({"endsOn": "2026-03-15"}),
    )
    .await;
    fixtures::enroll(&app, &admin, &course, &teacher).await;
    app.ok(&ptoken, "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
        json!({"c": course, "rows": [{"teacherId": teacher, "attendedHours": "24", "passed": true}]}), "recordCompletions")
        .await;
    let ucourse = app
        .ok(&uni, "mutation($i: UniversityCourseInput!){ createUniversityCourse(input:$i){ id } }",
            json!({"i": {"universityId": university, "code": "EDU-601", "title": "教育信息技术", "academicCredits": "2"}}), "createUniversityCourse")
        .await;
    let mapping = app
        .ok(&uni, "mutation($i: TransferMappingInput!){ createTransferMapping(input:$i){ id } }",
            json!({"i": {"universityCourseId": ucourse["id"], "categories": ["INFORMATION"], "minLevel": "MUNICIPAL",
                         "minHours": "36", "academicCredits": "2"}}), "createTransferMapping")
        .await;
    let vars = json!({"t": teacher, "m": mapping["id"]});

    let zh = app.ok(&own, PREVIEW, vars.clone(), "transferPreview").await;
    let en = app
        .ok_in("en", &own, PREVIEW, vars.clone(), "transferPreview")
        .await;
    assert_eq!(zh["eligible"], false);
    assert_eq!(
        zh["missing"],
        json!(["还需 12 学时市级及以上的“信息技术应用能力”类培训"]),
        "{zh}"
    );
    assert_eq!(
        en["missing"],
        json!(["12 more hours of INFORMATION training at MUNICIPAL level or above"]),
        "{en}"
    );
    let item = json!([{ "code": "HOURS", "categories": ["INFORMATION"], "minLevel": "MUNICIPAL",
                        "modalities": [], "hours": "12", "since": null }]);
    assert_eq!(zh["missingItems"], item);
    assert_eq!(en["missingItems"], item, "the data never changes");

    // Asking to convert anyway: NOT_ELIGIBLE, saying the same in the language.
    let request = "mutation($m: ID!){ requestConversion(mappingId:$m){ id } }";
    let zh = app
        .gql_in(None, Some(&own), request, json!({"m": mapping["id"]}))
        .await;
    let en = app
        .gql_in(Some("en"), Some(&own), request, json!({"m": mapping["id"]}))
        .await;
    assert_eq!(
        message(&zh),
        "尚不符合条件：还需 12 学时市级及以上的“信息技术应用能力”类培训"
    );
    assert_eq!(
        message(&en),
        "not eligible yet: 12 more hours of INFORMATION training at MUNICIPAL level or above"
    );
    for body in [&zh, &en] {
        assert_eq!(body["errors"][0]["extensions"]["reason"], "NOT_ELIGIBLE");
    }
}
