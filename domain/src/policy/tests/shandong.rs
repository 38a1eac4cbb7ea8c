//! Seed 004, first document (山东省中小学教师继续教育学分管理办法) and third (A类/B类).

use super::support::*;
use crate::codes::ActivityKind::*;
use crate::codes::Modality::{Concentrated, Online, SchoolBased, SelfStudy};
use crate::codes::TrainingLevel::*;

/// 第六条 每周期内…不少于360学分且每年不少于48学分; 第十四条 1学时计算1学分.
#[test]
fn art_6_and_14_a_cycle_of_72_hours_a_year_at_county_level_is_360_credits() {
    let p = policy("shandong");
    let acts: Vec<A> = (0..5)
        .map(|i| course(i, date(2026 + i as i32, 3, 1), County, Concentrated, "72"))
        .collect();
    let r = evaluate(&p, date(2030, 12, 31), acts);
    assert_eq!(r.total_counted, amount("360"));
    assert_eq!(requirement(&r, "total"), (amount("360"), amount("0"), true));
    assert_eq!(
        requirement(&r, "annual:2028"),
        (amount("72"), amount("0"), true)
    );
    assert!(r.satisfied, "{:#?}", r.requirements);
}

/// 第六条 每年不少于48学分: a year with 40 credits leaves that year 8 short, whatever the cycle.
#[test]
fn art_6_a_year_under_48_is_short_although_the_cycle_total_is_met() {
    let p = policy("shandong");
    let acts = vec![
        course(0, date(2026, 3, 1), Provincial, Concentrated, "200"),
        course(1, date(2027, 3, 1), County, Concentrated, "40"),
        course(2, date(2028, 3, 1), County, Concentrated, "48"),
        course(3, date(2029, 3, 1), County, Concentrated, "48"),
        course(4, date(2030, 3, 1), County, Concentrated, "48"),
    ];
    let r = evaluate(&p, date(2030, 12, 31), acts);
    assert!(requirement(&r, "total").2);
    assert_eq!(
        requirement(&r, "annual:2027"),
        (amount("40"), amount("8"), false)
    );
    assert!(!r.satisfied);
}

/// 第十条 县级及以上…不少于240学分，其中市、县面对面培训不少于60学分.
#[test]
fn art_10_school_based_credits_do_not_reach_the_county_floor() {
    let p = policy("shandong");
    let acts = vec![
        course(0, date(2026, 3, 1), County, Online, "200"),
        course(1, date(2026, 4, 1), School, SchoolBased, "100"),
        course(2, date(2026, 5, 1), Municipal, Concentrated, "50"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        requirement(&r, "county-or-higher"),
        (amount("250"), amount("0"), true)
    );
    assert_eq!(
        requirement(&r, "face-to-face"),
        (amount("50"), amount("10"), false)
    );
}

/// 第十一条 公需科目一般不超过总学时的三分之一.
#[test]
fn art_11_public_subjects_count_at_most_a_third() {
    let p = policy("shandong");
    let acts = vec![
        course(0, date(2026, 3, 1), County, Concentrated, "200"),
        course(1, date(2026, 4, 1), County, Online, "150").category("PUBLIC"),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    // 100 public beside 200 others is exactly a third of 300.
    assert_eq!(
        record(&r, 1),
        (amount("150"), amount("100"), vec!["SHARE_LIMIT"])
    );
    assert_eq!(r.total_counted, amount("300"));
}

/// 第十五条 提高学历…本学年继续教育记72学分: twice in one academic year is still 72.
#[test]
fn art_15_degree_study_counts_72_per_academic_year() {
    let p = policy("shandong");
    let acts = vec![
        act(0, DegreeStudy, date(2026, 10, 1)),
        act(1, DegreeStudy, date(2027, 6, 1)),
        act(2, DegreeStudy, date(2027, 10, 1)),
    ];
    let r = evaluate(&p, date(2028, 1, 1), acts);
    assert_eq!(record(&r, 0).1, amount("72"));
    assert_eq!(
        record(&r, 1),
        (amount("72"), amount("0"), vec!["CAP_REACHED"])
    );
    assert_eq!(record(&r, 2).1, amount("72"));
}

/// 第十六条 新任中小学教师试用期培训不少于120学时，经考核合格记72学分: the programme as a
/// whole is worth 72, so a record is priced at its share (72/120 = 0.6 an hour) and never more
/// than 72 all together. The old rule paid a 100-hour record 100, more than a whole probation.
#[test]
fn art_16_probation_is_72_for_the_whole_programme() {
    let p = policy("shandong");
    let full = act(0, NewTeacherProbation, date(2026, 7, 1))
        .hours("120")
        .level(County);
    let short = act(1, NewTeacherProbation, date(2026, 8, 1))
        .hours("100")
        .level(County);
    let r = evaluate(&p, date(2026, 12, 31), vec![full]);
    assert_eq!(record(&r, 0).0, amount("72"));
    let r = evaluate(&p, date(2026, 12, 31), vec![short]);
    assert_eq!(record(&r, 1).0, amount("60"));
    // 130 hours are still one programme: 72.
    let long = act(2, NewTeacherProbation, date(2026, 7, 1)).hours("130");
    let r = evaluate(&p, date(2026, 12, 31), vec![long]);
    assert_eq!(
        record(&r, 2),
        (amount("78"), amount("72"), vec!["CAP_REACHED"])
    );
}

/// 第十七条 县级及以上…主讲教师…按其承担的培训学时数的两倍登记.
#[test]
fn art_17_instructors_earn_twice_the_hours_taught() {
    let p = policy("shandong");
    let taught = course(0, date(2026, 3, 1), County, Concentrated, "30").instructor("12");
    let r = evaluate(&p, date(2026, 12, 31), vec![taught]);
    assert_eq!(record(&r, 0).0, amount("24"));
}

/// 第十八条 校本培训和…自主研习活动学分，五年周期内累计登记不超过120学分.
#[test]
fn art_18_school_based_and_self_study_at_most_120_per_cycle() {
    let p = policy("shandong");
    let acts = vec![
        course(0, date(2026, 3, 1), School, SchoolBased, "80"),
        course(1, date(2027, 3, 1), School, SelfStudy, "60"),
    ];
    let r = evaluate(&p, date(2027, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("80"));
    assert_eq!(
        record(&r, 1),
        (amount("60"), amount("40"), vec!["CAP_REACHED"])
    );
}

/// 第十八条 学校组织的校本培训和学校认可的教师自主研习活动学分，五年周期内累计登记不超过120学分:
/// school-organised training is capped whatever its modality. The old limit looked at the modality
/// only, so three 60-hour face-to-face school courses counted 180.
#[test]
fn art_18_school_organised_training_face_to_face_is_capped_too() {
    let p = policy("shandong");
    let acts = vec![
        course(0, date(2026, 3, 1), School, Concentrated, "60"),
        course(1, date(2027, 3, 1), School, Concentrated, "60"),
        course(2, date(2028, 3, 1), School, Online, "60"),
    ];
    let r = evaluate(&p, date(2028, 12, 31), acts);
    assert_eq!(r.total_counted, amount("120"));
    assert_eq!(
        record(&r, 2),
        (amount("60"), amount("0"), vec!["CAP_REACHED"])
    );
}

/// 第二十一条 因产假病假…可在一定时间内进行补修.
#[test]
fn art_21_make_up_counts_toward_the_year_missed() {
    use crate::policy::{Evaluation, MakeUpAllowance};
    let p = policy("shandong");
    let acts = [
        course(0, date(2026, 3, 1), County, Concentrated, "20").done(),
        course(1, date(2027, 2, 1), County, Concentrated, "28").done(),
    ];
    let allowance = [MakeUpAllowance {
        year: 2026,
        until: date(2027, 3, 31),
    }];
    let with = p.evaluate(Evaluation {
        as_of: date(2027, 4, 1),
        include_pending: false,
        activities: &acts,
        allowances: &allowance,
        teacher: Default::default(),
    });
    assert_eq!(
        requirement(&with, "annual:2026"),
        (amount("48"), amount("0"), true)
    );
    assert_eq!(record(&with, 1).2, vec!["MADE_UP"]);
    let without = evaluate(
        &p,
        date(2027, 4, 1),
        vec![
            course(0, date(2026, 3, 1), County, Concentrated, "20"),
            course(1, date(2027, 2, 1), County, Concentrated, "28"),
        ],
    );
    assert_eq!(requirement(&without, "annual:2026").1, amount("28"));
}

/// Third document (五) 2学时折合1学分; (六) A类80、B类40，不能相互替代; (七) 不合格者不计学分.
#[test]
fn ab_scheme_two_hours_a_credit_and_a_never_fills_b() {
    let p = policy("shandong-ab");
    let acts = vec![
        course(0, date(2026, 3, 1), Municipal, Concentrated, "200"),
        course(1, date(2026, 4, 1), School, SchoolBased, "60"),
        course(2, date(2026, 5, 1), School, SchoolBased, "40").failed(),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(record(&r, 0).1, amount("100"));
    assert_eq!(
        requirement(&r, "class-a"),
        (amount("100"), amount("0"), true)
    );
    // 20 surplus A credits do not fill B's shortfall of 10.
    assert_eq!(
        requirement(&r, "class-b"),
        (amount("30"), amount("10"), false)
    );
    assert_eq!(
        record(&r, 2),
        (amount("20"), amount("0"), vec!["NOT_PASSED"])
    );
}

/// Third document (二) a finished teacher-education degree completes the cycle.
#[test]
fn ab_scheme_a_degree_completes_the_cycle() {
    let p = policy("shandong-ab");
    let r = evaluate(
        &p,
        date(2026, 12, 31),
        vec![act(0, DegreeStudy, date(2026, 7, 1))],
    );
    assert!(r.satisfied, "{:#?}", r.requirements);
}

/// 第六条 …取得的学分，在全省范围内有效: a record from another province counts once this
/// region recognises it, and never when it refuses.
#[test]
fn art_6_records_from_another_province_count_once_recognised() {
    use crate::policy::RecognitionState::*;
    let p = policy("shandong");
    let acts = vec![
        course(0, date(2026, 3, 1), Municipal, Concentrated, "24").foreign(Pending),
        course(1, date(2026, 4, 1), Municipal, Concentrated, "24").foreign(Accepted),
        course(2, date(2026, 5, 1), Municipal, Concentrated, "24").foreign(Rejected),
    ];
    let r = evaluate(&p, date(2026, 12, 31), acts);
    assert_eq!(
        record(&r, 0),
        (amount("24"), amount("0"), vec!["AWAITING_RECOGNITION"])
    );
    assert_eq!(record(&r, 1).1, amount("24"));
    assert_eq!(record(&r, 2).2, vec!["NOT_RECOGNISED"]);
    // Wuhan recognises across districts and says nothing of other provinces: all count.
    let w = evaluate(
        &policy("wuhan"),
        date(2026, 12, 31),
        vec![course(0, date(2026, 3, 1), Municipal, Concentrated, "24").foreign(Pending)],
    );
    assert_eq!(record(&w, 0).1, amount("3"));
}
