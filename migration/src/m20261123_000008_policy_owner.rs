//! The region whose administrators own a saved policy (built-in policies have none: only the
//! system administrator versions them).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CreditPolicies::Table)
                    .add_column(
                        ColumnDef::new(CreditPolicies::OwnerRegionCode)
                            .string_len(6)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CreditPolicies::Table)
                    .drop_column(CreditPolicies::OwnerRegionCode)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum CreditPolicies {
    Table,
    OwnerRegionCode,
}
