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

/// 市南区 附件1 序号1: 其他承担培训任务的教师，按照2倍授课学时登记学分（1小时2学分）.
#[test]
fn qingdao_shinan_instructors_earn_two_credits_an_hour_taught() {
    let p = policy("qingdao-shinan");
    let acts = vec![course(3, date(2028, 5, 1), County, Concentrated, "40").instructor("10")];
    let r = evaluate(&p, date(2028, 12, 31), acts);
    assert_eq!(record(&r, 3).0, amount("20"));
}

/// 武汉 三(五) 教师参加学历教育…每20学时折合为1学分，但在培训周期内，总计不超过20学分，每年最高计5学分:
/// a 200-hour course whose modality is DEGREE_STUDY earns 10 and counts 5, as a degree claim
/// would; before, it was non-concentrated training worth 20, uncapped.
#[test]
fn wuhan_a_degree_study_course_is_priced_as_degree_study() {
    let p = policy("wuhan");
    let acts = vec![course(
        0,
        date(2026, 3, 1),
        Provincial,
        crate::codes::Modality::DegreeStudy,
        "200",
    )];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        record(&r, 0),
        (amount("10"), amount("5"), vec!["CAP_REACHED"])
    );
}

/// 武汉 为贯彻落实《武汉市2008~2012年中小学教师继续教育规划》… 新一轮教师继续教育培训周期为5年: the
/// cycles run from 2008 in fives, so 2026 lies in 2023–2027 (the sourceNote says why).
#[test]
fn wuhan_cycles_follow_the_2008_to_2012_plan() {
    let p = policy("wuhan");
    let r = evaluate(&p, date(2026, 12, 31), vec![]);
    assert_eq!(
        (r.period_start, r.period_end),
        (date(2023, 1, 1), date(2027, 12, 31))
    );
}

/// Seed 004: the first document's 第六条 (学分在全省范围内有效) gives `shandong` recognition of
/// records from other provinces; the third document says nothing of it, so `shandong-ab`
/// counts them as they are (the README said both Shandong schemes asked for recognition).
#[test]
fn only_the_current_shandong_scheme_waits_for_recognition() {
    use crate::policy::RecognitionState::Pending;
    let acts = || vec![course(0, date(2026, 3, 1), Municipal, Concentrated, "24").foreign(Pending)];
    let current = evaluate(&policy("shandong"), date(2026, 12, 31), acts());
    assert_eq!(record(&current, 0).2, vec!["AWAITING_RECOGNITION"]);
    let older = evaluate(&policy("shandong-ab"), date(2026, 12, 31), acts());
    assert_eq!(record(&older, 0).1, amount("12"));
}
