//! Catalogue search from an index (migration 000016), and its relevance order.
//!
//! A search term is trimmed and lowercased. From three characters on it is answered by an index:
//! PostgreSQL's `pg_trgm` GIN index over title, description and code (a `LIKE '%term%'` whose
//! `%`/`_` are escaped), SQLite's FTS5 `trigram` table (a quoted `MATCH` phrase, where `%`/`_`
//! mean nothing). Trigram indexes cannot answer shorter terms, so a two-character term (a Chinese
//! word such as 数学 is often two) scans titles and codes only — bounded by the catalogue's size
//! and measured in the README — and a one-character term is refused.
//!
//! Results are ranked: exact code first, then a match in the title, then one in the
//! description or code; ties oldest first (by id: ids are time-ordered UUID v7).

use super::page::{Direction, KeyKind, Sort, SortKey};
use crate::error::{AppError, AppResult};
use entities::courses;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{Condition, DbBackend};

pub const MIN_CHARS: usize = 2;
pub const INDEXED_CHARS: usize = 3;

/// A search term as typed, normalised for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Lowercased: the form PostgreSQL's `lower()` and Rust's ranking compare with.
    lower: String,
    backend: DbBackend,
}

impl Term {
    /// `None` for an empty search (no filter); an error below [`MIN_CHARS`].
    pub fn parse(text: Option<&str>, backend: DbBackend) -> AppResult<Option<Term>> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if text.chars().count() < MIN_CHARS {
            return Err(AppError::invalid(
                "filter.search",
                "SEARCH_TOO_SHORT",
                crate::msg!("search.too_short", min = MIN_CHARS),
            ));
        }
        // Runs of white space (newlines included) as one space: the fields of the searchable
        // text are joined by newlines, so a term never matches across two of them.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(Some(Term {
            lower: fold(&text, backend),
            backend,
        }))
    }

    fn pattern(&self) -> String {
        format!("%{}%", escape_like(&self.lower))
    }

    fn indexed(&self) -> bool {
        self.lower.chars().count() >= INDEXED_CHARS
    }

    /// Courses whose title, description or code contains the term.
    pub fn condition(&self) -> Condition {
        let found: SimpleExpr = match (self.backend, self.indexed()) {
            (DbBackend::Postgres, true) => self.cust(
                // The stored lowercased text of ix_courses_search_text (migration 000019).
                r#""courses"."search_text" LIKE ? ESCAPE '\'"#,
                vec![self.pattern()],
            ),
            (_, true) => self.cust(
                r#""courses"."id" IN (SELECT "course_id" FROM "courses_search" WHERE "courses_search" MATCH ?)"#,
                vec![format!("\"{}\"", self.lower.replace('"', "\"\""))],
            ),
            (DbBackend::Postgres, false) => self.cust(
                r#"(lower("courses"."title") LIKE ? ESCAPE '\' OR lower("courses"."code") LIKE ? ESCAPE '\')"#,
                vec![self.pattern(), self.pattern()],
            ),
            (_, false) => self.cust(
                r#"("courses"."title" LIKE ? ESCAPE '\' OR "courses"."code" LIKE ? ESCAPE '\')"#,
                vec![self.pattern(), self.pattern()],
            ),
        };
        Condition::all().add(found)
    }

    /// The relevance order: 0 exact code, 1 title, 2 anywhere else.
    pub fn sort(&self) -> Sort {
        // lower() is ASCII-only on SQLite, Unicode on PostgreSQL; `rank_of` folds the same way.
        let rank = match (self.backend, self.indexed()) {
            // The stored text starts with the lowercased title, and a term holds no newline: the
            // first match lies within the title exactly when the title contains the term.
            (DbBackend::Postgres, true) => self.cust(
                r#"CASE WHEN lower("courses"."code") = ? THEN 0 WHEN strpos("courses"."search_text", ?) BETWEEN 1 AND char_length("courses"."title") THEN 1 ELSE 2 END"#,
                vec![self.lower.clone(), self.lower.clone()],
            ),
            _ => self.cust(
                r#"CASE WHEN lower("courses"."code") = ? THEN 0 WHEN lower("courses"."title") LIKE ? ESCAPE '\' THEN 1 ELSE 2 END"#,
                vec![self.lower.clone(), self.pattern()],
            ),
        };
        Sort::by("courses.search.rank", rank, KeyKind::Int, Direction::Asc)
    }

    /// Custom SQL with `?` placeholders, numbered `$n` for PostgreSQL (sea-query reads the
    /// backend's own placeholder only).
    fn cust(&self, sql: &str, values: Vec<String>) -> SimpleExpr {
        let sql = match self.backend {
            DbBackend::Postgres => {
                let mut numbered = String::with_capacity(sql.len() + 4);
                for (i, part) in sql.split('?').enumerate() {
                    if i > 0 {
                        numbered.push_str(&format!("${i}"));
                    }
                    numbered.push_str(part);
                }
                numbered
            }
            _ => sql.to_owned(),
        };
        Expr::cust_with_values(sql, values)
    }

    /// A course's rank, computed as the database does.
    pub fn rank_of(&self, c: &courses::Model) -> SortKey {
        let rank = if fold(&c.code, self.backend) == self.lower {
            0
        } else if fold(&c.title, self.backend).contains(&self.lower) {
            1
        } else {
            2
        };
        SortKey::Int(rank)
    }
}

/// Lowercase as the backend's `lower()` does: PostgreSQL (UTF-8) folds every letter, SQLite only
/// ASCII. Chinese has no case either way.
fn fold(text: &str, backend: DbBackend) -> String {
    match backend {
        DbBackend::Postgres => text.to_lowercase(),
        _ => text.to_ascii_lowercase(),
    }
}

/// `%`, `_` and the escape character itself taken literally (with `ESCAPE '\'`).
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn terms_are_trimmed_folded_and_at_least_two_characters() {
        let pg = DbBackend::Postgres;
        assert_eq!(Term::parse(None, pg).unwrap(), None);
        assert_eq!(Term::parse(Some("   "), pg).unwrap(), None);
        assert!(Term::parse(Some("数"), pg).is_err());
        let t = Term::parse(Some("  数学 "), pg).unwrap().unwrap();
        assert!(!t.indexed());
        let t = Term::parse(Some("Python编程"), pg).unwrap().unwrap();
        assert_eq!(t.lower, "python编程");
        assert!(t.indexed());
        assert_eq!(t.pattern(), "%python编程%");
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like(r"100%_a\b"), r"100\%\_a\\b");
    }
}
