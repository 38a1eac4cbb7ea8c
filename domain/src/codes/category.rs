//! Course and claim categories (课程类别). Unlike the enums, the set is open: a policy may add
//! its own keys, so a category is a validated key rather than a variant.

use crate::error::InputError;
use crate::text::{Arg, IntoArg, Text};

/// The categories of DOMAIN.md, used by the API and every built-in policy: key and label.
pub const BUILT_IN_CATEGORIES: &[(&str, &str)] = &[
    ("ETHICS", "师德修养"),
    ("KNOWLEDGE", "专业知识与技能"),
    ("PRACTICE", "专业能力与实践"),
    ("INFORMATION", "信息技术应用能力"),
    ("LITERACY", "素养"),
    ("INTEGRATED", "综合培训"),
    ("SPECIAL_SKILLS", "专项技能"),
    ("RESEARCH", "教育科研"),
    ("HEAD_TEACHER", "班主任工作"),
    ("PUBLIC", "公需科目"),
    ("GENERAL", "其他"),
];

const MAX_CHARS: usize = 40;

/// A category key: 1–40 of `A-Z 0-9 _`, starting with a letter.
///
/// Not case-folded: keys are written by policy authors, and silently accepting "ethics" would
/// hide a typo in a document that should say exactly what it means.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryKey(String);

impl CategoryKey {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(InputError::new(InputError::REQUIRED, "must not be empty")
                .with(Text::new("input.not_empty")));
        }
        if s.chars().count() > MAX_CHARS {
            return Err(InputError::new(
                InputError::TOO_LONG,
                format!("must be at most {MAX_CHARS} characters"),
            )
            .with(Text::new("input.chars_at_most").arg("max", MAX_CHARS)));
        }
        let well_formed = s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            return Err(InputError::new(
                InputError::INVALID_FORMAT,
                "must be upper-case letters, digits and _, starting with a letter",
            )
            .with(Text::new("input.category_format")));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Chinese label when this is one of [`BUILT_IN_CATEGORIES`].
    pub fn built_in_label(&self) -> Option<&'static str> {
        BUILT_IN_CATEGORIES
            .iter()
            .find(|(key, _)| *key == self.0)
            .map(|(_, label)| *label)
    }
}

impl std::fmt::Display for CategoryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CategoryKey {
    type Err = InputError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CategoryKey {
    type Error = InputError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CategoryKey> for String {
    fn from(key: CategoryKey) -> Self {
        key.0
    }
}

/// In a message, a category shows with its label (the key itself when it has none).
impl IntoArg for CategoryKey {
    fn into_arg(self) -> Arg {
        Arg::Enum("Category", self.0)
    }
}

impl IntoArg for &CategoryKey {
    fn into_arg(self) -> Arg {
        Arg::Enum("Category", self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_built_in_key_parses_as_itself() {
        for (key, label) in BUILT_IN_CATEGORIES {
            let parsed = CategoryKey::parse(key).unwrap();
            assert_eq!(parsed.as_str(), *key);
            assert_eq!(parsed.built_in_label(), Some(*label));
        }
        assert_eq!(BUILT_IN_CATEGORIES.len(), 11);
    }

    #[test]
    fn trims_but_does_not_fold_case() {
        assert_eq!(CategoryKey::parse("  ETHICS ").unwrap().as_str(), "ETHICS");
        assert_eq!(
            CategoryKey::parse("ethics").unwrap_err().code,
            InputError::INVALID_FORMAT
        );
    }

    #[test]
    fn refuses_bad_keys_with_specific_codes() {
        let code = |s: &str| CategoryKey::parse(s).unwrap_err().code;
        assert_eq!(code("   "), InputError::REQUIRED);
        assert_eq!(code(&"A".repeat(41)), InputError::TOO_LONG);
        assert_eq!(code("1ST"), InputError::INVALID_FORMAT);
        assert_eq!(code("_X"), InputError::INVALID_FORMAT);
        assert_eq!(code("HEAD-TEACHER"), InputError::INVALID_FORMAT);
        assert_eq!(code("师德"), InputError::INVALID_FORMAT);
        assert!(CategoryKey::parse(&"A".repeat(40)).is_ok());
        assert!(CategoryKey::parse("X").is_ok());
    }

    #[test]
    fn custom_keys_have_no_built_in_label() {
        let key = CategoryKey::parse("LOCAL_HISTORY_2").unwrap();
        assert_eq!(key.built_in_label(), None);
        assert_eq!(key.to_string(), "LOCAL_HISTORY_2");
    }

    #[test]
    fn serde_goes_through_parse() {
        let key: CategoryKey = serde_json::from_str("\"RESEARCH\"").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"RESEARCH\"");
        assert!(serde_json::from_str::<CategoryKey>("\"research\"").is_err());
    }

    proptest! {
        #[test]
        fn accepts_exactly_the_key_grammar(s in "[A-Za-z0-9_ -]{0,45}") {
            let t = s.trim();
            let expected = (1..=MAX_CHARS).contains(&t.len())
                && t.starts_with(|c: char| c.is_ascii_uppercase())
                && t.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            let parsed = CategoryKey::parse(&s);
            prop_assert_eq!(parsed.is_ok(), expected);
            if let Ok(key) = parsed {
                prop_assert_eq!(CategoryKey::parse(key.as_str()).unwrap(), key);
            }
        }
    }
}
