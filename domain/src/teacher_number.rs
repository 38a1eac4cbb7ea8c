//! The teacher's number (教师编号): how a school's or a provider's own records name a teacher.
//!
//! Numbers are compared as stored, so the form is normalised once here: surrounding spaces go
//! and ASCII letters are upper-cased (a spreadsheet typed `js0001` still finds `JS0001`).

use crate::error::InputError;
use crate::text::Text;

/// The longest number accepted; national teacher numbers are well under it.
pub const TEACHER_NUMBER_MAX: usize = 40;

/// A valid teacher number: 1–40 ASCII letters, digits, `-`, `_` and `.`, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TeacherNumber(String);

impl TeacherNumber {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let s = s.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(InputError::new(InputError::REQUIRED, "must not be empty")
                .with(Text::new("input.not_empty")));
        }
        if s.chars().count() > TEACHER_NUMBER_MAX {
            return Err(
                InputError::new(InputError::TOO_LONG, "must be at most 40 characters")
                    .with(Text::new("input.teacher_number_format")),
            );
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
        if !s.chars().all(allowed) {
            return Err(InputError::new(
                InputError::INVALID_FORMAT,
                "may contain only letters, digits, '-', '_' and '.' (at most 40)",
            )
            .with(Text::new("input.teacher_number_format")));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_trimmed_and_upper_cased() {
        assert_eq!(
            TeacherNumber::parse(" js-0001 ").map(TeacherNumber::into_string),
            Ok("JS-0001".to_owned())
        );
        assert_eq!(
            TeacherNumber::parse("370202198001011234").map(|n| n.as_str().len()),
            Ok(18)
        );
    }

    #[test]
    fn empty_long_and_odd_numbers_are_refused() {
        assert_eq!(
            TeacherNumber::parse("  ").map_err(|e| e.code),
            Err(InputError::REQUIRED)
        );
        assert_eq!(
            TeacherNumber::parse(&"1".repeat(41)).map_err(|e| e.code),
            Err(InputError::TOO_LONG)
        );
        for odd in ["37 02", "编号1", "=1+1"] {
            assert_eq!(
                TeacherNumber::parse(odd).map_err(|e| e.code),
                Err(InputError::INVALID_FORMAT),
                "{odd}"
            );
        }
    }
}
