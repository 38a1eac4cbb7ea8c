//! Evaluation of a teacher with 500 records under each built-in policy: the explained report
//! and the totals alone.
//!
//! Run: `cargo bench -p credit-bank-domain --bench policy_evaluation`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use credit_bank_domain::amount::Amount;
use credit_bank_domain::codes::{
    ActivityKind, CategoryKey, Modality, TrainingLevel, BUILT_IN_CATEGORIES,
};
use credit_bank_domain::policy::{Activity, Evaluation, TeacherFacts, BUILT_IN};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use uuid::Uuid;

/// 500 varied records over 2026–2030: mostly course completions, a fifth declared activities.
fn records() -> Vec<Activity> {
    let mut seed: u64 = 42;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    (0..500u128)
        .map(|i| {
            let kind = if next(5) == 0 {
                ActivityKind::ALL[next(ActivityKind::ALL.len() as u64) as usize]
            } else {
                ActivityKind::CourseCompletion
            };
            let on = start + chrono::Duration::days(next(5 * 365) as i64);
            let mut a = Activity::new(Uuid::from_u128(i + 1), kind, on);
            a.level = Some(TrainingLevel::ALL[next(5) as usize]);
            a.modality = Some(Modality::ALL[next(6) as usize]);
            let (category, _) =
                BUILT_IN_CATEGORIES[next(BUILT_IN_CATEGORIES.len() as u64) as usize];
            a.category = Some(CategoryKey::parse(category).expect("category"));
            a.compulsory = Some(next(3) == 0);
            let hours = Amount::from_e4((1 + next(40)) as i64 * 10_000);
            a.hours = Some(hours);
            // A tenth of the records miss some hours: attendance-priced rules see them.
            let missed = if next(10) == 0 { 10_000 } else { 0 };
            a.attended_hours = Some(Amount::from_e4((hours.to_e4() - missed).max(0)));
            a.months = Some(next(13) as i32);
            a.days = Some(next(10) as i32);
            a.words = Some(next(3000) as i32);
            a.passed = Some(next(20) != 0);
            a.from_catalogue = true;
            a
        })
        .collect()
}

fn evaluation(c: &mut Criterion) {
    let activities = records();
    let as_of = NaiveDate::from_ymd_opt(2030, 12, 31).expect("date");
    // A head teacher hired in the cycle: every new hire's requirement, hour floor and limit bound
    // to a stretch of service is evaluated too.
    let teacher = TeacherFacts {
        hired_on: NaiveDate::from_ymd_opt(2026, 9, 1),
        head_teacher: true,
        normal_school_graduate: false,
    };
    for built_in in BUILT_IN {
        let policy = built_in.document().expect("built-in policy");
        let input = Evaluation {
            as_of,
            include_pending: false,
            activities: &activities,
            allowances: &[],
            teacher,
        };
        c.bench_function(
            &format!("evaluate 500 records under {}", built_in.key),
            |b| b.iter(|| policy.evaluate(black_box(input))),
        );
        // What the snapshot worker runs: the same figures, no explanations.
        c.bench_function(
            &format!("totals of 500 records under {}", built_in.key),
            |b| b.iter(|| policy.evaluate_totals(black_box(input))),
        );
    }
}

criterion_group!(benches, evaluation);
criterion_main!(benches);
