//! Catalogue search from an index and `totalCount` paid for only when asked, on both databases.

use super::fixtures;
use credit_bank_tests::{error_code, on_both_backends, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    search_finds_chinese_fragments_and_codes_ranked_by_relevance,
    like_wildcards_are_taken_literally_and_short_terms_have_their_own_path,
    search_results_page_in_a_stable_order,
    total_count_costs_a_statement_only_when_selected_and_stays_exact,
);

const SEARCH: &str = "query($s: String, $first: Int, $after: String){ courses(filter: {search: $s}, first: $first, after: $after){ pageInfo { hasNextPage endCursor } edges { node { code } } } }";

fn codes(body: &Value) -> Vec<String> {
    body["data"]["courses"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("edges in {body}"))
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn search(app: &TestApp, term: &str) -> Value {
    app.gql(None, SEARCH, json!({"s": term})).await
}

/// A provider with published courses `(code, title, description)`: the provider's id and token,
/// and the courses' ids.
async fn catalogue(app: &TestApp, courses: &[(&str, &str, &str)]) -> (String, String, Vec<String>) {
    let admin = app.admin_token().await;
    let (provider, token) =
        fixtures::provider(app, &admin, "search-p", "370200", "青岛教师培训中心").await;
    let mut ids = Vec::new();
    for (code, title, description) in courses {
        ids.push(
            fixtures::published_course(
                app,
                &token,
                &admin,
                &provider,
                code,
                json!({"title": title, "description": description}),
            )
            .await,
        );
    }
    (provider, token, ids)
}

async fn search_finds_chinese_fragments_and_codes_ranked_by_relevance(app: TestApp) {
    let (provider, token, ids) = catalogue(
        &app,
        &[
            ("XX-1", "课堂观察与评价", "面向初中语文教师的信息技术应用"),
            ("XX-2", "信息技术应用能力提升 第12期", "整校推进"),
            ("JSYY-2026", "班主任工作专题", "德育"),
            ("XX-3", "小学数学 Python 编程", "信息技术与学科融合"),
        ],
    )
    .await;
    // A title match comes before a description-only match, whatever the creation order.
    assert_eq!(
        codes(&search(&app, "信息技术").await),
        vec!["XX-2", "XX-1", "XX-3"]
    );
    assert_eq!(codes(&search(&app, "第12期").await), vec!["XX-2"]);
    // English text ignores case; a code is found whole or in part, an exact code first.
    assert_eq!(codes(&search(&app, "python").await), vec!["XX-3"]);
    assert_eq!(codes(&search(&app, "jsyy-2026").await), vec!["JSYY-2026"]);
    assert_eq!(
        codes(&search(&app, "XX-").await),
        vec!["XX-1", "XX-2", "XX-3"]
    );
    assert!(codes(&search(&app, "不存在的课程").await).is_empty());
    // An edit reaches the index.
    let input = fixtures::course_input(
        &provider,
        "XX-1",
        json!({"title": "班主任课堂观察", "description": "面向初中语文教师的信息技术应用"}),
    );
    app.ok(
        &token,
        "mutation($id: ID!, $i: CourseInput!){ updateCourse(id:$id, input:$i){ title } }",
        json!({"id": ids[0], "i": input}),
        "updateCourse",
    )
    .await;
    assert_eq!(
        codes(&search(&app, "班主任").await),
        vec!["XX-1", "JSYY-2026"]
    );
    assert!(codes(&search(&app, "课堂观察与").await).is_empty());
}

async fn like_wildcards_are_taken_literally_and_short_terms_have_their_own_path(app: TestApp) {
    catalogue(
        &app,
        &[
            ("P-1", "合格率100%达成路径", "质量"),
            ("P-2", "合格率1000达成路径", "质量"),
            ("U-1", "a_b 课程设计", "说明"),
            ("U-2", "axb 课程设计", "说明"),
            ("M-1", "初中数学教学", "说明"),
        ],
    )
    .await;
    assert_eq!(codes(&search(&app, "100%达").await), vec!["P-1"]);
    assert_eq!(codes(&search(&app, "a_b").await), vec!["U-1"]);
    // Two characters: titles and codes, without the trigram index, `_` still literal.
    assert_eq!(codes(&search(&app, "数学").await), vec!["M-1"]);
    assert_eq!(codes(&search(&app, "_b").await), vec!["U-1"]);
    assert_eq!(codes(&search(&app, "0%").await), vec!["P-1"]);
    let one = search(&app, "数").await;
    assert_eq!(error_code(&one), "BAD_USER_INPUT");
    assert_eq!(one["errors"][0]["extensions"]["field"], "filter.search");
}

async fn search_results_page_in_a_stable_order(app: TestApp) {
    let titles: Vec<(String, String)> = (1..=5)
        .map(|i| (format!("S-{i}"), format!("教研活动设计 第{i}讲")))
        .collect();
    let rows: Vec<(&str, &str, &str)> = titles
        .iter()
        .map(|(c, t)| (c.as_str(), t.as_str(), "说明"))
        .collect();
    catalogue(&app, &rows).await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let body = app
            .gql(
                None,
                SEARCH,
                json!({"s": "教研活动", "first": 2, "after": after}),
            )
            .await;
        seen.extend(codes(&body));
        let info = &body["data"]["courses"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, vec!["S-1", "S-2", "S-3", "S-4", "S-5"]);
}

async fn total_count_costs_a_statement_only_when_selected_and_stays_exact(app: TestApp) {
    catalogue(
        &app,
        &[("C-1", "课程一", "说明"), ("C-2", "课程二", "说明")],
    )
    .await;
    let cost = |query: &'static str| {
        let app = &app;
        async move {
            let before = app.state.metrics.db_statements();
            let body = app.gql(None, query, json!({})).await;
            assert!(body.get("errors").is_none(), "{body}");
            (app.state.metrics.db_statements() - before, body)
        }
    };
    let page = "{ courses(first: 5) { edges { node { code } } } }";
    let counted = "{ courses(first: 5) { totalCount edges { node { code } } } }";
    let (plain, _) = cost(page).await;
    let (first, body) = cost(counted).await;
    assert_eq!(body["data"]["courses"]["totalCount"], 2);
    assert_eq!(first, plain + 1, "one COUNT when totalCount is selected");
    // Another page size: the same count, but not the same answer (so not the response cache's).
    let (again, _) = cost("{ courses(first: 6) { totalCount edges { node { code } } } }").await;
    assert_eq!(
        again, plain,
        "the count is served from the cache while nothing changed"
    );

    // A new course changes the count at once.
    let admin = app.admin_token().await;
    let (provider, token) = fixtures::provider(&app, &admin, "count-p", "370200", "机构二").await;
    fixtures::published_course(&app, &token, &admin, &provider, "C-3", json!({})).await;
    let (_, body) = cost(counted).await;
    assert_eq!(body["data"]["courses"]["totalCount"], 3);
}
