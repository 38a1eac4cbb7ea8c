//! Requirements counted in hours received as a trainee (`unit: HOURS`), each pinned to the seed
//! article that counts hours, not credits. Each of these failed on the credit floors they
//! replace.

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::{Concentrated, Online};
use crate::codes::TrainingLevel::*;
use crate::policy::{RequirementUnit, TeacherFacts};

fn hired(y: i32, m: u32, d: u32) -> TeacherFacts {
    TeacherFacts {
        hired_on: Some(date(y, m, d)),
        ..TeacherFacts::default()
    }
}

fn sum(a: crate::amount::Amount, b: crate::amount::Amount) -> crate::amount::Amount {
    a.checked_add(b).expect("small amounts")
}

fn unit(report: &crate::policy::ComplianceReport, key: &str) -> RequirementUnit {
    report
        .requirements
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.unit)
        .unwrap_or_else(|| panic!("no requirement {key}"))
}

/// 山东 第十六条 新任中小学教师试用期培训不少于120学时，经考核合格记72学分: two 60-hour modules
/// are the whole programme — 120 hours, 72 credits. Before, neither module reached the 120-hour
/// rule, both were priced as ordinary training (120 credits) and the requirement stayed unmet.
#[test]
fn shandong_art_16_two_probation_modules_settle_the_120_hours() {
    let p = policy("shandong");
    let acts = vec![
        act(0, NewTeacherProbation, date(2026, 10, 1)).hours("60"),
        act(1, NewTeacherProbation, date(2027, 3, 1)).hours("60"),
    ];
    let r = evaluate_for(&p, hired(2026, 9, 1), date(2027, 8, 31), acts);
    assert_eq!(unit(&r, "new-teacher"), RequirementUnit::Hours);
    assert_eq!(
        requirement(&r, "new-teacher"),
        (amount("120"), amount("0"), true)
    );
    assert_eq!(sum(record(&r, 0).0, record(&r, 1).0), amount("72"));
    // One 100-hour record leaves 20 hours owed and earns its share, 60.
    let r = evaluate_for(
        &p,
        hired(2026, 9, 1),
        date(2027, 8, 31),
        vec![act(0, NewTeacherProbation, date(2026, 10, 1)).hours("100")],
    );
    assert_eq!(
        requirement(&r, "new-teacher"),
        (amount("100"), amount("20"), false)
    );
    assert_eq!(record(&r, 0).0, amount("60"));
}

/// 山东 第十六条 担任班主任的中小学教师，每5年需接受不少于30学时的班主任工作专题培训: received,
/// as a trainee. Teaching 15 hours of it (×2 = 30 credits) once settled the requirement.
#[test]
fn shandong_art_16_head_teachers_must_receive_30_hours_not_teach_them() {
    let head = TeacherFacts {
        head_teacher: true,
        ..TeacherFacts::default()
    };
    for key in ["shandong", "qingdao-shinan"] {
        let p = policy(key);
        let taught = vec![course(0, date(2026, 3, 1), County, Concentrated, "15")
            .category("HEAD_TEACHER")
            .instructor("15")];
        let r = evaluate_for(&p, head, date(2030, 12, 31), taught);
        assert_eq!(record(&r, 0).0, amount("30"), "{key}");
        assert_eq!(
            requirement(&r, "head-teacher"),
            (amount("0"), amount("30"), false),
            "{key}"
        );
        let received = vec![
            course(1, date(2027, 3, 1), County, Concentrated, "12").category("HEAD_TEACHER"),
            course(2, date(2028, 3, 1), Municipal, Online, "18").category("HEAD_TEACHER"),
        ];
        let r = evaluate_for(&p, head, date(2030, 12, 31), received);
        assert_eq!(
            requirement(&r, "head-teacher"),
            (amount("30"), amount("0"), true),
            "{key}"
        );
    }
}

/// 市南区 附件1 序号1 新教师培训…第一年要达到120学时，按72学分登记: 64 + 48 = 112 hours do not make
/// the first year, although as credits (64 + 48) they passed the old 72-credit floor.
#[test]
fn shinan_first_year_needs_120_hours_and_is_worth_72() {
    let p = policy("qingdao-shinan");
    let teacher = hired(2026, 9, 1);
    let acts = || {
        vec![
            act(0, NewTeacherProbation, date(2026, 11, 1)).hours("64"),
            act(1, NewTeacherProbation, date(2027, 4, 1)).hours("48"),
        ]
    };
    let r = evaluate_for(&p, teacher, date(2027, 8, 31), acts());
    assert_eq!(
        requirement(&r, "new-teacher-1"),
        (amount("112"), amount("8"), false)
    );
    // The first year's programme is registered as 72 credits, however its hours are split.
    assert_eq!(sum(record(&r, 0).1, record(&r, 1).1), amount("72"));
    let mut all = acts();
    all.push(act(2, NewTeacherProbation, date(2027, 6, 1)).hours("8"));
    let r = evaluate_for(&p, teacher, date(2027, 8, 31), all);
    assert!(requirement(&r, "new-teacher-1").2);
}

/// 武汉 三(二) 新任教师…必须进行试用期的业务培训，培训时间不少于80学时(其中集中培训不少于40学时):
/// a requirement the old policy did not have.
#[test]
fn wuhan_probation_needs_80_hours_of_which_40_concentrated() {
    let p = policy("wuhan");
    let teacher = hired(2026, 9, 1);
    let acts = vec![
        course(0, date(2026, 10, 1), Municipal, Concentrated, "32"),
        course(1, date(2027, 3, 1), County, Online, "50"),
        // After the probation year: counts toward the cycle, not the probation.
        course(2, date(2027, 10, 1), County, Concentrated, "40"),
    ];
    let r = evaluate_for(&p, teacher, date(2027, 12, 31), acts);
    assert_eq!(
        requirement(&r, "probation"),
        (amount("82"), amount("0"), true)
    );
    assert_eq!(
        requirement(&r, "probation-concentrated"),
        (amount("32"), amount("8"), false)
    );
    assert!(!r.satisfied);
    // A teacher hired long ago owes no probation.
    let r = evaluate_for(&p, hired(2010, 9, 1), date(2027, 12, 31), vec![]);
    assert!(!r
        .requirements
        .iter()
        .any(|q| q.key.starts_with("probation")));
}

/// 山东 (第三篇) (十一) 新教师在试用期内应接受不少于120学时的新任教师培训.
#[test]
fn shandong_ab_new_teachers_owe_120_hours_in_probation() {
    let p = policy("shandong-ab");
    let acts = vec![act(0, NewTeacherProbation, date(2026, 10, 1))
        .hours("100")
        .level(County)];
    let r = evaluate_for(&p, hired(2026, 9, 1), date(2027, 8, 31), acts);
    assert_eq!(
        requirement(&r, "new-teacher"),
        (amount("100"), amount("20"), false)
    );
}

/// Hours received are what was attended: 40 of a 48-hour Shandong probation course count 40.
#[test]
fn hours_received_are_the_hours_attended() {
    let p = policy("shandong");
    let acts = vec![act(0, NewTeacherProbation, date(2026, 10, 1))
        .hours("48")
        .attended("40")];
    let r = evaluate_for(&p, hired(2026, 9, 1), date(2027, 8, 31), acts);
    assert_eq!(requirement(&r, "new-teacher").0, amount("40"));
}
