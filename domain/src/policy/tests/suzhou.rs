//! Seed 004, fifth document (肃州区中小学教师继续教育学分管理办法), articles 5 and 7 read again.

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::Concentrated;
use crate::codes::TrainingLevel::*;

/// 第五条 对中长期培训的（脱产一个月以上）每年可计42学分；对短期培训、挂职锻炼的，一般每天计6学分:
/// a long training given in days is still a long training — 45 days earn 42, not 270.
#[test]
fn art_5_a_month_of_off_duty_training_given_in_days_earns_42() {
    let p = policy("suzhou-jiuquan");
    let acts = vec![
        act(0, Other, date(2026, 3, 1)).days(45).level(Municipal),
        act(1, Other, date(2026, 9, 1)).days(30).level(Municipal),
        act(2, Other, date(2026, 10, 1)).days(29).level(County),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0), (amount("42"), amount("42"), vec![]));
    assert_eq!(
        record(&r, 1),
        (amount("42"), amount("0"), vec!["CAP_REACHED"])
    );
    // Under a month it is short training, 6 a day.
    assert_eq!(record(&r, 2).0, amount("174"));
}

/// 第七条 作专题讲座（培训主讲）：校级主讲一次（不少于1小时…）可得1学分，区级…３学分，市级…６学分:
/// the main lecturer of a municipal training earns 6 for the session, not 1 per hour taught, and
/// a session under an hour earns nothing.
#[test]
fn art_7_a_main_lecturer_earns_the_levels_amount_per_session_of_an_hour() {
    let p = policy("suzhou-jiuquan");
    let acts = vec![
        act(0, Teaching, date(2026, 3, 1))
            .level(Municipal)
            .modality(Concentrated)
            .hours("24")
            .instructor("3"),
        act(1, Teaching, date(2026, 4, 1))
            .level(County)
            .modality(Concentrated)
            .hours("24")
            .instructor("0.5"),
        act(2, Lecture, date(2026, 5, 1)).level(School).hours("1.5"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("6"));
    assert_eq!(record(&r, 1), (amount("0"), amount("0"), vec!["NO_RULE"]));
    assert_eq!(record(&r, 2).0, amount("1"));
}

/// 第七条 开展师徒结对：指导教师…每学年可得3学分 — per academic year: mentoring in spring and in
/// autumn are two academic years, 6 in the calendar year (the old cap was per calendar year).
#[test]
fn art_7_mentoring_is_3_per_academic_year() {
    let p = policy("suzhou-jiuquan");
    let acts = vec![
        act(0, Mentoring, date(2026, 3, 1)),
        act(1, Mentoring, date(2026, 6, 1)),
        act(2, Mentoring, date(2026, 10, 1)),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("3"));
    assert_eq!(record(&r, 1).2, vec!["CAP_REACHED"]);
    assert_eq!(record(&r, 2).1, amount("3"));
}

/// 第七条 教师主持各级教科课题研究：区级课题得１学分，市级得3学分 — leading (role INSTRUCTOR), not
/// taking part: a member earns nothing here.
#[test]
fn art_7_research_credits_are_for_leading_a_project() {
    let p = policy("suzhou-jiuquan");
    let mut lead = act(0, ResearchProject, date(2026, 3, 1)).level(Municipal);
    lead.0.role = crate::codes::ParticipationRole::Instructor;
    let member = act(1, ResearchProject, date(2026, 4, 1)).level(Municipal);
    let r = evaluate(&p, date(2026, 12, 31), vec![lead, member]);
    assert_eq!(record(&r, 0).0, amount("3"));
    assert_eq!(record(&r, 1), (amount("0"), amount("0"), vec!["NO_RULE"]));
}
