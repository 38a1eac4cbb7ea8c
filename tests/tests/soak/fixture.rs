//! The soak's world, made through the API as a deployment would be: a system admin
//! (`create-admin`), a school in 市南区 with its admin and the district's admin (the two review
//! steps of Shinan's policy), teachers with logins, a provider, and a few small published
//! courses open for enrolment today — small, so that enrolments contend for the last seats
//! (the soak publishes more as it runs, so the contention goes on) — and a university with its
//! admin, one course and a transfer mapping the soak's completions satisfy, which every teacher
//! has granted access to, so that conversions are requested and decided as the soak runs.

use crate::load::{client, post, LOGIN};
use crate::services::Stack;
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
    /// The university's admin (it decides conversions) and the mapping teachers convert under.
    pub university_admin: String,
    pub mapping: String,
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

/// `query` as `token`, which must create something: the id of the `field` it answers.
async fn created(base: &str, token: &str, query: &str, variables: Value, field: &str) -> String {
    let data = must(base, Some(token), query, variables).await;
    data[field]["id"].as_str().expect(field).to_owned()
}

async fn login(base: &str, username: &str) -> String {
    let data = must(base, None, LOGIN, json!({"u": username, "p": PASSWORD})).await;
    data["login"]["token"].as_str().expect("token").to_owned()
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
    stack.create_admin("soak-admin", PASSWORD);
    let admin = login(base, "soak-admin").await;
    let school = created(
        base,
        &admin,
        "mutation{ createSchool(input:{regionCode:\"370202\", name:\"浸泡测试小学\"}){ id } }",
        json!({}),
        "createSchool",
    )
    .await;
    let school_admin = account(base, &admin, json!({"username": "soak-school", "password": PASSWORD, "role": "SCHOOL_ADMIN", "schoolId": school})).await;
    let district_admin = account(base, &admin, json!({"username": "soak-district", "password": PASSWORD, "role": "REGION_ADMIN", "regionCode": "370202"})).await;
    let mut teachers = Vec::new();
    for n in 0..TEACHERS {
        let username = format!("soak-teacher-{n}");
        let input = json!({"schoolId": school, "name": format!("浸泡教师{n}"), "stages": ["PRIMARY"], "subjects": ["数学"], "hiredOn": "2015-09-01", "username": username, "password": PASSWORD});
        let id = created(
            base,
            &admin,
            "mutation($i: CreateTeacherInput!){ createTeacher(input:$i){ id } }",
            json!({"i": input}),
            "createTeacher",
        )
        .await;
        teachers.push((id, login(base, &username).await));
    }
    let provider = provider(base, &admin).await;
    let mut courses = Vec::new();
    for n in 0..COURSES {
        courses.push(create_course(base, &admin, &provider, n).await);
    }
    let (university_admin, mapping) = university(base, &admin, &teachers).await;
    World {
        admin,
        provider,
        school_admin,
        district_admin,
        teachers,
        courses: std::sync::Mutex::new(courses),
        university_admin,
        mapping,
    }
}

/// A university in 青岛 with its admin, one course and a mapping "48 hours of INFORMATION
/// training = 2 academic credits": two of the soak's 24-hour completions make a conversion, so
/// a teacher with three or more certified records has several ways to pick and two requests at
/// once contend for the same records. Every teacher grants the university access (it reads
/// their conversions to decide them). (university admin token, mapping id)
async fn university(base: &str, admin: &str, teachers: &[(String, String)]) -> (String, String) {
    let q = "mutation{ createUniversity(input:{regionCode:\"370200\", name:\"浸泡测试师范大学\"}){ id } }";
    let university = created(base, admin, q, json!({}), "createUniversity").await;
    let input = json!({"username": "soak-university", "password": PASSWORD, "role": "UNIVERSITY_ADMIN", "universityId": university});
    let uni = account(base, admin, input).await;
    let q = "mutation($i: UniversityCourseInput!){ createUniversityCourse(input:$i){ id } }";
    let input = json!({"i": {"universityId": university, "code": "SOAK-EDU-1", "title": "教育信息技术", "academicCredits": "2"}});
    let course = created(base, &uni, q, input, "createUniversityCourse").await;
    let q = "mutation($i: TransferMappingInput!){ createTransferMapping(input:$i){ id } }";
    let input = json!({"i": {"universityCourseId": course, "categories": ["INFORMATION"], "minHours": "48", "academicCredits": "2"}});
    let mapping = created(base, &uni, q, input, "createTransferMapping").await;
    let q = "mutation($u: ID!){ grantAccess(universityId:$u){ active } }";
    for (_, token) in teachers {
        must(base, Some(token), q, json!({"u": university})).await;
    }
    (uni, mapping)
}

async fn provider(base: &str, admin: &str) -> String {
    created(
        base,
        admin,
        "mutation{ createProvider(input:{regionCode:\"370202\", name:\"浸泡测试培训中心\", level: COUNTY}){ id } }",
        json!({}), "createProvider").await
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
    let input = json!({"i": course_input(provider, n)});
    let id = created(base, admin, CREATE_COURSE, input, "createCourse").await;
    for step in [PUBLISH_COURSE, APPROVE_COURSE] {
        must(base, Some(admin), step, json!({"c": id})).await;
    }
    id
}
