//! Exact amounts of credits and class hours.
//!
//! Policies deal in 0.1 and 0.5 credits and in ratios such as 1/8, so amounts are decimals,
//! never floats. They are stored as `i64` counts of 1/10⁴ (the "e4" form), which every amount
//! built here fits by construction.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::InputError;
use crate::text::Text;

/// Decimal places an amount keeps.
pub const SCALE: u32 = 4;

/// An exact amount with at most [`SCALE`] decimal places that fits the `i64` storage.
///
/// The decimal is kept normalised (no trailing zeros, no negative zero), so `Display` prints
/// "0.5" rather than "0.5000" and equal amounts hash equally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    pub fn new(d: Decimal) -> Result<Self, InputError> {
        let d = d.normalize();
        if d.scale() > SCALE {
            return Err(too_precise());
        }
        match e4_of(d) {
            Some(_) => Ok(Self(d)),
            None => Err(too_large()),
        }
    }

    /// Parses plain decimal notation ("72", "0.5", "-1.25", surrounding whitespace ignored).
    ///
    /// Exponents, "inf", ".5" and "5." are refused: an amount is typed by a person or written
    /// in a policy, and anything but the plain form there is a mistake worth reporting. Parsing
    /// is done digit by digit, not through `Decimal`, so huge or very precise input is judged
    /// exactly instead of being rounded first.
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(InputError::new(InputError::REQUIRED, "must not be empty")
                .with(Text::new("input.not_empty")));
        }
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (int, frac) = match body.split_once('.') {
            Some((int, frac)) => (int, Some(frac)),
            None => (body, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || frac.is_some_and(|f| !digits(f)) {
            return Err(InputError::new(
                InputError::INVALID_FORMAT,
                "must be a decimal number such as 0.5 or 72",
            )
            .with(Text::new("input.decimal_format")));
        }
        let frac = frac.unwrap_or("").trim_end_matches('0');
        if frac.len() > SCALE as usize {
            return Err(too_precise());
        }
        let int = int.trim_start_matches('0');
        // i64::MAX / 10^4 has 15 integer digits; longer input cannot fit and would overflow i128.
        if int.len() > 15 {
            return Err(too_large());
        }
        let padded = format!("{int}{frac:0<width$}", width = SCALE as usize);
        let magnitude = padded
            .bytes()
            .fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'));
        let e4 = if negative { -magnitude } else { magnitude };
        i64::try_from(e4)
            .map(Self::from_e4)
            .map_err(|_| too_large())
    }

    /// Refuses negative amounts, for inputs such as hours where a sign makes no sense.
    pub fn non_negative(self) -> Result<Self, InputError> {
        if self.0.is_sign_negative() && !self.0.is_zero() {
            Err(
                InputError::new(InputError::OUT_OF_RANGE, "must not be negative")
                    .with(Text::new("input.negative")),
            )
        } else {
            Ok(self)
        }
    }

    /// The amount stored as `v` (a count of 1/10⁴).
    pub fn from_e4(v: i64) -> Self {
        Self(Decimal::new(v, SCALE).normalize())
    }

    /// The storage form: the amount times 10⁴, exact.
    pub fn to_e4(&self) -> i64 {
        // Construction guarantees the fit; saturating keeps this total without a panic path.
        e4_of(self.0).unwrap_or(if self.0.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn decimal(&self) -> Decimal {
        self.0
    }

    pub fn checked_add(self, o: Self) -> Option<Self> {
        self.to_e4().checked_add(o.to_e4()).map(Self::from_e4)
    }

    pub fn checked_sub(self, o: Self) -> Option<Self> {
        self.to_e4().checked_sub(o.to_e4()).map(Self::from_e4)
    }

    /// Brings a computed value (hours × ratio, a share of a cap…) to an amount: rounded to
    /// [`SCALE`] places, half away from zero as people round by hand, and clamped to the storage
    /// range rather than failing, since no real credit figure comes near it.
    pub fn round_credits(d: Decimal) -> Self {
        let rounded = d.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero);
        match Self::new(rounded) {
            Ok(amount) => amount,
            Err(_) if rounded.is_sign_negative() => Self::from_e4(i64::MIN),
            Err(_) => Self::from_e4(i64::MAX),
        }
    }
}

/// `d × 10⁴` as `i64`, when `d` has at most [`SCALE`] places and the product fits.
fn e4_of(d: Decimal) -> Option<i64> {
    let shift = SCALE.checked_sub(d.scale())?;
    let e4 = d.mantissa().checked_mul(10i128.pow(shift))?;
    i64::try_from(e4).ok()
}

fn too_precise() -> InputError {
    InputError::new(
        InputError::TOO_PRECISE,
        format!("must have at most {SCALE} decimal places"),
    )
    .with(Text::new("input.decimal_places").arg("places", SCALE))
}

fn too_large() -> InputError {
    InputError::new(InputError::OUT_OF_RANGE, "is too large").with(Text::new("input.too_large"))
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::str::FromStr for Amount {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

mod serde_impl;

#[cfg(test)]
mod tests;
