//! Records brought over from an earlier platform (`importCreditRecords`, `import-ledger`).
//!
//! An imported record is a claim whose review already happened elsewhere: its facts are checked
//! exactly like a claim's ([`crate::claim::parse_claim`]) and it is priced by the same rules as
//! every record ([`crate::credit_rule::posted`]). What the earlier platform awarded, when the
//! file says, must agree with that price: a difference is reported, never silently replaced,
//! so a migration cannot change what a teacher was told without anyone noticing.

use crate::amount::Amount;
use crate::error::InputError;
use crate::text::Text;

/// The longest platform name and external id accepted (the columns' widths).
pub const SOURCE_MAX: usize = 100;
pub const EXTERNAL_ID_MAX: usize = 200;

/// The name of the platform records come from, e.g. `青岛市教师教育信息化管理服务平台`: trimmed,
/// 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceName(String);

/// A record's id on its earlier platform: trimmed, 1–200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalId(String);

fn bounded(s: &str, max: usize) -> Result<String, InputError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(InputError::new(InputError::REQUIRED, "must not be empty")
            .with(Text::new("input.not_empty")));
    }
    if s.chars().count() > max {
        return Err(InputError::new(
            InputError::TOO_LONG,
            format!("must be at most {max} characters"),
        )
        .with(Text::new("input.chars_at_most").arg("max", max)));
    }
    if s.chars().any(char::is_control) {
        return Err(InputError::new(
            InputError::INVALID_FORMAT,
            "must not hold control characters",
        )
        .with(Text::new("input.no_control_characters")));
    }
    Ok(s.to_owned())
}

impl SourceName {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        bounded(s, SOURCE_MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ExternalId {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        bounded(s, EXTERNAL_ID_MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The ledger's idempotency key of an imported record: one per `(source, externalId)`, so the
/// same export imported twice, or by two admins at once, posts each record once.
pub fn import_key(source: &SourceName, external: &ExternalId) -> String {
    format!("import:{}:{}", source.as_str(), external.as_str())
}

/// Whether what the earlier platform awarded (`stated`, if the file says) agrees with the price
/// of the record's facts under our rules (`priced`); the error names both figures.
pub fn check_stated_credits(stated: Option<Amount>, priced: Amount) -> Result<(), InputError> {
    match stated {
        Some(stated) if stated != priced => Err(InputError::new(
            "CREDITS_DIFFER",
            format!(
                "the earlier platform awarded {stated} credits; the rules in force give {priced} for these facts (leave the cell empty to accept {priced})"
            ),
        )
        .with(
            Text::new("imports.credits_differ")
                .arg("stated", stated)
                .arg("priced", priced),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_trimmed_and_bounded() {
        assert_eq!(
            SourceName::parse("  青岛市教师教育信息化管理服务平台 ").map(|s| s.as_str().to_owned()),
            Ok("青岛市教师教育信息化管理服务平台".to_owned())
        );
        assert_eq!(
            SourceName::parse(" ").map_err(|e| e.code),
            Err(InputError::REQUIRED)
        );
        assert_eq!(
            ExternalId::parse(&"x".repeat(201)).map_err(|e| e.code),
            Err(InputError::TOO_LONG)
        );
        assert!(ExternalId::parse(&"编".repeat(200)).is_ok());
        assert_eq!(
            ExternalId::parse("a\u{0}b").map_err(|e| e.code),
            Err(InputError::INVALID_FORMAT)
        );
    }

    #[test]
    fn one_key_per_source_and_external_id() {
        let s = |t: &str| SourceName::parse(t).unwrap_or_else(|e| panic!("{e:?}"));
        let x = |t: &str| ExternalId::parse(t).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            import_key(&s("A"), &x("1")),
            import_key(&s(" A "), &x("1 "))
        );
        assert_ne!(import_key(&s("A"), &x("1")), import_key(&s("B"), &x("1")));
        assert_ne!(import_key(&s("A"), &x("1")), import_key(&s("A"), &x("2")));
    }

    #[test]
    fn stated_credits_must_agree_with_the_price() {
        let a = |t: &str| Amount::parse(t).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(check_stated_credits(None, a("3")).is_ok());
        assert!(check_stated_credits(Some(a("3.0")), a("3")).is_ok());
        let err = check_stated_credits(Some(a("4")), a("3")).map(|_| ());
        assert_eq!(err.map_err(|e| e.code), Err("CREDITS_DIFFER"));
    }
}
