//! Counting without explanations (`evaluate_totals`, what snapshots and statistics keep) gives
//! exactly the figures of the explained report, on random teachers under every built-in policy:
//! new hires, head teachers, pending records included or not, make-up allowances, records from
//! another province in every state of recognition, on any day of two cycles.

use proptest::prelude::*;
use proptest::sample::select;

use super::properties::{activity, policies};
use super::support::date;
use crate::policy::{Activity, Evaluation, MakeUpAllowance, RecognitionState, TeacherFacts};

fn teachers() -> impl Strategy<Value = Vec<Activity>> {
    (0..60usize).prop_flat_map(|len| {
        (0..len as u128)
            .map(|n| {
                (
                    activity(n),
                    select(vec![
                        None,
                        None,
                        Some(RecognitionState::Pending),
                        Some(RecognitionState::Accepted),
                        Some(RecognitionState::Rejected),
                    ]),
                )
                    .prop_map(|(mut a, foreign)| {
                        a.foreign = foreign;
                        a
                    })
            })
            .collect::<Vec<_>>()
    })
}

fn facts() -> impl Strategy<Value = TeacherFacts> {
    (
        proptest::option::of(0i64..(9 * 365)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(hired, head_teacher, normal_school_graduate)| TeacherFacts {
                hired_on: hired.map(|d| date(2024, 1, 1) + chrono::Duration::days(d)),
                head_teacher,
                normal_school_graduate,
            },
        )
}

fn allowances() -> impl Strategy<Value = Vec<MakeUpAllowance>> {
    proptest::collection::vec(
        (2024i32..2032, 0i64..400).prop_map(|(year, days)| MakeUpAllowance {
            year,
            until: date(year + 1, 1, 1) + chrono::Duration::days(days),
        }),
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn counting_alone_gives_the_explained_reports_figures(
        acts in teachers(),
        teacher in facts(),
        allowances in allowances(),
        day in 0i64..(9 * 365),
        include_pending in any::<bool>(),
    ) {
        let input = Evaluation {
            as_of: date(2024, 1, 1) + chrono::Duration::days(day),
            include_pending,
            activities: &acts,
            allowances: &allowances,
            teacher,
        };
        for p in policies() {
            let explained = p.evaluate(input);
            prop_assert_eq!(p.evaluate_totals(input), explained.totals(), "{}", p.key);
        }
    }
}
