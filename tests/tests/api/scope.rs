//! "Who may do what" (API.md): for each rule, an allowed and a refused case, over HTTP.

use super::fixtures::{self, CREATE_ACCOUNT, CREATE_SCHOOL, CREATE_TEACHER};
use credit_bank_tests::{error_code, on_both_backends, TestApp, PASSWORD};
use serde_json::json;

on_both_backends!(
    a_region_admin_manages_schools_only_in_its_subtree,
    a_region_admin_creates_accounts_only_below_itself,
    a_school_admin_manages_only_its_own_teachers,
    a_teacher_reads_itself_but_not_a_colleague,
    providers_and_universities_are_created_by_region_admins_in_scope,
    a_provider_admin_cannot_create_schools,
    a_school_roster_pages_for_its_admin_only,
);

async fn a_region_admin_manages_schools_only_in_its_subtree(app: TestApp) {
    let admin = app.admin_token().await;
    let qingdao = fixtures::region_admin(&app, &admin, "qingdao", "370200").await;
    // Qingdao (city) may create a school in Shinan (a district below it)…
    let ok = app
        .gql(
            Some(&qingdao),
            CREATE_SCHOOL,
            json!({"i": {"regionCode": "370202", "name": "青岛第一小学"}}),
        )
        .await;
    assert_eq!(
        ok["data"]["createSchool"]["region"]["code"], "370202",
        "{ok}"
    );
    // …but not in Weifang.
    let refused = app
        .gql(
            Some(&qingdao),
            CREATE_SCHOOL,
            json!({"i": {"regionCode": "370702", "name": "潍坊一小"}}),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    // A school cannot sit directly in a province.
    let wrong_level = app
        .gql(
            Some(&admin),
            CREATE_SCHOOL,
            json!({"i": {"regionCode": "370000", "name": "省直小学"}}),
        )
        .await;
    assert_eq!(error_code(&wrong_level), "BAD_USER_INPUT");
    assert_eq!(
        wrong_level["errors"][0]["extensions"]["field"],
        "input.regionCode"
    );
    // The same name twice in one region is a conflict.
    let dup = app
        .gql(
            Some(&qingdao),
            CREATE_SCHOOL,
            json!({"i": {"regionCode": "370202", "name": "青岛第一小学"}}),
        )
        .await;
    assert_eq!(error_code(&dup), "CONFLICT");
}

async fn a_region_admin_creates_accounts_only_below_itself(app: TestApp) {
    let admin = app.admin_token().await;
    let shandong = fixtures::region_admin(&app, &admin, "sd-admin", "370000").await;
    let allowed = app
        .gql(Some(&shandong), CREATE_ACCOUNT, json!({"i": {"username": "weifang-admin", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "370700"}}))
        .await;
    assert_eq!(
        allowed["data"]["createAccount"]["role"], "REGION_ADMIN",
        "{allowed}"
    );
    let outside = app
        .gql(Some(&shandong), CREATE_ACCOUNT, json!({"i": {"username": "wuhan-admin", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "420100"}}))
        .await;
    assert_eq!(error_code(&outside), "FORBIDDEN");
    let escalate = app
        .gql(
            Some(&shandong),
            CREATE_ACCOUNT,
            json!({"i": {"username": "new-root", "password": PASSWORD, "role": "SYSTEM_ADMIN"}}),
        )
        .await;
    assert_eq!(error_code(&escalate), "FORBIDDEN");
    // The new admin can log in and works within its own region.
    let weifang = app.login("weifang-admin", PASSWORD).await;
    let school = app
        .gql(
            Some(&weifang),
            CREATE_SCHOOL,
            json!({"i": {"regionCode": "370781", "name": "青州一中"}}),
        )
        .await;
    assert!(school["data"]["createSchool"]["id"].is_string(), "{school}");
}

async fn a_school_admin_manages_only_its_own_teachers(app: TestApp) {
    let admin = app.admin_token().await;
    let mine = fixtures::school(&app, &admin, "420102", "江岸区育才小学").await;
    let other = fixtures::school(&app, &admin, "420106", "武昌区实验小学").await;
    let head = fixtures::school_admin(&app, &admin, "yucai-admin", &mine).await;

    let ok = app
        .gql(Some(&head), CREATE_TEACHER, json!({"i": {"schoolId": mine, "name": "王老师", "username": "wang-t", "password": PASSWORD}}))
        .await;
    assert_eq!(
        ok["data"]["createTeacher"]["school"]["id"],
        mine.as_str(),
        "{ok}"
    );
    let refused = app
        .gql(
            Some(&head),
            CREATE_TEACHER,
            json!({"i": {"schoolId": other, "name": "周老师"}}),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    // A school admin may give its teacher a login, but may not create admins.
    let teacher_id = fixtures::teacher(&app, &admin, &mine, "赵老师", None).await;
    let login = app
        .gql(Some(&head), CREATE_ACCOUNT, json!({"i": {"username": "zhao-t", "password": PASSWORD, "role": "TEACHER", "teacherId": teacher_id}}))
        .await;
    assert_eq!(login["data"]["createAccount"]["role"], "TEACHER", "{login}");
    let admin_attempt = app
        .gql(Some(&head), CREATE_ACCOUNT, json!({"i": {"username": "another-head", "password": PASSWORD, "role": "SCHOOL_ADMIN", "schoolId": mine}}))
        .await;
    assert_eq!(error_code(&admin_attempt), "FORBIDDEN");
    // A teacher has one login at most.
    let second = app
        .gql(Some(&head), CREATE_ACCOUNT, json!({"i": {"username": "zhao-t2", "password": PASSWORD, "role": "TEACHER", "teacherId": teacher_id}}))
        .await;
    assert_eq!(error_code(&second), "CONFLICT");
}

async fn a_teacher_reads_itself_but_not_a_colleague(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "620902", "肃州区东关小学").await;
    let me = fixtures::teacher(&app, &admin, &school, "刘老师", Some("liu-t")).await;
    let colleague = fixtures::teacher(&app, &admin, &school, "孙老师", None).await;
    let token = app.login("liu-t", PASSWORD).await;
    let q = "query($id: ID!){ node(id:$id){ ... on Teacher { name } } }";
    let own = app.gql(Some(&token), q, json!({"id": me})).await;
    assert_eq!(own["data"]["node"]["name"], "刘老师", "{own}");
    let other = app.gql(Some(&token), q, json!({"id": colleague})).await;
    assert_eq!(error_code(&other), "FORBIDDEN");
    // Region admins see teachers inside their subtree only.
    let jiuquan = fixtures::region_admin(&app, &admin, "jiuquan", "620900").await;
    let inside = app.gql(Some(&jiuquan), q, json!({"id": colleague})).await;
    assert_eq!(inside["data"]["node"]["name"], "孙老师");
    let wuhan = fixtures::region_admin(&app, &admin, "wuhan-r", "420100").await;
    let outside = app.gql(Some(&wuhan), q, json!({"id": colleague})).await;
    assert_eq!(error_code(&outside), "FORBIDDEN");
}

async fn providers_and_universities_are_created_by_region_admins_in_scope(app: TestApp) {
    let admin = app.admin_token().await;
    let wuhan = fixtures::region_admin(&app, &admin, "wuhan-city", "420100").await;
    let provider = app
        .gql(Some(&wuhan), "mutation($i: CreateProviderInput!){ createProvider(input:$i){ id name level region { code } } }", json!({"i": {"regionCode": "420100", "name": "武汉市教师发展中心", "level": "MUNICIPAL"}}))
        .await;
    assert_eq!(
        provider["data"]["createProvider"]["level"], "MUNICIPAL",
        "{provider}"
    );
    let provider_id = provider["data"]["createProvider"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let refused = app
        .gql(
            Some(&wuhan),
            "mutation($i: CreateProviderInput!){ createProvider(input:$i){ id } }",
            json!({"i": {"regionCode": "370200", "name": "青岛某机构", "level": "MUNICIPAL"}}),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let university = app
        .gql(
            Some(&wuhan),
            "mutation($i: CreateUniversityInput!){ createUniversity(input:$i){ id name } }",
            json!({"i": {"regionCode": "420102", "name": "江岸师范学院"}}),
        )
        .await;
    assert_eq!(
        university["data"]["createUniversity"]["name"], "江岸师范学院",
        "{university}"
    );
    let uni_refused = app
        .gql(
            Some(&wuhan),
            "mutation($i: CreateUniversityInput!){ createUniversity(input:$i){ id } }",
            json!({"i": {"regionCode": "370000", "name": "山东师范大学"}}),
        )
        .await;
    assert_eq!(error_code(&uni_refused), "FORBIDDEN");
    // A provider admin account for it, created in scope, sees its provider as viewer.
    fixtures::account(
        &app,
        &wuhan,
        json!({"username": "centre-admin", "role": "PROVIDER_ADMIN", "providerId": provider_id}),
    )
    .await;
    let token = app.login("centre-admin", PASSWORD).await;
    let viewer = app
        .ok(
            &token,
            "{ viewer { role provider { name } region { code } } }",
            json!({}),
            "viewer",
        )
        .await;
    assert_eq!(viewer["provider"]["name"], "武汉市教师发展中心");
    assert_eq!(viewer["region"]["code"], "420100");
}

async fn a_provider_admin_cannot_create_schools(app: TestApp) {
    let admin = app.admin_token().await;
    let provider = app
        .ok(&admin, "mutation($i: CreateProviderInput!){ createProvider(input:$i){ id } }", json!({"i": {"regionCode": "370200", "name": "青岛市教育科学研究院", "level": "MUNICIPAL"}}), "createProvider")
        .await;
    fixtures::account(
        &app,
        &admin,
        json!({"username": "qd-provider", "role": "PROVIDER_ADMIN", "providerId": provider["id"]}),
    )
    .await;
    let token = app.login("qd-provider", PASSWORD).await;
    let refused = app
        .gql(
            Some(&token),
            CREATE_SCHOOL,
            json!({"i": {"regionCode": "370202", "name": "某小学"}}),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let no_accounts = app
        .gql(Some(&token), CREATE_ACCOUNT, json!({"i": {"username": "second-provider-admin", "password": PASSWORD, "role": "PROVIDER_ADMIN", "providerId": provider["id"]}}))
        .await;
    assert_eq!(error_code(&no_accounts), "FORBIDDEN");
}

async fn a_school_roster_pages_for_its_admin_only(app: TestApp) {
    let admin = app.admin_token().await;
    let school = fixtures::school(&app, &admin, "370203", "市北区实验小学").await;
    for i in 0..5 {
        fixtures::teacher(
            &app,
            &admin,
            &school,
            &format!("教师{i}"),
            if i == 0 { Some("roster-t") } else { None },
        )
        .await;
    }
    let head = fixtures::school_admin(&app, &admin, "shibei-head", &school).await;
    let q = "query($id: ID!, $after: String){ node(id:$id){ ... on School { teachers(first: 2, after: $after){ totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } } } }";
    let mut names = Vec::new();
    let mut after = serde_json::Value::Null;
    loop {
        let page = app
            .ok(&head, q, json!({"id": school, "after": after}), "node")
            .await;
        let conn = &page["teachers"];
        assert_eq!(conn["totalCount"], 5);
        for edge in conn["edges"].as_array().expect("edges") {
            names.push(edge["node"]["name"].as_str().expect("name").to_owned());
        }
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    names.sort();
    assert_eq!(names, vec!["教师0", "教师1", "教师2", "教师3", "教师4"]);
    // Each teacher's school and region come through a DataLoader: the page size does not add statements.
    let q_schools = "query($id: ID!, $n: Int){ node(id:$id){ ... on School { teachers(first: $n){ edges { node { name school { name } region { code } } } } } } }";
    let mut costs = Vec::new();
    for n in [1, 5] {
        let before = app.state.metrics.db_statements();
        app.ok(&head, q_schools, json!({"id": school, "n": n}), "node")
            .await;
        costs.push(app.state.metrics.db_statements() - before);
    }
    assert_eq!(costs[0], costs[1], "{costs:?}");
    let teacher = app.login("roster-t", PASSWORD).await;
    let refused = app
        .gql(Some(&teacher), q, json!({"id": school, "after": null}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let too_many = app
        .gql(Some(&head), "query($id: ID!){ node(id:$id){ ... on School { teachers(first: 1000){ totalCount } } } }", json!({"id": school}))
        .await;
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
}
