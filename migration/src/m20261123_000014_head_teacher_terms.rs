//! Terms of service as head teacher (班主任). Shandong art. 16 binds those who serve as head
//! teachers during a cycle, so the role is kept with its dates, not only as today's flag.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HeadTeacherTerms {
    Table,
    Id,
    TeacherId,
    StartsOn,
    EndsOn,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HeadTeacherTerms::Table)
                    .col(
                        ColumnDef::new(HeadTeacherTerms::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(HeadTeacherTerms::TeacherId)
                            .uuid()
                            .not_null(),
                    )
                    // NULL: since before the teacher was registered here.
                    .col(ColumnDef::new(HeadTeacherTerms::StartsOn).date().null())
                    // NULL: still serving. Otherwise the last day served.
                    .col(ColumnDef::new(HeadTeacherTerms::EndsOn).date().null())
                    .col(ColumnDef::new(HeadTeacherTerms::RecordedBy).uuid().null())
                    .col(
                        ColumnDef::new(HeadTeacherTerms::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_head_teacher_terms_teacher_id")
                            .from(HeadTeacherTerms::Table, HeadTeacherTerms::TeacherId)
                            .to(Teachers::Table, Teachers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_head_teacher_terms_teacher")
                    .table(HeadTeacherTerms::Table)
                    .col(HeadTeacherTerms::TeacherId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HeadTeacherTerms::Table).to_owned())
            .await
    }
}
