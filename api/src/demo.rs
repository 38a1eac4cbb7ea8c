//! The demo data set (`serve --demo`, `seed-demo`): a few schools, teachers, providers and a
//! university in the seed regions, with one login per role. Loaded into an empty database only,
//! so a real deployment never gains an account with a published password.

use crate::auth::{CourseNeed, Guard, Principal, RegionNeed, UniversityNeed};
use crate::services::accounts::{self, AccountTarget};
use crate::services::completions::{self, IncomingRow};
use crate::services::organisation::{
    self as org, NewProvider, NewSchool, NewTeacher, NewUniversity,
};
use crate::services::{course_editing, enrolment};
use crate::state::AppState;
use anyhow::Context;
use chrono::NaiveDate;
use domain::amount::Amount;
use domain::catalogue::{CourseAction, CourseDraft, CourseInputRaw};
use domain::codes::{Modality, ParticipationRole};
use domain::codes::{Stage, TrainingLevel};
use domain::completion::CompletionFacts;
use domain::identity::{Name, Password, Subject, Username};
use domain::region::RegionCode;
use domain::scope::Scope;

/// Every demo login uses this password (listed in the README).
pub const DEMO_PASSWORD: &str = "demo-password";

/// Loads the demo data if no account exists yet; returns whether it did.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<bool> {
    if !crate::db::is_empty(&state.db).await? {
        tracing::info!("database already has accounts; demo data not loaded");
        return Ok(false);
    }
    seed(state).await.context("loading the demo data failed")?;
    tracing::info!("demo data loaded");
    Ok(true)
}

fn draft(
    code: &str,
    title: &str,
    category: &str,
    hours: &str,
    capacity: Option<i32>,
    window: Option<(NaiveDate, NaiveDate)>,
    ends: Option<NaiveDate>,
) -> anyhow::Result<CourseDraft> {
    Ok(CourseDraft::parse(CourseInputRaw {
        code: code.into(),
        title: title.into(),
        description: Some("示范数据".into()),
        kind: domain::codes::ActivityKind::CourseCompletion,
        level: TrainingLevel::Municipal,
        modality: Modality::Concentrated,
        category: category.into(),
        compulsory: true,
        hours: Amount::parse(hours)?,
        capacity,
        target_stages: vec![Stage::Primary],
        subjects: vec![],
        enrollment_opens_on: window.map(|w| w.0),
        enrollment_closes_on: window.map(|w| w.1),
        starts_on: None,
        ends_on: ends,
    })?)
}

/// Two Qingdao courses: one finished, with the Shinan teachers' completions on the ledger, and
/// one open for enrolment.
async fn demo_catalogue(
    state: &AppState,
    guard: &Guard<'_>,
    provider: uuid::Uuid,
    teachers: &[uuid::Uuid],
) -> anyhow::Result<()> {
    let today = state.clock.today();
    let finished = draft(
        "QD-2026-IT",
        "信息技术应用能力提升 2.0",
        "INFORMATION",
        "24",
        None,
        None,
        NaiveDate::from_ymd_opt(2026, 6, 30),
    )?;
    let catalogue = guard.provider(&state.db, provider, "providerId").await?;
    let course = course_editing::create(state, &catalogue, finished).await?;
    for action in [CourseAction::Publish, CourseAction::Approve] {
        let access = guard
            .course(&state.db, course.id, CourseNeed::Transition(action))
            .await?;
        course_editing::transition(state, access, None).await?;
    }
    for t in teachers {
        let place = guard.new_place(&state.db, course.id, *t).await?;
        enrolment::enroll(state, place, today).await?;
    }
    let reporting = guard
        .course(&state.db, course.id, CourseNeed::ReportCompletions)
        .await?;
    let (course, permit) = completions::authorize(reporting)?;
    let rows = teachers
        .iter()
        .map(|t| IncomingRow {
            row: 0,
            teacher: t.to_string(),
            teacher_number: None,
            facts: Ok(CompletionFacts {
                attended_hours: Amount::from_e4(course.hours_e4),
                passed: true,
                score: None,
                role: ParticipationRole::Trainee,
                taught_hours: None,
            }),
        })
        .collect();
    completions::record(state, &permit, &course, rows, None, today).await?;
    let closing = guard
        .course(
            &state.db,
            course.id,
            CourseNeed::Transition(CourseAction::Close),
        )
        .await?;
    course_editing::transition(state, closing, None).await?;
    let open = draft(
        "QD-2026-HT",
        "班主任专业能力提升",
        "HEAD_TEACHER",
        "30",
        Some(40),
        Some((today, today + chrono::Duration::days(60))),
        None,
    )?;
    let open = course_editing::create(state, &catalogue, open).await?;
    for action in [CourseAction::Publish, CourseAction::Approve] {
        let access = guard
            .course(&state.db, open.id, CourseNeed::Transition(action))
            .await?;
        course_editing::transition(state, access, None).await?;
    }
    Ok(())
}

/// A demo login for `target`, with the demo password.
async fn login(
    state: &AppState,
    guard: &Guard<'_>,
    name: &str,
    target: AccountTarget,
) -> anyhow::Result<()> {
    let access = guard.new_account(&state.db, target).await?;
    let password = Password::parse(DEMO_PASSWORD.into())?;
    accounts::create(state, &access, Username::parse(name)?, password).await?;
    Ok(())
}

async fn seed(state: &AppState) -> anyhow::Result<()> {
    let system = Principal {
        account_id: uuid::Uuid::nil(),
        username: "demo-loader".into(),
        scope: Scope::System,
        loaded: None,
    };
    let guard = Guard::new(&system, &state.regions, state.clock.today());
    let region = |code: &str| RegionCode::parse(code);

    login(state, &guard, "admin", AccountTarget::System).await?;
    for (user, code) in [
        ("shandong", "370000"),
        ("qingdao-shinan", "370202"),
        ("weifang", "370700"),
        ("wuhan", "420100"),
        ("suzhou-jiuquan", "620902"),
    ] {
        login(state, &guard, user, AccountTarget::Region(region(code)?)).await?;
    }

    let schools = [
        (
            "370202",
            "青岛市市南区实验小学",
            "shinan-school",
            [
                ("张伟", "zhangwei", Stage::Primary, "语文"),
                ("陈静", "chenjing", Stage::Primary, "数学"),
            ],
        ),
        (
            "370702",
            "潍坊市潍城区第一中学",
            "weicheng-school",
            [
                ("李娜", "lina", Stage::JuniorSecondary, "英语"),
                ("赵磊", "zhaolei", Stage::JuniorSecondary, "物理"),
            ],
        ),
        (
            "420102",
            "武汉市江岸区育才小学",
            "jiangan-school",
            [
                ("王芳", "wangfang", Stage::Primary, "数学"),
                ("周杰", "zhoujie", Stage::Primary, "科学"),
            ],
        ),
        (
            "620902",
            "酒泉市肃州区东关小学",
            "suzhou-school",
            [
                ("刘洋", "liuyang", Stage::Primary, "语文"),
                ("孙丽", "sunli", Stage::Primary, "美术"),
            ],
        ),
    ];
    let mut shinan_teachers = Vec::new();
    for (code, name, admin, teachers) in schools {
        let school = org::create_school(
            state,
            &guard.region(&region(code)?, RegionNeed::Organise)?,
            NewSchool {
                name: Name::parse(name, 100)?,
            },
        )
        .await?;
        login(state, &guard, admin, AccountTarget::School(school.id)).await?;
        for (i, (person, user, stage, subject)) in teachers.into_iter().enumerate() {
            let hired =
                NaiveDate::from_ymd_opt(2012 + 3 * i as i32, 9, 1).context("demo hire date")?;
            let teacher = org::create_teacher(
                state,
                guard.new_teacher(&state.db, school.id, true).await?,
                NewTeacher {
                    name: Name::parse(person, 50)?,
                    hired_on: Some(hired),
                    stages: vec![stage],
                    subjects: vec![Subject::parse(subject)?],
                    // Every school's first teacher is its head teacher (班主任).
                    head_teacher: i == 0,
                    normal_school_graduate: true,
                    // 教师编号 as a school's spreadsheet knows them: region code and a serial.
                    teacher_number: Some(domain::teacher_number::TeacherNumber::parse(&format!(
                        "{code}{:04}",
                        i + 1
                    ))?),
                    login: Some((
                        Username::parse(user)?,
                        Password::parse(DEMO_PASSWORD.into())?,
                    )),
                },
            )
            .await?;
            if code == "370202" {
                shinan_teachers.push(teacher.id);
            }
        }
    }

    let mut providers = Vec::new();
    for (code, name, level, admin) in [
        (
            "370200",
            "青岛市教育科学研究院",
            TrainingLevel::Municipal,
            "qingdao-institute",
        ),
        (
            "420100",
            "武汉市教师发展中心",
            TrainingLevel::Municipal,
            "wuhan-centre",
        ),
    ] {
        let provider = org::create_provider(
            state,
            &guard.region(&region(code)?, RegionNeed::Organise)?,
            NewProvider {
                name: Name::parse(name, 100)?,
                level,
            },
        )
        .await?;
        login(state, &guard, admin, AccountTarget::Provider(provider.id)).await?;
        providers.push(provider.id);
    }
    if let Some(qingdao) = providers.first() {
        demo_catalogue(state, &guard, *qingdao, &shinan_teachers).await?;
    }

    let university = org::create_university(
        state,
        &guard.region(&region("370000")?, RegionNeed::Organise)?,
        NewUniversity {
            name: Name::parse("山东师范大学", 100)?,
        },
    )
    .await?;
    login(
        state,
        &guard,
        "sdnu",
        AccountTarget::University(university.id),
    )
    .await?;
    // A mapping the demo teachers' Qingdao information-technology course can satisfy.
    let manage = guard
        .university(&state.db, university.id, UniversityNeed::Manage)
        .await?;
    let course = crate::services::universities::create_course(
        state,
        &manage,
        "EDU-501",
        "教育信息技术",
        domain::amount::Amount::parse("1")?,
    )
    .await?;
    crate::services::universities::create_mapping(
        state,
        &guard.university_course(&state.db, course.id).await?,
        domain::transfer::Mapping {
            categories: vec![domain::codes::CategoryKey::parse("INFORMATION")?],
            min_level: Some(TrainingLevel::Municipal),
            modalities: vec![],
            min_hours: Some(domain::amount::Amount::parse("24")?),
            within_years: Some(5),
            academic_credits: domain::amount::Amount::parse("1")?,
        },
    )
    .await?;
    Ok(())
}
