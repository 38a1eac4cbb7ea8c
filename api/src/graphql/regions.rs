//! Regions of the GB/T 2260 tree, and the public queries that walk it.

use super::enums;
use super::ids::{self, Kind};
use super::scalars::Date;
use super::ContextExt;
use crate::error::{AppError, AppResult};
use async_graphql::{Context, Object, Result, ID};
use domain::region::{RegionCode, RegionNode};

pub struct Region(pub RegionNode);

/// An administrative region of the GB/T 2260 tree (country → province → city → county or
/// district). Credits are earned in a region and policies are assigned to regions. Public.
#[Object]
impl Region {
    /// Global id (Relay).
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Region, &self.0.code)
    }
    /// GB/T 2260 six-digit code.
    async fn code(&self) -> &str {
        self.0.code.as_str()
    }
    /// The region's official name, e.g. 市南区.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Where the region sits in the tree.
    async fn level(&self) -> enums::RegionLevel {
        self.0.level.into()
    }
    /// The region directly above; null for the national root.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let state = ctx.state()?;
        Ok(self
            .0
            .parent
            .as_ref()
            .and_then(|p| state.regions.get(p))
            .cloned()
            .map(Region))
    }
    /// The policy in force on `on` (default today): the nearest assignment on the way up that
    /// took effect by then; null when none has. Needs a signed-in caller.
    async fn effective_policy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day to ask about; default today.")] on: Option<Date>,
    ) -> Result<Option<super::policies::CreditPolicy>> {
        super::policies::effective_policy(ctx, &self.0.code, on).await
    }
    /// The regions directly below, by code (GB/T 2260 codes are fixed, not created).
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let state = ctx.state()?;
        Ok(state
            .regions
            .children(&self.0.code)
            .into_iter()
            .cloned()
            .map(Region)
            .collect())
    }
}

pub fn region_of(ctx: &Context<'_>, code: &str) -> AppResult<Option<Region>> {
    let state = ctx.state()?;
    Ok(RegionCode::parse(code)
        .ok()
        .and_then(|c| state.regions.get(&c))
        .cloned()
        .map(Region))
}

#[derive(Default)]
pub struct RegionQuery;

#[Object]
impl RegionQuery {
    /// A region by its GB/T 2260 code; null when no region has that code. Public.
    #[graphql(cache_control(max_age = 3600))]
    async fn region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A six-digit GB/T 2260 code, e.g. \"370202\".")] code: String,
    ) -> Result<Option<Region>> {
        RegionCode::parse(&code).map_err(|e| AppError::bad_input("code", e))?;
        Ok(region_of(ctx, &code)?)
    }

    /// The root regions (the national level), by code, to walk the tree from the top; public.
    #[graphql(cache_control(max_age = 3600))]
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let state = ctx.state()?;
        Ok(state
            .regions
            .roots()
            .into_iter()
            .cloned()
            .map(Region)
            .collect())
    }
}
