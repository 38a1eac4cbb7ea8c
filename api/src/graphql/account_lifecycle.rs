//! `changePassword`, `logout` and `setAccountDisabled`.

use super::identity::Account;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::auth::client_address::ClientAddress;
use crate::auth::{AccountNeed, OwnNeed};
use crate::services::account_lifecycle as svc;
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct AccountLifecycleMutation;

#[Object]
impl AccountLifecycleMutation {
    /// Sets a new password for the caller's account. The current one is required (wrong:
    /// `BAD_USER_INPUT`, `reason: WRONG_PASSWORD`; repeated: `RATE_LIMITED`); the new one
    /// follows `createAccount`'s rules. Every other session of the account ends; the one that
    /// made the change keeps working. API keys are not affected.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password the account has now.")] current: String,
        #[graphql(desc = "The new password, 8 to 128 characters.")] new: String,
    ) -> Result<bool> {
        let client = ctx.data_opt::<ClientAddress>().copied().unwrap_or_default();
        let own = ctx.guard()?.own(OwnNeed::Password)?;
        svc::change_password(ctx.state()?, &own, client, current, new).await?;
        Ok(true)
    }

    /// Ends the session this request was sent with: its token is refused from then on. (An
    /// API key is ended with `revokeApiKey`.)
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        svc::logout(ctx.state()?, &ctx.guard()?.own(OwnNeed::Logout)?).await?;
        Ok(true)
    }

    /// Disables a login, or enables it again: a region admin over the account (or the system),
    /// never one's own. A disabled account's tokens and API keys are refused from the next
    /// request on and work again once it is enabled.
    async fn set_account_disabled(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account (`Account.id`).")] account_id: ID,
        #[graphql(desc = "true disables, false enables.")] disabled: bool,
    ) -> Result<Account> {
        let id = ids::decode("accountId", Kind::Account, &account_id)?;
        let state = ctx.state()?;
        let access = ctx
            .guard()?
            .account(&state.db, id, AccountNeed::SetDisabled)
            .await?;
        Ok(Account(svc::set_disabled(state, access, disabled).await?))
    }
}
