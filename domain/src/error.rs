//! The one error type of input validation.

use crate::text::Text;

/// A value a user sent that the domain refuses.
///
/// It carries no field path: the same rule (say, a name's length) applies to many fields, and
/// only the api layer knows which one was being read. `message` is short English that completes
/// the sentence "<field> …" ("must be 3 to 64 characters"), for logs and tests; `text` is what
/// users read, in their language (the api layer renders it from its catalogue). Without a
/// `text`, users read a general sentence for the `code`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    pub code: &'static str,
    pub message: String,
    pub text: Option<Text>,
}

impl InputError {
    /// Nothing (or only whitespace) was given where a value is needed.
    pub const REQUIRED: &'static str = "REQUIRED";
    /// Fewer characters than the minimum.
    pub const TOO_SHORT: &'static str = "TOO_SHORT";
    /// More characters than the maximum.
    pub const TOO_LONG: &'static str = "TOO_LONG";
    /// The text does not have the required shape (characters, syntax).
    pub const INVALID_FORMAT: &'static str = "INVALID_FORMAT";
    /// Well-formed but outside the allowed range (negative, too large, too many items).
    pub const OUT_OF_RANGE: &'static str = "OUT_OF_RANGE";
    /// Not one of the values of a fixed set (an enum code).
    pub const UNKNOWN_VALUE: &'static str = "UNKNOWN_VALUE";
    /// More decimal places than amounts store.
    pub const TOO_PRECISE: &'static str = "TOO_PRECISE";
    /// Well-formed, but not allowed in this combination (taught hours for a trainee).
    pub const NOT_ALLOWED: &'static str = "NOT_ALLOWED";

    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            text: None,
        }
    }

    /// The same error, said to users with `text` (a catalogue key and its arguments).
    pub fn with(mut self, text: Text) -> Self {
        self.text = Some(text);
        self
    }
}

/// An [`InputError`] and the input field (camelCase, as the API names it) it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {error}")]
pub struct FieldError {
    pub field: &'static str,
    pub error: InputError,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            error: InputError::new(code, message),
        }
    }

    /// The same error, said to users with `text` (see [`InputError::with`]).
    pub fn with(mut self, text: Text) -> Self {
        self.error.text = Some(text);
        self
    }

    /// Attaches `field` to an error from a rule that does not know which field it checked.
    pub fn at(field: &'static str) -> impl Fn(InputError) -> FieldError {
        move |error| FieldError { field, error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_only_the_message_so_users_never_see_the_code() {
        let e = InputError::new(InputError::TOO_LONG, "must be at most 50 characters");
        assert_eq!(e.to_string(), "must be at most 50 characters");
        assert_eq!(e.code, "TOO_LONG");
    }
}
