#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn facts(role: ParticipationRole, passed: bool, hours: &str, taught: Option<&str>) -> CreditFacts {
    CreditFacts {
        kind: ActivityKind::CourseCompletion,
        level: Some(TrainingLevel::Municipal),
        modality: Some(Modality::Concentrated),
        role,
        hours: Some(Amount::parse(hours).unwrap()),
        attended_hours: Some(Amount::parse(hours).unwrap()),
        taught_hours: taught.map(|t| Amount::parse(t).unwrap()),
        passed: Some(passed),
    }
}

fn credits(f: CreditFacts) -> String {
    DefaultRule.credits(&f).to_string()
}

#[test]
fn an_hour_is_a_credit_a_failure_nothing_and_teaching_double() {
    use ParticipationRole::{Instructor, Trainee};
    assert_eq!(credits(facts(Trainee, true, "24", None)), "24");
    assert_eq!(credits(facts(Trainee, true, "0.5", None)), "0.5");
    assert_eq!(credits(facts(Trainee, false, "24", None)), "0");
    assert_eq!(credits(facts(Instructor, true, "24", Some("1.5"))), "3");
    assert_eq!(
        credits(facts(Instructor, false, "24", Some("6"))),
        "12",
        "instructors are not assessed"
    );
}

#[test]
fn missing_facts_earn_what_is_known() {
    let no_outcome = CreditFacts {
        passed: None,
        ..facts(ParticipationRole::Trainee, true, "8", None)
    };
    assert_eq!(credits(no_outcome), "8", "no assessment is not a failure");
    let no_hours = CreditFacts {
        hours: None,
        ..no_outcome
    };
    assert_eq!(credits(no_hours), "0");
    let no_taught = facts(ParticipationRole::Instructor, true, "8", None);
    assert_eq!(credits(no_taught), "0");
}

#[test]
fn level_modality_and_attendance_do_not_change_the_default() {
    let base = facts(ParticipationRole::Trainee, true, "24", None);
    for level in TrainingLevel::ALL {
        for modality in Modality::ALL {
            let f = CreditFacts {
                level: Some(*level),
                modality: Some(*modality),
                attended_hours: Some(Amount::ZERO),
                ..base
            };
            assert_eq!(credits(f), "24", "{level} {modality}");
        }
    }
}

proptest! {
    #[test]
    fn passed_trainees_earn_exactly_the_hours(e4 in 1i64..20_000_000) {
        let hours = Amount::from_e4(e4);
        let f = CreditFacts { hours: Some(hours), ..facts(ParticipationRole::Trainee, true, "1", None) };
        prop_assert_eq!(DefaultRule.credits(&f), hours);
        let failed = CreditFacts { passed: Some(false), ..f };
        prop_assert_eq!(DefaultRule.credits(&failed), Amount::ZERO);
    }

    #[test]
    fn instructors_earn_twice_the_taught_hours_exactly(e4 in 1i64..20_000_000) {
        let f = CreditFacts {
            taught_hours: Some(Amount::from_e4(e4)),
            ..facts(ParticipationRole::Instructor, true, "2000", None)
        };
        prop_assert_eq!(DefaultRule.credits(&f), Amount::from_e4(2 * e4));
    }
}

/// A claim and a completion reach [`posted`] with the same facts: one answer for both.
fn training(role: ParticipationRole, hours: &str) -> Activity {
    let on = chrono::NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
    let mut a = Activity::new(uuid::Uuid::nil(), ActivityKind::CourseCompletion, on);
    a.role = role;
    a.hours = Some(Amount::parse(hours).unwrap());
    a.level = Some(TrainingLevel::Municipal);
    a.modality = Some(Modality::Concentrated);
    a.passed = Some(true);
    a
}

#[test]
fn without_a_policy_the_default_rule_prices_and_says_so() {
    let trainee = posted(None, &training(ParticipationRole::Trainee, "24"));
    assert_eq!(
        (trainee.credits.to_string(), trainee.policy_key),
        ("24".to_owned(), DefaultRule::KEY)
    );
    // A claim without hours (a paper) earns nothing under the default rule, still keyed.
    let on = chrono::NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
    let paper = Activity::new(uuid::Uuid::nil(), ActivityKind::Paper, on);
    assert_eq!(posted(None, &paper).credits, Amount::ZERO);
    assert_eq!(posted(None, &paper).policy_key, DefaultRule::KEY);
}

#[test]
fn under_a_policy_its_document_prices_and_its_key_is_kept() {
    let wuhan = crate::policy::built_in("wuhan").unwrap();
    let a = training(ParticipationRole::Trainee, "24");
    let priced = posted(Some(("wuhan", &wuhan)), &a);
    assert_eq!(priced.policy_key, "wuhan");
    assert_eq!(priced.credits, wuhan.posted_credits(&a).credits);
    // Wuhan: concentrated training, 8 hours a credit — not the default's 24.
    assert_eq!(priced.credits.to_string(), "3");
}
