//! What the soak prints (the README quotes the last run) and what it refuses: any 5xx, any
//! request that timed out, any `INTERNAL` or `UNAVAILABLE` answer.

use crate::invariants::Ledger;
use crate::memory::Rss;
use crate::workload::Seen;
use std::collections::BTreeMap;
use std::time::Duration;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn print(seen: &Seen, rss: &Rss, ledger: &Ledger) {
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for o in &seen.outcomes {
        by_kind.entry(o.kind).or_default().push(o.took);
        if let Some(code) = &o.code {
            *codes.entry(format!("{}:{code}", o.kind)).or_default() += 1;
        }
    }
    let total = seen.outcomes.len();
    let secs = seen.elapsed.as_secs_f64().max(1e-9);
    println!(
        "soak: {total} requests in {:.0} s ({:.1}/s)",
        secs,
        total as f64 / secs
    );
    println!("  kind          requests    p50 ms    p99 ms    max ms");
    let mut all: Vec<Duration> = Vec::with_capacity(total);
    for (kind, times) in &mut by_kind {
        times.sort_unstable();
        all.extend(times.iter().copied());
        println!(
            "  {kind:<12} {:>9} {:>9} {:>9} {:>9}",
            times.len(),
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO))
        );
    }
    all.sort_unstable();
    println!(
        "  {:<12} {:>9} {:>9} {:>9} {:>9}",
        "all",
        total,
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().unwrap_or(&Duration::ZERO))
    );
    println!("  answered with an error code (expected ones: CONFLICT, FORBIDDEN…): {codes:?}");
    println!("  status classes: {:?}", statuses(seen));
    for s in &rss.series {
        println!("  RSS {}", s.summary());
    }
    println!(
        "  ledger: {} records ({} keyed, {} certified), {} claims acknowledged, {} lost, {} keys held twice, {} retries answered another id",
        ledger.records, ledger.keyed, ledger.certified, ledger.acknowledged, ledger.lost.len(), ledger.duplicate_keys, ledger.retry_mismatches
    );
    println!(
        "  conversions: {:?}, {} live, {} requested ({} simultaneous pairs both won), {} records in two live ones, {} live ones on an uncertified record",
        ledger.conversions,
        ledger.live_conversions,
        ledger.conversions_requested,
        seen.conversion_pairs_both_won,
        ledger.double_converted,
        ledger.uncertified_in_live
    );
    println!(
        "  places {:?}, {} courses over capacity",
        ledger.places, ledger.overbooked
    );
}

fn statuses(seen: &Seen) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for o in &seen.outcomes {
        let class = match o.status {
            0 => "timeout".to_owned(),
            s => format!("{}xx", s / 100),
        };
        *out.entry(class).or_default() += 1;
    }
    out
}

pub fn assert_clean(seen: &Seen) {
    let bad: Vec<_> = seen
        .outcomes
        .iter()
        .filter(|o| {
            o.status == 0
                || o.status >= 500
                || matches!(o.code.as_deref(), Some("INTERNAL" | "UNAVAILABLE"))
        })
        .take(10)
        .collect();
    assert!(
        bad.is_empty(),
        "failed requests (first 10): {:?}",
        bad.iter()
            .map(|o| (o.kind, o.status, o.code.clone(), o.took))
            .collect::<Vec<_>>()
    );
    assert!(
        seen.outcomes.len() > 100,
        "the soak sent too little to judge"
    );
}
