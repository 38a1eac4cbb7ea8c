//! Credit policies and their assignment to regions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CreditPolicies::Table)
                    .col(
                        ColumnDef::new(CreditPolicies::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CreditPolicies::Key).string().not_null())
                    .col(ColumnDef::new(CreditPolicies::Version).integer().not_null())
                    .col(ColumnDef::new(CreditPolicies::Name).string().not_null())
                    .col(ColumnDef::new(CreditPolicies::Document).text().not_null())
                    .col(ColumnDef::new(CreditPolicies::SourceNote).text().null())
                    .col(ColumnDef::new(CreditPolicies::BuiltIn).boolean().not_null())
                    .col(ColumnDef::new(CreditPolicies::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(CreditPolicies::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_credit_policies_key_version")
                    .table(CreditPolicies::Table)
                    .col(CreditPolicies::Key)
                    .col(CreditPolicies::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RegionPolicyAssignments::Table)
                    .col(
                        ColumnDef::new(RegionPolicyAssignments::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(RegionPolicyAssignments::RegionCode)
                            .string_len(6)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegionPolicyAssignments::PolicyKey)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegionPolicyAssignments::EffectiveFrom)
                            .date()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RegionPolicyAssignments::AssignedBy)
                            .uuid()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(RegionPolicyAssignments::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_region_policy_assignments_region_code")
                            .from(
                                RegionPolicyAssignments::Table,
                                RegionPolicyAssignments::RegionCode,
                            )
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_region_policy_region_from")
                    .table(RegionPolicyAssignments::Table)
                    .col(RegionPolicyAssignments::RegionCode)
                    .col(RegionPolicyAssignments::EffectiveFrom)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(RegionPolicyAssignments::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CreditPolicies::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum CreditPolicies {
    Table,
    Id,
    Key,
    Version,
    Name,
    Document,
    SourceNote,
    BuiltIn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RegionPolicyAssignments {
    Table,
    Id,
    RegionCode,
    PolicyKey,
    EffectiveFrom,
    AssignedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}
