//! Small builders over the public API, so tests read as what a user does.

use credit_bank_tests::TestApp;
use serde_json::{json, Value};

pub const CREATE_SCHOOL: &str =
    "mutation($i: CreateSchoolInput!){ createSchool(input:$i){ id name region { code } } }";
pub const CREATE_TEACHER: &str =
    "mutation($i: CreateTeacherInput!){ createTeacher(input:$i){ id name school { id } } }";
pub const CREATE_ACCOUNT: &str =
    "mutation($i: CreateAccountInput!){ createAccount(input:$i){ id username role } }";

pub async fn school(app: &TestApp, token: &str, region: &str, name: &str) -> String {
    let s = app
        .ok(
            token,
            CREATE_SCHOOL,
            json!({"i": {"regionCode": region, "name": name}}),
            "createSchool",
        )
        .await;
    id(&s)
}

pub async fn teacher(
    app: &TestApp,
    token: &str,
    school_id: &str,
    name: &str,
    login: Option<&str>,
) -> String {
    let mut input = json!({"schoolId": school_id, "name": name, "stages": ["PRIMARY"], "subjects": ["数学"], "hiredOn": "2015-09-01"});
    if let Some(user) = login {
        input["username"] = json!(user);
        input["password"] = json!(credit_bank_tests::PASSWORD);
    }
    let t = app
        .ok(
            token,
            CREATE_TEACHER,
            json!({ "i": input }),
            "createTeacher",
        )
        .await;
    id(&t)
}

pub async fn account(app: &TestApp, token: &str, input: Value) -> Value {
    let mut input = input;
    input["password"] = json!(credit_bank_tests::PASSWORD);
    app.ok(
        token,
        CREATE_ACCOUNT,
        json!({ "i": input }),
        "createAccount",
    )
    .await
}

/// A region admin for `region`, logged in.
pub async fn region_admin(app: &TestApp, admin: &str, user: &str, region: &str) -> String {
    account(
        app,
        admin,
        json!({"username": user, "role": "REGION_ADMIN", "regionCode": region}),
    )
    .await;
    app.login(user, credit_bank_tests::PASSWORD).await
}

/// A school admin for `school_id`, logged in.
pub async fn school_admin(app: &TestApp, admin: &str, user: &str, school_id: &str) -> String {
    account(
        app,
        admin,
        json!({"username": user, "role": "SCHOOL_ADMIN", "schoolId": school_id}),
    )
    .await;
    app.login(user, credit_bank_tests::PASSWORD).await
}

pub fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}
