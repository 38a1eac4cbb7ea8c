//! A course may be a programme of another kind than plain training (`DEGREE_STUDY`,
//! `NEW_TEACHER_PROBATION`, `BACKBONE_TRAINING`…): its trainees' credit records carry that kind,
//! so a policy prices the programme as its seed says. Existing courses are plain training.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(
                        ColumnDef::new(Courses::Kind)
                            .string()
                            .not_null()
                            .default("COURSE_COMPLETION"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .drop_column(Courses::Kind)
                    .to_owned(),
            )
            .await
    }
}
