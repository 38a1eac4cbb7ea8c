//! Exact shares such as "1/3" and "1/4", which decimals cannot write.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A non-negative fraction `numerator / denominator`, written "1/3" or as a decimal "0.25".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    numerator: Decimal,
    denominator: Decimal,
}

impl Ratio {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (n, d) = match text.split_once('/') {
            Some((n, d)) => (n.trim(), d.trim()),
            None => (text, "1"),
        };
        let parse = |s: &str| {
            s.parse::<Decimal>()
                .map_err(|_| format!("\"{text}\" is not a fraction such as \"1/3\" or \"0.25\""))
        };
        let (numerator, denominator) = (parse(n)?, parse(d)?);
        if numerator.is_sign_negative() || denominator <= Decimal::ZERO {
            return Err(format!("\"{text}\" must be a fraction between 0 and 1"));
        }
        let ratio = Self {
            numerator,
            denominator,
        };
        if numerator > denominator {
            return Err(format!("\"{text}\" must be a fraction between 0 and 1"));
        }
        Ok(ratio)
    }

    pub fn numerator(&self) -> Decimal {
        self.numerator
    }

    pub fn denominator(&self) -> Decimal {
        self.denominator
    }

    /// `part / whole` compared with this ratio: `Greater` when the part is a larger share.
    pub fn compare_share(&self, part: Decimal, whole: Decimal) -> std::cmp::Ordering {
        (part * self.denominator).cmp(&(self.numerator * whole))
    }

    /// The most `x` may be when `x` may be at most this share of `x + others`:
    /// `x ≤ r·(x + o)` ⇔ `x ≤ o·n/(d−n)`. `None` when the share is 1 (no limit).
    pub fn max_part_beside(&self, others: Decimal) -> Option<Decimal> {
        let rest = self.denominator - self.numerator;
        if rest <= Decimal::ZERO {
            return None;
        }
        Some(others * self.numerator / rest)
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.denominator == Decimal::ONE {
            write!(f, "{}", self.numerator.normalize())
        } else {
            write!(
                f,
                "{}/{}",
                self.numerator.normalize(),
                self.denominator.normalize()
            )
        }
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(de::Error::custom("expected a fraction such as \"1/3\"")),
        };
        Ratio::parse(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_fractions_and_decimals() {
        let third = Ratio::parse("1/3").expect("1/3");
        assert_eq!(third.to_string(), "1/3");
        let quarter = Ratio::parse("0.25").expect("0.25");
        assert_eq!(
            quarter.compare_share(Decimal::ONE, Decimal::from(4)),
            std::cmp::Ordering::Equal
        );
        assert!(Ratio::parse("-1/3").is_err());
        assert!(Ratio::parse("4/3").is_err());
        assert!(Ratio::parse("1/0").is_err());
        assert!(Ratio::parse("a third").is_err());
    }

    #[test]
    fn a_third_beside_two_hundred_forty_is_one_hundred_twenty() {
        // Shandong art. 11: public subjects at most 1/3 of the total. With 240 other credits,
        // 120 public credits make exactly a third of 360.
        let third = Ratio::parse("1/3").expect("1/3");
        assert_eq!(
            third.max_part_beside(Decimal::from(240)),
            Some(Decimal::from(120))
        );
        assert_eq!(
            Ratio::parse("1").expect("1").max_part_beside(Decimal::ONE),
            None
        );
    }
}
