//! Seed 004, fourth document: 潍坊市中小学教师继续教育学分制管理规定.

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::*;
use crate::codes::TrainingLevel::*;

/// 第九条 必修课10学分、选修课26学分。两类课程的学分独立计算，不能相互补充.
#[test]
fn art_9_compulsory_and_elective_never_fill_each_other() {
    let p = policy("weifang");
    let acts = vec![
        course(0, date(2026, 3, 1), Municipal, Concentrated, "80").compulsory(true),
        course(1, date(2026, 4, 1), County, Concentrated, "200"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    // 12.1: 10 hours = 1 credit.
    assert_eq!(
        requirement(&r, "compulsory"),
        (amount("8"), amount("2"), false)
    );
    assert_eq!(
        requirement(&r, "elective"),
        (amount("20"), amount("6"), false)
    );
}

/// 第十二条 2. 报告会、专题讲座1小时折合0.1学分，最高累计2学分.
#[test]
fn art_12_2_lectures_earn_a_tenth_per_hour_at_most_2() {
    let p = policy("weifang");
    let acts = vec![
        act(0, Lecture, date(2026, 3, 1)).hours("15"),
        act(1, Lecture, date(2026, 4, 1)).hours("15"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("1.5"));
    assert_eq!(
        record(&r, 1),
        (amount("1.5"), amount("0.5"), vec!["CAP_REACHED"])
    );
}

/// 第十二条 3. 骨干教师培训…分别计5、8、10、12学分…只取最高层次培训记一次学分.
#[test]
fn art_12_3_backbone_training_counts_once_at_the_highest_level() {
    let p = policy("weifang");
    let acts = vec![
        act(0, BackboneTraining, date(2026, 3, 1)).level(County),
        act(1, BackboneTraining, date(2027, 3, 1)).level(Provincial),
        act(2, BackboneTraining, date(2028, 3, 1)).level(Municipal),
    ];
    let r = evaluate(&p, date(2028, 12, 31), acts);
    assert_eq!(
        record(&r, 0),
        (amount("5"), amount("0"), vec!["HIGHER_LEVEL_COUNTED"])
    );
    assert_eq!(record(&r, 1).1, amount("10"));
    assert_eq!(record(&r, 2).2, vec!["HIGHER_LEVEL_COUNTED"]);
}

/// 第十二条 10. 论文…按县、市、省、国家折合0.5、1、2、3学分，最高累计4学分，出版专著的记5学分.
#[test]
fn art_12_10_papers_at_most_4_but_a_monograph_is_apart() {
    let p = policy("weifang");
    let acts = vec![
        act(0, Paper, date(2026, 3, 1)).level(National),
        act(1, Paper, date(2026, 4, 1)).level(Provincial),
        act(2, Paper, date(2026, 5, 1)).level(County),
        act(3, Monograph, date(2026, 6, 1)),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        record(&r, 1),
        (amount("2"), amount("1"), vec!["CAP_REACHED"])
    );
    assert_eq!(record(&r, 2).1, amount("0"));
    assert_eq!(record(&r, 3).1, amount("5"));
    assert_eq!(requirement(&r, "elective").0, amount("9"));
}

/// 第十二条 7. 教研活动每小时0.1学分…公开课按县、市、省、国家0.5、1、2、3学分，最高累计6学分.
#[test]
fn art_12_7_teaching_research_and_open_classes_share_a_cap_of_6() {
    let p = policy("weifang");
    let acts = vec![
        act(0, OpenClass, date(2026, 3, 1)).level(National),
        act(1, OpenClass, date(2026, 4, 1)).level(Provincial),
        act(2, TeachingResearchActivity, date(2026, 5, 1)).hours("20"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        record(&r, 2),
        (amount("2"), amount("1"), vec!["CAP_REACHED"])
    );
}

/// 第十二条 12. 教师任职学校组织开展的教师继续教育最高累计16学分.
#[test]
fn art_12_12_school_organised_training_at_most_16() {
    let p = policy("weifang");
    let r = evaluate(
        &p,
        date(2026, 12, 31),
        vec![course(0, date(2026, 3, 1), School, SchoolBased, "200")],
    );
    assert_eq!(
        record(&r, 0),
        (amount("20"), amount("16"), vec!["CAP_REACHED"])
    );
}

/// 第十四条 未按规定办理审批手续而举办的…不计学分; 第十六条 成绩不合格者不计学分.
#[test]
fn art_14_and_16_unapproved_or_failed_training_earns_nothing() {
    let p = policy("weifang");
    let acts = vec![
        course(0, date(2026, 3, 1), County, Concentrated, "30").uncatalogued(),
        course(1, date(2026, 4, 1), County, Concentrated, "30").failed(),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        record(&r, 0),
        (amount("3"), amount("0"), vec!["NOT_APPROVED"])
    );
    assert_eq!(
        record(&r, 1),
        (amount("3"), amount("0"), vec!["NOT_PASSED"])
    );
}

/// 第十七条 缺课时数累计超过总课时的四分之一者…不计学分: exactly a quarter still counts.
#[test]
fn art_17_absence_over_a_quarter_loses_the_credit() {
    let p = policy("weifang");
    let acts = vec![
        course(0, date(2026, 3, 1), County, Concentrated, "40").attended("30"),
        course(1, date(2026, 4, 1), County, Concentrated, "40").attended("29"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("4"));
    assert_eq!(record(&r, 1), (amount("4"), amount("0"), vec!["ABSENCE"]));
}
