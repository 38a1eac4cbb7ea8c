//! The annual monitoring report (`/regions/{code}/report.html` and `.csv`): its figures are
//! `complianceStatistics`' to the digit, a school under the threshold is listed, only the
//! region admins over the region read it, and it speaks English when asked. Chromium draws it
//! in `monitoring_report_browser`.

use super::fixtures;
use credit_bank_tests::{on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    the_report_holds_the_statistics_figures_and_the_schools_below_the_threshold,
    the_report_is_for_the_region_admins_over_the_region_and_checks_its_parameters,
);

/// Three years a cycle from 2024, 20 credits, an hour a credit.
fn cycle_policy() -> Value {
    json!({
        "key": "mr-cycle",
        "name": "监测测试三年周期",
        "period": { "kind": "CYCLE", "years": 3, "anchorYear": 2024 },
        "rules": [{ "key": "hour", "earn": { "perHour": "1" } }],
        "requirements": [{ "key": "total", "label": "周期二十学分", "labelEn": "20 a cycle", "min": "20" }]
    })
}

/// Qingdao (370200): 监测一小 in Shinan with 3 teachers, 2 of whom completed 24 hours;
/// 监测二小 in Shibei with 1, who did. Today is 2026-11-15. Returns the Qingdao admin's token.
pub(super) async fn qingdao(app: &TestApp) -> String {
    let morning = chrono::DateTime::parse_from_rfc3339("2026-11-15T04:00:00Z")
        .expect("instant")
        .to_utc();
    app.state.clock.set(Some(morning));
    let admin = app.admin_token().await;
    app.ok(
        &admin,
        "mutation($d: JSON!){ saveCreditPolicy(document:$d){ key } }",
        json!({"d": cycle_policy()}),
        "saveCreditPolicy",
    )
    .await;
    for region in ["370200", "370202"] {
        app.ok(
            &admin,
            "mutation($r: String!){ assignCreditPolicy(regionCode:$r, policyKey:\"mr-cycle\", effectiveFrom:\"2024-01-01\"){ code } }",
            json!({"r": region}),
            "assignCreditPolicy",
        )
        .await;
    }
    let (provider, ptoken) =
        fixtures::provider(app, &admin, "mr-inst", "370200", "青岛教师进修学院").await;
    let course = fixtures::published_course(
        app,
        &ptoken,
        &admin,
        &provider,
        "MR-1",
        json!({"endsOn": "2026-06-30"}),
    )
    .await;
    let one = fixtures::school(app, &admin, "370202", "监测一小").await;
    let two = fixtures::school(app, &admin, "370203", "监测二小").await;
    let mut done = Vec::new();
    for (school, name, completes) in [
        (&one, "一小甲", true),
        (&one, "一小乙", true),
        (&one, "一小丙", false),
        (&two, "二小甲", true),
    ] {
        let t = fixtures::teacher(app, &admin, school, name, None).await;
        if completes {
            fixtures::enroll(app, &admin, &course, &t).await;
            done.push(json!({"teacherId": t, "attendedHours": "24", "passed": true}));
        }
    }
    app.ok(
        &ptoken,
        "mutation($c: ID!, $rows: [CompletionInput!]!){ recordCompletions(courseId:$c, rows:$rows){ accepted } }",
        json!({"c": course, "rows": done}),
        "recordCompletions",
    )
    .await;
    fixtures::region_admin(app, &admin, "mr-qingdao", "370200").await
}

async fn get(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    lang: Option<&str>,
) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(l) = lang {
        req = req.header("Accept-Language", l);
    }
    req.send().await.expect("request")
}

/// The CSV's tables: each a list of rows (title, header, data), split at the blank lines.
fn tables(csv: &str) -> Vec<Vec<Vec<String>>> {
    csv.trim_start_matches('\u{feff}')
        .split("\n\n")
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(t.as_bytes())
                .records()
                .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
                .collect()
        })
        .collect()
}

fn row<'a>(table: &'a [Vec<String>], first: &str) -> &'a [String] {
    table
        .iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first} in {table:?}"))
}

async fn the_report_holds_the_statistics_figures_and_the_schools_below_the_threshold(app: TestApp) {
    let token = qingdao(&app).await;
    // `fresh: true`: computed from the ledger now, as the report is (snapshots may still be
    // catching up a moment after the completions). With the four reports below it uses the
    // account's five recomputations.
    let stats = app
        .ok(
            &token,
            "{ complianceStatistics(regionCode: \"370200\", fresh: true) { asOf teachers compliant rate bySchool { school { name } teachers compliant rate } } }",
            json!({}),
            "complianceStatistics",
        )
        .await;
    assert_eq!(stats["asOf"], "2026-11-15");

    let res = get(&app, Some(&token), "/regions/370200/report.csv", None).await;
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("monitoring-report-370200-2026.csv"),
        "{disposition}"
    );
    let body = res.text().await.expect("csv");
    assert!(body.starts_with('\u{feff}'), "a BOM so Excel reads UTF-8");
    let t = tables(&body);
    assert_eq!(
        t.len(),
        6,
        "summary, regions, schools, trend, distribution, below: {body}"
    );
    assert_eq!(t[0][0], ["总体情况"]);
    let summary = &t[0][2];
    assert_eq!(summary[..4], ["370200", "青岛市", "2026", "2026-11-15"]);
    let figures = |s: &Value| {
        vec![
            s["teachers"].to_string(),
            s["compliant"].to_string(),
            s["rate"].as_str().unwrap().to_owned(),
        ]
    };
    assert_eq!(summary[4..7].to_vec(), figures(&stats), "{body}");
    assert_eq!(stats["rate"], "0.75");
    assert_eq!(
        summary[7], "0.75",
        "the third Shinan teacher is behind pace: 3 of 4 projected"
    );
    assert_eq!(summary[9], "0.98", "Weifang's rule by default");

    // Per school, exactly what complianceStatistics answers.
    let schools = &t[2];
    for s in stats["bySchool"].as_array().expect("bySchool") {
        let name = s["school"]["name"].as_str().unwrap();
        assert_eq!(row(schools, name)[3..6].to_vec(), figures(s), "{name}");
    }
    assert_eq!(row(schools, "监测一小")[1..3], ["市南区", "370202"]);
    // Per child region: Shinan 2 of 3, Shibei 1 of 1.
    assert_eq!(row(&t[1], "370202")[1..5], ["市南区", "3", "2", "0.6667"]);
    assert_eq!(row(&t[1], "370203")[1..5], ["市北区", "1", "1", "1"]);
    // The cycle 2024–2026, year by year; this year's point is today's figures.
    let trend: Vec<&str> = t[3][2..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(trend, ["2024", "2025", "2026"]);
    assert_eq!(row(&t[3], "2026")[1..5], ["2026-11-15", "4", "3", "0.75"]);
    // The course ended on 2026-06-30: at the end of 2024 and 2025 nobody had its credits.
    assert_eq!(row(&t[3], "2024")[1..5], ["2024-12-31", "4", "0", "0"]);
    assert_eq!(row(&t[3], "2025")[1..5], ["2025-12-31", "4", "0", "0"]);
    // Counted credits: one teacher at 0, three at 24 (buckets of 5).
    assert_eq!(row(&t[4], "0")[1..], ["5", "1"]);
    assert_eq!(row(&t[4], "20")[1..], ["25", "3"]);
    // Below 98%: Shinan's school only.
    assert_eq!(t[5].len(), 3, "title, header, one school: {:?}", t[5]);
    assert_eq!(row(&t[5], "监测一小")[5], "0.6667");

    // English, with a threshold the Shinan school meets.
    let en = get(
        &app,
        Some(&token),
        "/regions/370200/report.csv?threshold=0.5",
        Some("en"),
    )
    .await;
    assert_eq!(en.headers()["content-language"], "en");
    let t = tables(&en.text().await.expect("csv"));
    assert_eq!(t[0][0], ["Summary"]);
    assert_eq!(
        t[0][1][..6],
        [
            "Region code",
            "Region",
            "Year",
            "Evaluated on",
            "Teachers",
            "Compliant"
        ]
    );
    assert_eq!(t[5][0], ["Schools below 0.5"]);
    assert_eq!(t[5].len(), 2, "no school below 50%: {:?}", t[5]);

    let page = get(&app, Some(&token), "/regions/370200/report.html", None).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    let html = page.text().await.expect("html");
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("教师培训学分年度监测报告"));
    assert!(
        html.contains("教育行政部门（盖章）"),
        "the bureau's stamp box"
    );
    assert!(html.contains("@page { size: A4"), "printable on A4");
    assert_eq!(
        html.matches("<svg").count(),
        4,
        "region bars, school bars, trend, histogram"
    );
    assert!(!html.contains("<script"), "no JavaScript");
    let english = get(
        &app,
        Some(&token),
        "/regions/370200/report.html",
        Some("en"),
    )
    .await;
    let html = english.text().await.expect("html");
    assert!(
        html.contains("<html lang=\"en\">")
            && html.contains("Annual training credit monitoring report")
    );
    assert!(html.contains("Education bureau (stamp)") && html.contains("Method:"));
}

async fn the_report_is_for_the_region_admins_over_the_region_and_checks_its_parameters(
    app: TestApp,
) {
    let token = qingdao(&app).await;
    let admin = app.admin_token().await;
    let weifang = fixtures::region_admin(&app, &admin, "mr-weifang", "370700").await;
    let shinan = fixtures::region_admin(&app, &admin, "mr-shinan", "370202").await;
    let code = |res: reqwest::Response| async move {
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        (status, body["code"].as_str().unwrap_or_default().to_owned())
    };
    let path = "/regions/370200/report.html";
    assert_eq!(
        code(get(&app, None, path, None).await).await,
        (401, "UNAUTHENTICATED".into())
    );
    assert_eq!(
        code(get(&app, Some(&weifang), path, None).await).await,
        (403, "FORBIDDEN".into())
    );
    assert_eq!(
        code(get(&app, Some(&shinan), path, None).await).await,
        (403, "FORBIDDEN".into()),
        "a district's admin does not read its city's report"
    );
    for unknown in [
        "/regions/379999/report.csv",
        "/regions/37x/report.csv",
        "/regions/370200/report.pdf",
    ] {
        assert_eq!(
            code(get(&app, Some(&token), unknown, None).await).await,
            (404, "NOT_FOUND".into()),
            "{unknown}"
        );
    }
    for bad in [
        "year=26",
        "year=2099",
        "year=1999",
        "threshold=1.5",
        "threshold=abc",
        "threshold=0.12345",
    ] {
        let res = get(&app, Some(&token), &format!("{path}?{bad}"), Some("en")).await;
        assert_eq!(code(res).await, (400, "BAD_USER_INPUT".into()), "{bad}");
    }
    let res = get(&app, Some(&token), &format!("{path}?year=2099"), Some("en")).await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["message"], "must be a year from 2000 to 2026");
    // A past year is judged on 31 December; the report is the statistics' evaluation again,
    // so it shares the fresh statistics' budget (5 per 10 minutes by default).
    let past = get(
        &app,
        Some(&token),
        "/regions/370200/report.csv?year=2025",
        None,
    )
    .await;
    assert_eq!(past.status(), 200);
    let t = tables(&past.text().await.expect("csv"));
    assert_eq!(
        t[0][2][2..6],
        ["2025", "2025-12-31", "4", "0"],
        "as the ledger stood then"
    );
    for _ in 0..4 {
        assert_eq!(get(&app, Some(&token), path, None).await.status(), 200);
    }
    let limited = get(&app, Some(&token), path, None).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
}
