//! The single gate between a caller and the data: every rule comes from `domain::scope`.

use super::principal::Principal;
use crate::error::{AppError, AppResult};
use domain::codes::Role;
use domain::region::RegionTree;
use domain::scope::{self, Action, Resource, Scope};

/// Proof that an authorization check passed. Only this module can make one, and services that
/// read protected data or write anything demand one.
#[derive(Debug)]
#[must_use]
pub struct Permit {
    _sealed: (),
}

pub struct Guard<'a> {
    principal: &'a Principal,
    regions: &'a RegionTree,
    /// Today's civil date (the application clock): grants expire by it.
    today: chrono::NaiveDate,
}

impl<'a> Guard<'a> {
    pub fn new(
        principal: &'a Principal,
        regions: &'a RegionTree,
        today: chrono::NaiveDate,
    ) -> Self {
        Guard {
            principal,
            regions,
            today,
        }
    }

    pub fn principal(&self) -> &'a Principal {
        self.principal
    }

    pub fn require(&self, action: Action, resource: &Resource) -> AppResult<Permit> {
        if scope::permits(&self.principal.scope, action, resource, self.regions) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn require_account_creation(&self, new_account: &Scope) -> AppResult<Permit> {
        if scope::may_create_account(&self.principal.scope, new_account, self.regions) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }

    /// A caller's own account is always theirs to read.
    pub fn require_self_or(
        &self,
        account_id: uuid::Uuid,
        resource: &Resource,
    ) -> AppResult<Permit> {
        if account_id == self.principal.account_id {
            return Ok(Permit { _sealed: () });
        }
        self.require(Action::Read, resource)
    }

    /// Acting for a teacher: whoever manages the teacher, or the provider of the course in
    /// question if the teacher's school is in the provider's region (and the caller manages it).
    pub fn act_for_teacher(&self, teacher: &Resource, provider: &Resource) -> AppResult<Permit> {
        if let Ok(permit) = self.require(Action::Manage, teacher) {
            return Ok(permit);
        }
        let permit = self.require(Action::Manage, provider)?;
        if scope::provider_reaches(provider, teacher, self.regions) {
            Ok(permit)
        } else {
            Err(AppError::Forbidden(crate::msg!(
                "authz.provider_own_region"
            )))
        }
    }

    /// Changing a place the teacher already holds in the provider's course (withdrawing it):
    /// whoever manages the teacher, or the provider, wherever the teacher comes from.
    pub fn manage_place(&self, teacher: &Resource, provider: &Resource) -> AppResult<Permit> {
        self.require(Action::Manage, teacher)
            .or_else(|_| self.require(Action::Manage, provider))
    }

    /// Reading an access grant: the two it binds, the teacher who gave it and the university it
    /// was given to (and the system); not the teacher's administrators.
    pub fn read_access_grant(
        &self,
        teacher: uuid::Uuid,
        university: uuid::Uuid,
    ) -> AppResult<Permit> {
        let party = match &self.principal.scope {
            Scope::System => true,
            Scope::Teacher { teacher: own, .. } => *own == teacher,
            Scope::University {
                university: own, ..
            } => *own == university,
            Scope::Region(_) | Scope::School { .. } | Scope::Provider { .. } => false,
        };
        if party {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }

    pub fn require_role(&self, roles: &[Role]) -> AppResult<Permit> {
        if roles.contains(&self.principal.role()) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }
}

/// How much of a teacher's ledger a caller may read.
pub enum LedgerView {
    /// Every record: the teacher, an admin over them, the system.
    Whole(Permit),
    /// Only the records the provider's own courses produced.
    ProviderCourses(uuid::Uuid, Permit),
}

impl Guard<'_> {
    /// The teacher's own, their school and region admins read the whole ledger; a provider reads
    /// what its courses produced; everybody else is refused.
    pub fn ledger_view(&self, teacher: &Resource) -> AppResult<LedgerView> {
        match self.require(Action::Read, teacher) {
            Ok(permit) => Ok(LedgerView::Whole(permit)),
            Err(refused) => match &self.principal.scope {
                Scope::Provider { provider, .. } => Ok(LedgerView::ProviderCourses(
                    *provider,
                    Permit { _sealed: () },
                )),
                _ => Err(refused),
            },
        }
    }
}

impl Guard<'_> {
    /// Reading a teacher: the rules of `domain::scope`, plus a provider reading the teachers its
    /// courses enrol (seed 003: providers enrol trainees and grade them).
    pub async fn read_teacher(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<Permit> {
        let refused = match self.require(Action::Read, teacher) {
            Ok(permit) => return Ok(permit),
            Err(refused) => refused,
        };
        if let (Scope::Provider { provider, .. }, Resource::Teacher { id, .. }) =
            (&self.principal.scope, teacher)
        {
            if trains(db, *provider, *id).await? {
                return Ok(Permit { _sealed: () });
            }
        }
        if self.granted(db, teacher).await? {
            return Ok(Permit { _sealed: () });
        }
        Err(refused)
    }

    /// The ledger view with access a teacher granted to a university: while the grant is in
    /// force the university reads the whole ledger, checked on every read.
    pub async fn ledger_view_granted(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<LedgerView> {
        match self.ledger_view(teacher) {
            Ok(view) => Ok(view),
            Err(refused) if self.granted(db, teacher).await? => {
                let _ = refused;
                Ok(LedgerView::Whole(Permit { _sealed: () }))
            }
            Err(refused) => Err(refused),
        }
    }

    /// The whole ledger or nothing (transcripts, conversions, transfer previews): the teacher,
    /// an admin over them, a university with access granted. A provider, which reads only the
    /// records its own courses produced, is refused.
    pub async fn read_teacher_ledger(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<Permit> {
        match self.ledger_view_granted(db, teacher).await? {
            LedgerView::Whole(permit) => Ok(permit),
            LedgerView::ProviderCourses(..) => Err(AppError::forbidden()),
        }
    }

    /// Whether the caller is a university the teacher granted access to, in force today.
    async fn granted(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<bool> {
        use entities::access_grants;
        use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
        let (Scope::University { university, .. }, Resource::Teacher { id, .. }) =
            (&self.principal.scope, teacher)
        else {
            return Ok(false);
        };
        let today = self.today;
        let grant = access_grants::Entity::find()
            .filter(access_grants::Column::UniversityId.eq(*university))
            .filter(access_grants::Column::TeacherId.eq(*id))
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
}

/// Whether the teacher holds or waits for a place in one of the provider's courses, or has
/// finished one; a withdrawn place is no tie.
async fn trains(
    db: &sea_orm::DatabaseConnection,
    provider: uuid::Uuid,
    teacher: uuid::Uuid,
) -> AppResult<bool> {
    use domain::codes::EnrollmentStatus;
    use entities::enrollments;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let n = enrollments::Entity::find()
        .filter(enrollments::Column::TeacherId.eq(teacher))
        .filter(enrollments::Column::Status.ne(EnrollmentStatus::Withdrawn.as_str()))
        .filter(
            enrollments::Column::CourseId
                .in_subquery(crate::services::catalogue::courses_of(provider)),
        )
        .count(db)
        .await?;
    Ok(n > 0)
}

/// For work the system does on its own behalf (migrations, demo data, the CLI).
pub fn system_permit() -> Permit {
    Permit { _sealed: () }
}
