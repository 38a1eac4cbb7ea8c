//! A cap and a share limit binding together (Shandong art. 18's 120 school-level credits a cycle
//! and art. 11's public subjects at most a third): the cap's room goes first to records no share
//! can cut, so a certified course never lowers the total (the property test found 64.4 → 23.7).

use super::support::*;
use crate::codes::{ActivityKind::*, Modality, TrainingLevel};
use crate::policy::{Activity, ComplianceReport, Evaluation};

fn run(acts: &[Activity]) -> ComplianceReport {
    policy("shandong").evaluate(Evaluation {
        as_of: date(2028, 6, 30),
        include_pending: false,
        activities: acts,
        allowances: &[],
        teacher: Default::default(),
    })
}

fn counted(report: &ComplianceReport, n: u128) -> String {
    let record = report.records.iter().find(|r| r.record_id == id(n));
    record.expect("record").counted.to_string()
}

#[test]
fn a_public_school_course_takes_only_the_cap_room_others_leave() {
    let mut acts = vec![
        act(0, Mentoring, date(2026, 7, 8))
            .modality(Modality::Concentrated)
            .instructor("15.8")
            .hours("15.8")
            .done(),
        act(1, Teaching, date(2029, 11, 19))
            .level(TrainingLevel::School)
            .modality(Modality::DegreeStudy)
            .instructor("48.6")
            .hours("48.6")
            .done(),
    ];
    let before = run(&acts);
    assert_eq!(before.total_counted, amount("64.4"));
    // Earlier than record 1, school level (art. 18's cap) and public (art. 11's share).
    acts.push(
        act(2, Teaching, date(2026, 1, 6))
            .level(TrainingLevel::School)
            .category("PUBLIC")
            .hours("148.6")
            .done(),
    );
    let after = run(&acts);
    // Record 1 keeps its 48.6 under the cap; the public course counts up to a third of the
    // total: (15.8 + 48.6) / 2 = 32.2. It counted 7.9, and record 1 nothing, when the cap was
    // filled by date alone.
    assert_eq!(counted(&after, 1), "48.6");
    assert_eq!(counted(&after, 2), "32.2");
    assert_eq!(after.total_counted, amount("96.6"));
}
