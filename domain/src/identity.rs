//! Validated names and credentials: once one of these exists, it is valid.

use crate::error::InputError;
use crate::text::Text;

const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=64;
const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;
const SUBJECT_MAX_CHARS: usize = 50;

/// A login name: lower-case ASCII letters, digits, '.', '_' and '-', starting with a letter or
/// digit, 3–64 characters.
///
/// Input is trimmed and lower-cased, so "ZhangSan " and "zhangsan" are one account: people
/// retype their name with different capitals and must not end up with two logins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let s = s.trim().to_lowercase();
        if s.is_empty() {
            return Err(required());
        }
        let chars = s.chars().count();
        if !USERNAME_CHARS.contains(&chars) {
            let code = if chars < *USERNAME_CHARS.start() {
                InputError::TOO_SHORT
            } else {
                InputError::TOO_LONG
            };
            return Err(InputError::new(code, "must be 3 to 64 characters").with(
                Text::new("input.chars_between")
                    .arg("min", *USERNAME_CHARS.start())
                    .arg("max", *USERNAME_CHARS.end()),
            ));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c);
        let first_ok = s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !first_ok || !s.chars().all(allowed) {
            return Err(InputError::new(
                InputError::INVALID_FORMAT,
                "may contain only letters a-z, digits, '.', '_' and '-', and must start with a letter or digit",
            )
            .with(Text::new("input.username_format")));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed: 8–128 characters, not all whitespace. Kept verbatim (no trimming:
/// spaces may be part of a passphrase) and never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(s: String) -> Result<Self, InputError> {
        if s.is_empty() {
            return Err(required());
        }
        let chars = s.chars().count();
        if !PASSWORD_CHARS.contains(&chars) {
            let code = if chars < *PASSWORD_CHARS.start() {
                InputError::TOO_SHORT
            } else {
                InputError::TOO_LONG
            };
            return Err(InputError::new(code, "must be 8 to 128 characters").with(
                Text::new("input.chars_between")
                    .arg("min", *PASSWORD_CHARS.start())
                    .arg("max", *PASSWORD_CHARS.end()),
            ));
        }
        if s.chars().all(char::is_whitespace) {
            return Err(
                InputError::new(InputError::INVALID_FORMAT, "must not be only whitespace")
                    .with(Text::new("input.only_whitespace")),
            );
        }
        Ok(Self(s))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A display name (person, school, provider, course): trimmed, 1 to a field-specific maximum
/// of characters, no control characters. Any script is welcome; Chinese names are the norm.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub fn parse(s: &str, max_chars: usize) -> Result<Self, InputError> {
        text(s, max_chars).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A subject taught (学科), free text such as "数学": trimmed, 1–50 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Subject(String);

impl Subject {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        text(s, SUBJECT_MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses every item, stopping at the first bad one and reporting its index, so the api can
/// point at `input.subjects[3]`. Repeats are dropped (keeping the first), since a list of
/// stages or subjects is a set that users happen to send as a list.
///
/// More than `max` items is refused before anything is parsed, at index `max` (the first item
/// too many), so an oversized list costs nothing.
pub fn parse_list<T: PartialEq>(
    items: &[String],
    parse: impl Fn(&str) -> Result<T, InputError>,
    max: usize,
) -> Result<Vec<T>, (usize, InputError)> {
    if items.len() > max {
        return Err((
            max,
            InputError::new(
                InputError::OUT_OF_RANGE,
                format!("must have at most {max} items"),
            )
            .with(Text::new("input.items_at_most").arg("max", max)),
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let value = parse(item).map_err(|e| (i, e))?;
        if !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}

fn text(s: &str, max_chars: usize) -> Result<String, InputError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(required());
    }
    if s.chars().count() > max_chars {
        return Err(InputError::new(
            InputError::TOO_LONG,
            format!("must be at most {max_chars} characters"),
        )
        .with(Text::new("input.chars_at_most").arg("max", max_chars)));
    }
    if s.chars().any(char::is_control) {
        return Err(InputError::new(
            InputError::INVALID_FORMAT,
            "must not contain control characters such as line breaks",
        )
        .with(Text::new("input.control_chars")));
    }
    Ok(s.to_owned())
}

fn required() -> InputError {
    InputError::new(InputError::REQUIRED, "must not be empty").with(Text::new("input.not_empty"))
}

#[cfg(test)]
mod tests;
