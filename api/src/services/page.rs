//! Keyset pagination arguments shared by every Relay connection.

use crate::error::{AppError, AppResult};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use uuid::Uuid;

pub const DEFAULT_PAGE: u64 = 20;
pub const MAX_PAGE: u64 = 100;

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub first: u64,
    /// Rows strictly after this id (in id order).
    pub after: Option<Uuid>,
}

#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<(Uuid, T)>,
    pub has_next: bool,
    pub total: u64,
}

impl PageRequest {
    pub fn parse(first: Option<i32>, after: Option<&str>) -> AppResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE,
            Some(n) if n < 0 => {
                return Err(AppError::invalid(
                    "first",
                    "OUT_OF_RANGE",
                    "must not be negative",
                ))
            }
            Some(n) if n as u64 > MAX_PAGE => {
                return Err(AppError::invalid(
                    "first",
                    "OUT_OF_RANGE",
                    format!("at most {MAX_PAGE} items per page"),
                ))
            }
            Some(n) => n as u64,
        };
        let after = after.map(decode_cursor).transpose()?;
        Ok(PageRequest { first, after })
    }
}

pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("c1:{id}"))
}

fn decode_cursor(cursor: &str) -> AppResult<Uuid> {
    let bad = || AppError::invalid("after", "INVALID_CURSOR", "not a cursor from this list");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let id = text.strip_prefix("c1:").ok_or_else(bad)?;
    Uuid::parse_str(id).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = Uuid::from_u128(42);
        let page = PageRequest::parse(Some(5), Some(&encode_cursor(id))).unwrap();
        assert_eq!(page.after, Some(id));
        assert_eq!(page.first, 5);
        assert!(PageRequest::parse(None, Some("zzz")).is_err());
        assert!(PageRequest::parse(Some(101), None).is_err());
        assert!(PageRequest::parse(Some(-1), None).is_err());
    }
}
