//! The catalogue's orders (`courses(orderBy:)`): one index per sort key, each ending in the id
//! that breaks ties, so a page is read in index order instead of sorting every matching course.
//! Titles sort by code point: SQLite's default (BINARY) collation already does, PostgreSQL is
//! told to (`COLLATE "C"`), and the index must say the same for the planner to use it. Courses
//! are written rarely, so four more indexes cost little. Smaller lists (a teacher's records,
//! enrolments and conversions, a school's teachers) are sorted after their existing filters.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let title = match db.get_database_backend() {
            DbBackend::Postgres => {
                r#"CREATE INDEX ix_courses_title ON courses (title COLLATE "C", id)"#
            }
            _ => "CREATE INDEX ix_courses_title ON courses (title, id)",
        };
        for sql in [
            "CREATE INDEX ix_courses_created ON courses (created_at, id)",
            "CREATE INDEX ix_courses_starts ON courses (starts_on, id)",
            "CREATE INDEX ix_courses_hours ON courses (hours_e4, id)",
            title,
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX ix_courses_title",
            "DROP INDEX ix_courses_hours",
            "DROP INDEX ix_courses_starts",
            "DROP INDEX ix_courses_created",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
