//! What some requirements ask of the teacher: serving as a head teacher (班主任) and having
//! graduated from a normal programme (师范类). The hire date was there from the start.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teachers {
    Table,
    HeadTeacher,
    NormalSchoolGraduate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [Teachers::HeadTeacher, Teachers::NormalSchoolGraduate] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Teachers::Table)
                        .add_column(ColumnDef::new(column).boolean().not_null().default(false))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Teachers::HeadTeacher, Teachers::NormalSchoolGraduate] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Teachers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
