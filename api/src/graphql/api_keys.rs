//! API keys: `createApiKey`, `revokeApiKey`, and the `ApiKey` type `Viewer.apiKeys` lists.

use super::ids::{self, Kind};
use super::scalars::Date;
use super::ContextExt;
use crate::auth::OwnNeed;
use crate::services::api_keys as svc;
use async_graphql::{Context, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::api_keys;

pub struct ApiKey(pub api_keys::Model);

/// A key a machine client signs in with (`Authorization: Bearer <key>`), acting with its
/// account's role and scope. Only its start (`prefix`) is ever shown again, never the key.
#[Object]
impl ApiKey {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::ApiKey, self.0.id)
    }
    /// What the owner called it ("registrar nightly sync").
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The key's visible start (`cbk_1a2b3c4d`), to tell keys apart; the rest is secret.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    /// When the key was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the key last signed a request in, to the minute; null if never used.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    /// The last day (in the server's `TIME_ZONE`) the key works; null: until revoked.
    async fn expires_on(&self) -> Option<Date> {
        self.0.expires_on.map(Date)
    }
    /// When the key was revoked; null while it is not.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

/// The answer to `createApiKey`: the key itself, shown this once.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    /// The whole key (`cbk_<prefix>_<secret>`): store it now, it is never shown again. Send it
    /// as `Authorization: Bearer <key>`.
    key: String,
    /// The key's record, as `Viewer.apiKeys` lists it.
    api_key: ApiKey,
}

#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Makes an API key for the caller's own account (signed in with a password, not with
    /// another key). The key acts with exactly the account's role and scope.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A name to recognise the key by, 1 to 100 characters.")] name: String,
        #[graphql(desc = "The last day the key works; left out, it works until revoked.")]
        expires_on: Option<Date>,
    ) -> Result<CreatedApiKey> {
        let own = ctx.guard()?.own(OwnNeed::MintKey)?;
        let created = svc::create(ctx.state()?, &own, &name, expires_on.map(|d| d.0)).await?;
        Ok(CreatedApiKey {
            key: created.text,
            api_key: ApiKey(created.key),
        })
    }

    /// Revokes a key: its owner, or an admin over its account. Requests with it are
    /// `UNAUTHENTICATED` from then on.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key's id (`ApiKey.id`).")] id: ID,
    ) -> Result<ApiKey> {
        let id = ids::decode("id", Kind::ApiKey, &id)?;
        let state = ctx.state()?;
        let access = ctx.guard()?.api_key(&state.db, id).await?;
        Ok(ApiKey(svc::revoke(state, access).await?))
    }
}
