//! What every request shares: built once at start-up.

use crate::cache::Cache;
use crate::config::Settings;
use crate::events::Events;
use crate::metrics::Metrics;
use domain::region::RegionTree;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub cache: Cache,
    pub settings: Arc<Settings>,
    /// The administrative region tree. Regions only change through migrations, so it is
    /// loaded once after migrating.
    pub regions: Arc<RegionTree>,
    pub metrics: Metrics,
    /// Record changes for live subscriptions.
    pub events: Events,
    /// Signs and verifies transcripts.
    pub signer: Arc<crate::signing::Signer>,
    /// "now" in UTC and "today" in `TIME_ZONE`; the only clock services read.
    pub clock: crate::clock::Clock,
    /// Public answers kept by the server (see [`crate::response_cache`]).
    pub responses: Arc<crate::response_cache::ResponseCache>,
}

impl AppState {
    pub fn cache_key(&self, parts: &[&str]) -> String {
        let mut key = self.settings.cache_prefix.clone();
        key.push_str(&parts.join(":"));
        key
    }
}
