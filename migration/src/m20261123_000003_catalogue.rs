//! The catalogue: courses and enrolments.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_courses(manager).await?;
        create_enrollments(manager).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Enrollments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Courses::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// Providers' courses, one code per provider.
async fn create_courses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Courses::Table)
                .col(ColumnDef::new(Courses::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Courses::ProviderId).uuid().not_null())
                .col(ColumnDef::new(Courses::Code).string().not_null())
                .col(ColumnDef::new(Courses::Title).string().not_null())
                .col(ColumnDef::new(Courses::Description).text().not_null())
                .col(ColumnDef::new(Courses::Level).string().not_null())
                .col(ColumnDef::new(Courses::Modality).string().not_null())
                .col(ColumnDef::new(Courses::Category).string().not_null())
                .col(ColumnDef::new(Courses::Compulsory).boolean().not_null())
                .col(ColumnDef::new(Courses::HoursE4).big_integer().not_null())
                .col(ColumnDef::new(Courses::Capacity).integer().null())
                .col(ColumnDef::new(Courses::TargetStages).text().not_null())
                .col(ColumnDef::new(Courses::Subjects).text().not_null())
                .col(ColumnDef::new(Courses::EnrollmentOpensOn).date().null())
                .col(ColumnDef::new(Courses::EnrollmentClosesOn).date().null())
                .col(ColumnDef::new(Courses::StartsOn).date().null())
                .col(ColumnDef::new(Courses::EndsOn).date().null())
                .col(ColumnDef::new(Courses::Status).string().not_null())
                .col(ColumnDef::new(Courses::ApprovedBy).uuid().null())
                .col(
                    ColumnDef::new(Courses::ApprovedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Courses::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Courses::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_courses_provider_id")
                        .from(Courses::Table, Courses::ProviderId)
                        .to(Providers::Table, Providers::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_courses_provider_code")
                .table(Courses::Table)
                .col(Courses::ProviderId)
                .col(Courses::Code)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_courses_status")
                .table(Courses::Table)
                .col(Courses::Status)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_courses_provider")
                .table(Courses::Table)
                .col(Courses::ProviderId)
                .to_owned(),
        )
        .await?;
    Ok(())
}

/// Teachers' places in courses, one per teacher and course.
async fn create_enrollments(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Enrollments::Table)
                .col(
                    ColumnDef::new(Enrollments::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Enrollments::CourseId).uuid().not_null())
                .col(ColumnDef::new(Enrollments::TeacherId).uuid().not_null())
                .col(ColumnDef::new(Enrollments::Status).string().not_null())
                .col(ColumnDef::new(Enrollments::EnrolledBy).uuid().null())
                .col(
                    ColumnDef::new(Enrollments::EnrolledAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Enrollments::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_enrollments_course_id")
                        .from(Enrollments::Table, Enrollments::CourseId)
                        .to(Courses::Table, Courses::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_enrollments_teacher_id")
                        .from(Enrollments::Table, Enrollments::TeacherId)
                        .to(Teachers::Table, Teachers::Id),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ux_enrollments_course_teacher")
                .table(Enrollments::Table)
                .col(Enrollments::CourseId)
                .col(Enrollments::TeacherId)
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_enrollments_teacher")
                .table(Enrollments::Table)
                .col(Enrollments::TeacherId)
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("ix_enrollments_course_status")
                .table(Enrollments::Table)
                .col(Enrollments::CourseId)
                .col(Enrollments::Status)
                .to_owned(),
        )
        .await?;
    Ok(())
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    ProviderId,
    Code,
    Title,
    Description,
    Level,
    Modality,
    Category,
    Compulsory,
    HoursE4,
    Capacity,
    TargetStages,
    Subjects,
    EnrollmentOpensOn,
    EnrollmentClosesOn,
    StartsOn,
    EndsOn,
    Status,
    ApprovedBy,
    ApprovedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Enrollments {
    Table,
    Id,
    CourseId,
    TeacherId,
    Status,
    EnrolledBy,
    EnrolledAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}
