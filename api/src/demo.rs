//! The demo data set (`serve --demo`, `seed-demo`): a few schools, teachers, providers and a
//! university in the seed regions, with one login per role. Loaded into an empty database only,
//! so a real deployment never gains an account with a published password.

use crate::auth::{Guard, Principal};
use crate::services::accounts::{self, AccountTarget, NewAccount};
use crate::services::organisation::{
    self as org, NewProvider, NewSchool, NewTeacher, NewUniversity,
};
use crate::state::AppState;
use anyhow::Context;
use chrono::NaiveDate;
use domain::codes::{Stage, TrainingLevel};
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

async fn seed(state: &AppState) -> anyhow::Result<()> {
    let system = Principal {
        account_id: uuid::Uuid::nil(),
        username: "demo-loader".into(),
        scope: Scope::System,
    };
    let guard = Guard::new(&system, &state.regions);
    let login = |name: &str, target: AccountTarget| -> anyhow::Result<NewAccount> {
        Ok(NewAccount {
            username: Username::parse(name)?,
            password: Password::parse(DEMO_PASSWORD.into())?,
            target,
        })
    };
    let region = |code: &str| RegionCode::parse(code);

    accounts::create(state, &guard, login("admin", AccountTarget::System)?).await?;
    for (user, code) in [
        ("shandong", "370000"),
        ("qingdao-shinan", "370202"),
        ("weifang", "370700"),
        ("wuhan", "420100"),
        ("suzhou-jiuquan", "620902"),
    ] {
        accounts::create(
            state,
            &guard,
            login(user, AccountTarget::Region(region(code)?))?,
        )
        .await?;
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
    for (code, name, admin, teachers) in schools {
        let school = org::create_school(
            state,
            &guard,
            NewSchool {
                region: region(code)?,
                name: Name::parse(name, 100)?,
            },
        )
        .await?;
        accounts::create(
            state,
            &guard,
            login(admin, AccountTarget::School(school.id))?,
        )
        .await?;
        for (i, (person, user, stage, subject)) in teachers.into_iter().enumerate() {
            let hired =
                NaiveDate::from_ymd_opt(2012 + 3 * i as i32, 9, 1).context("demo hire date")?;
            org::create_teacher(
                state,
                &guard,
                NewTeacher {
                    school_id: school.id,
                    name: Name::parse(person, 50)?,
                    hired_on: Some(hired),
                    stages: vec![stage],
                    subjects: vec![Subject::parse(subject)?],
                    login: Some((
                        Username::parse(user)?,
                        Password::parse(DEMO_PASSWORD.into())?,
                    )),
                },
            )
            .await?;
        }
    }

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
            &guard,
            NewProvider {
                region: region(code)?,
                name: Name::parse(name, 100)?,
                level,
            },
        )
        .await?;
        accounts::create(
            state,
            &guard,
            login(admin, AccountTarget::Provider(provider.id))?,
        )
        .await?;
    }

    let university = org::create_university(
        state,
        &guard,
        NewUniversity {
            region: region("370000")?,
            name: Name::parse("山东师范大学", 100)?,
        },
    )
    .await?;
    accounts::create(
        state,
        &guard,
        login("sdnu", AccountTarget::University(university.id))?,
    )
    .await?;
    Ok(())
}
