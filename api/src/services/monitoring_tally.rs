//! What the monitoring report counts, kept as it is gathered (pure): per school, teachers,
//! compliant and projected-compliant teachers on one day, and how many teachers hold each
//! whole number of counted credits. Nothing per teacher is kept, so a province's tally is a
//! few thousand school entries whatever its number of teachers.

use domain::amount::Amount;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// One teacher on one day.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub school: Uuid,
    /// `None` when no policy is in force for the teacher's school on the day (counted, never
    /// compliant, as `complianceStatistics` counts them).
    pub judged: Option<Judged>,
}

/// A teacher whom a policy judged.
#[derive(Debug, Clone, Copy)]
pub struct Judged {
    pub satisfied: bool,
    /// Satisfied at the period's end by linear extrapolation (`monitoring_projection`).
    pub projected: bool,
    pub total_counted: Amount,
}

/// Teachers, compliant and projected-compliant teachers of one school or area.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub teachers: u64,
    pub compliant: u64,
    pub projected: u64,
}

impl Count {
    pub fn add(&mut self, other: Count) {
        self.teachers += other.teachers;
        self.compliant += other.compliant;
        self.projected += other.projected;
    }

    /// compliant / teachers to four places, as `complianceStatistics.rate` answers it.
    pub fn rate(&self) -> Amount {
        rate(self.compliant, self.teachers)
    }

    pub fn projected_rate(&self) -> Amount {
        rate(self.projected, self.teachers)
    }
}

/// `part / whole` to four places, half away from zero; 0 when `whole` is 0 (the GraphQL
/// statistics' rule, so the report's figures are the API's to the digit).
pub fn rate(part: u64, whole: u64) -> Amount {
    if whole == 0 {
        return Amount::ZERO;
    }
    Amount::round_credits(Decimal::from(part) / Decimal::from(whole))
}

/// Everything counted for one day.
#[derive(Debug, Default)]
pub struct Tally {
    pub per_school: HashMap<Uuid, Count>,
    pub without_policy: u64,
    /// Teachers by their counted credits rounded down to a whole credit (judged teachers only).
    pub credits: BTreeMap<i64, u64>,
}

impl Tally {
    pub fn add(&mut self, outcome: Outcome) {
        let count = self.per_school.entry(outcome.school).or_default();
        count.teachers += 1;
        let Some(judged) = outcome.judged else {
            self.without_policy += 1;
            return;
        };
        count.compliant += u64::from(judged.satisfied);
        count.projected += u64::from(judged.projected);
        let whole = judged.total_counted.decimal().floor().to_i64().unwrap_or(0);
        *self.credits.entry(whole.max(0)).or_default() += 1;
    }

    /// Every school's counts summed.
    pub fn total(&self) -> Count {
        let mut total = Count::default();
        for c in self.per_school.values() {
            total.add(*c);
        }
        total
    }
}

/// `[from, to)` whole credits and the teachers whose counted credits fall there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub from: i64,
    pub to: i64,
    pub teachers: u64,
}

/// At most this many buckets in the distribution.
const MAX_BUCKETS: i64 = 12;

/// The distribution in buckets of a round width (1, 2, 5 × 10ⁿ credits) from 0 up to the
/// highest figure, at most [`MAX_BUCKETS`] of them; empty when nobody was judged.
pub fn buckets(credits: &BTreeMap<i64, u64>) -> Vec<Bucket> {
    let Some((&max, _)) = credits.last_key_value() else {
        return Vec::new();
    };
    let width = round_width(max + 1);
    let count = (max / width) + 1;
    let mut out: Vec<Bucket> = (0..count)
        .map(|i| Bucket {
            from: i * width,
            to: (i + 1) * width,
            teachers: 0,
        })
        .collect();
    for (&whole, &teachers) in credits {
        let index = usize::try_from(whole / width).unwrap_or(0);
        if let Some(bucket) = out.get_mut(index) {
            bucket.teachers += teachers;
        }
    }
    out
}

/// The smallest of 1, 2, 5, 10, 20, 50… that cuts `span` into at most [`MAX_BUCKETS`].
fn round_width(span: i64) -> i64 {
    let mut magnitude = 1i64;
    loop {
        for step in [1, 2, 5] {
            let width = step * magnitude;
            if span <= width * MAX_BUCKETS {
                return width;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn judged(satisfied: bool, projected: bool, credits: &str) -> Option<Judged> {
        Some(Judged {
            satisfied,
            projected,
            total_counted: Amount::parse(credits).unwrap(),
        })
    }

    #[test]
    fn rates_round_as_the_graphql_statistics_do() {
        assert_eq!(rate(2, 3).to_string(), "0.6667");
        assert_eq!(rate(1, 8).to_string(), "0.125");
        assert_eq!(rate(0, 0), Amount::ZERO);
        assert_eq!(rate(49, 50).to_string(), "0.98");
    }

    #[test]
    fn a_tally_counts_schools_and_credits() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let mut t = Tally::default();
        t.add(Outcome {
            school: a,
            judged: judged(true, true, "24.5"),
        });
        t.add(Outcome {
            school: a,
            judged: judged(false, true, "24"),
        });
        t.add(Outcome {
            school: b,
            judged: None,
        });
        assert_eq!(
            t.per_school[&a],
            Count {
                teachers: 2,
                compliant: 1,
                projected: 2
            }
        );
        assert_eq!(t.per_school[&b].teachers, 1);
        assert_eq!(t.without_policy, 1);
        assert_eq!(t.credits, BTreeMap::from([(24, 2)]));
        assert_eq!(t.total().teachers, 3);
        assert_eq!(t.total().rate().to_string(), "0.3333");
    }

    #[test]
    fn buckets_have_a_round_width_and_hold_everyone() {
        let credits = BTreeMap::from([(0, 3), (19, 1), (20, 2), (365, 4)]);
        let b = buckets(&credits);
        assert_eq!(
            b[0],
            Bucket {
                from: 0,
                to: 50,
                teachers: 6
            }
        );
        assert_eq!(b.len(), 8, "0–400 in steps of 50: {b:?}");
        assert_eq!(
            b[7],
            Bucket {
                from: 350,
                to: 400,
                teachers: 4
            }
        );
        assert_eq!(b.iter().map(|x| x.teachers).sum::<u64>(), 10);
        assert_eq!(buckets(&BTreeMap::from([(3, 1)])).len(), 4, "0,1,2,3");
        assert!(buckets(&BTreeMap::new()).is_empty());
    }
}
