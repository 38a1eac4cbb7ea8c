//! GraphQL over HTTP: media types, status codes, refusals, limits and the service endpoints.

use credit_bank_tests::{on_both_backends, spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

on_both_backends!(
    get_runs_queries_but_refuses_mutations,
    post_bodies_must_be_json,
    malformed_and_batched_bodies_get_400,
    request_errors_follow_the_accept_header,
    oversized_bodies_get_413,
    deep_wide_and_aliased_queries_are_limited,
    health_readiness_metrics_and_schema,
    responses_keep_the_order_of_the_selection,
);

async fn responses_keep_the_order_of_the_selection(app: TestApp) {
    let res = post_raw(
        &app,
        "application/json",
        None,
        r#"{"query":"{ region(code: \"370202\") { name code level } }"}"#,
    )
    .await;
    let text = res.text().await.expect("body");
    assert_eq!(
        text,
        r#"{"data":{"region":{"name":"市南区","code":"370202","level":"COUNTY"}}}"#
    );
}

async fn post_raw(
    app: &TestApp,
    content_type: &str,
    accept: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    req.send().await.expect("request sent")
}

fn content_type(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn get_runs_queries_but_refuses_mutations(app: TestApp) {
    let url = format!("{}/graphql", app.address);
    let ok = app
        .client
        .get(&url)
        .query(&[("query", "{ region(code:\"420100\"){ name } }")])
        .send()
        .await
        .expect("get");
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["data"]["region"]["name"], "武汉市");

    let refused = app
        .client
        .get(&url)
        .query(&[(
            "query",
            "mutation { login(username:\"a\", password:\"b\"){ token } }",
        )])
        .send()
        .await
        .expect("get");
    assert_eq!(refused.status(), 405);
    assert_eq!(
        refused.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    let body: Value = refused.json().await.expect("json");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("POST"));
}

async fn post_bodies_must_be_json(app: TestApp) {
    let res = post_raw(&app, "text/plain", None, r#"{"query":"{ __typename }"}"#).await;
    assert_eq!(res.status(), 415);
    let res = post_raw(
        &app,
        "application/x-www-form-urlencoded",
        None,
        "query=%7B__typename%7D",
    )
    .await;
    assert_eq!(res.status(), 415);
    let ok = post_raw(
        &app,
        "application/json; charset=utf-8",
        None,
        r#"{"query":"{ __typename }"}"#,
    )
    .await;
    assert_eq!(ok.status(), 200);
    // No Accept: a legacy client, answered as application/json.
    assert_eq!(content_type(&ok), "application/json");
}

async fn malformed_and_batched_bodies_get_400(app: TestApp) {
    for body in [
        r#"{"query": "#,
        "not json",
        r#"{"variables": {}}"#,
        r#"{"query": "{ __typename }", "variables": [1]}"#,
    ] {
        let res = post_raw(&app, "application/json", None, body).await;
        assert_eq!(res.status(), 400, "{body}");
        let json: Value = res.json().await.expect("a GraphQL error body");
        assert_eq!(json["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    }
    let batch = post_raw(
        &app,
        "application/json",
        None,
        r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#,
    )
    .await;
    assert_eq!(batch.status(), 400);
    let json: Value = batch.json().await.expect("json");
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("batched"));
}

async fn request_errors_follow_the_accept_header(app: TestApp) {
    let broken = r#"{"query":"{ region(code: \"370000\") { nonexistentField } }"}"#;
    let modern = post_raw(
        &app,
        "application/json",
        Some("application/graphql-response+json"),
        broken,
    )
    .await;
    assert_eq!(modern.status(), 400);
    assert_eq!(content_type(&modern), "application/graphql-response+json");
    let body: Value = modern.json().await.expect("json");
    assert!(
        body.get("data").is_none(),
        "a request error has no data: {body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    let legacy = post_raw(&app, "application/json", Some("application/json"), broken).await;
    assert_eq!(legacy.status(), 200);
    assert_eq!(content_type(&legacy), "application/json");

    let syntax = post_raw(
        &app,
        "application/json",
        Some("application/graphql-response+json"),
        r#"{"query":"{ region(code: "}"#,
    )
    .await;
    assert_eq!(syntax.status(), 400);

    // No Accept, or only a wildcard (a browser's fetch): a legacy client, answered as
    // application/json with its status codes (graphql-http's audits 47DE and 80D8).
    for accept in [None, Some("*/*")] {
        let res = post_raw(&app, "application/json", accept, broken).await;
        assert_eq!(res.status(), 200, "{accept:?}");
        assert_eq!(content_type(&res), "application/json", "{accept:?}");
    }

    let unacceptable = post_raw(
        &app,
        "application/json",
        Some("text/html"),
        r#"{"query":"{ __typename }"}"#,
    )
    .await;
    assert_eq!(unacceptable.status(), 406);

    // A field error is not a request error: 200 with data.
    let field_error = post_raw(
        &app,
        "application/json",
        Some("application/graphql-response+json"),
        r#"{"query":"{ viewer { username } }"}"#,
    )
    .await;
    assert_eq!(field_error.status(), 200);
    let body: Value = field_error.json().await.expect("json");
    assert!(body.get("data").is_some());
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(body["errors"][0]["path"], json!(["viewer"]));
}

async fn oversized_bodies_get_413(app: TestApp) {
    let padding = "x".repeat(app.state.settings.max_body_bytes + 10);
    let body = json!({ "query": "{ __typename }", "variables": { "pad": padding } }).to_string();
    let res = post_raw(&app, "application/json", None, body).await;
    assert_eq!(res.status(), 413);
}

async fn deep_wide_and_aliased_queries_are_limited(app: TestApp) {
    let deep = format!(
        "{{ region(code:\"370202\") {{ {} code {} }} }}",
        "parent { ".repeat(15),
        "}".repeat(15)
    );
    let res = post_raw(
        &app,
        "application/json",
        Some("application/graphql-response+json"),
        json!({ "query": deep }).to_string(),
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase()
            .contains("nested"),
        "{body}"
    );

    // 500 `__typename`s cost nothing in complexity; the field limit refuses them before
    // validation (the hardening probe's field-duplication check).
    let res = post_raw(
        &app,
        "application/json",
        None,
        json!({ "query": format!("{{ {} }}", "__typename ".repeat(500)) }).to_string(),
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "QUERY_TOO_MANY_FIELDS"
    );

    let aliases: String = (0..40)
        .map(|i| format!("a{i}: region(code:\"370000\") {{ name }} "))
        .collect();
    let res = post_raw(
        &app,
        "application/json",
        None,
        json!({ "query": format!("{{ {aliases} }}") }).to_string(),
    )
    .await;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("aliases"),
        "{body}"
    );

    // Introspection and suggestions are off under the production setting.
    if app.backend == Backend::Sqlite {
        let closed = spawn_app_with(Backend::Sqlite, |s| s.introspection = false)
            .await
            .expect("app");
        let res = post_raw(
            &closed,
            "application/json",
            None,
            r#"{"query":"{ __schema { types { name } } }"}"#,
        )
        .await;
        let res_status = res.status();
        let body: Value = res.json().await.expect("json");
        assert_eq!(res_status, 400);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("introspection"),
            "{body}"
        );
        // `__type` is answered null, as for a type that does not exist: nothing leaks, and a
        // client probing for a type gets a 200 (graphql-http's audits BF61 and 28B9).
        let probe = post_raw(
            &closed,
            "application/json",
            Some("application/json"),
            r#"{"query":"query T($n: String!) { __type(name: $n) { name fields { name } } }","variables":{"n":"Query"}}"#,
        )
        .await;
        assert_eq!(probe.status(), 200);
        let body: Value = probe.json().await.expect("json");
        assert_eq!(body, json!({ "data": { "__type": null } }));
        let typo = post_raw(
            &closed,
            "application/json",
            None,
            r#"{"query":"{ regio(code:\"370000\") { name } }"}"#,
        )
        .await;
        let body: Value = typo.json().await.expect("json");
        assert!(!body.to_string().contains("Did you mean"), "{body}");
        let sdl = closed
            .client
            .get(format!("{}/schema.graphql", closed.address))
            .send()
            .await
            .expect("get");
        assert_eq!(sdl.status(), 404);
    }
}

async fn health_readiness_metrics_and_schema(app: TestApp) {
    let get = |path: &str| app.client.get(format!("{}{path}", app.address)).send();
    let health = get("/healthz").await.expect("healthz");
    assert_eq!(health.status(), 200);
    assert!(health.headers().get("x-request-id").is_some());

    let ready = get("/readyz").await.expect("readyz");
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.expect("json");
    let (db, cache) = match app.backend {
        Backend::Sqlite => ("sqlite", "memory"),
        Backend::Postgres => ("postgres", "redis"),
    };
    assert_eq!(body["database"]["backend"], db);
    assert_eq!(body["cache"]["backend"], cache);

    app.gql(None, "{ viewer { username } }", json!({})).await;
    let metrics = get("/metrics")
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("credit_bank_http_requests_total{route=\"/graphql\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("credit_bank_graphql_errors_total{code=\"UNAUTHENTICATED\"} 1"),
        "{metrics}"
    );

    let sdl = get("/schema.graphql")
        .await
        .expect("schema")
        .text()
        .await
        .expect("text");
    // Arguments carry descriptions, so the SDL prints them one per line.
    assert!(
        sdl.contains("\tcreateTeacher(\n")
            && sdl.contains("\t\tinput: CreateTeacherInput!\n\t): Teacher!"),
        "{sdl}"
    );
    assert!(sdl.contains("scalar Date"));

    let graphiql = get("/").await.expect("graphiql");
    assert_eq!(graphiql.status(), 200);
    assert!(graphiql.text().await.expect("html").contains("graphiql"));
}
