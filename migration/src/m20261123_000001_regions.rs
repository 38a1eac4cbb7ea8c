//! Regions (GB/T 2260) and the seed documents' regions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbErr;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(
                        ColumnDef::new(Regions::Code)
                            .string_len(6)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Regions::Name).string().not_null())
                    .col(ColumnDef::new(Regions::Level).string().not_null())
                    .col(ColumnDef::new(Regions::ParentCode).string_len(6).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_regions_parent_code")
                            .from(Regions::Table, Regions::ParentCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_regions_parent")
                    .table(Regions::Table)
                    .col(Regions::ParentCode)
                    .to_owned(),
            )
            .await?;
        seed_regions(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Regions::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// The regions named by the seed documents (../shared/DOMAIN.md "Regions"), parents first.
const SEED_REGIONS: &[(&str, &str, &str, Option<&str>)] = &[
    ("100000", "中华人民共和国", "NATIONAL", None),
    ("370000", "山东省", "PROVINCE", Some("100000")),
    ("370200", "青岛市", "CITY", Some("370000")),
    ("370202", "市南区", "COUNTY", Some("370200")),
    ("370203", "市北区", "COUNTY", Some("370200")),
    ("370700", "潍坊市", "CITY", Some("370000")),
    ("370702", "潍城区", "COUNTY", Some("370700")),
    ("370781", "青州市", "COUNTY", Some("370700")),
    ("420000", "湖北省", "PROVINCE", Some("100000")),
    ("420100", "武汉市", "CITY", Some("420000")),
    ("420102", "江岸区", "COUNTY", Some("420100")),
    ("420106", "武昌区", "COUNTY", Some("420100")),
    ("620000", "甘肃省", "PROVINCE", Some("100000")),
    ("620900", "酒泉市", "CITY", Some("620000")),
    ("620902", "肃州区", "COUNTY", Some("620900")),
    ("310000", "上海市", "PROVINCE", Some("100000")),
    ("310100", "上海市市辖区", "CITY", Some("310000")),
    ("310104", "徐汇区", "COUNTY", Some("310100")),
];

async fn seed_regions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for (code, name, level, parent) in SEED_REGIONS {
        let insert = Query::insert()
            .into_table(Regions::Table)
            .columns([
                Regions::Code,
                Regions::Name,
                Regions::Level,
                Regions::ParentCode,
            ])
            .values([
                (*code).into(),
                (*name).into(),
                (*level).into(),
                parent.map(|p| p.to_owned()).into(),
            ])
            .map_err(|e| DbErr::Custom(format!("seed region {code}: {e}")))?
            .to_owned();
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
}
