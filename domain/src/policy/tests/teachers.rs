//! Requirements that bind some teachers only, decided by the teacher's recorded facts.

use super::support::*;
use crate::amount::Amount;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::*;
use crate::codes::TrainingLevel::*;
use crate::policy::TeacherFacts;

fn head_teacher() -> TeacherFacts {
    TeacherFacts {
        head_teacher: true,
        ..TeacherFacts::default()
    }
}

fn hired(y: i32, m: u32, d: u32) -> TeacherFacts {
    TeacherFacts {
        hired_on: Some(date(y, m, d)),
        ..TeacherFacts::default()
    }
}

fn keys(report: &crate::policy::ComplianceReport) -> Vec<String> {
    report.requirements.iter().map(|r| r.key.clone()).collect()
}

/// 山东 第十六条 担任班主任的中小学教师，每5年需接受不少于30学时的班主任工作专题培训.
#[test]
fn shandong_art_16_head_teachers_owe_30_hours_of_head_teacher_training() {
    let p = policy("shandong");
    let acts = || {
        (0..5)
            .map(|i| course(i, date(2026 + i as i32, 3, 1), County, Concentrated, "72"))
            .collect::<Vec<A>>()
    };
    // The same 360 credits satisfy a class teacher and leave a head teacher 30 short.
    let other = evaluate(&p, date(2030, 12, 31), acts());
    assert!(other.satisfied, "{:#?}", other.requirements);
    assert!(!keys(&other).contains(&"head-teacher".to_owned()));
    let head = evaluate_for(&p, head_teacher(), date(2030, 12, 31), acts());
    assert_eq!(
        requirement(&head, "head-teacher"),
        (amount("0"), amount("30"), false)
    );
    assert!(!head.satisfied);
    // 30 hours of head-teacher training (1 hour = 1 credit) settle it, and count toward the total.
    let mut with_training = acts();
    with_training
        .push(course(9, date(2028, 5, 1), County, Concentrated, "30").category("HEAD_TEACHER"));
    let head = evaluate_for(&p, head_teacher(), date(2030, 12, 31), with_training);
    assert_eq!(
        requirement(&head, "head-teacher"),
        (amount("30"), amount("0"), true)
    );
    assert_eq!(requirement(&head, "total").0, amount("390"));
    assert!(head.satisfied, "{:#?}", head.requirements);
}

/// 山东 第十六条 新任中小学教师试用期培训不少于120学时，经考核合格记72学分: owed within the
/// 12 months from the hire date; training after probation does not settle it.
#[test]
fn shandong_art_16_a_new_teacher_owes_probation_training_in_the_first_12_months() {
    let p = policy("shandong");
    let teacher = hired(2026, 9, 1);
    let late = vec![act(0, NewTeacherProbation, date(2027, 9, 1)).hours("120")];
    let r = evaluate_for(&p, teacher, date(2027, 12, 31), late);
    let probation = r
        .requirements
        .iter()
        .find(|q| q.key == "new-teacher")
        .expect("new-teacher requirement");
    assert_eq!(probation.shortfall, amount("120"));
    assert!(
        probation.label.ends_with("(2026-09-01 – 2027-08-31)"),
        "{}",
        probation.label
    );
    let in_time = vec![act(0, NewTeacherProbation, date(2027, 6, 30)).hours("120")];
    let r = evaluate_for(&p, teacher, date(2027, 12, 31), in_time);
    assert_eq!(
        requirement(&r, "new-teacher"),
        (amount("120"), amount("0"), true)
    );
    // A teacher hired in an earlier cycle owes nothing of the kind in this one.
    let veteran = evaluate_for(&p, hired(2015, 9, 1), date(2027, 12, 31), vec![]);
    assert!(!keys(&veteran).contains(&"new-teacher".to_owned()));
    // Nor does a teacher whose hire date was never recorded.
    let unknown = evaluate(&p, date(2027, 12, 31), vec![]);
    assert!(!keys(&unknown).contains(&"new-teacher".to_owned()));
}

/// 肃州 第一条 每年新招聘录用的教师当年必须取得不少于120个继续教育学分.
#[test]
fn suzhou_art_1_new_hires_owe_120_in_the_year_they_are_hired() {
    let p = policy("suzhou-jiuquan");
    let acts = || {
        vec![
            course(0, date(2026, 3, 1), County, Concentrated, "60"),
            act(1, SchoolBasedTopic, date(2026, 4, 1)),
        ]
    };
    let r = evaluate_for(&p, hired(2026, 2, 15), date(2026, 12, 31), acts());
    assert_eq!(
        requirement(&r, "new-hire:2026"),
        (amount("62"), amount("58"), false)
    );
    assert!(!r.satisfied);
    // Hired the year before: this year only the 42 of every teacher.
    let r = evaluate_for(&p, hired(2025, 9, 1), date(2026, 12, 31), acts());
    assert!(!keys(&r).iter().any(|k| k.starts_with("new-hire")));
}

/// 潍坊 第十三条 师范类毕业生试用期内应学满12学分，其中必修课6学分；非师范类毕业生试用期应
/// 学满18学分，其中必修课9学分.
#[test]
fn weifang_art_13_probation_totals_depend_on_the_diploma() {
    let p = policy("weifang");
    let acts = || {
        vec![
            course(0, date(2026, 10, 1), Municipal, Concentrated, "70").compulsory(true),
            course(1, date(2027, 3, 1), County, Concentrated, "80"),
        ]
    };
    let graduate = TeacherFacts {
        normal_school_graduate: true,
        ..hired(2026, 9, 1)
    };
    let r = evaluate_for(&p, graduate, date(2027, 6, 30), acts());
    assert_eq!(
        requirement(&r, "probation-normal"),
        (amount("15"), amount("0"), true)
    );
    assert_eq!(
        requirement(&r, "probation-normal-compulsory"),
        (amount("7"), amount("0"), true)
    );
    assert!(!keys(&r).iter().any(|k| k.starts_with("probation-other")));
    // The same record for a teacher not recorded as a normal-school graduate: 18 and 9.
    let r = evaluate_for(&p, hired(2026, 9, 1), date(2027, 6, 30), acts());
    assert_eq!(
        requirement(&r, "probation-other"),
        (amount("15"), amount("3"), false)
    );
    assert_eq!(
        requirement(&r, "probation-other-compulsory"),
        (amount("7"), amount("2"), false)
    );
    assert!(!keys(&r).iter().any(|k| k.starts_with("probation-normal")));
}

/// 市南区新教师培训 第一年要达到120学时，按72学分登记；第二年64学时，64学分；第三年48学时，48学分.
#[test]
fn shinan_new_teachers_owe_their_programme_in_each_of_their_first_three_years() {
    let p = policy("qingdao-shinan");
    let teacher = hired(2026, 9, 1);
    let acts = vec![
        act(0, NewTeacherProbation, date(2027, 6, 1)).hours("120"),
        act(1, NewTeacherProbation, date(2027, 11, 1)).hours("40"),
    ];
    let r = evaluate_for(&p, teacher, date(2028, 12, 31), acts);
    assert_eq!(
        requirement(&r, "new-teacher-1"),
        (amount("120"), amount("0"), true)
    );
    // 40 hours in the second year (from 2027-09-01): 24 of its 64 hours short.
    assert_eq!(
        requirement(&r, "new-teacher-2"),
        (amount("40"), amount("24"), false)
    );
    let third = r
        .requirements
        .iter()
        .find(|q| q.key == "new-teacher-3")
        .expect("third year");
    assert!(
        third.label.ends_with("(2028-09-01 – 2029-08-31)"),
        "{}",
        third.label
    );
    // A teacher in their tenth year owes none of it.
    let veteran = evaluate_for(&p, hired(2017, 9, 1), date(2028, 12, 31), vec![]);
    assert!(!keys(&veteran).iter().any(|k| k.starts_with("new-teacher")));
}

/// A probation that straddles two cycles is judged on its whole span in both: training finished
/// in the old cycle settles the requirement in the new one, without adding to the new total.
#[test]
fn a_probation_across_a_cycle_boundary_sees_its_whole_span() {
    let p = policy("shandong");
    let teacher = hired(2025, 9, 1);
    let acts = || vec![act(0, NewTeacherProbation, date(2025, 10, 15)).hours("120")];
    let new_cycle = evaluate_for(&p, teacher, date(2026, 3, 1), acts());
    assert_eq!(
        requirement(&new_cycle, "new-teacher"),
        (amount("120"), amount("0"), true)
    );
    assert_eq!(new_cycle.total_counted, amount("0"));
    let (_, counted, notes) = record(&new_cycle, 0);
    assert_eq!((counted, notes), (amount("0"), vec!["OUT_OF_PERIOD"]));
    let old_cycle = evaluate_for(&p, teacher, date(2025, 12, 31), acts());
    assert_eq!(
        requirement(&old_cycle, "new-teacher"),
        (amount("120"), amount("0"), true)
    );
    // Hired in the cycle's last year, the teacher owes nothing else of that cycle, so the
    // probation's credits count toward no credit requirement there; its hours settle probation.
    assert_eq!(old_cycle.total_counted, amount("0"));
}

/// Nothing of a new hire's is owed before it begins: not the later service years, and nothing at
/// all before the hire date.
#[test]
fn a_new_hires_requirements_are_not_due_before_they_begin() {
    let shinan = policy("qingdao-shinan");
    let r = evaluate_for(&shinan, hired(2026, 9, 1), date(2026, 12, 31), vec![]);
    let due: Vec<String> = keys(&r)
        .into_iter()
        .filter(|k| k.starts_with("new-teacher"))
        .collect();
    assert_eq!(due, vec!["new-teacher-1".to_owned()]);
    let suzhou = policy("suzhou-jiuquan");
    let r = evaluate_for(&suzhou, hired(2026, 9, 1), date(2026, 3, 1), vec![]);
    assert!(
        !keys(&r).iter().any(|k| k.starts_with("new-hire")),
        "{:?}",
        keys(&r)
    );
}

fn required(report: &crate::policy::ComplianceReport, key: &str) -> Amount {
    report
        .requirements
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no requirement {key}"))
        .required
}

/// 潍坊 第十三条 …在完成试用期培训后，应继续参加本周期剩余年限的培训，获得相应学分; 山东 (004, 十一)
/// 新教师在完成试用期培训后，均应参加培训周期内的在职教师的继续教育: a teacher hired during the
/// cycle owes, after the hire (probation) year, the remaining years' share of the cycle, and no
/// annual minimum before then.
#[test]
fn a_teacher_hired_during_the_cycle_owes_the_remaining_years_share() {
    let shandong = policy("shandong");
    let r = evaluate_for(&shandong, hired(2027, 9, 1), date(2030, 12, 31), vec![]);
    assert_eq!(
        required(&r, "total"),
        amount("216"),
        "360 × 3/5 (2028–2030)"
    );
    assert_eq!(required(&r, "county-or-higher"), amount("144"));
    assert_eq!(required(&r, "face-to-face"), amount("36"));
    let annual: Vec<String> = keys(&r)
        .into_iter()
        .filter(|k| k.starts_with("annual"))
        .collect();
    assert_eq!(annual, vec!["annual:2028", "annual:2029", "annual:2030"]);
    let total = r.requirements.iter().find(|q| q.key == "total").unwrap();
    assert!(total.label.contains("3 of 5 years"), "{}", total.label);
    // The probation year itself has its own requirement.
    assert!(
        keys(&r).contains(&"new-teacher".to_owned()),
        "{:?}",
        keys(&r)
    );

    // Pools scale too: Weifang's 10 compulsory + 26 elective, hired in 2026: four years of five.
    let weifang = policy("weifang");
    let r = evaluate_for(&weifang, hired(2026, 3, 1), date(2030, 12, 31), vec![]);
    assert_eq!(required(&r, "compulsory"), amount("8"));
    assert_eq!(required(&r, "elective"), amount("20.8"));

    // Hired in the cycle's last year: nothing of that cycle but the probation year's own.
    let r = evaluate_for(&shandong, hired(2030, 3, 1), date(2030, 12, 31), vec![]);
    assert!(!keys(&r).contains(&"total".to_owned()), "{:?}", keys(&r));

    // Hired before the cycle began: the whole of it.
    let r = evaluate_for(&shandong, hired(2020, 9, 1), date(2030, 12, 31), vec![]);
    assert_eq!(required(&r, "total"), amount("360"));
}

/// A policy may hold new hires to the whole cycle (`"newHires": "FULL"`).
#[test]
fn a_policy_may_hold_new_hires_to_the_whole_cycle() {
    let mut p = policy("shandong");
    p.period.new_hires = crate::policy::NewHires::Full;
    let r = evaluate_for(&p, hired(2028, 9, 1), date(2030, 12, 31), vec![]);
    assert_eq!(required(&r, "total"), amount("360"));
    assert_eq!(
        keys(&r).iter().filter(|k| k.starts_with("annual")).count(),
        5
    );
}

/// 山东 第十六条 担任班主任的…每5年: whoever serves as head teacher during a cycle owes the
/// training in that cycle, also after stepping down; a term that starts after `asOf` or ended
/// before the cycle does not bind.
#[test]
fn a_head_teacher_term_binds_the_cycles_it_overlaps() {
    use crate::policy::Term;
    let p = policy("shandong");
    let served = [Term {
        from: Some(date(2024, 9, 1)),
        until: Some(date(2027, 6, 30)),
    }];
    let facts = |as_of| TeacherFacts::default().in_period_of(&served, &p, as_of);
    assert!(facts(date(2029, 3, 1)).head_teacher, "served in 2026–2027");
    assert!(
        !facts(date(2031, 3, 1)).head_teacher,
        "stepped down before 2031–2035"
    );
    let r = evaluate_for(&p, facts(date(2029, 3, 1)), date(2029, 3, 1), vec![]);
    assert!(keys(&r).contains(&"head-teacher".to_owned()));
    let later = [Term {
        from: Some(date(2029, 9, 1)),
        until: None,
    }];
    let facts = TeacherFacts::default().in_period_of(&later, &p, date(2029, 3, 1));
    assert!(!facts.head_teacher, "not serving yet on 2029-03-01");
    let facts = TeacherFacts::default().in_period_of(&later, &p, date(2030, 3, 1));
    assert!(facts.head_teacher);
}

/// Shinan is in Shandong: its head teachers owe art. 16's 30 hours too, and its own 90-credit
/// head-teacher class settles them.
#[test]
fn shinan_head_teachers_owe_shandongs_30_hours() {
    let p = policy("qingdao-shinan");
    let r = evaluate_for(&p, head_teacher(), date(2026, 12, 31), vec![]);
    assert_eq!(
        requirement(&r, "head-teacher"),
        (amount("0"), amount("30"), false)
    );
    let class = course(0, date(2026, 5, 1), County, Concentrated, "90").category("HEAD_TEACHER");
    let r = evaluate_for(&p, head_teacher(), date(2026, 12, 31), vec![class]);
    assert!(requirement(&r, "head-teacher").2, "{:#?}", r.requirements);
}
