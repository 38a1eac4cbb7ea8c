//! Fewer index entries per imported completion. `(teacher_id, course_id)` is both the one-place-
//! per-course rule and the index for a teacher's enrolments, so `(teacher_id)` alone goes; course
//! lookups use `(course_id, status)`. The ledger's `region_code` is only ever read together with
//! `next_step` over the few PENDING rows, which the partial pending index already narrows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "CREATE UNIQUE INDEX ux_enrollments_teacher_course ON enrollments (teacher_id, course_id)",
            "DROP INDEX ux_enrollments_course_teacher",
            "DROP INDEX ix_enrollments_teacher",
            "DROP INDEX ix_credit_records_region",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX ix_credit_records_region ON credit_records (region_code)",
            "CREATE INDEX ix_enrollments_teacher ON enrollments (teacher_id)",
            "CREATE UNIQUE INDEX ux_enrollments_course_teacher ON enrollments (course_id, teacher_id)",
            "DROP INDEX ux_enrollments_teacher_course",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
