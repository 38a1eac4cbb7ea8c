//! Seed 003 (市南区教师培训学分标准参考表) rows read against the seed again: credits by attendance,
//! presenters by the hours they present, and Shandong's degree rule, which applies in Shinan.

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::{self, Concentrated};
use crate::codes::TrainingLevel::*;

/// 序号7 市南区教研活动: 根据实际出勤确定参训教师学分，每年计24学时，24学分 — a 6-hour session
/// attended earns 6 (it earned a flat 24 each), and the year's sessions 24 at most.
#[test]
fn row_7_teaching_research_by_attendance_24_a_year() {
    let p = policy("qingdao-shinan");
    let mut acts: Vec<A> = (0..5)
        .map(|i| {
            act(i, TeachingResearchActivity, date(2027, 3 + i as u32, 1))
                .level(County)
                .hours("6")
        })
        .collect();
    acts.push(
        act(9, TeachingResearchActivity, date(2027, 10, 1))
            .level(County)
            .hours("6")
            .attended("4"),
    );
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 0), (amount("6"), amount("6"), vec![]));
    assert_eq!(
        record(&r, 4),
        (amount("6"), amount("0"), vec!["CAP_REACHED"])
    );
    assert_eq!(record(&r, 9).0, amount("4"));
}

/// 序号7 在教研活动中承担出课（讲座或大会主旨发言）的教师按照两倍学时登记学分（1小时2学分）:
/// 2 hours presented are 4 credits, not a flat 48.
#[test]
fn row_7_presenters_earn_two_credits_an_hour_presented() {
    let p = policy("qingdao-shinan");
    let acts = vec![act(0, TeachingResearchActivity, date(2027, 5, 1))
        .level(County)
        .hours("6")
        .instructor("2")];
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 0), (amount("4"), amount("4"), vec![]));
}

/// 序号6、8、11 干部培训、各类专题培训、市级个性化培训: 根据实际参训学时计算学分，1小时1学时，
/// 1学时1学分 — 2 hours attended of an 8-hour course earn 2, not 8.
#[test]
fn rows_6_8_11_cadre_and_special_topic_training_by_attended_hours() {
    let p = policy("qingdao-shinan");
    let acts = vec![
        course(0, date(2027, 5, 1), County, Concentrated, "8").attended("2"),
        course(1, date(2027, 6, 1), Municipal, Concentrated, "8"),
    ];
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("2"));
    // Attendance not reported (a claim): the course's hours.
    assert_eq!(record(&r, 1).0, amount("8"));
}

/// 山东 第十五条 (province-wide, so in Shinan too) 参加国民教育系列提高学历（学位）教育…本学年继续教育
/// 记72学分: a degree claim earned 0 with MISSING_FACT under Shinan's hour rule.
#[test]
fn shandong_art_15_degree_study_earns_72_in_shinan() {
    let p = policy("qingdao-shinan");
    let acts = vec![
        act(0, DegreeStudy, date(2026, 10, 1)),
        act(1, DegreeStudy, date(2027, 6, 1)),
    ];
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 0), (amount("72"), amount("72"), vec![]));
    assert_eq!(record(&r, 1).2, vec!["CAP_REACHED"]);
}

/// 序号2、3 骨干教师每年不低于48学时，学分登记48学分; 学科带头人每年不低于90学时，学分登记90学分:
/// by attendance, capped at the programme's yearly value.
#[test]
fn rows_2_and_3_backbone_48_and_subject_leaders_90_a_year() {
    let p = policy("qingdao-shinan");
    let acts = vec![
        act(0, BackboneTraining, date(2027, 3, 1))
            .level(County)
            .hours("60"),
        act(1, BackboneTraining, date(2027, 4, 1))
            .level(County)
            .hours("96")
            .attended("92"),
        act(2, BackboneTraining, date(2028, 4, 1))
            .level(County)
            .hours("40")
            .attended("30"),
    ];
    let r = evaluate(&p, date(2028, 12, 31), acts);
    assert_eq!(
        record(&r, 0),
        (amount("60"), amount("48"), vec!["CAP_REACHED"])
    );
    assert_eq!(
        record(&r, 1),
        (amount("92"), amount("90"), vec!["CAP_REACHED"])
    );
    assert_eq!(record(&r, 2).1, amount("30"));
}

/// A course whose modality is DEGREE_STUDY is degree study (004 art. 15), whatever its kind.
#[test]
fn a_degree_study_course_is_priced_as_degree_study() {
    let p = policy("qingdao-shinan");
    let acts = vec![course(
        0,
        date(2027, 3, 1),
        Provincial,
        Modality::DegreeStudy,
        "200",
    )];
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 0).0, amount("72"));
}
