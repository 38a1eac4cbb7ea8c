#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn amount(s: &str) -> Amount {
    Amount::parse(s).unwrap()
}

fn error_code(s: &str) -> &'static str {
    Amount::parse(s).unwrap_err().code
}

#[test]
fn parses_plain_decimals_and_displays_them_normalised() {
    assert_eq!(amount("0.5").to_string(), "0.5");
    assert_eq!(amount("72").to_string(), "72");
    assert_eq!(amount(" 1.25 ").to_string(), "1.25");
    assert_eq!(amount("0.1250").to_string(), "0.125");
    assert_eq!(amount("007.50").to_string(), "7.5");
    assert_eq!(amount("-0.0001").to_string(), "-0.0001");
    assert_eq!(amount("-0").to_string(), "0");
    assert_eq!(amount("0.00000").to_string(), "0");
    assert_eq!(amount("100").to_string(), "100");
}

#[test]
fn refuses_what_is_not_plain_decimal_notation() {
    assert_eq!(error_code(""), InputError::REQUIRED);
    assert_eq!(error_code("   "), InputError::REQUIRED);
    for bad in [
        "1e3", ".5", "5.", "1,5", "--1", "+1", "- 1", "inf", "NaN", "0x10", "½", "1.2.3",
    ] {
        assert_eq!(error_code(bad), InputError::INVALID_FORMAT, "{bad}");
    }
}

#[test]
fn refuses_more_than_four_places_unless_they_are_zeros() {
    assert_eq!(error_code("1.23456"), InputError::TOO_PRECISE);
    assert_eq!(error_code("0.00001"), InputError::TOO_PRECISE);
    assert_eq!(
        amount("1.23450000000000000000000000000000"),
        amount("1.2345")
    );
    assert_eq!(
        Amount::new(dec("1.23456")).unwrap_err().code,
        InputError::TOO_PRECISE
    );
    assert_eq!(Amount::new(dec("1.50000")).unwrap().to_string(), "1.5");
}

#[test]
fn the_range_is_exactly_the_i64_storage() {
    assert_eq!(amount("922337203685477.5807").to_e4(), i64::MAX);
    assert_eq!(amount("-922337203685477.5808").to_e4(), i64::MIN);
    assert_eq!(error_code("922337203685477.5808"), InputError::OUT_OF_RANGE);
    assert_eq!(
        error_code("-922337203685477.5809"),
        InputError::OUT_OF_RANGE
    );
    assert_eq!(error_code(&"9".repeat(200)), InputError::OUT_OF_RANGE);
    assert_eq!(amount(&format!("{}1", "0".repeat(200))), amount("1"));
    assert_eq!(
        Amount::new(Decimal::MAX).unwrap_err().code,
        InputError::OUT_OF_RANGE
    );
}

#[test]
fn non_negative_refuses_only_negatives() {
    assert!(amount("0").non_negative().is_ok());
    assert!(amount("-0").non_negative().is_ok());
    assert!(amount("0.0001").non_negative().is_ok());
    let err = amount("-0.5").non_negative().unwrap_err();
    assert_eq!(err.code, InputError::OUT_OF_RANGE);
    assert_eq!(err.message, "must not be negative");
}

#[test]
fn storage_form_is_value_times_ten_thousand() {
    assert_eq!(amount("0.5").to_e4(), 5_000);
    assert_eq!(amount("72").to_e4(), 720_000);
    assert_eq!(Amount::from_e4(1_250).to_string(), "0.125");
    assert_eq!(Amount::ZERO.to_e4(), 0);
    assert_eq!(Amount::default(), Amount::ZERO);
}

#[test]
fn arithmetic_is_exact_and_checked() {
    assert_eq!(
        amount("0.1").checked_add(amount("0.2")),
        Some(amount("0.3"))
    );
    assert_eq!(
        amount("1").checked_sub(amount("1.25")),
        Some(amount("-0.25"))
    );
    assert_eq!(
        Amount::from_e4(i64::MAX).checked_add(amount("0.0001")),
        None
    );
    assert_eq!(
        Amount::from_e4(i64::MIN).checked_sub(amount("0.0001")),
        None
    );
}

#[test]
fn round_credits_rounds_half_away_from_zero_and_saturates() {
    assert_eq!(
        Amount::round_credits(dec("1") / dec("3")).to_string(),
        "0.3333"
    );
    assert_eq!(
        Amount::round_credits(dec("2") / dec("3")).to_string(),
        "0.6667"
    );
    assert_eq!(Amount::round_credits(dec("0.00005")).to_string(), "0.0001");
    assert_eq!(
        Amount::round_credits(dec("-0.00005")).to_string(),
        "-0.0001"
    );
    assert_eq!(Amount::round_credits(dec("0.00004")), Amount::ZERO);
    assert_eq!(Amount::round_credits(Decimal::MAX).to_e4(), i64::MAX);
    assert_eq!(Amount::round_credits(Decimal::MIN).to_e4(), i64::MIN);
}

#[test]
fn serialises_as_a_string_and_reads_strings_or_numbers() {
    assert_eq!(serde_json::to_string(&amount("0.5")).unwrap(), "\"0.5\"");
    let read = |json: &str| serde_json::from_str::<Amount>(json);
    assert_eq!(read("\"0.5\"").unwrap(), amount("0.5"));
    assert_eq!(read("72").unwrap(), amount("72"));
    assert_eq!(read("-3").unwrap(), amount("-3"));
    assert_eq!(read("0.1").unwrap(), amount("0.1"));
    assert_eq!(read("2.5e1").unwrap(), amount("25"));
    assert!(read("0.12345").is_err());
    assert!(read("\"1e3\"").is_err());
    assert!(read("true").is_err());
    assert!(read("null").is_err());
}

fn any_amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        any::<i64>().prop_map(Amount::from_e4),
        (-10_000_000i64..10_000_000).prop_map(Amount::from_e4),
    ]
}

proptest! {
    #[test]
    fn parse_reads_back_what_display_writes(x in any_amount()) {
        prop_assert_eq!(Amount::parse(&x.to_string()).unwrap(), x);
    }

    #[test]
    fn storage_round_trips(v in any::<i64>(), x in any_amount()) {
        prop_assert_eq!(Amount::from_e4(v).to_e4(), v);
        prop_assert_eq!(Amount::from_e4(x.to_e4()), x);
        prop_assert_eq!(Amount::new(x.decimal()).unwrap(), x);
    }

    #[test]
    fn storage_preserves_order(a in any_amount(), b in any_amount()) {
        prop_assert_eq!(a.cmp(&b), a.to_e4().cmp(&b.to_e4()));
    }

    #[test]
    fn serde_round_trips(x in any_amount()) {
        let json = serde_json::to_string(&x).unwrap();
        prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), x);
    }

    #[test]
    fn round_credits_leaves_amounts_alone(x in any_amount()) {
        prop_assert_eq!(Amount::round_credits(x.decimal()), x);
    }

    #[test]
    fn addition_matches_storage_addition(a in any_amount(), b in any_amount()) {
        prop_assert_eq!(
            a.checked_add(b).map(|s| s.to_e4()),
            a.to_e4().checked_add(b.to_e4())
        );
    }

    #[test]
    fn parse_agrees_with_decimal_on_plain_notation(s in "-?[0-9]{1,17}(\\.[0-9]{1,6})?") {
        let reference = Decimal::from_str(&s).unwrap();
        match Amount::parse(&s) {
            Ok(x) => prop_assert_eq!(x.decimal(), reference),
            Err(e) => prop_assert!(
                reference.normalize().scale() > SCALE || e.code == InputError::OUT_OF_RANGE,
                "{} refused with {}", s, e.code
            ),
        }
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,40}") {
        let _ = Amount::parse(&s);
    }
}
