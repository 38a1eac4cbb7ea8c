//! The soak's world, made through the API as a deployment would be: a system admin
//! (`create-admin`), a school in 市南区 with its admin and the district's admin (the two review
//! steps of Shinan's policy), teachers with logins, a provider, and a few small published
//! courses open for enrolment today — small, so that enrolments contend for the last seats
//! (the soak publishes more as it runs, so the contention goes on).

use crate::load::{client, post, LOGIN};
use crate::services::{self, Stack};
use crate::PASSWORD;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{json, Value};

pub const TEACHERS: usize = 24;
pub const COURSES: usize = 4;
pub const CAPACITY: i64 = 3;

pub struct World {
    pub admin: String,
    pub provider: String,
    pub school_admin: String,
    pub district_admin: String,
    /// (teacher id, token)
    pub teachers: Vec<(String, String)>,
    /// Every course, oldest first; the soak adds more as it goes.
    pub courses: std::sync::Mutex<Vec<String>>,
}

/// The suite's database, created empty (the servers migrate it), and a connection to it.
pub async fn database(stack: &Stack) -> DatabaseConnection {
    let admin_db = sea_orm::Database::connect(stack.pg_url("postgres"))
        .await
        .expect("cluster");
    admin_db
        .execute_unprepared("CREATE DATABASE credit_bank")
        .await
        .expect("database");
    sea_orm::Database::connect(stack.pg_url("credit_bank"))
        .await
        .expect("db")
}

/// `query` as `token`, which must succeed; its `data`.
async fn must(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let (status, body) = post(&client(), base, token, query, variables).await;
    assert!(
        status == 200 && body.get("errors").is_none(),
        "setup: {query}: {status} {body}"
    );
    body["data"].clone()
}

async fn login(base: &str, username: &str) -> String {
    let data = must(base, None, LOGIN, json!({"u": username, "p": PASSWORD})).await;
    data["login"]["token"].as_str().expect("token").to_owned()
}

fn create_admin(stack: &Stack) {
    let out = std::process::Command::new(services::binary())
        .args(["create-admin", "--username", "soak-admin"])
        .current_dir(&stack.dir)
        .env("DATABASE_URL", stack.pg_url("credit_bank"))
        .env("CREDIT_BANK_ADMIN_PASSWORD", PASSWORD)
        .output()
        .expect("create-admin");
    assert!(
        out.status.success(),
        "create-admin: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn account(base: &str, admin: &str, input: Value) -> String {
    let username = input["username"].as_str().expect("username").to_owned();
    must(
        base,
        Some(admin),
        "mutation($i: CreateAccountInput!){ createAccount(input:$i){ id } }",
        json!({"i": input}),
    )
    .await;
    login(base, &username).await
}

pub async fn build(stack: &Stack, base: &str) -> World {
    create_admin(stack);
    let admin = login(base, "soak-admin").await;
    let school = must(
        base,
        Some(&admin),
        "mutation{ createSchool(input:{regionCode:\"370202\", name:\"浸泡测试小学\"}){ id } }",
        json!({}),
    )
    .await["createSchool"]["id"]
        .as_str()
        .expect("school")
        .to_owned();
    let school_admin = account(base, &admin, json!({"username": "soak-school", "password": PASSWORD, "role": "SCHOOL_ADMIN", "schoolId": school})).await;
    let district_admin = account(base, &admin, json!({"username": "soak-district", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "370202"})).await;
    let mut teachers = Vec::new();
    for n in 0..TEACHERS {
        let username = format!("soak-teacher-{n}");
        let input = json!({"schoolId": school, "name": format!("浸泡教师{n}"), "stages": ["PRIMARY"], "subjects": ["数学"], "hiredOn": "2015-09-01", "username": username, "password": PASSWORD});
        let data = must(
            base,
            Some(&admin),
            "mutation($i: CreateTeacherInput!){ createTeacher(input:$i){ id } }",
            json!({"i": input}),
        )
        .await;
        let id = data["createTeacher"]["id"].as_str().expect("id").to_owned();
        teachers.push((id, login(base, &username).await));
    }
    let provider = provider(base, &admin).await;
    let mut courses = Vec::new();
    for n in 0..COURSES {
        courses.push(create_course(base, &admin, &provider, n).await);
    }
    World {
        admin,
        provider,
        school_admin,
        district_admin,
        teachers,
        courses: std::sync::Mutex::new(courses),
    }
}

async fn provider(base: &str, admin: &str) -> String {
    must(
        base,
        Some(admin),
        "mutation{ createProvider(input:{regionCode:\"370202\", name:\"浸泡测试培训中心\", level: COUNTY}){ id } }",
        json!({}),
    )
    .await["createProvider"]["id"]
        .as_str()
        .expect("provider")
        .to_owned()
}

/// The input of course `n`: [`CAPACITY`] seats, open for enrolment from three days ago for
/// a month, no end date (completions are earned on the day they are recorded).
pub fn course_input(provider: &str, n: usize) -> Value {
    let today = chrono::Utc::now().date_naive();
    let opens = (today - chrono::Duration::days(3)).to_string();
    let closes = (today + chrono::Duration::days(30)).to_string();
    json!({"providerId": provider, "code": format!("SOAK-{n:04}"), "title": format!("浸泡测试课程{n}"),
        "level": "COUNTY", "modality": "CONCENTRATED", "category": "INFORMATION", "hours": "24",
        "capacity": CAPACITY, "targetStages": ["PRIMARY"], "subjects": ["数学"],
        "enrollmentOpensOn": opens, "enrollmentClosesOn": closes})
}

pub const CREATE_COURSE: &str = "mutation($i: CourseInput!){ createCourse(input:$i){ id } }";
pub const PUBLISH_COURSE: &str = "mutation($c: ID!){ publishCourse(id:$c){ status } }";
pub const APPROVE_COURSE: &str =
    "mutation($c: ID!){ approveCourse(id:$c, decision: APPROVE){ status } }";

/// Course `n`, created, published and approved.
async fn create_course(base: &str, admin: &str, provider: &str, n: usize) -> String {
    let data = must(
        base,
        Some(admin),
        CREATE_COURSE,
        json!({"i": course_input(provider, n)}),
    )
    .await;
    let id = data["createCourse"]["id"]
        .as_str()
        .expect("course")
        .to_owned();
    for step in [PUBLISH_COURSE, APPROVE_COURSE] {
        must(base, Some(admin), step, json!({"c": id})).await;
    }
    id
}
