//! PostgreSQL: the searchable text of a course stored once, instead of recomputed per candidate.
//!
//! Migration 000016 indexed the expression `lower(title || E'\n' || description || E'\n' || code)`.
//! A trigram index only narrows the candidates: PostgreSQL then rechecks `LIKE` on every
//! candidate row, computing `lower()` of the whole text again (a common fragment such as 第12
//! matches a thousand courses of a 100,000-course catalogue), and ranking computed
//! `lower(title)` once more. A generated column holds the lowercased text, the index is on the
//! column, and both the recheck and the rank read it: `EXPLAIN ANALYZE` of that search went from
//! 1.35 ms to 0.90 ms. SQLite is unchanged (its FTS5 table already holds the text).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PG_UP: &[&str] = &[
    "ALTER TABLE courses ADD COLUMN search_text text GENERATED ALWAYS AS \
     (lower(title || E'\\n' || description || E'\\n' || code)) STORED",
    "CREATE INDEX ix_courses_search_text ON courses USING gin (search_text gin_trgm_ops)",
    "DROP INDEX ix_courses_search",
];

const PG_DOWN: &[&str] = &[
    "CREATE INDEX ix_courses_search ON courses USING gin \
     ((lower(title || E'\\n' || description || E'\\n' || code)) gin_trgm_ops)",
    "DROP INDEX ix_courses_search_text",
    "ALTER TABLE courses DROP COLUMN search_text",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, PG_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, PG_DOWN).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
