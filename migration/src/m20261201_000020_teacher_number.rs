//! The teacher's number (教师编号): the key a school's or a provider's own spreadsheet knows a
//! teacher by, where our UUIDs mean nothing. Optional (teachers registered before it have
//! none) and unique where set: both databases let any number of NULLs share a unique index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teachers {
    Table,
    TeacherNumber,
}

const INDEX: &str = "ux_teachers_teacher_number";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Teachers::Table)
                    .add_column(
                        ColumnDef::new(Teachers::TeacherNumber)
                            .string_len(40)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Completion files name thousands of teachers by number: each chunk looks them up
        // through this index in one statement.
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Teachers::Table)
                    .col(Teachers::TeacherNumber)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite refuses to drop a column an index still names.
        manager
            .drop_index(Index::drop().name(INDEX).table(Teachers::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Teachers::Table)
                    .drop_column(Teachers::TeacherNumber)
                    .to_owned(),
            )
            .await
    }
}
