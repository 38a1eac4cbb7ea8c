//! Keyset pagination shared by every Relay connection.
//!
//! A list is sorted by a key (a time, a date, a text or a number) and then by id, and a cursor
//! carries both plus the name of the order it came from: the next page is "rows after this
//! key and id", exact whatever rows are added meanwhile, and a cursor from another order (or
//! another list) is refused instead of silently skipping rows.

use crate::error::{AppError, AppResult};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Value};
use sea_orm::{ColumnTrait, Condition, Order, QueryFilter, QueryOrder};
use uuid::Uuid;

pub const DEFAULT_PAGE: u64 = 20;
pub const MAX_PAGE: u64 = 100;

#[derive(Debug, Clone)]
pub struct PageRequest {
    pub first: u64,
    /// Rows strictly after this position (in the list's order).
    pub after: Option<Cursor>,
}

#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<(Cursor, T)>,
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
                    crate::msg!("input.negative"),
                ))
            }
            Some(n) if n as u64 > MAX_PAGE => {
                return Err(AppError::invalid(
                    "first",
                    "OUT_OF_RANGE",
                    crate::msg!("page.too_many", max = MAX_PAGE),
                ))
            }
            Some(n) => n as u64,
        };
        let after = after.map(Cursor::decode).transpose()?;
        Ok(PageRequest { first, after })
    }
}

/// The value of a row's sort key, the part of its position before the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Time(DateTime<Utc>),
    /// A nullable date; NULL sorts last in either direction.
    Date(Option<NaiveDate>),
    Text(String),
    Int(i64),
}

/// What a sort key is, so that a cursor carrying another kind of key is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Time,
    Date,
    Text,
    Int,
}

impl SortKey {
    pub fn kind(&self) -> KeyKind {
        match self {
            SortKey::Time(_) => KeyKind::Time,
            SortKey::Date(_) => KeyKind::Date,
            SortKey::Text(_) => KeyKind::Text,
            SortKey::Int(_) => KeyKind::Int,
        }
    }

    fn tag(&self) -> &'static str {
        match self.kind() {
            KeyKind::Time => "t",
            KeyKind::Date => "d",
            KeyKind::Text => "s",
            KeyKind::Int => "i",
        }
    }

    fn text(&self) -> String {
        match self {
            SortKey::Time(t) => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            SortKey::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
            SortKey::Text(s) => s.clone(),
            SortKey::Int(n) => n.to_string(),
        }
    }

    fn parse(tag: &str, text: &str) -> Option<Self> {
        Some(match tag {
            "t" => SortKey::Time(DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc)),
            "d" if text.is_empty() => SortKey::Date(None),
            "d" => SortKey::Date(Some(text.parse().ok()?)),
            "s" => SortKey::Text(text.to_owned()),
            "i" => SortKey::Int(text.parse().ok()?),
            _ => return None,
        })
    }

    /// The value to compare the key column with; `None` for a NULL date.
    fn value(&self) -> Option<Value> {
        match self {
            SortKey::Time(t) => Some(Value::from(*t)),
            SortKey::Date(d) => d.map(Value::from),
            SortKey::Text(s) => Some(Value::from(s.clone())),
            SortKey::Int(n) => Some(Value::from(*n)),
        }
    }
}

/// A row's position in an ordered list: the order's name, the row's sort key and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub order: String,
    pub key: SortKey,
    pub id: Uuid,
}

const CURSOR_VERSION: &str = "c2";

impl Cursor {
    /// Opaque to clients: base64url of `["c2", order, key kind, key, id]`.
    pub fn encode(&self) -> String {
        let parts = [
            CURSOR_VERSION.to_owned(),
            self.order.clone(),
            self.key.tag().to_owned(),
            self.key.text(),
            self.id.to_string(),
        ];
        URL_SAFE_NO_PAD.encode(serde_json::Value::from(parts.to_vec()).to_string())
    }

    fn decode(cursor: &str) -> AppResult<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad_cursor())?;
        let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| bad_cursor())?;
        let [version, order, tag, key, id] =
            <[String; 5]>::try_from(parts).map_err(|_| bad_cursor())?;
        if version != CURSOR_VERSION {
            return Err(bad_cursor());
        }
        Ok(Cursor {
            order,
            key: SortKey::parse(&tag, &key).ok_or_else(bad_cursor)?,
            id: Uuid::parse_str(&id).map_err(|_| bad_cursor())?,
        })
    }
}

fn bad_cursor() -> AppError {
    AppError::invalid(
        "after",
        "INVALID_CURSOR",
        crate::msg!("page.invalid_cursor"),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

/// A list's order: by `key`, then by id in the same direction. A `nullable` key's NULLs come
/// last in both directions (`NULLS LAST`, and the seek condition says so too, so SQLite and
/// PostgreSQL agree).
pub struct Sort {
    /// Names the order in its cursors; unique per list, field and direction.
    pub name: &'static str,
    pub key: Expr,
    pub kind: KeyKind,
    pub direction: Direction,
    pub nullable: bool,
}

impl Sort {
    /// Sorted by a non-null key of `kind`.
    pub fn by(
        name: &'static str,
        key: impl Into<Expr>,
        kind: KeyKind,
        direction: Direction,
    ) -> Self {
        Sort {
            name,
            key: key.into(),
            kind,
            direction,
            nullable: false,
        }
    }

    /// Oldest first: by a creation time column, then id.
    pub fn oldest_first(name: &'static str, created: impl ColumnTrait) -> Self {
        Sort::by(
            name,
            Expr::col(created.as_column_ref()),
            KeyKind::Time,
            Direction::Asc,
        )
    }

    /// The key may be NULL; those rows come last.
    pub fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    pub fn cursor(&self, key: SortKey, id: Uuid) -> Cursor {
        Cursor {
            order: self.name.to_owned(),
            key,
            id,
        }
    }

    /// Orders `query` and keeps the rows after `after` (which must come from this order).
    pub fn apply<Q: QueryFilter + QueryOrder>(
        &self,
        query: Q,
        id: impl ColumnTrait,
        after: Option<&Cursor>,
    ) -> AppResult<Q> {
        let order = match self.direction {
            Direction::Asc => Order::Asc,
            Direction::Desc => Order::Desc,
        };
        let query = if self.nullable {
            query.order_by_with_nulls(self.key.clone(), order.clone(), NullOrdering::Last)
        } else {
            query.order_by(self.key.clone(), order.clone())
        };
        let query = query.order_by(id, order);
        let Some(after) = after else {
            return Ok(query);
        };
        if after.order != self.name || after.key.kind() != self.kind {
            return Err(bad_cursor());
        }
        let id = Expr::col(id.as_column_ref());
        let beyond = |a: Expr, b: Value| match self.direction {
            Direction::Asc => a.gt(b),
            Direction::Desc => a.lt(b),
        };
        let condition = match after.key.value() {
            // Past the key, or on it and past the id; NULL keys (last) are always past.
            Some(value) => {
                let mut c = Condition::any()
                    .add(beyond(self.key.clone(), value.clone()))
                    .add(
                        Condition::all()
                            .add(self.key.clone().eq(value))
                            .add(beyond(id, Value::from(after.id))),
                    );
                if self.nullable {
                    c = c.add(self.key.clone().is_null());
                }
                c
            }
            // Among the NULL keys, past the id.
            None if self.nullable => Condition::all()
                .add(self.key.clone().is_null())
                .add(beyond(id, Value::from(after.id))),
            None => return Err(bad_cursor()),
        };
        Ok(query.filter(condition))
    }
}

/// The page out of rows fetched with a limit of `page.first + 1`.
pub fn page_of<T>(
    mut rows: Vec<T>,
    page: &PageRequest,
    total: u64,
    position: impl Fn(&T) -> Cursor,
) -> Page<T> {
    let has_next = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Page {
        items: rows.into_iter().map(|r| (position(&r), r)).collect(),
        has_next,
        total,
    }
}

/// One page of `base` (filtered, not yet ordered) in `sort`'s order, with the whole list's
/// count: the three steps every oldest-first connection takes. `key` gives a row's sort key
/// and id, for its cursor.
pub async fn fetch_page<E>(
    db: &impl sea_orm::ConnectionTrait,
    base: sea_orm::Select<E>,
    sort: &Sort,
    id: E::Column,
    page: &PageRequest,
    key: impl Fn(&E::Model) -> (SortKey, Uuid),
) -> AppResult<Page<E::Model>>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    let total = base.clone().count(db).await?;
    let rows = sort
        .apply(base, id, page.after.as_ref())?
        .limit(page.first + 1)
        .all(db)
        .await?;
    Ok(page_of(rows, page, total, |row| {
        let (k, id) = key(row);
        sort.cursor(k, id)
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let id = Uuid::from_u128(42);
        let at = DateTime::parse_from_rfc3339("2026-12-01T08:00:00.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        for key in [
            SortKey::Time(at),
            SortKey::Date(None),
            SortKey::Date(NaiveDate::from_ymd_opt(2026, 9, 1)),
            SortKey::Text("教育: a|b \"c\"".into()),
            SortKey::Int(-240_000),
        ] {
            let cursor = Cursor {
                order: "courses.title.desc".into(),
                key,
                id,
            };
            let page = PageRequest::parse(Some(5), Some(&cursor.encode())).unwrap();
            assert_eq!(page.after, Some(cursor));
            assert_eq!(page.first, 5);
        }
        let id_only = URL_SAFE_NO_PAD.encode(format!("c1:{id}"));
        assert!(PageRequest::parse(None, Some(&id_only)).is_err());
        assert!(PageRequest::parse(None, Some("zzz")).is_err());
        assert!(PageRequest::parse(Some(101), None).is_err());
        assert!(PageRequest::parse(Some(-1), None).is_err());
    }
}
