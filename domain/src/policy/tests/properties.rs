//! Properties every policy keeps, checked on random teachers under each built-in policy.

use proptest::prelude::*;
use proptest::sample::select;

use super::support::*;
use crate::codes::{ActivityKind, CreditStatus, Modality, TrainingLevel, BUILT_IN_CATEGORIES};
use crate::policy::{
    parse_policy, Activity, Evaluation, HoursBasis, LimitMode, PolicyDocument, RequirementUnit,
    TeacherFacts, BUILT_IN,
};

pub(super) fn activity(n: u128) -> impl Strategy<Value = Activity> {
    (
        select(ActivityKind::ALL.to_vec()),
        proptest::option::of(select(TrainingLevel::ALL.to_vec())),
        proptest::option::of(select(Modality::ALL.to_vec())),
        proptest::option::of(select(
            BUILT_IN_CATEGORIES
                .iter()
                .map(|(k, _)| *k)
                .collect::<Vec<_>>(),
        )),
        (
            0u32..2000,
            0u32..100,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (proptest::option::of(0i32..400), 0i32..3000, 0u32..(9 * 365)),
        select(vec![
            CreditStatus::Certified,
            CreditStatus::Certified,
            CreditStatus::Pending,
            CreditStatus::Revoked,
        ]),
    )
        .prop_map(
            move |(
                kind,
                level,
                modality,
                category,
                (tenths, absent, passed, compulsory, instructor),
                (months, words, day),
                status,
            )| {
                let on = date(2024, 1, 1) + chrono::Duration::days(i64::from(day));
                let hours = format!("{}.{}", tenths / 10, tenths % 10);
                let attended = tenths.saturating_sub(absent * 10);
                let mut a = act(n, kind, on).hours(&hours).attended(&format!(
                    "{}.{}",
                    attended / 10,
                    attended % 10
                ));
                if let Some(l) = level {
                    a = a.level(l)
                }
                if let Some(m) = modality {
                    a = a.modality(m)
                }
                if let Some(c) = category {
                    a = a.category(c)
                }
                if !passed {
                    a = a.failed()
                }
                if instructor {
                    a = a.instructor(&hours)
                }
                a = a
                    .compulsory(compulsory)
                    .words(words)
                    .days(months.unwrap_or(0) + 1)
                    .status(status);
                if let Some(m) = months {
                    a = a.months(m / 30)
                }
                a.done()
            },
        )
}

fn teacher(max: usize) -> impl Strategy<Value = Vec<Activity>> {
    (0..max).prop_flat_map(|len| (0..len as u128).map(activity).collect::<Vec<_>>())
}

pub(super) fn policies() -> Vec<PolicyDocument> {
    BUILT_IN
        .iter()
        .map(|b| b.document().expect("built-in"))
        .collect()
}

fn run(p: &PolicyDocument, acts: &[Activity]) -> crate::policy::ComplianceReport {
    p.evaluate(Evaluation {
        as_of: date(2028, 6, 30),
        include_pending: false,
        activities: acts,
        allowances: &[],
        teacher: Default::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn adding_a_certified_record_never_lowers_the_total(acts in teacher(30), extra in activity(999)) {
        let mut extra = extra;
        extra.status = CreditStatus::Certified;
        for p in policies() {
            let before = run(&p, &acts).total_counted;
            let mut more = acts.clone();
            more.push(extra.clone());
            let after = run(&p, &more).total_counted;
            prop_assert!(after >= before, "{}: {} then {}", p.key, before, after);
        }
    }

    #[test]
    fn the_result_does_not_depend_on_record_order(acts in teacher(30)) {
        let mut reversed = acts.clone();
        reversed.reverse();
        for p in policies() {
            prop_assert_eq!(run(&p, &acts), run(&p, &reversed));
        }
    }

    #[test]
    fn caps_are_never_exceeded_and_nothing_counts_more_than_it_earns(acts in teacher(40)) {
        for p in policies() {
            let report = run(&p, &acts);
            for r in &report.records {
                prop_assert!(r.counted <= r.credits.max(crate::amount::Amount::ZERO));
                let allocated: i64 = r.allocations.iter().map(|a| a.credits.to_e4()).max().unwrap_or(0);
                prop_assert!(allocated <= r.counted.to_e4());
            }
            let period = p.period.containing(date(2028, 6, 30));
            // A limit bound to a stretch of a teacher's time binds nobody without a hire date.
            for limit in p
                .limits
                .iter()
                .filter(|l| l.mode == LimitMode::Sum && l.applies_to.is_everyone())
            {
                let Some(max) = limit.max else { continue };
                let mut per_window = std::collections::BTreeMap::<i32, i64>::new();
                for r in &report.records {
                    let a = acts.iter().find(|a| a.id == r.record_id).expect("record");
                    if limit.when.matches(a, r.rule.as_deref()) {
                        let w = crate::policy::window_of(limit.per, &period, a.earned_on);
                        *per_window.entry(w).or_default() += r.counted.to_e4();
                    }
                }
                for total in per_window.values() {
                    prop_assert!(*total <= max.to_e4(), "{} {}: {}", p.key, limit.key, total);
                }
            }
        }
    }
}

/// The policy with every rule pricing `basis` hours.
fn priced_on(p: &PolicyDocument, basis: HoursBasis) -> PolicyDocument {
    let mut p = p.clone();
    p.hours_basis = basis;
    for rule in &mut p.rules {
        rule.hours_basis = None;
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Attended hours are at most the course's, so pricing them never earns more.
    #[test]
    fn pricing_attended_hours_never_exceeds_pricing_course_hours(a in activity(0)) {
        for p in policies() {
            let attended = priced_on(&p, HoursBasis::Attended).convert(&a).credits;
            let course = priced_on(&p, HoursBasis::Course).convert(&a).credits;
            prop_assert!(attended <= course, "{}: {} > {}", p.key, attended, course);
        }
    }

    /// More hours received never lower what an hour requirement counts.
    #[test]
    fn an_hour_requirement_is_monotone_in_hours_received(
        acts in teacher(20),
        which in 0usize..20,
        extra in 0u32..400,
    ) {
        let teacher = TeacherFacts { hired_on: Some(date(2027, 9, 1)), head_teacher: true, ..TeacherFacts::default() };
        let mut more = acts.clone();
        if let Some(a) = more.get_mut(which % acts.len().max(1)) {
            let hours = a.hours.map_or(0, |h| h.to_e4());
            let attended = a.attended_hours.map_or(0, |h| h.to_e4());
            let raised = (attended + i64::from(extra) * 1000).min(hours);
            a.attended_hours = Some(crate::amount::Amount::from_e4(raised));
        }
        for p in policies() {
            let eval = |acts: &[Activity]| p.evaluate(Evaluation {
                as_of: date(2028, 6, 30),
                include_pending: false,
                activities: acts,
                allowances: &[],
                teacher,
            });
            let (before, after) = (eval(&acts), eval(&more));
            for (b, a) in before.requirements.iter().zip(&after.requirements) {
                if b.unit == RequirementUnit::Hours {
                    prop_assert!(a.counted >= b.counted, "{} {}: {} then {}", p.key, b.key, b.counted, a.counted);
                }
            }
        }
    }
}

#[test]
fn every_built_in_document_survives_a_json_round_trip() {
    for p in policies() {
        let json = serde_json::to_value(&p).expect("serialise");
        let back = parse_policy(&json).expect("parse again");
        assert_eq!(back, p);
    }
}
