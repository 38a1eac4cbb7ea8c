//! Leaner ledger indexes for bulk imports: `(teacher_id)` is covered by `(teacher_id,
//! earned_on)`; status and reversal lookups only ever look for the few PENDING rows and the few
//! reversals, so partial indexes serve them without costing every imported completion an entry.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX ix_credit_records_teacher",
            "DROP INDEX ix_credit_records_status",
            "DROP INDEX ix_credit_records_reversal",
            "CREATE INDEX ix_credit_records_pending ON credit_records (next_step, created_at) WHERE status = 'PENDING'",
            "CREATE INDEX ix_credit_records_reversals ON credit_records (reversal_of) WHERE reversal_of IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX ix_credit_records_pending",
            "DROP INDEX ix_credit_records_reversals",
            "CREATE INDEX ix_credit_records_teacher ON credit_records (teacher_id)",
            "CREATE INDEX ix_credit_records_status ON credit_records (status)",
            "CREATE INDEX ix_credit_records_reversal ON credit_records (reversal_of)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
