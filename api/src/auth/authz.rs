//! The single gate between a caller and the data: every rule comes from `domain::scope`.

use super::principal::Principal;
use crate::error::{AppError, AppResult};
use domain::region::RegionTree;
use domain::scope::{self, Action, Deed, OwnTeacher, Resource, Scope};

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

    /// The region tree the rules are evaluated against (a region handle checks its region is
    /// in it).
    pub(super) fn tree(&self) -> &'a RegionTree {
        self.regions
    }

    pub(super) fn require(&self, action: Action, resource: &Resource) -> AppResult<Permit> {
        if scope::permits(&self.principal.scope, action, resource, self.regions) {
            Ok(Permit { _sealed: () })
        } else {
            Err(AppError::forbidden())
        }
    }

    pub(super) fn require_account_creation(&self, new_account: &Scope) -> AppResult<Permit> {
        self.allow(Deed::CreateAccount { new_account })
    }

    /// A caller's own account is always theirs to read.
    pub(super) fn require_self_or(
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
    pub(super) fn act_for_teacher(
        &self,
        teacher: &Resource,
        provider: &Resource,
    ) -> AppResult<Permit> {
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
    pub(super) fn manage_place(
        &self,
        teacher: &Resource,
        provider: &Resource,
    ) -> AppResult<Permit> {
        self.require(Action::Manage, teacher)
            .or_else(|_| self.require(Action::Manage, provider))
    }

    /// A named action of `domain::scope`: the rule is decided there, with the facts given.
    pub(super) fn allow(&self, deed: Deed<'_>) -> AppResult<Permit> {
        self.allow_or(deed, None)
    }

    /// As [`Guard::allow`], but a caller whose role never does the deed is told `why` (a
    /// provider approving a course); one out of reach still gets a bare FORBIDDEN.
    pub(super) fn allow_or(
        &self,
        deed: Deed<'_>,
        why: Option<crate::i18n::Text>,
    ) -> AppResult<Permit> {
        match scope::refusal(&self.principal.scope, &deed, self.regions) {
            None => Ok(Permit { _sealed: () }),
            Some(scope::Refusal::NotForYourRole) => {
                Err(why.map_or_else(AppError::forbidden, AppError::Forbidden))
            }
            Some(scope::Refusal::OutOfReach) => Err(AppError::forbidden()),
        }
    }

    /// What waits for the caller's review (its queue, its subscription), or FORBIDDEN for a
    /// caller that reviews nothing.
    pub fn review_queue(&self) -> AppResult<QueueAccess> {
        match domain::review::reach_of(&self.principal.scope, self.regions) {
            Some(reach) => Ok(QueueAccess {
                reach,
                permit: Permit { _sealed: () },
                _sealed: (),
            }),
            None => Err(AppError::Forbidden(crate::msg!("review.only_reviewers"))),
        }
    }

    /// A deed a teacher does for itself (declare, ask for a conversion, grant access): the
    /// teacher the caller is, or `refusal`.
    pub(super) fn own_teacher(
        &self,
        deed: Deed<'_>,
        refusal: crate::i18n::Text,
    ) -> AppResult<(OwnTeacher<'a>, Permit)> {
        let permit = self.allow_or(deed, Some(refusal.clone()))?;
        match self.principal.scope.own_teacher() {
            Some(own) => Ok((own, permit)),
            None => Err(AppError::Forbidden(refusal)),
        }
    }
}

/// The part of the tree whose claims wait for the caller's review. Built only by
/// [`Guard::review_queue`].
#[allow(clippy::manual_non_exhaustive)]
pub struct QueueAccess {
    pub reach: domain::review::ReviewReach,
    pub permit: Permit,
    _sealed: (),
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
    pub(super) fn ledger_view(&self, teacher: &Resource) -> AppResult<LedgerView> {
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
    /// Reading a teacher: the rules of `domain::scope`, with the ties (a provider's trainees, a
    /// university's grant) loaded only when the plain rules refuse.
    pub(super) async fn read_teacher(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<Permit> {
        let refused = match self.require(Action::Read, teacher) {
            Ok(permit) => return Ok(permit),
            Err(refused) => refused,
        };
        let ties = self.ties(db, teacher).await?;
        self.allow(Deed::ReadTeacher { teacher, ties })
            .map_err(|_| refused)
    }

    /// The ledger view with access a teacher granted to a university: while the grant is in
    /// force the university reads the whole ledger, checked on every read.
    pub(super) async fn ledger_view_granted(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<LedgerView> {
        match self.ledger_view(teacher) {
            Ok(view) => Ok(view),
            Err(refused) => {
                let ties = self.ties(db, teacher).await?;
                match self.allow(Deed::ReadWholeLedger { teacher, ties }) {
                    Ok(permit) => Ok(LedgerView::Whole(permit)),
                    Err(_) => Err(refused),
                }
            }
        }
    }

    /// The whole ledger or nothing (transcripts, conversions, transfer previews): the teacher,
    /// an admin over them, a university with access granted. A provider, which reads only the
    /// records its own courses produced, is refused.
    pub(super) async fn read_teacher_ledger(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<Permit> {
        match self.ledger_view_granted(db, teacher).await? {
            LedgerView::Whole(permit) => Ok(permit),
            LedgerView::ProviderCourses(..) => Err(AppError::forbidden()),
        }
    }

    async fn ties(
        &self,
        db: &sea_orm::DatabaseConnection,
        teacher: &Resource,
    ) -> AppResult<scope::Ties> {
        super::ties::load(db, &self.principal.scope, teacher, self.today).await
    }
}

/// Work an operator starts on the machine itself, outside any request and so outside any
/// caller's rights: a command of the `credit-bank` binary, or the test harness doing what
/// `create-admin` does. Naming the task keeps the few unchecked permits findable and logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorTask {
    /// `credit-bank create-admin`: the first SYSTEM_ADMIN, before anyone can sign in.
    CreateAdmin,
    /// `credit-bank import-completions`: a provider's file loaded from the command line.
    ImportCompletions,
}

impl Permit {
    /// The only permit not earned by a check: for an operator's [`OperatorTask`]. Whoever runs
    /// the binary already holds the database, so the gate has nothing to ask them. Services
    /// never call this — they demand a `Permit` from their caller, and the demo data set signs
    /// in as a system principal through [`Guard`] like any caller; a test
    /// (`operator_permits_are_minted_only_by_the_command_line`) fails if anything under
    /// `api/src` but the command line names it.
    pub fn for_operator(task: OperatorTask) -> Permit {
        tracing::info!(auth.operator_task = ?task, "permit for an operator task");
        Permit { _sealed: () }
    }

    /// A permit for a handle the gate derives from one it already checked (a provider's
    /// course from the provider it manages): the check that earned the first one covers it.
    pub(super) fn derived(_from: &Permit) -> Permit {
        Permit { _sealed: () }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    /// Only the command line mints operator permits; a service that did would bypass the gate.
    #[test]
    fn operator_permits_are_minted_only_by_the_command_line() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let files = sources(&src);
        let allowed = [
            src.join("cli.rs"),
            src.join("cli_imports.rs"),
            src.join("auth/authz.rs"),
        ];
        let minting: Vec<_> = files
            .iter()
            .filter(|f| !allowed.contains(f))
            .filter(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .contains("Permit::for_operator(")
            })
            .collect();
        assert!(minting.is_empty(), "operator permits minted in {minting:?}");
    }

    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn sources(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        walk(dir, &mut files);
        files
    }

    /// The files under `dir` whose code (not their comments) contains any of `needles`.
    fn naming(dir: &std::path::Path, needles: &[&str]) -> Vec<String> {
        sources(dir)
            .into_iter()
            .filter(|f| {
                std::fs::read_to_string(f).unwrap().lines().any(|line| {
                    let code = line.trim_start();
                    !code.starts_with("//") && needles.iter().any(|n| code.contains(n))
                })
            })
            .map(|f| f.display().to_string())
            .collect()
    }

    #[test]
    fn services_take_handles_and_layers_call_only_downwards() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let gate_in_services = naming(&src.join("services"), &["Guard", "require_role"]);
        assert!(
            gate_in_services.is_empty(),
            "services that take or build the Guard: {gate_in_services:?}"
        );
        let graphql_in_services = naming(&src.join("services"), &["async_graphql"]);
        assert!(graphql_in_services.is_empty(), "{graphql_in_services:?}");
        // Spelt in two, so that this line is not itself a match.
        let services = [
            concat!("crate::", "services"),
            concat!("super::", "services"),
        ];
        let services_in_gate = naming(&src.join("auth"), &services);
        assert!(services_in_gate.is_empty(), "{services_in_gate:?}");
    }
}
