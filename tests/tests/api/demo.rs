//! The demo data set: loaded into an empty database only, with working logins for every role.

use credit_bank::demo::{seed_if_empty, DEMO_PASSWORD};
use credit_bank_tests::{on_both_backends, TestApp};
use serde_json::json;

on_both_backends!(demo_logins_work_for_every_role);

async fn demo_logins_work_for_every_role(app: TestApp) {
    // The harness already created an admin, so the database is not empty: nothing is loaded.
    assert!(!seed_if_empty(&app.state).await.expect("seed check"));
    let body = app
        .gql(
            None,
            "mutation{ login(username:\"zhangwei\", password:\"demo-password\"){ token } }",
            json!({}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // On an empty database it loads, once.
    let (url, _file) = credit_bank_tests::fresh_database(app.backend)
        .await
        .expect("db")
        .expect("configured");
    let mut settings = credit_bank_tests::test_settings(url);
    settings.redis_url = app.state.settings.redis_url.clone();
    let demo = credit_bank::startup::Application::build(settings, true)
        .await
        .expect("demo app");
    let state = demo.state().clone();
    let port = demo.port();
    tokio::spawn(demo.run_until_stopped());
    assert!(!seed_if_empty(&state).await.expect("second seed is refused"));

    let client = reqwest::Client::new();
    for (user, role) in [
        ("admin", "SYSTEM_ADMIN"),
        ("shandong", "REGION_ADMIN"),
        ("shinan-school", "SCHOOL_ADMIN"),
        ("zhangwei", "TEACHER"),
        ("qingdao-institute", "PROVIDER_ADMIN"),
        ("sdnu", "UNIVERSITY_ADMIN"),
    ] {
        let body: serde_json::Value = client
            .post(format!("http://127.0.0.1:{port}/graphql"))
            .json(&json!({"query": "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ viewer { role teacher { name school { name } } } } }", "variables": {"u": user, "p": DEMO_PASSWORD}}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        assert_eq!(
            body["data"]["login"]["viewer"]["role"], role,
            "{user}: {body}"
        );
        if role == "TEACHER" {
            assert_eq!(body["data"]["login"]["viewer"]["teacher"]["name"], "张伟");
            assert_eq!(
                body["data"]["login"]["viewer"]["teacher"]["school"]["name"],
                "青岛市市南区实验小学"
            );
        }
    }
    // The demo ledger: Zhang Wei finished the Qingdao IT course; another course is open.
    let token: serde_json::Value = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({"query": "mutation{ login(username:\"zhangwei\", password:\"demo-password\"){ token } }"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = token["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let body: serde_json::Value = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&token)
        .json(&json!({"query": "{ viewer { teacher { creditAccount { total byCategory { category credits } } } } courses(filter: { openForEnrollment: true }) { totalCount edges { node { code } } } }"}))
        .send()
        .await
        .expect("account")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["data"]["viewer"]["teacher"]["creditAccount"]["total"], "24",
        "{body}"
    );
    assert_eq!(
        body["data"]["courses"]["edges"],
        serde_json::json!([{"node": {"code": "QD-2026-HT"}}]),
        "{body}"
    );
    // The demo regions carry their policies, and the demo university's mapping fits the course.
    let body: serde_json::Value = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&token)
        .json(&json!({"query": "{ viewer { teacher { id compliance(asOf: \"2026-12-31\") { policy { key } totalCounted } } } transferMappings { id } }"}))
        .send()
        .await
        .expect("compliance")
        .json()
        .await
        .expect("json");
    let teacher = &body["data"]["viewer"]["teacher"];
    assert_eq!(
        teacher["compliance"]["policy"]["key"], "qingdao-shinan",
        "{body}"
    );
    assert_eq!(teacher["compliance"]["totalCounted"], "24");
    let preview: serde_json::Value = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(&token)
        .json(&json!({"query": "query($t: ID!, $m: ID!){ transferPreview(teacherId:$t, mappingId:$m){ eligible academicCredits } }",
                      "variables": {"t": teacher["id"], "m": body["data"]["transferMappings"][0]["id"]}}))
        .send()
        .await
        .expect("preview")
        .json()
        .await
        .expect("json");
    assert_eq!(
        preview["data"]["transferPreview"],
        json!({"eligible": true, "academicCredits": "1"}),
        "{preview}"
    );
}
