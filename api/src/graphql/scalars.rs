//! Scalars of API.md "Scalars and conventions": `Date` (YYYY-MM-DD) and `Decimal` (an exact
//! decimal sent as a JSON string). `DateTime` is async-graphql's chrono scalar (RFC 3339).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;
use domain::amount::Amount;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date written `YYYY-MM-DD` (ISO 8601), e.g. "2026-09-01": a civil date without a
/// time or time zone. "Today" is the date in the server's `TIME_ZONE` (default Asia/Shanghai).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) if s.len() == 10 => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(crate::i18n::say(&crate::msg!("input.date_invalid")))
                }),
            _ => Err(InputValueError::custom(crate::i18n::say(&crate::msg!(
                "input.date_format"
            )))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// An exact decimal. Accepted as a string ("0.5") or an integer literal; never as a float,
/// because a float has already lost the exact value before it reaches us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal(pub Amount);

/// An exact decimal number with at most four decimal places, sent and returned as a JSON string
/// ("0.5", "72"); an integer literal is accepted too, a float never (it has already lost the
/// exact value). Credits, hours, scores and rates are Decimals.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Amount::parse(s).map(Decimal).map_err(|e| {
                InputValueError::custom(crate::i18n::say(&crate::i18n::input_text(&e)))
            }),
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                Amount::parse(&n.to_string()).map(Decimal).map_err(|e| {
                    InputValueError::custom(crate::i18n::say(&crate::i18n::input_text(&e)))
                })
            }
            _ => Err(InputValueError::custom(crate::i18n::say(&crate::msg!(
                "input.decimal_float"
            )))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}
