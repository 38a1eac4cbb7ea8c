#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn entry(
    credits: &str,
    status: CreditStatus,
    year: i32,
    category: Option<&str>,
    level: Option<TrainingLevel>,
    region: &str,
) -> LedgerEntry {
    LedgerEntry {
        credits: Amount::parse(credits).unwrap(),
        status,
        earned_on: NaiveDate::from_ymd_opt(year, 6, 1).unwrap(),
        category: category.map(|c| CategoryKey::parse(c).unwrap()),
        level,
        region: RegionCode::parse(region).unwrap(),
        reversal_of: None,
    }
}

#[test]
fn only_certified_credits_count_and_a_revocation_removes_its_record_once() {
    use CreditStatus::*;
    let mut reversal = entry(
        "-8",
        Certified,
        2025,
        Some("ETHICS"),
        Some(TrainingLevel::County),
        "370202",
    );
    reversal.reversal_of = Some(Uuid::from_u128(1));
    let account = summarise(&[
        entry(
            "24",
            Certified,
            2024,
            Some("INFORMATION"),
            Some(TrainingLevel::Municipal),
            "370202",
        ),
        entry(
            "8",
            Revoked,
            2025,
            Some("ETHICS"),
            Some(TrainingLevel::County),
            "370202",
        ),
        reversal,
        entry("0.5", Certified, 2025, None, None, "420102"),
        entry("6", Pending, 2025, Some("RESEARCH"), None, "370202"),
        entry("9", Rejected, 2025, Some("RESEARCH"), None, "370202"),
        entry("3", Revoked, 2025, Some("RESEARCH"), None, "370202"),
    ]);
    assert_eq!(account.total.to_string(), "24.5");
    assert_eq!(account.pending.to_string(), "6");
    let years: Vec<(i32, String)> = account
        .by_year
        .iter()
        .map(|(y, a)| (*y, a.to_string()))
        .collect();
    assert_eq!(years, vec![(2024, "24".into()), (2025, "0.5".into())]);
    let cats: Vec<(String, String)> = account
        .by_category
        .iter()
        .map(|(c, a)| (c.clone(), a.to_string()))
        .collect();
    assert_eq!(
        cats,
        vec![
            ("GENERAL".into(), "0.5".into()),
            ("INFORMATION".into(), "24".into())
        ],
        "ETHICS nets to zero and is omitted"
    );
    let levels: Vec<Option<TrainingLevel>> = account.by_level.iter().map(|(l, _)| *l).collect();
    assert_eq!(levels, vec![Some(TrainingLevel::Municipal), None]);
    assert_eq!(account.by_region.len(), 2);
}

fn arb_entry() -> impl Strategy<Value = LedgerEntry> {
    (
        -1_000_000i64..10_000_000,
        prop::sample::select(vec![
            CreditStatus::Pending,
            CreditStatus::Certified,
            CreditStatus::Rejected,
            CreditStatus::Revoked,
        ]),
        2021i32..2031,
        prop::sample::select(vec![
            None,
            Some("ETHICS"),
            Some("INFORMATION"),
            Some("PUBLIC"),
        ]),
        prop::sample::select(vec![
            None,
            Some(TrainingLevel::School),
            Some(TrainingLevel::National),
        ]),
        prop::sample::select(vec!["370202", "420102"]),
    )
        .prop_map(|(e4, status, year, cat, level, region)| LedgerEntry {
            credits: Amount::from_e4(e4),
            status,
            earned_on: NaiveDate::from_ymd_opt(year, 3, 1).unwrap(),
            category: cat.map(|c| CategoryKey::parse(c).unwrap()),
            level,
            region: RegionCode::parse(region).unwrap(),
            reversal_of: None,
        })
}

fn sum<K>(rows: &[(K, Amount)]) -> Decimal {
    rows.iter().map(|(_, a)| a.decimal()).sum()
}

proptest! {
    #[test]
    fn every_breakdown_adds_up_to_the_total(entries in prop::collection::vec(arb_entry(), 0..40)) {
        let a = summarise(&entries);
        prop_assert_eq!(sum(&a.by_year), a.total.decimal());
        prop_assert_eq!(sum(&a.by_category), a.total.decimal());
        prop_assert_eq!(sum(&a.by_level), a.total.decimal());
        prop_assert_eq!(sum(&a.by_region), a.total.decimal());
    }

    #[test]
    fn order_does_not_matter(mut entries in prop::collection::vec(arb_entry(), 0..40)) {
        let a = summarise(&entries);
        entries.reverse();
        prop_assert_eq!(summarise(&entries), a);
    }
}

#[test]
fn levels_run_from_national_down_with_no_level_last() {
    let mut entries: Vec<LedgerEntry> = TrainingLevel::ALL
        .iter()
        .map(|l| entry("1", CreditStatus::Certified, 2026, None, Some(*l), "370202"))
        .collect();
    entries.push(entry(
        "1",
        CreditStatus::Certified,
        2026,
        None,
        None,
        "370202",
    ));
    entries.reverse();
    let levels: Vec<Option<TrainingLevel>> = summarise(&entries)
        .by_level
        .iter()
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(
        levels,
        vec![
            Some(TrainingLevel::National),
            Some(TrainingLevel::Provincial),
            Some(TrainingLevel::Municipal),
            Some(TrainingLevel::County),
            Some(TrainingLevel::School),
            None,
        ]
    );
}

#[test]
fn an_explicit_general_category_and_none_are_one_row() {
    let account = summarise(&[
        entry(
            "1",
            CreditStatus::Certified,
            2026,
            Some("GENERAL"),
            None,
            "370202",
        ),
        entry("2", CreditStatus::Certified, 2026, None, None, "370202"),
    ]);
    assert_eq!(
        account.by_category,
        vec![(UNCATEGORISED.to_owned(), Amount::parse("3").unwrap())]
    );
}

#[test]
fn an_empty_ledger_is_an_empty_account() {
    assert_eq!(summarise(&[]), CreditAccount::default());
}

proptest! {
    #[test]
    fn only_certified_entries_reach_the_total_and_pending_is_apart(
        entries in prop::collection::vec(arb_entry(), 0..40)
    ) {
        let a = summarise(&entries);
        let of = |s: CreditStatus| -> Decimal {
            entries.iter().filter(|e| e.status == s).map(|e| e.credits.decimal()).sum()
        };
        prop_assert_eq!(a.total.decimal(), of(CreditStatus::Certified));
        prop_assert_eq!(a.pending.decimal(), of(CreditStatus::Pending));
        let certified: Vec<LedgerEntry> = entries
            .iter()
            .filter(|e| e.status == CreditStatus::Certified)
            .cloned()
            .collect();
        let without_pending = CreditAccount { pending: Amount::ZERO, ..a.clone() };
        prop_assert_eq!(summarise(&certified), without_pending);
    }

    #[test]
    fn no_breakdown_shows_a_zero_row(entries in prop::collection::vec(arb_entry(), 0..40)) {
        let a = summarise(&entries);
        prop_assert!(a.by_year.iter().all(|(_, c)| *c != Amount::ZERO));
        prop_assert!(a.by_category.iter().all(|(_, c)| *c != Amount::ZERO));
        prop_assert!(a.by_level.iter().all(|(_, c)| *c != Amount::ZERO));
        prop_assert!(a.by_region.iter().all(|(_, c)| *c != Amount::ZERO));
    }

    #[test]
    fn a_revoked_record_and_its_reversal_count_nowhere(
        entries in prop::collection::vec(arb_entry(), 0..20),
        original in arb_entry(),
    ) {
        // Revoking marks the original REVOKED and appends the reversal, in one transaction.
        let original = LedgerEntry { status: CreditStatus::Revoked, ..original };
        let reversal = LedgerEntry {
            credits: Amount::from_e4(-original.credits.to_e4()),
            reversal_of: Some(Uuid::from_u128(7)),
            ..original.clone()
        };
        let mut with_both = entries.clone();
        with_both.push(original);
        with_both.insert(0, reversal);
        prop_assert_eq!(summarise(&with_both), summarise(&entries));
    }
}
