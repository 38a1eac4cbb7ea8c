//! Sign-in, the viewer, accounts and `node`.

use super::enums;
use super::ids::{self, Kind};
use super::node::Node;
use super::organisation::{Provider, School, University};
use super::regions::{region_of, Region};
use super::teacher_file::Teacher;
use super::ContextExt;
use crate::auth::{Guard, Principal, TeacherNeed};
use crate::error::{AppError, AppResult};
use crate::services::accounts::{self as svc, AccountTarget, NewAccount};
use crate::services::organisation as org;
use crate::state::AppState;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use domain::codes::Role;
use domain::identity::{Password, Username};
use entities::accounts;

pub struct Account(pub accounts::Model);

/// A login: a username with a role and the scope it acts in (a region, school, provider,
/// university or teacher). Readable by the account itself and the administrators over its scope.
#[Object]
impl Account {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Account, self.0.id)
    }
    /// The name used to sign in (unique).
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// What the account may do; which of `region`, `school`, `provider`, `university` or
    /// `teacher` is set follows from it.
    async fn role(&self) -> Result<enums::Role> {
        Ok(crate::rows::code::<Role>(&self.0.role)?.into())
    }
    /// The region a REGION_ADMIN administers; null for other roles.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(match &self.0.region_code {
            Some(code) => region_of(ctx, code)?,
            None => None,
        })
    }
    /// The school a SCHOOL_ADMIN administers; null for other roles.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        let state = ctx.state()?;
        Ok(match self.0.school_id {
            Some(id) => org::find_school(state, id).await?.map(School),
            None => None,
        })
    }
    /// The training provider a PROVIDER_ADMIN administers; null for other roles.
    async fn provider(&self, ctx: &Context<'_>) -> Result<Option<Provider>> {
        let state = ctx.state()?;
        Ok(match self.0.provider_id {
            Some(id) => org::find_provider(state, id).await?.map(Provider),
            None => None,
        })
    }
    /// The university a UNIVERSITY_ADMIN administers; null for other roles.
    async fn university(&self, ctx: &Context<'_>) -> Result<Option<University>> {
        let state = ctx.state()?;
        Ok(match self.0.university_id {
            Some(id) => org::find_university(state, id).await?.map(University),
            None => None,
        })
    }
    /// The teacher this login belongs to (TEACHER accounts), if the caller may read them.
    async fn teacher(&self, ctx: &Context<'_>) -> Result<Option<Teacher>> {
        Ok(match self.0.teacher_id {
            Some(id) => Some(Teacher(
                ctx.guard()?
                    .teacher(&ctx.state()?.db, id, TeacherNeed::Read)
                    .await?
                    .teacher,
            )),
            None => None,
        })
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The last successful `login`; null if the account never signed in.
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_login_at
    }
    /// Disabled by an admin (`setAccountDisabled`): it cannot sign in, and its tokens and API
    /// keys are refused.
    async fn disabled(&self) -> bool {
        self.0.disabled
    }
}

/// The signed-in caller.
pub struct Viewer {
    account: accounts::Model,
    principal: Principal,
}

impl Viewer {
    /// The viewer's own gate: `login` answers with a viewer before any token was sent.
    fn guard<'a>(&'a self, ctx: &'a Context<'_>) -> AppResult<Guard<'a>> {
        Ok({
            let state = ctx.state()?;
            Guard::new(&self.principal, &state.regions, state.clock.today())
        })
    }
}

/// The signed-in caller: who it is and what it administers, the starting point of a portal.
#[Object]
impl Viewer {
    /// The caller's own account.
    async fn account(&self) -> Account {
        Account(self.account.clone())
    }
    /// The caller's username.
    async fn username(&self) -> &str {
        &self.account.username
    }
    /// The caller's role.
    async fn role(&self) -> Result<enums::Role> {
        Ok(crate::rows::code::<Role>(&self.account.role)?.into())
    }
    /// The caller's own teacher record; set for TEACHER accounts, null otherwise.
    async fn teacher(&self, ctx: &Context<'_>) -> Result<Option<Teacher>> {
        Ok(match self.account.teacher_id {
            Some(id) => Some(Teacher(
                self.guard(ctx)?
                    .teacher(&ctx.state()?.db, id, TeacherNeed::Read)
                    .await?
                    .teacher,
            )),
            None => None,
        })
    }
    /// The caller's school: a SCHOOL_ADMIN's school, or a TEACHER's current school.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        let state = ctx.state()?;
        let Some(id) = self.principal.scope.own_school() else {
            return Ok(None);
        };
        Ok(org::find_school(state, id).await?.map(School))
    }
    /// The region the caller belongs to or administers.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        Ok(match self.principal.scope.region() {
            Some(code) => region_of(ctx, code.as_str())?,
            None => None,
        })
    }
    /// The provider a PROVIDER_ADMIN administers; null for other roles.
    async fn provider(&self, ctx: &Context<'_>) -> Result<Option<Provider>> {
        Account(self.account.clone()).provider(ctx).await
    }
    /// The university a UNIVERSITY_ADMIN administers; null for other roles.
    async fn university(&self, ctx: &Context<'_>) -> Result<Option<University>> {
        Account(self.account.clone()).university(ctx).await
    }
    /// The caller's API keys, newest first, revoked and expired ones included.
    async fn api_keys(&self, ctx: &Context<'_>) -> Result<Vec<super::api_keys::ApiKey>> {
        let own = self.guard(ctx)?.own(crate::auth::OwnNeed::Keys)?;
        let keys = crate::services::api_keys::list_own(ctx.state()?, &own).await?;
        Ok(keys.into_iter().map(super::api_keys::ApiKey).collect())
    }
    /// The caller's webhooks, oldest first (their secrets are not shown again).
    async fn webhooks(&self, ctx: &Context<'_>) -> Result<Vec<super::webhooks::Webhook>> {
        super::webhooks::of_viewer(ctx, &self.guard(ctx)?).await
    }
}

/// The answer to `login`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    /// When the token stops being accepted; sign in again after that.
    expires_at: DateTime<Utc>,
    /// The account that signed in, as `Query.viewer` would answer with the new token.
    viewer: Viewer,
}

#[derive(Default)]
pub struct IdentityQuery;

#[Object]
impl IdentityQuery {
    /// The signed-in caller; `UNAUTHENTICATED` without a valid token.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let principal = guard.principal().clone();
        let account = guard
            .account(
                &state.db,
                principal.account_id,
                crate::auth::AccountNeed::Read,
            )
            .await?
            .account;
        Ok(Viewer { account, principal })
    }

    /// Any object by its global id, if the caller may see it: null for an id that names
    /// nothing, `FORBIDDEN` for an object outside the caller's scope.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, as any object's `id` field returns it.")] id: ID,
    ) -> Result<Option<Node>> {
        Ok(super::node::resolve(ctx, &id).await?)
    }
}

/// A new login. Exactly the reference its role needs is given (`regionCode` for a
/// REGION_ADMIN, `schoolId` for a SCHOOL_ADMIN, …; none for a SYSTEM_ADMIN).
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// 3 to 64 characters: lower-case letters, digits, `.`, `-` and `_`, starting with a letter
    /// or digit. Unique.
    pub username: String,
    /// 8 to 128 characters. Stored only as a hash.
    pub password: String,
    /// What the account may do; the caller may only create accounts within its own scope.
    pub role: enums::Role,
    /// For REGION_ADMIN only: the GB/T 2260 code of the region it administers.
    pub region_code: Option<String>,
    /// For SCHOOL_ADMIN only: the school it administers.
    pub school_id: Option<ID>,
    /// For PROVIDER_ADMIN only: the training provider it administers.
    pub provider_id: Option<ID>,
    /// For UNIVERSITY_ADMIN only: the university it administers.
    pub university_id: Option<ID>,
    /// For TEACHER: the teacher this login belongs to.
    pub teacher_id: Option<ID>,
}

impl CreateAccountInput {
    fn parse(self, state: &AppState) -> AppResult<NewAccount> {
        let username = Username::parse(&self.username)
            .map_err(|e| AppError::bad_input("input.username", e))?;
        let password = Password::parse(self.password.clone())
            .map_err(|e| AppError::bad_input("input.password", e))?;
        let role: Role = self.role.into();
        self.check_references(role)?;
        let target = match (role, self) {
            (Role::SystemAdmin, _) => AccountTarget::System,
            (
                Role::RegionAdmin,
                CreateAccountInput {
                    region_code: Some(code),
                    ..
                },
            ) => AccountTarget::Region(org::known_region(
                &state.regions,
                "input.regionCode",
                &code,
            )?),
            (
                Role::SchoolAdmin,
                CreateAccountInput {
                    school_id: Some(id),
                    ..
                },
            ) => AccountTarget::School(ids::decode("input.schoolId", Kind::School, &id)?),
            (
                Role::ProviderAdmin,
                CreateAccountInput {
                    provider_id: Some(id),
                    ..
                },
            ) => AccountTarget::Provider(ids::decode("input.providerId", Kind::Provider, &id)?),
            (
                Role::UniversityAdmin,
                CreateAccountInput {
                    university_id: Some(id),
                    ..
                },
            ) => {
                AccountTarget::University(ids::decode("input.universityId", Kind::University, &id)?)
            }
            (
                Role::Teacher,
                CreateAccountInput {
                    teacher_id: Some(id),
                    ..
                },
            ) => AccountTarget::Teacher(ids::decode("input.teacherId", Kind::Teacher, &id)?),
            _ => {
                return Err(AppError::invalid(
                    "input.role",
                    "REQUIRED",
                    crate::msg!("accounts.reference_missing"),
                ))
            }
        };
        Ok(NewAccount {
            username,
            password,
            target,
        })
    }

    /// Exactly the reference the role needs is given: a region for a REGION_ADMIN, a school
    /// for a SCHOOL_ADMIN…, none for a SYSTEM_ADMIN.
    fn check_references(&self, role: Role) -> AppResult<()> {
        let refs = [
            (
                "input.regionCode",
                self.region_code.is_some(),
                Role::RegionAdmin,
            ),
            (
                "input.schoolId",
                self.school_id.is_some(),
                Role::SchoolAdmin,
            ),
            (
                "input.providerId",
                self.provider_id.is_some(),
                Role::ProviderAdmin,
            ),
            (
                "input.universityId",
                self.university_id.is_some(),
                Role::UniversityAdmin,
            ),
            ("input.teacherId", self.teacher_id.is_some(), Role::Teacher),
        ];
        for (field, given, for_role) in refs {
            if given && role != for_role {
                return Err(AppError::invalid(
                    field,
                    "NOT_ALLOWED",
                    crate::msg!("accounts.not_for_role", role = role),
                ));
            }
            if !given && role == for_role {
                return Err(AppError::invalid(
                    field,
                    "REQUIRED",
                    crate::msg!("accounts.required_for_role", role = role),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Default)]
pub struct IdentityMutation;

#[Object]
impl IdentityMutation {
    /// Exchanges a username and password for a bearer token. Wrong password and unknown user get
    /// the same `UNAUTHENTICATED` answer; repeated failures from one address make the next
    /// attempt wait (`RATE_LIMITED`, `extensions.retryAfterSeconds`), growing with each one.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's username.")] username: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> Result<AuthPayload> {
        let state = ctx.state()?;
        // Tokens live by the system clock, which is what verifies them.
        let client = ctx
            .data_opt::<crate::auth::client_address::ClientAddress>()
            .copied()
            .unwrap_or_default();
        let session = svc::login(state, &username, password, client, chrono::Utc::now()).await?;
        Ok(AuthPayload {
            token: session.token,
            expires_at: session.expires_at,
            viewer: Viewer {
                account: session.account,
                principal: session.principal,
            },
        })
    }

    /// Creates a login within the caller's scope (API.md "Who may do what").
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The login to create.")] input: CreateAccountInput,
    ) -> Result<Account> {
        let state = ctx.state()?;
        let guard = ctx.guard()?;
        let new = input.parse(state)?;
        let access = guard.new_account(&state.db, new.target).await?;
        Ok(Account(
            svc::create(state, &access, new.username, new.password).await?,
        ))
    }
}
