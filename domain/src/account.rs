//! A teacher's credit account (API.md `CreditAccount`): sums of the ledger, so every figure can
//! be traced to records. Only CERTIFIED entries count; PENDING ones are shown apart; REJECTED
//! and REVOKED count nowhere. A reversal entry (appended when a record is revoked, pointing at
//! it) is the ledger's account of who cancelled what and why; the original's REVOKED status is
//! what removes its credits, so the reversal itself is not summed again.

use crate::amount::Amount;
use crate::codes::{CategoryKey, CreditStatus, TrainingLevel};
use crate::region::RegionCode;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub credits: Amount,
    pub status: CreditStatus,
    pub earned_on: NaiveDate,
    pub category: Option<CategoryKey>,
    pub level: Option<TrainingLevel>,
    pub region: RegionCode,
    pub reversal_of: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreditAccount {
    pub total: Amount,
    pub by_year: Vec<(i32, Amount)>,
    pub by_category: Vec<(String, Amount)>,
    /// Highest level first; `None` (no level) last.
    pub by_level: Vec<(Option<TrainingLevel>, Amount)>,
    pub by_region: Vec<(RegionCode, Amount)>,
    pub pending: Amount,
}

/// Records without a category are counted under this key.
pub const UNCATEGORISED: &str = "GENERAL";

fn add<K: Ord>(map: &mut BTreeMap<K, Decimal>, key: K, d: Decimal) {
    *map.entry(key).or_insert(Decimal::ZERO) += d;
}

fn rows<K: Ord>(map: BTreeMap<K, Decimal>) -> Vec<(K, Amount)> {
    map.into_iter()
        .filter(|(_, d)| !d.is_zero())
        .map(|(k, d)| (k, Amount::round_credits(d)))
        .collect()
}

pub fn summarise(entries: &[LedgerEntry]) -> CreditAccount {
    let (mut total, mut pending) = (Decimal::ZERO, Decimal::ZERO);
    let mut by_year = BTreeMap::new();
    let mut by_category = BTreeMap::new();
    // Keyed by (reverse rank, level) so the highest level sorts first and "no level" last.
    let mut by_level: BTreeMap<(u8, Option<TrainingLevel>), Decimal> = BTreeMap::new();
    let mut by_region = BTreeMap::new();
    for e in entries.iter().filter(|e| e.reversal_of.is_none()) {
        let d = e.credits.decimal();
        match e.status {
            CreditStatus::Pending => pending += d,
            CreditStatus::Certified => {
                total += d;
                add(&mut by_year, e.earned_on.year(), d);
                let category = e
                    .category
                    .as_ref()
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_else(|| UNCATEGORISED.to_owned());
                add(&mut by_category, category, d);
                add(
                    &mut by_level,
                    (u8::MAX - e.level.map(|l| l.rank()).unwrap_or(0), e.level),
                    d,
                );
                add(&mut by_region, e.region.clone(), d);
            }
            CreditStatus::Rejected | CreditStatus::Revoked => {}
        }
    }
    CreditAccount {
        total: Amount::round_credits(total),
        by_year: rows(by_year),
        by_category: rows(by_category),
        by_level: rows(by_level)
            .into_iter()
            .map(|((_, l), a)| (l, a))
            .collect(),
        by_region: rows(by_region),
        pending: Amount::round_credits(pending),
    }
}

#[cfg(test)]
mod tests;
