//! Records brought over from an earlier platform (seed 003 names Qingdao's
//! 青岛市教师教育信息化管理服务平台): `source` names that platform and `external_id` the record's
//! id there. Unique together, so importing the same export twice posts each record once; both
//! databases let the NULLs of the records born here share the index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CreditRecords {
    Table,
    Source,
    ExternalId,
}

const INDEX: &str = "ux_credit_records_source_external_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        for column in [
            ColumnDef::new(CreditRecords::Source)
                .string_len(100)
                .null()
                .to_owned(),
            ColumnDef::new(CreditRecords::ExternalId)
                .string_len(200)
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CreditRecords::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(CreditRecords::Table)
                    .col(CreditRecords::Source)
                    .col(CreditRecords::ExternalId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite refuses to drop a column an index still names.
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(CreditRecords::Table)
                    .to_owned(),
            )
            .await?;
        for column in [CreditRecords::ExternalId, CreditRecords::Source] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CreditRecords::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
