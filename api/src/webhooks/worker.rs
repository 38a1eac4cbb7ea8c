//! The delivery worker: one per replica, started with the server and stopped after it. Each
//! round claims the due deliveries (see [`super::claim`]), posts them concurrently and records
//! each attempt: delivered (2xx), retried with backoff, or given up once the retry window of
//! the event has passed.
//!
//! It has its own small connection pool, outside the statement counter of `/metrics`: its
//! polling is the server's own business and must not show up as the cost of requests.

use super::claim::{self, Attempt, Next};
use super::send::{self, Sent};
use super::WebhookSettings;
use crate::clock::Clock;
use crate::metrics::Metrics;
use domain::webhook::Targets;
use entities::{webhook_deliveries, webhook_events, webhooks};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A running worker; [`Worker::stop`] ends it after the round in flight.
pub struct Worker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    db: DatabaseConnection,
}

struct Round {
    db: DatabaseConnection,
    http: reqwest::Client,
    targets: Targets,
    settings: WebhookSettings,
    clock: Clock,
    metrics: Metrics,
}

impl Worker {
    pub fn spawn(
        db: DatabaseConnection,
        settings: WebhookSettings,
        targets: Targets,
        clock: Clock,
        metrics: Metrics,
    ) -> anyhow::Result<Self> {
        let http = send::client(targets, settings.timeout)?;
        let (stop, mut stopped) = watch::channel(false);
        let round = Round {
            db: db.clone(),
            http,
            targets,
            settings,
            clock,
            metrics,
        };
        let task = tokio::spawn(async move {
            loop {
                let busy = match round.run().await {
                    Ok(n) => n as u64 >= round.settings.batch,
                    Err(e) => {
                        tracing::warn!(error.message = %e, "webhook delivery round failed");
                        false
                    }
                };
                // A full batch means more may be due: go again at once.
                let pause = if busy {
                    Duration::ZERO
                } else {
                    round.settings.poll
                };
                tokio::select! {
                    _ = stopped.changed() => break,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        });
        Ok(Worker { stop, task, db })
    }

    /// Stops taking deliveries, waits for the round in flight (bounded by the send timeout)
    /// and closes the worker's connections.
    pub async fn stop(self, wait: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(wait, self.task).await.is_err() {
            tracing::warn!("webhook worker did not stop in time");
        }
        let _ = self.db.close().await;
    }
}

impl Round {
    /// One claim and its sends: how many deliveries were claimed.
    async fn run(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let lease = chrono::Duration::from_std(self.settings.lease)?;
        let claimed = claim::claim(&self.db, now, now + lease, self.settings.batch).await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let hooks: HashMap<_, _> = webhooks::Entity::find()
            .filter(webhooks::Column::Id.is_in(claimed.iter().map(|d| d.webhook_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|h| (h.id, h))
            .collect();
        let events: HashMap<_, _> = webhook_events::Entity::find()
            .filter(webhook_events::Column::Id.is_in(claimed.iter().map(|d| d.event_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        // Sent concurrently, recorded one after the other: the worker's pool stays small.
        let sends = claimed.iter().map(|d| {
            let hook = hooks.get(&d.webhook_id).filter(|h| h.deleted_at.is_none());
            self.attempt(d, hook, events.get(&d.event_id))
        });
        let attempts = futures_util::future::join_all(sends).await;
        for (delivery, attempt) in claimed.iter().zip(attempts) {
            if let Err(e) = self.finish(delivery, attempt).await {
                tracing::warn!(error.message = %e, "webhook attempt not recorded");
            }
        }
        Ok(claimed.len())
    }

    /// Posts one delivery; `None` when it can no longer be sent (its webhook was deleted).
    async fn attempt(
        &self,
        delivery: &webhook_deliveries::Model,
        hook: Option<&webhooks::Model>,
        event: Option<&webhook_events::Model>,
    ) -> Option<Attempt> {
        let (hook, event) = (hook?, event?);
        let started = self.clock.now();
        let sent = send::post(&self.http, self.targets, hook, event, started.timestamp()).await;
        let at = self.clock.now();
        let (response_status, error) = match sent {
            Sent::Answered(status) => (Some(status), None),
            Sent::Failed(why) => (None, Some(why)),
        };
        let next = match response_status {
            Some(s) if (200..300).contains(&s) => Next::Delivered,
            _ => self.retry(delivery, event, at),
        };
        Some(Attempt {
            at,
            response_status,
            error,
            next,
        })
    }

    async fn finish(
        &self,
        delivery: &webhook_deliveries::Model,
        attempt: Option<Attempt>,
    ) -> anyhow::Result<()> {
        let Some(attempt) = attempt else {
            claim::abandon(&self.db, delivery).await?;
            return Ok(());
        };
        if !claim::record(&self.db, delivery, &attempt).await? {
            tracing::warn!(webhook.delivery_id = %delivery.id, "webhook lease lost before the attempt was recorded");
            return Ok(());
        }
        self.metrics.webhook_delivery(match attempt.next {
            Next::Delivered => "succeeded",
            Next::RetryAt(_) => "retrying",
            Next::GiveUp => "failed",
        });
        tracing::info!(
            webhook.id = %delivery.webhook_id,
            webhook.delivery_id = %delivery.id,
            webhook.attempt = delivery.attempts + 1,
            http.status = attempt.response_status.unwrap_or(0),
            webhook.error = attempt.error.unwrap_or(""),
            "webhook attempt"
        );
        Ok(())
    }

    /// The next attempt after a failed one, or giving up once the event's window is spent.
    fn retry(
        &self,
        delivery: &webhook_deliveries::Model,
        event: &webhook_events::Model,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Next {
        let failed = u32::try_from(delivery.attempts + 1).unwrap_or(u32::MAX);
        let elapsed = u64::try_from((at - event.occurred_at).num_milliseconds()).unwrap_or(0);
        let jitter = rand::random::<u64>() % 1001;
        match self
            .settings
            .schedule
            .next_attempt_ms(failed, elapsed, jitter)
            .and_then(|ms| chrono::TimeDelta::try_milliseconds(i64::try_from(ms).ok()?))
            .and_then(|after| event.occurred_at.checked_add_signed(after))
        {
            Some(when) => Next::RetryAt(when),
            None => Next::GiveUp,
        }
    }
}
