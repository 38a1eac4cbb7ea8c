//! Login, viewer, accounts and bad input.

use super::fixtures::{self, CREATE_ACCOUNT};
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::json;

on_both_backends!(
    a_teacher_logs_in_and_reads_viewer,
    unknown_user_and_wrong_password_get_the_same_answer,
    repeated_failures_are_rate_limited,
    protected_fields_need_a_valid_token,
    a_taken_username_is_a_conflict,
    bad_account_input_names_the_field,
    node_resolves_a_teacher_by_global_id,
);

const VIEWER: &str = "{ viewer { username role account { id } teacher { name hiredOn stages subjects school { name } region { code } } } }";

async fn a_teacher_logs_in_and_reads_viewer(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370202", "市南区第二实验小学").await;
    fixtures::teacher(&app, &admin, &school, "张老师", Some("zhang")).await;

    let login = app
        .gql(None, "mutation{ login(username:\"ZHANG\", password:\"test-password-1\"){ token expiresAt viewer { role } } }", json!({}))
        .await;
    assert_eq!(
        login["data"]["login"]["viewer"]["role"], "TEACHER",
        "{login}"
    );
    assert!(login["data"]["login"]["expiresAt"].as_str().is_some());
    let token = login["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned();

    let viewer = app.ok(&token, VIEWER, json!({}), "viewer").await;
    assert_eq!(viewer["username"], "zhang");
    assert_eq!(viewer["role"], "TEACHER");
    assert_eq!(viewer["teacher"]["name"], "张老师");
    assert_eq!(viewer["teacher"]["hiredOn"], "2015-09-01");
    assert_eq!(viewer["teacher"]["stages"], json!(["PRIMARY"]));
    assert_eq!(viewer["teacher"]["subjects"], json!(["数学"]));
    assert_eq!(viewer["teacher"]["school"]["name"], "市南区第二实验小学");
    assert_eq!(viewer["teacher"]["region"]["code"], "370202");
}

async fn unknown_user_and_wrong_password_get_the_same_answer(app: TestApp) {
    let q = "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }";
    let wrong = app
        .gql(
            None,
            q,
            json!({"u": credit_bank_tests::ADMIN, "p": "not-the-password"}),
        )
        .await;
    let unknown = app
        .gql(
            None,
            q,
            json!({"u": "nobody-here", "p": "not-the-password"}),
        )
        .await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    assert_eq!(error_code(&unknown), "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert!(wrong["data"].is_null());
}

async fn repeated_failures_are_rate_limited(app: TestApp) {
    // The test settings allow 3 failures per username and window.
    let q = "mutation($p:String!){ login(username:\"root-admin\",password:$p){ token } }";
    for _ in 0..3 {
        let body = app.gql(None, q, json!({"p": "wrong-password"})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let limited = app.gql(None, q, json!({"p": PASSWORD})).await;
    assert_eq!(error_code(&limited), "RATE_LIMITED", "{limited}");
    assert!(
        limited["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap_or(0)
            > 0
    );
    // Other usernames are not affected.
    let other = app
        .gql(
            None,
            "mutation{ login(username:\"someone-else\",password:\"x\"){ token } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&other), "UNAUTHENTICATED");
}

async fn protected_fields_need_a_valid_token(app: TestApp) {
    let anonymous = app.gql(None, "{ viewer { username } }", json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let forged = app
        .gql(
            Some("eyJhbGciOiJIUzI1NiJ9.e30.bad"),
            "{ viewer { username } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&forged), "UNAUTHENTICATED");
    let mutation = app
        .gql(
            None,
            fixtures::CREATE_SCHOOL,
            json!({"i": {"regionCode": "370202", "name": "x"}}),
        )
        .await;
    assert_eq!(error_code(&mutation), "UNAUTHENTICATED");
    // Public fields still answer without a token.
    let region = app
        .gql(
            None,
            "{ region(code:\"370202\"){ name parent { code name } } }",
            json!({}),
        )
        .await;
    assert_eq!(region["data"]["region"]["name"], "市南区");
    assert_eq!(region["data"]["region"]["parent"]["code"], "370200");
}

async fn a_taken_username_is_a_conflict(app: TestApp) {
    let admin = app.admin_token().await;
    fixtures::account(
        &app,
        &admin,
        json!({"username": "dup-user", "role": "REGION_ADMIN", "regionCode": "370000"}),
    )
    .await;
    let again = app
        .gql(Some(&admin), CREATE_ACCOUNT, json!({"i": {"username": "Dup-User", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "370700"}}))
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");
}

async fn bad_account_input_names_the_field(app: TestApp) {
    let admin = app.admin_token().await;
    let cases = [
        (
            json!({"username": "a b", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "370000"}),
            "input.username",
        ),
        (
            json!({"username": "shortpw", "password": "short", "role": "REGION_ADMIN", "regionCode": "370000"}),
            "input.password",
        ),
        (
            json!({"username": "noregion", "password": PASSWORD, "role": "REGION_ADMIN"}),
            "input.regionCode",
        ),
        (
            json!({"username": "badregion", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "37000X"}),
            "input.regionCode",
        ),
        (
            json!({"username": "unknownregion", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "999999"}),
            "input.regionCode",
        ),
        (
            json!({"username": "badschool", "password": PASSWORD, "role": "SCHOOL_ADMIN", "schoolId": "not-an-id"}),
            "input.schoolId",
        ),
        (
            json!({"username": "extra", "password": PASSWORD, "role": "SYSTEM_ADMIN", "regionCode": "370000"}),
            "input.regionCode",
        ),
    ];
    for (input, field) in cases {
        let body = app
            .gql(Some(&admin), CREATE_ACCOUNT, json!({ "i": input }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
        assert_eq!(body["errors"][0]["path"], json!(["createAccount"]));
    }
    // A value of the wrong type is refused before anything runs, still as BAD_USER_INPUT.
    let wrong_enum = app
        .gql(
            Some(&admin),
            CREATE_ACCOUNT,
            json!({"i": {"username": "x1x", "password": PASSWORD, "role": "KING"}}),
        )
        .await;
    assert_eq!(error_code(&wrong_enum), "BAD_USER_INPUT");
}

async fn node_resolves_a_teacher_by_global_id(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370702", "潍城区实验中学").await;
    let teacher = fixtures::teacher(&app, &admin, &school, "李老师", None).await;
    let q = "query($id: ID!){ node(id:$id){ id ... on Teacher { name } } }";
    let body = app.ok(&admin, q, json!({"id": teacher}), "node").await;
    assert_eq!(body["name"], "李老师");
    let school_node = app
        .ok(
            &admin,
            "query($id: ID!){ node(id:$id){ ... on School { name region { code } } } }",
            json!({"id": school}),
            "node",
        )
        .await;
    assert_eq!(school_node["region"]["code"], "370702");
    let region = app
        .gql(None, "{ region(code:\"370700\"){ id } }", json!({}))
        .await;
    let region_id = region["data"]["region"]["id"]
        .as_str()
        .expect("region id")
        .to_owned();
    let region_node = app
        .ok(
            &admin,
            "query($id: ID!){ node(id:$id){ ... on Region { code name } } }",
            json!({"id": region_id}),
            "node",
        )
        .await;
    assert_eq!(region_node["name"], "潍坊市");
    let garbage = app.gql(Some(&admin), q, json!({"id": "bm9wZQ=="})).await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
}
