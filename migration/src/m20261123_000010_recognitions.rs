//! Recognition decisions on records earned in another province (seed 000 item 9): one per
//! record and recognising province.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CreditRecognitions::Table)
                    .col(
                        ColumnDef::new(CreditRecognitions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CreditRecognitions::CreditRecordId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CreditRecognitions::ProvinceCode)
                            .string_len(6)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CreditRecognitions::Decision)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CreditRecognitions::Comment).text().null())
                    .col(
                        ColumnDef::new(CreditRecognitions::DecidedBy)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CreditRecognitions::DecidedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_credit_recognitions_record")
                            .from(
                                CreditRecognitions::Table,
                                CreditRecognitions::CreditRecordId,
                            )
                            .to(CreditRecords::Table, CreditRecords::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_credit_recognitions_record_province")
                    .table(CreditRecognitions::Table)
                    .col(CreditRecognitions::CreditRecordId)
                    .col(CreditRecognitions::ProvinceCode)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CreditRecognitions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CreditRecognitions {
    Table,
    Id,
    CreditRecordId,
    ProvinceCode,
    Decision,
    Comment,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum CreditRecords {
    Table,
    Id,
}
