//! Limits on a GraphQL document checked before it is parsed: its length in bytes
//! (`MAX_QUERY_BYTES`) and its number of lexical tokens (`MAX_QUERY_TOKENS`); and, once parsed
//! but before it is validated, its number of fields (`MAX_QUERY_FIELDS`). A megabyte of
//! query text costs half a second of CPU to parse and validate; counting tokens costs a single
//! pass with no allocation, and stops as soon as the limit is passed.

use crate::fault_settings::DocumentLimits;
use crate::i18n::{self, Lang};
use crate::msg;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::json;

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge { max: usize },
    TooManyTokens { max: usize },
    TooManyFields { max: usize },
}

/// `Some` when `query` breaks a limit.
pub fn check(query: &str, limits: &DocumentLimits) -> Option<Refusal> {
    if query.len() > limits.max_bytes {
        return Some(Refusal::TooLarge {
            max: limits.max_bytes,
        });
    }
    if count_tokens(query, limits.max_tokens) > limits.max_tokens {
        return Some(Refusal::TooManyTokens {
            max: limits.max_tokens,
        });
    }
    None
}

/// `Some` when a parsed document writes more fields than allowed.
pub fn check_fields(fields: usize, limits: &DocumentLimits) -> Option<Refusal> {
    (fields > limits.max_fields).then_some(Refusal::TooManyFields {
        max: limits.max_fields,
    })
}

/// The refusal as a GraphQL-shaped answer: 413 for size, 400 for tokens and fields, code
/// `BAD_USER_INPUT` with the `reason` `QUERY_TOO_LARGE`, `QUERY_TOO_MANY_TOKENS` or
/// `QUERY_TOO_MANY_FIELDS`.
pub fn refuse(refusal: &Refusal, media: &'static str, lang: Lang) -> HttpResponse {
    let (status, reason, text) = match refusal {
        Refusal::TooLarge { max } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "QUERY_TOO_LARGE",
            msg!("errors.query_too_large", max = *max),
        ),
        Refusal::TooManyTokens { max } => (
            StatusCode::BAD_REQUEST,
            "QUERY_TOO_MANY_TOKENS",
            msg!("errors.query_too_many_tokens", max = *max),
        ),
        Refusal::TooManyFields { max } => (
            StatusCode::BAD_REQUEST,
            "QUERY_TOO_MANY_FIELDS",
            msg!("errors.query_too_many_fields", max = *max),
        ),
    };
    let body = json!({ "errors": [{
        "message": i18n::render(&text, lang),
        "extensions": { "code": "BAD_USER_INPUT", "reason": reason },
    }] });
    HttpResponse::build(status)
        .content_type(media)
        .insert_header(("Content-Language", lang.tag()))
        .body(body.to_string())
}

/// Lexical tokens of a GraphQL document (the spec's punctuators, names, numbers and strings;
/// whitespace, commas and comments are ignored), counted up to just past `stop_after`.
pub fn count_tokens(query: &str, stop_after: usize) -> usize {
    let bytes = query.as_bytes();
    let mut i = 0;
    let mut tokens = 0;
    while i < bytes.len() && tokens <= stop_after {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'#' => i = skip_until_newline(bytes, i),
            b'"' => {
                i = skip_string(bytes, i);
                tokens += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                i += 3;
                tokens += 1;
            }
            c if c == b'_' || c == b'-' || c.is_ascii_alphanumeric() => {
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                tokens += 1;
            }
            _ => {
                // A punctuator, or a byte the parser will refuse: one token either way.
                i += 1;
                tokens += 1;
            }
        }
    }
    tokens
}

fn is_word(b: u8) -> bool {
    b == b'_' || b == b'.' || b == b'+' || b == b'-' || b.is_ascii_alphanumeric()
}

fn skip_until_newline(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    i
}

/// Past the end of the string starting at `i` ("…" with escapes, or a """…""" block).
fn skip_string(bytes: &[u8], i: usize) -> usize {
    if bytes[i..].starts_with(b"\"\"\"") {
        let mut j = i + 3;
        while j < bytes.len() {
            if bytes[j..].starts_with(b"\\\"\"\"") {
                j += 4;
            } else if bytes[j..].starts_with(b"\"\"\"") {
                return j + 3;
            } else {
                j += 1;
            }
        }
        return j;
    }
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            b'\n' | b'\r' => return j,
            _ => j += 1,
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_tokens_the_spec_counts() {
        assert_eq!(count_tokens("{ viewer { username } }", 100), 6);
        assert_eq!(
            count_tokens(
                "query($a: Int = -1.5e3) { f(a: $a, s: \"x, \\\"y\") ...F }",
                100
            ),
            23
        );
        assert_eq!(count_tokens("# only a comment\n{ a }", 100), 3);
        assert_eq!(
            count_tokens("{ a(s: \"\"\"multi \"\" line\"\"\") }", 100),
            8
        );
    }

    #[test]
    fn stops_counting_just_past_the_limit_and_checks_bytes_first() {
        let many = "{ a }".repeat(10_000);
        assert_eq!(count_tokens(&many, 10), 11);
        let limits = DocumentLimits {
            max_bytes: 20,
            max_tokens: 4,
            ..DocumentLimits::default()
        };
        assert_eq!(check(&many, &limits), Some(Refusal::TooLarge { max: 20 }));
        assert_eq!(
            check("{ a { b } }", &limits),
            Some(Refusal::TooManyTokens { max: 4 })
        );
        assert_eq!(check("{ a }", &limits), None);
    }

    #[test]
    fn counts_fields_against_their_own_limit() {
        let limits = DocumentLimits {
            max_fields: 2,
            ..DocumentLimits::default()
        };
        assert_eq!(check_fields(2, &limits), None);
        assert_eq!(
            check_fields(3, &limits),
            Some(Refusal::TooManyFields { max: 2 })
        );
    }
}
