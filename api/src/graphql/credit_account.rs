//! A teacher's credit account as GraphQL reads it: certified credits summed, with breakdowns by
//! year, category, level and region (API.md "Credit account and compliance"). Summed by
//! `domain::account`; the records themselves are in [`super::ledger`].

use super::enums;
use super::scalars::Decimal;
use async_graphql::SimpleObject;
use domain::account::CreditAccount as Account;

/// Certified credits earned in one calendar year.
#[derive(SimpleObject)]
pub struct YearCredits {
    /// The calendar year of `earnedOn`.
    pub year: i32,
    /// Certified credits earned that year.
    pub credits: Decimal,
}

/// Certified credits of one category.
#[derive(SimpleObject)]
pub struct CategoryCredits {
    /// The category key; records without one count under GENERAL.
    pub category: String,
    /// Certified credits of that category.
    pub credits: Decimal,
}

/// Certified credits of one training level.
#[derive(SimpleObject)]
pub struct LevelCredits {
    /// Null for records without a training level.
    pub level: Option<enums::TrainingLevel>,
    /// Certified credits at that level.
    pub credits: Decimal,
}

/// Certified credits earned in one region.
#[derive(SimpleObject)]
pub struct RegionCredits {
    /// The GB/T 2260 code of the region where the records were earned.
    pub region_code: String,
    /// Certified credits earned there.
    pub credits: Decimal,
}

/// Certified credits, summed; `pending` is what still waits for review. The sums are of the
/// credits as posted (`CreditRecord.credits`), whatever policy now applies; revoked and
/// rejected records count nowhere. Breakdowns leave out keys that sum to zero.
#[derive(SimpleObject)]
pub struct CreditAccount {
    /// All certified credits.
    pub total: Decimal,
    /// By calendar year earned, oldest first.
    pub by_year: Vec<YearCredits>,
    /// By category key, in key order.
    pub by_category: Vec<CategoryCredits>,
    /// By training level, highest first; records without a level last.
    pub by_level: Vec<LevelCredits>,
    /// By region where earned, in code order.
    pub by_region: Vec<RegionCredits>,
    /// Credits of claims still under review (PENDING), not in `total`.
    pub pending: Decimal,
}

impl From<Account> for CreditAccount {
    fn from(a: Account) -> Self {
        CreditAccount {
            total: Decimal(a.total),
            by_year: a
                .by_year
                .into_iter()
                .map(|(year, c)| YearCredits {
                    year,
                    credits: Decimal(c),
                })
                .collect(),
            by_category: a
                .by_category
                .into_iter()
                .map(|(category, c)| CategoryCredits {
                    category,
                    credits: Decimal(c),
                })
                .collect(),
            by_level: a
                .by_level
                .into_iter()
                .map(|(l, c)| LevelCredits {
                    level: l.map(Into::into),
                    credits: Decimal(c),
                })
                .collect(),
            by_region: a
                .by_region
                .into_iter()
                .map(|(r, c)| RegionCredits {
                    region_code: r.as_str().to_owned(),
                    credits: Decimal(c),
                })
                .collect(),
            pending: Decimal(a.pending),
        }
    }
}
