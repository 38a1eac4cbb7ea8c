#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::codes::{ActivityKind as K, Modality as M, ParticipationRole, TrainingLevel as L};
use crate::completion::record_kind;
use crate::policy::built_in;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn amount(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}

fn offer(n: u128, kind: ActivityKind, level: TrainingLevel, modality: Modality) -> CourseOffer {
    CourseOffer {
        id: Uuid::from_u128(1000 + n),
        kind,
        level,
        modality,
        category: CategoryKey::parse("KNOWLEDGE").unwrap(),
        compulsory: false,
        hours: amount("60"),
        ends_on: Some(date(2026, 12, 20)),
    }
}

/// A record the teacher already has: the completion of another course.
fn done(n: u128, course: &CourseOffer) -> Activity {
    let mut a = course.completion(date(2026, 6, 30));
    a.id = Uuid::from_u128(n);
    a
}

fn basis(policy: &str, activities: Vec<Activity>, recorded: Vec<Uuid>) -> PreviewBasis {
    PreviewBasis::new(
        built_in(policy).unwrap(),
        date(2026, 12, 1),
        activities,
        Vec::new(),
        TeacherFacts::default(),
        recorded,
    )
}

fn fill(p: &CreditPreview, key: &str) -> Option<String> {
    p.fills
        .iter()
        .find(|f| f.requirement_key == key)
        .map(|f| f.credits.to_string())
}

fn codes_of(p: &CreditPreview) -> Vec<&'static str> {
    p.notes.iter().map(|n| n.code).collect()
}

/// Shandong art. 15 and 14: a degree programme earns 72 for the academic year, the same hours
/// as plain training earn 1 credit each.
#[test]
fn a_degree_programme_is_priced_by_the_degree_rule() {
    let mut earlier = offer(1, K::CourseCompletion, L::Municipal, M::Concentrated);
    earlier.hours = amount("24");
    earlier.ends_on = Some(date(2026, 6, 30));
    let b = basis("shandong", vec![done(1, &earlier)], Vec::new());
    assert_eq!(b.baseline().total_counted.to_string(), "24");

    let degree = b.price(&offer(2, K::DegreeStudy, L::Municipal, M::DegreeStudy));
    assert_eq!(degree.rule.as_deref(), Some("degree-study"));
    assert_eq!(degree.credits.to_string(), "72");
    assert_eq!(degree.counted.to_string(), "72");
    assert_eq!(fill(&degree, "total").as_deref(), Some("72"));
    assert_eq!(fill(&degree, "county-or-higher").as_deref(), Some("72"));
    // 2026's minimum lacks 24: the course closes exactly that, no more.
    assert_eq!(fill(&degree, "annual:2026").as_deref(), Some("24"));
    assert_eq!(fill(&degree, "face-to-face"), None);
    assert_eq!(degree.closes().to_string(), "168");
    assert!(degree.notes.is_empty(), "{:?}", degree.notes);

    let plain = b.price(&offer(
        3,
        K::CourseCompletion,
        L::Municipal,
        M::Concentrated,
    ));
    assert_eq!(plain.rule.as_deref(), Some("training"));
    assert_eq!(plain.credits.to_string(), "60");
    assert_eq!(fill(&plain, "face-to-face").as_deref(), Some("36"));
    // Pricing never changes the basis: the same course priced twice says the same.
    assert_eq!(
        b.price(&offer(
            3,
            K::CourseCompletion,
            L::Municipal,
            M::Concentrated
        )),
        plain
    );
    assert_eq!(b.baseline().total_counted.to_string(), "24");
}

/// Shandong art. 16 试用期培训不少于120学时，经考核合格记72学分: the programme is worth 72 as a
/// whole, 0.6 an hour, so a shorter module earns its share.
#[test]
fn a_probation_programme_is_priced_as_a_share_of_the_whole() {
    let b = basis("shandong", Vec::new(), Vec::new());
    let mut probation = offer(1, K::NewTeacherProbation, L::County, M::Concentrated);
    probation.hours = amount("120");
    let p = b.price(&probation);
    assert_eq!(
        (p.rule.as_deref(), p.credits.to_string()),
        (Some("new-teacher"), "72".into())
    );
    probation.hours = amount("100");
    let p = b.price(&probation);
    assert_eq!(
        (p.rule.as_deref(), p.credits.to_string()),
        (Some("new-teacher"), "60".into())
    );
}

#[test]
fn a_course_the_policy_does_not_credit_counts_nothing_and_says_why() {
    // Suzhou names degree study as a channel (art. 2) but prices it nowhere.
    let b = basis("suzhou-jiuquan", Vec::new(), Vec::new());
    let p = b.price(&offer(1, K::DegreeStudy, L::Municipal, M::Concentrated));
    assert_eq!(p.credits, Amount::ZERO);
    assert_eq!(p.counted, Amount::ZERO);
    assert!(p.fills.is_empty());
    assert_eq!(codes_of(&p), vec![codes::NO_RULE]);
}

#[test]
fn a_course_ending_after_the_period_counts_nothing_in_it() {
    let b = basis("suzhou-jiuquan", Vec::new(), Vec::new());
    let mut later = offer(1, K::CourseCompletion, L::County, M::Concentrated);
    later.ends_on = Some(date(2027, 1, 15));
    let p = b.price(&later);
    assert_eq!(p.credits.to_string(), "60");
    assert_eq!(p.counted, Amount::ZERO);
    assert!(p.fills.is_empty());
    assert_eq!(codes_of(&p), vec![codes::OUT_OF_PERIOD]);
}

/// Weifang 12.3: backbone training counts only the highest level, once.
#[test]
fn a_higher_backbone_programme_adds_only_the_difference() {
    let county = offer(1, K::BackboneTraining, L::County, M::Concentrated);
    let b = basis("weifang", vec![done(1, &county)], Vec::new());
    assert_eq!(b.baseline().total_counted.to_string(), "5");

    let municipal = b.price(&offer(
        2,
        K::BackboneTraining,
        L::Municipal,
        M::Concentrated,
    ));
    assert_eq!(municipal.credits.to_string(), "8");
    assert_eq!(municipal.counted.to_string(), "3");
    assert_eq!(fill(&municipal, "elective").as_deref(), Some("3"));
    assert_eq!(codes_of(&municipal), vec![codes::HIGHER_LEVEL_COUNTED]);

    let again = b.price(&offer(3, K::BackboneTraining, L::County, M::Concentrated));
    assert_eq!(again.credits.to_string(), "5");
    assert_eq!(again.counted, Amount::ZERO);
    assert!(again.fills.is_empty());
    assert_eq!(codes_of(&again), vec![codes::HIGHER_LEVEL_COUNTED]);
}

#[test]
fn a_course_already_on_the_record_counts_nothing() {
    let course = offer(1, K::CourseCompletion, L::Municipal, M::Concentrated);
    let b = basis("shandong", vec![done(1, &course)], vec![course.id]);
    let p = b.price(&course);
    assert_eq!(p.credits.to_string(), "60");
    assert_eq!(p.counted, Amount::ZERO);
    assert!(p.fills.is_empty());
    assert_eq!(codes_of(&p), vec![codes::ALREADY_RECORDED]);
}

#[test]
fn a_met_requirement_is_not_filled_again() {
    // Suzhou: 42 a year. A teacher with 48 already needs nothing more this year.
    let mut big = offer(1, K::CourseCompletion, L::County, M::Concentrated);
    big.hours = amount("48");
    let b = basis("suzhou-jiuquan", vec![done(1, &big)], Vec::new());
    let p = b.price(&offer(2, K::CourseCompletion, L::County, M::Concentrated));
    assert_eq!(p.counted.to_string(), "60");
    assert_eq!(fill(&p, "annual"), None);
    assert_eq!(fill(&p, "district-or-higher"), None);
    assert_eq!(p.closes(), Amount::ZERO);
}

#[test]
fn the_completion_is_a_passed_trainee_with_full_attendance() {
    let mut course = offer(1, K::DegreeStudy, L::Provincial, M::DegreeStudy);
    let a = course.completion(date(2026, 12, 1));
    assert_eq!(a.kind, K::DegreeStudy);
    assert_eq!(a.role, ParticipationRole::Trainee);
    assert_eq!(
        (a.passed, a.attended_hours),
        (Some(true), Some(amount("60")))
    );
    assert_eq!(a.earned_on, date(2026, 12, 20));
    assert!(a.from_catalogue);
    course.ends_on = None;
    assert_eq!(
        course.completion(date(2026, 12, 1)).earned_on,
        date(2026, 12, 1)
    );
}

#[test]
fn trainees_carry_the_programme_kind_and_instructors_teach() {
    use ParticipationRole::{Instructor, Trainee};
    for kind in crate::catalogue::COURSE_KINDS {
        assert_eq!(record_kind(*kind, Trainee), *kind);
    }
    assert_eq!(record_kind(K::CourseCompletion, Instructor), K::Teaching);
    assert_eq!(record_kind(K::DegreeStudy, Instructor), K::Teaching);
    assert_eq!(record_kind(K::NewTeacherProbation, Instructor), K::Teaching);
    // The presenter of a teaching-research activity or a lecture is priced by that kind's rule.
    assert_eq!(
        record_kind(K::TeachingResearchActivity, Instructor),
        K::TeachingResearchActivity
    );
    assert_eq!(record_kind(K::Lecture, Instructor), K::Lecture);
}

/// Pricing is a whole evaluation with one more record: the result does not depend on the order
/// the teacher's records were given in, and what it closes never exceeds four times what counts
/// under Shandong (total, annual, county-or-higher and face-to-face: four floors at most).
#[test]
fn pricing_is_order_independent_and_bounded() {
    let courses: Vec<CourseOffer> = (0..12)
        .map(|i| {
            let mut c = offer(
                i,
                K::CourseCompletion,
                [L::County, L::Municipal, L::School][i as usize % 3],
                [M::Concentrated, M::Online, M::SchoolBased][i as usize % 3],
            );
            c.hours = amount(&format!("{}", 6 + i * 7));
            c.ends_on = Some(date(2026, 1 + (i as u32 % 11), 10));
            c
        })
        .collect();
    let records: Vec<Activity> = courses
        .iter()
        .enumerate()
        .map(|(i, c)| done(i as u128 + 1, c))
        .collect();
    let mut reversed = records.clone();
    reversed.reverse();
    let forward = basis("shandong", records, Vec::new());
    let backward = basis("shandong", reversed, Vec::new());
    for kind in crate::catalogue::COURSE_KINDS {
        let candidate = offer(50, *kind, L::Municipal, M::Concentrated);
        let p = forward.price(&candidate);
        assert_eq!(p, backward.price(&candidate), "{kind}");
        assert!(p.counted <= p.credits, "{kind}: {p:?}");
        assert!(p.closes().to_e4() <= 4 * p.counted.to_e4(), "{kind}: {p:?}");
    }
}
