//! Closed years, make-up allowances, and the database's own guard of the append-only ledger:
//! triggers refuse deleting ledger rows, changing their facts, or any status change other than
//! PENDING → CERTIFIED/REJECTED and CERTIFIED → REVOKED; review events and evidence never change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns of `credit_records` that never change once written.
const FIXED: &[&str] = &[
    "id",
    "teacher_id",
    "school_id",
    "region_code",
    "kind",
    "title",
    "course_id",
    "level",
    "modality",
    "category",
    "compulsory",
    "role",
    "hours_e4",
    "attended_hours_e4",
    "taught_hours_e4",
    "days",
    "months",
    "words",
    "prize",
    "passed",
    "score_e4",
    "earned_on",
    "policy_key",
    "credits_e4",
    "idempotency_key",
    "reversal_of",
    "reason",
    "created_by",
    "created_at",
];

const TRANSITIONS: &str = "(OLD.status = NEW.status OR (OLD.status = 'PENDING' AND NEW.status IN ('CERTIFIED', 'REJECTED')) OR (OLD.status = 'CERTIFIED' AND NEW.status = 'REVOKED'))";

fn postgres_guards() -> Vec<String> {
    let changed = FIXED
        .iter()
        .map(|c| format!("NEW.{c} IS DISTINCT FROM OLD.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    vec![
        format!(
            "CREATE OR REPLACE FUNCTION credit_records_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'credit_records is append-only: rows are never deleted';
  END IF;
  IF {changed} THEN
    RAISE EXCEPTION 'credit_records is append-only: a record''s facts never change';
  END IF;
  IF NOT {TRANSITIONS} THEN
    RAISE EXCEPTION 'credit_records: status % cannot become %', OLD.status, NEW.status;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER credit_records_append_only BEFORE UPDATE OR DELETE ON credit_records FOR EACH ROW EXECUTE FUNCTION credit_records_append_only()".into(),
        "CREATE OR REPLACE FUNCTION immutable_row() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows never change', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql".into(),
        "CREATE TRIGGER review_events_immutable BEFORE UPDATE OR DELETE ON review_events FOR EACH ROW EXECUTE FUNCTION immutable_row()".into(),
        "CREATE TRIGGER evidence_immutable BEFORE UPDATE OR DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION immutable_row()".into(),
    ]
}

fn sqlite_guards() -> Vec<String> {
    let changed = FIXED
        .iter()
        .map(|c| format!("NEW.{c} IS NOT OLD.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    vec![
        "CREATE TRIGGER credit_records_no_delete BEFORE DELETE ON credit_records BEGIN SELECT RAISE(ABORT, 'credit_records is append-only: rows are never deleted'); END".into(),
        format!("CREATE TRIGGER credit_records_facts_fixed BEFORE UPDATE ON credit_records WHEN {changed} BEGIN SELECT RAISE(ABORT, 'credit_records is append-only: a record''s facts never change'); END"),
        format!("CREATE TRIGGER credit_records_transitions BEFORE UPDATE ON credit_records WHEN NOT {TRANSITIONS} BEGIN SELECT RAISE(ABORT, 'credit_records: this status change is not allowed'); END"),
        "CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events BEGIN SELECT RAISE(ABORT, 'review_events rows never change'); END".into(),
        "CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events BEGIN SELECT RAISE(ABORT, 'review_events rows never change'); END".into(),
        "CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence rows never change'); END".into(),
        "CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence rows never change'); END".into(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(YearClosings::Table)
                    .col(
                        ColumnDef::new(YearClosings::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(YearClosings::RegionCode)
                            .string_len(6)
                            .not_null(),
                    )
                    .col(ColumnDef::new(YearClosings::Year).integer().not_null())
                    .col(ColumnDef::new(YearClosings::ClosedBy).uuid().null())
                    .col(
                        ColumnDef::new(YearClosings::ClosedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_year_closings_region_code")
                            .from(YearClosings::Table, YearClosings::RegionCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_year_closings_region_year")
                    .table(YearClosings::Table)
                    .col(YearClosings::RegionCode)
                    .col(YearClosings::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MakeUpAllowances::Table)
                    .col(
                        ColumnDef::new(MakeUpAllowances::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(MakeUpAllowances::TeacherId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(MakeUpAllowances::Year).integer().not_null())
                    .col(ColumnDef::new(MakeUpAllowances::Reason).text().not_null())
                    .col(ColumnDef::new(MakeUpAllowances::Deadline).date().not_null())
                    .col(ColumnDef::new(MakeUpAllowances::GrantedBy).uuid().null())
                    .col(
                        ColumnDef::new(MakeUpAllowances::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_make_up_allowances_teacher_id")
                            .from(MakeUpAllowances::Table, MakeUpAllowances::TeacherId)
                            .to(Teachers::Table, Teachers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_make_up_allowances_teacher_year")
                    .table(MakeUpAllowances::Table)
                    .col(MakeUpAllowances::TeacherId)
                    .col(MakeUpAllowances::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let guards = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_guards(),
            _ => sqlite_guards(),
        };
        for sql in guards {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS credit_records_append_only ON credit_records",
                "DROP TRIGGER IF EXISTS review_events_immutable ON review_events",
                "DROP TRIGGER IF EXISTS evidence_immutable ON evidence",
                "DROP FUNCTION IF EXISTS credit_records_append_only()",
                "DROP FUNCTION IF EXISTS immutable_row()",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS credit_records_no_delete",
                "DROP TRIGGER IF EXISTS credit_records_facts_fixed",
                "DROP TRIGGER IF EXISTS credit_records_transitions",
                "DROP TRIGGER IF EXISTS review_events_no_update",
                "DROP TRIGGER IF EXISTS review_events_no_delete",
                "DROP TRIGGER IF EXISTS evidence_no_update",
                "DROP TRIGGER IF EXISTS evidence_no_delete",
            ],
        };
        for sql in drops {
            db.execute_unprepared(sql).await?;
        }
        manager
            .drop_table(Table::drop().table(MakeUpAllowances::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(YearClosings::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum YearClosings {
    Table,
    Id,
    RegionCode,
    Year,
    ClosedBy,
    ClosedAt,
}

#[derive(DeriveIden)]
enum MakeUpAllowances {
    Table,
    Id,
    TeacherId,
    Year,
    Reason,
    Deadline,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}
