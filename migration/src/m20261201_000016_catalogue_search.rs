//! Catalogue search from an index instead of a scan, inside the databases we already run.
//!
//! The searchable text of a course is its title, description and code, joined by newlines (so a
//! match cannot straddle two fields) and lowercased.
//! - PostgreSQL: a `pg_trgm` GIN index over that text; `LIKE '%…%'` uses it for any search of
//!   three characters or more (trigrams work on Chinese characters under a UTF-8 `LC_CTYPE`).
//! - SQLite: an FTS5 table with the `trigram` tokenizer, kept by triggers, searched with `MATCH`.
//!
//! Also: the provider's and the region's pages (`provider_id`, then the default order) and the
//! newest-first start-date order (`starts_on DESC NULLS LAST`, which the ascending index cannot
//! serve on PostgreSQL).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PG_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_courses_search ON courses USING gin \
     ((lower(title || E'\\n' || description || E'\\n' || code)) gin_trgm_ops)",
    "CREATE INDEX ix_courses_provider_created ON courses (provider_id, created_at, id)",
    "CREATE INDEX ix_courses_starts_desc ON courses (starts_on DESC NULLS LAST, id DESC)",
];

const PG_DOWN: &[&str] = &[
    "DROP INDEX ix_courses_starts_desc",
    "DROP INDEX ix_courses_provider_created",
    "DROP INDEX ix_courses_search",
];

const SQLITE_BODY_NEW: &str = "new.title || char(10) || new.description || char(10) || new.code";

fn sqlite_up() -> Vec<String> {
    vec![
        "CREATE VIRTUAL TABLE courses_search USING fts5(body, course_id UNINDEXED, tokenize = 'trigram')".into(),
        "INSERT INTO courses_search (body, course_id) \
         SELECT title || char(10) || description || char(10) || code, id FROM courses"
            .into(),
        format!(
            "CREATE TRIGGER courses_search_insert AFTER INSERT ON courses BEGIN \
             INSERT INTO courses_search (body, course_id) VALUES ({SQLITE_BODY_NEW}, new.id); END"
        ),
        format!(
            "CREATE TRIGGER courses_search_update AFTER UPDATE OF title, description, code ON courses BEGIN \
             DELETE FROM courses_search WHERE course_id = old.id; \
             INSERT INTO courses_search (body, course_id) VALUES ({SQLITE_BODY_NEW}, new.id); END"
        ),
        "CREATE TRIGGER courses_search_delete AFTER DELETE ON courses BEGIN \
         DELETE FROM courses_search WHERE course_id = old.id; END"
            .into(),
        "CREATE INDEX ix_courses_provider_created ON courses (provider_id, created_at, id)".into(),
    ]
}

const SQLITE_DOWN: &[&str] = &[
    "DROP INDEX ix_courses_provider_created",
    "DROP TRIGGER courses_search_delete",
    "DROP TRIGGER courses_search_update",
    "DROP TRIGGER courses_search_insert",
    "DROP TABLE courses_search",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: Vec<String> = match db.get_database_backend() {
            DbBackend::Postgres => PG_UP.iter().map(|s| (*s).to_owned()).collect(),
            _ => sqlite_up(),
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match db.get_database_backend() {
            DbBackend::Postgres => PG_DOWN,
            _ => SQLITE_DOWN,
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
