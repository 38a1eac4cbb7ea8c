//! Decisions on courses (approve or reject, with the reviewer's comment): who decided, when, why.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CourseReviews::Table)
                    .col(
                        ColumnDef::new(CourseReviews::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CourseReviews::CourseId).uuid().not_null())
                    .col(ColumnDef::new(CourseReviews::Decision).string().not_null())
                    .col(ColumnDef::new(CourseReviews::Comment).text().null())
                    .col(
                        ColumnDef::new(CourseReviews::ActorAccountId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CourseReviews::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_course_reviews_course_id")
                            .from(CourseReviews::Table, CourseReviews::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_course_reviews_course")
                    .table(CourseReviews::Table)
                    .col(CourseReviews::CourseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CourseReviews::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CourseReviews {
    Table,
    Id,
    CourseId,
    Decision,
    Comment,
    ActorAccountId,
    At,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}
