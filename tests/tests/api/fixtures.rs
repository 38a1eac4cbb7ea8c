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

pub const CREATE_COURSE: &str = "mutation($i: CourseInput!){ createCourse(input:$i){ id status } }";

/// A provider in `region` with a logged-in admin: (provider id, admin token).
pub async fn provider(
    app: &TestApp,
    admin: &str,
    user: &str,
    region: &str,
    name: &str,
) -> (String, String) {
    let p = app
        .ok(
            admin,
            "mutation($i: CreateProviderInput!){ createProvider(input:$i){ id } }",
            json!({"i": {"regionCode": region, "name": name, "level": "MUNICIPAL"}}),
            "createProvider",
        )
        .await;
    let provider_id = id(&p);
    account(
        app,
        admin,
        json!({"username": user, "role": "PROVIDER_ADMIN", "providerId": provider_id}),
    )
    .await;
    (
        provider_id,
        app.login(user, credit_bank_tests::PASSWORD).await,
    )
}

pub fn course_input(provider_id: &str, code: &str, extra: Value) -> Value {
    let mut input = json!({
        "providerId": provider_id, "code": code, "title": "信息技术应用能力提升", "description": "面向小学数学教师的信息化教学",
        "level": "MUNICIPAL", "modality": "CONCENTRATED", "category": "INFORMATION", "compulsory": true,
        "hours": "24", "targetStages": ["PRIMARY"], "subjects": ["数学"]
    });
    if let (Some(obj), Some(more)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            obj.insert(k.clone(), v.clone());
        }
    }
    input
}

/// Creates, publishes and approves a course: its id.
pub async fn published_course(
    app: &TestApp,
    provider_token: &str,
    approver: &str,
    provider_id: &str,
    code: &str,
    extra: Value,
) -> String {
    let c = app
        .ok(
            provider_token,
            CREATE_COURSE,
            json!({"i": course_input(provider_id, code, extra)}),
            "createCourse",
        )
        .await;
    let course = id(&c);
    app.ok(
        provider_token,
        "mutation($id: ID!){ publishCourse(id:$id){ status } }",
        json!({"id": course}),
        "publishCourse",
    )
    .await;
    let approved = app
        .ok(
            approver,
            "mutation($id: ID!){ approveCourse(id:$id, decision: APPROVE){ status } }",
            json!({"id": course}),
            "approveCourse",
        )
        .await;
    assert_eq!(approved["status"], "PUBLISHED");
    course
}

pub async fn enroll(app: &TestApp, token: &str, course: &str, teacher: &str) -> Value {
    app.ok(
        token,
        "mutation($c: ID!, $t: ID){ enroll(courseId:$c, teacherId:$t){ id status } }",
        json!({"c": course, "t": teacher}),
        "enroll",
    )
    .await
}

/// A GraphQL multipart request (the spec's `operations` and `map`) uploading `bytes` as the
/// variable `f` of `query`, with the other `variables`; returns the JSON body.
pub async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
    file_name: &str,
    bytes: Vec<u8>,
) -> Value {
    let mut variables = variables;
    variables["f"] = Value::Null;
    let operations = json!({ "query": query, "variables": variables });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(file_name.to_owned())
                .mime_str("application/octet-stream")
                .expect("mime"),
        );
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json")
}
