//! Suzhou district (004, fifth document), Wuhan (001) and Qingdao Shinan (003).

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::{Concentrated, Online};
use crate::codes::TrainingLevel::*;

/// 肃州区 第一条 每年不少于42学分（区级及以上不少于24、校本不少于16）; 第十条 学分只在当年有效，不得跨年累计.
#[test]
fn suzhou_art_1_and_10_each_year_stands_alone() {
    let p = policy("suzhou-jiuquan");
    let mut acts = vec![
        course(0, date(2025, 11, 1), County, Concentrated, "100"),
        course(1, date(2026, 3, 1), County, Concentrated, "24"),
    ];
    acts.extend((2..10).map(|i| act(i, SchoolBasedTopic, date(2026, 4, i as u32))));
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        record(&r, 0),
        (amount("100"), amount("0"), vec!["OUT_OF_PERIOD"])
    );
    assert_eq!(
        requirement(&r, "district-or-higher"),
        (amount("24"), amount("0"), true)
    );
    assert_eq!(
        requirement(&r, "school-based"),
        (amount("16"), amount("0"), true)
    );
    assert_eq!(
        requirement(&r, "annual"),
        (amount("40"), amount("2"), false)
    );
}

/// 第五条 脱产一个月以上…每年可计42学分；短期培训、挂职锻炼…每天计6学分.
#[test]
fn suzhou_art_5_off_duty_training_42_a_year_and_6_a_day() {
    let p = policy("suzhou-jiuquan");
    let acts = vec![
        act(0, Other, date(2026, 3, 1)).months(3).level(Municipal),
        act(1, Other, date(2026, 9, 1)).months(2).level(Municipal),
        act(2, Other, date(2026, 10, 1)).days(3).level(County),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("42"));
    assert_eq!(
        record(&r, 1),
        (amount("42"), amount("0"), vec!["CAP_REACHED"])
    );
    assert_eq!(record(&r, 2).0, amount("18"));
}

/// 第七条 论文在省级及以上报刊公开发表的，每篇字数超过1000得2学分，不到1000字得1学分; 竞赛一等奖.
#[test]
fn suzhou_art_7_papers_by_length_and_first_prizes_by_level() {
    let p = policy("suzhou-jiuquan");
    let acts = vec![
        act(0, Paper, date(2026, 3, 1))
            .level(Provincial)
            .words(1000),
        act(1, Paper, date(2026, 3, 2)).level(National).words(1001),
        act(2, Paper, date(2026, 3, 3)).level(Municipal).words(3000),
        act(3, Competition, date(2026, 3, 4))
            .level(Municipal)
            .prize("FIRST"),
        act(4, Competition, date(2026, 3, 5))
            .level(National)
            .prize("SECOND"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("1"));
    assert_eq!(record(&r, 1).0, amount("2"));
    assert_eq!(record(&r, 2), (amount("0"), amount("0"), vec!["NO_RULE"]));
    assert_eq!(record(&r, 3).0, amount("3"));
    assert_eq!(record(&r, 4).2, vec!["NO_RULE"]);
}

/// 武汉: 集中培训8学时1学分，非集中10学时1学分; 学历提升20学时1学分，每年最多5、每周期最多20.
#[test]
fn wuhan_rates_by_modality_and_degree_caps() {
    let p = policy("wuhan");
    let acts = vec![
        course(0, date(2026, 3, 1), Municipal, Concentrated, "12"),
        course(1, date(2026, 4, 1), Municipal, Online, "25"),
        act(2, DegreeStudy, date(2026, 6, 1)).hours("160"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("1.5"));
    assert_eq!(record(&r, 1).0, amount("2.5"));
    assert_eq!(
        record(&r, 2),
        (amount("8"), amount("5"), vec!["CAP_REACHED"])
    );
    assert_eq!(requirement(&r, "non-concentrated").0, amount("7.5"));
}

/// 武汉: 缺课达到1/5及以上不计学分 — exactly a fifth already loses it.
#[test]
fn wuhan_absence_of_a_fifth_or_more_loses_the_credit() {
    let p = policy("wuhan");
    let acts = vec![
        course(0, date(2026, 3, 1), Municipal, Concentrated, "40").attended("32"),
        course(1, date(2026, 4, 1), Municipal, Concentrated, "40").attended("33"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0), (amount("5"), amount("0"), vec!["ABSENCE"]));
    assert_eq!(record(&r, 1).1, amount("5"));
}

/// 市南区 附件1: 新教师第一年120学时72学分，第二年64学时64学分，第三年48学时48学分; 承担培训任务的教师按2倍授课学时.
#[test]
fn qingdao_shinan_new_teacher_table_and_instructors() {
    let p = policy("qingdao-shinan");
    let acts = vec![
        act(0, NewTeacherProbation, date(2026, 12, 1))
            .hours("120")
            .level(County),
        act(1, NewTeacherProbation, date(2027, 12, 1))
            .hours("64")
            .level(County),
        act(2, NewTeacherProbation, date(2028, 12, 1))
            .hours("48")
            .level(County),
        course(3, date(2028, 5, 1), County, Concentrated, "40").instructor("10"),
        act(4, TeachingResearchActivity, date(2028, 6, 1)).level(County),
        act(5, TeachingResearchActivity, date(2028, 7, 1))
            .level(County)
            .instructor("2"),
    ];
    let r = evaluate(&p, date(2028, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("72"));
    assert_eq!(record(&r, 1).0, amount("64"));
    assert_eq!(record(&r, 2).0, amount("48"));
    assert_eq!(record(&r, 3).0, amount("20"));
    // Teaching-research 24 a year; presenters double, and the year's cap allows both.
    assert_eq!(record(&r, 4).0, amount("24"));
    assert_eq!(record(&r, 5).0, amount("48"));
    assert_eq!(record(&r, 5).1, amount("24"));
}
