//! How the delivery worker behaves, from the environment (README "Configuration").

use crate::config::var;
use anyhow::Context;
use domain::webhook::Schedule;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// Backoff: `WEBHOOK_RETRY_BASE_MS` (first retry delay, doubling), capped at
    /// `WEBHOOK_RETRY_MAX_MS`, for `WEBHOOK_RETRY_FOR_SECONDS` after the event.
    pub schedule: Schedule,
    /// How long one POST may take (`WEBHOOK_TIMEOUT_MS`) before it counts as failed.
    pub timeout: Duration,
    /// How often a worker looks for due deliveries (`WEBHOOK_POLL_MS`).
    pub poll: Duration,
    /// How long a claimed delivery stays a worker's own before another may take it (a worker
    /// that died mid-send); always longer than `timeout`.
    pub lease: Duration,
    /// Deliveries claimed (and sent concurrently) at a time.
    pub batch: u64,
    /// `WEBHOOK_WORKER=false` runs a replica without a worker (the others deliver).
    pub worker: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            schedule: Schedule::default(),
            timeout: Duration::from_secs(5),
            poll: Duration::from_millis(500),
            lease: Duration::from_secs(60),
            batch: 16,
            worker: true,
        }
    }
}

fn millis(name: &str) -> anyhow::Result<Option<u64>> {
    var(name)
        .map(|v| {
            v.parse::<u64>()
                .with_context(|| format!("{name} must be a whole number"))
        })
        .transpose()
}

impl WebhookSettings {
    pub fn from_env() -> anyhow::Result<Self> {
        let mut s = WebhookSettings::default();
        if let Some(ms) = millis("WEBHOOK_RETRY_BASE_MS")? {
            s.schedule.base_ms = ms.max(1);
        }
        if let Some(ms) = millis("WEBHOOK_RETRY_MAX_MS")? {
            s.schedule.cap_ms = ms.max(1);
        }
        if let Some(secs) = millis("WEBHOOK_RETRY_FOR_SECONDS")? {
            s.schedule.window_ms = secs.saturating_mul(1000);
        }
        if let Some(ms) = millis("WEBHOOK_TIMEOUT_MS")? {
            s.timeout = Duration::from_millis(ms.clamp(100, 60_000));
        }
        if let Some(ms) = millis("WEBHOOK_POLL_MS")? {
            s.poll = Duration::from_millis(ms.clamp(10, 60_000));
        }
        if let Some(v) = var("WEBHOOK_WORKER") {
            s.worker = !matches!(
                v.to_ascii_lowercase().as_str(),
                "0" | "false" | "no" | "off"
            );
        }
        s.lease = s.lease.max(s.timeout * 4);
        Ok(s)
    }
}
