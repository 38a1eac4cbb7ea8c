//! Typed handles for what a caller does as itself: keeping its own account (API keys,
//! webhooks, its password, its session) and, for a teacher, the deeds it does for itself
//! (declare, ask for a conversion, let a university read its record).

use super::access::checked_for;
use super::authz::{Guard, Permit};
use super::principal::Credential;
use crate::error::{AppError, AppResult};
use domain::region::RegionCode;
use domain::scope::{Deed, Resource};
use domain::webhook::EventType;
use entities::accounts;
use uuid::Uuid;

/// What the caller does with its own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnNeed {
    /// List, read or revoke its API keys.
    Keys,
    /// Make an API key: only from a password session, since a key that could mint further
    /// keys would outlive its own revocation.
    MintKey,
    /// Register, list or delete its webhooks, read their deliveries.
    Webhooks,
    /// Change its password.
    Password,
    /// End the session the request came with.
    Logout,
}

/// The caller's own account. Built only by [`Guard::own`] and [`Guard::subscriber`].
// Sealed by a private field: no module but the gate builds a handle.
#[allow(clippy::manual_non_exhaustive)]
pub struct OwnAccess {
    pub account_id: Uuid,
    /// The account row as authentication read it (none for built principals).
    pub account: Option<accounts::Model>,
    /// What the request signed in with.
    pub credential: Option<Credential>,
    pub need: OwnNeed,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(OwnAccess, OwnNeed, need, "own account");

/// What a teacher does for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeacherDeed {
    /// Declare an activity for review ([`Deed::Declare`]).
    Declare,
    /// Ask a university for a conversion ([`Deed::RequestConversion`]).
    RequestConversion,
    /// Grant or revoke a university's access to its record ([`Deed::GrantAccess`]).
    GrantAccess,
}

/// The teacher the caller is, for a [`TeacherDeed`]. Built only by [`Guard::as_teacher`].
#[allow(clippy::manual_non_exhaustive)]
pub struct OwnTeacherAccess {
    pub teacher: Uuid,
    pub school: Uuid,
    pub region: RegionCode,
    pub deed: TeacherDeed,
    /// The caller's account, for the rows it writes (`created_by`).
    pub actor: Uuid,
    pub permit: Permit,
    _sealed: (),
}

checked_for!(OwnTeacherAccess, TeacherDeed, deed, "own teacher");

impl Guard<'_> {
    /// The caller's own account, for `need`. No statement: authentication read it.
    pub fn own(&self, need: OwnNeed) -> AppResult<OwnAccess> {
        let p = self.principal();
        if need == OwnNeed::MintKey && !matches!(p.credential(), Some(Credential::Session { .. })) {
            return Err(AppError::Forbidden(crate::msg!(
                "api_keys.session_required"
            )));
        }
        // A caller's own account is always theirs: the rule is the gate's, asked as for any
        // account so that it reads the same as every other.
        let permit = self.require_self_or(
            p.account_id,
            &Resource::Account {
                id: p.account_id,
                scope: p.scope.clone(),
            },
        )?;
        Ok(OwnAccess {
            account_id: p.account_id,
            account: self.own_account().cloned(),
            credential: p.credential(),
            need,
            permit,
            _sealed: (),
        })
    }

    /// The caller's own account, to register a webhook for `events`: each must be one the
    /// caller's kind may read ([`Deed::SubscribeWebhook`]), else FORBIDDEN naming the event.
    pub fn subscriber(&self, events: &[EventType]) -> AppResult<OwnAccess> {
        for event in events {
            let _permit = self.allow_or(
                Deed::SubscribeWebhook { event: *event },
                Some(crate::msg!(
                    "webhooks.event_not_readable",
                    event = event.as_str()
                )),
            )?;
        }
        self.own(OwnNeed::Webhooks)
    }

    /// The teacher the caller is, for `deed`; any other caller is told why not.
    pub fn as_teacher(&self, deed: TeacherDeed) -> AppResult<OwnTeacherAccess> {
        let (rule, refusal) = match deed {
            TeacherDeed::Declare => (Deed::Declare, crate::msg!("claims.only_teacher")),
            TeacherDeed::RequestConversion => (
                Deed::RequestConversion,
                crate::msg!("conversions.only_teacher"),
            ),
            TeacherDeed::GrantAccess => (
                Deed::GrantAccess,
                crate::msg!("universities.only_teacher_grants"),
            ),
        };
        let (own, permit) = self.own_teacher(rule, refusal)?;
        Ok(OwnTeacherAccess {
            teacher: own.teacher,
            school: own.school,
            region: own.region.clone(),
            deed,
            actor: self.principal().account_id,
            permit,
            _sealed: (),
        })
    }
}
