//! The facts the gate loads before it can decide: the two ties between a caller and a teacher
//! that only the database knows. Kept here, below the services, so the gate never calls up.

use crate::error::AppResult;
use domain::codes::EnrollmentStatus;
use domain::scope::{Resource, Scope, Ties};
use entities::{access_grants, courses, enrollments};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

/// The ties `scope` could have to `teacher`: a provider's enrolments, a university's grant.
/// Only the one that can matter for the caller's kind is queried, so other callers pay nothing.
pub async fn load(
    db: &DatabaseConnection,
    scope: &Scope,
    teacher: &Resource,
    today: chrono::NaiveDate,
) -> AppResult<Ties> {
    let Resource::Teacher { id, .. } = teacher else {
        return Ok(Ties::default());
    };
    Ok(match scope {
        Scope::Provider { provider, .. } => Ties {
            trains: trains(db, *provider, *id).await?,
            granted: false,
        },
        Scope::University { university, .. } => Ties {
            trains: false,
            granted: granted(db, *university, *id, today).await?,
        },
        Scope::System | Scope::Region(_) | Scope::School { .. } | Scope::Teacher { .. } => {
            Ties::default()
        }
    })
}

/// Whether the teacher holds or waits for a place in one of the provider's courses, or has
/// finished one; a withdrawn place is no tie.
async fn trains(db: &DatabaseConnection, provider: Uuid, teacher: Uuid) -> AppResult<bool> {
    let courses_of = Query::select()
        .column(courses::Column::Id)
        .from(courses::Entity)
        .and_where(courses::Column::ProviderId.eq(provider))
        .to_owned();
    let n = enrollments::Entity::find()
        .filter(enrollments::Column::TeacherId.eq(teacher))
        .filter(enrollments::Column::Status.ne(EnrollmentStatus::Withdrawn.as_str()))
        .filter(enrollments::Column::CourseId.in_subquery(courses_of))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// Whether the teacher granted the university access that is in force on `today`.
async fn granted(
    db: &DatabaseConnection,
    university: Uuid,
    teacher: Uuid,
    today: chrono::NaiveDate,
) -> AppResult<bool> {
    let grant = access_grants::Entity::find()
        .filter(access_grants::Column::UniversityId.eq(university))
        .filter(access_grants::Column::TeacherId.eq(teacher))
        .filter(access_grants::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(access_grants::Column::ExpiresOn.is_null())
                .add(access_grants::Column::ExpiresOn.gte(today)),
        )
        .one(db)
        .await?;
    Ok(grant.is_some())
}
