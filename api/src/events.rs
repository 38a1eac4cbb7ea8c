//! Changes that live subscriptions hear about: a credit record was created or changed state.
//!
//! Every instance publishes into its own broadcast channel; with Redis configured the event is
//! also published on a Redis channel and every instance relays what it hears there, so a
//! subscriber connected to one instance sees changes made through another.

use crate::faults::{self, Dependency};
use entities::credit_records;
use futures_util::StreamExt;
use redis::aio::PubSub;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub record_id: Uuid,
    pub teacher_id: Uuid,
    pub school_id: Uuid,
    pub region_code: String,
    pub status: String,
    pub next_step: Option<String>,
    /// Which instance published it, so an instance ignores its own events coming back from Redis.
    pub origin: Uuid,
}

impl Event {
    pub fn record_changed(r: &credit_records::Model) -> Self {
        Self {
            record_id: r.id,
            teacher_id: r.teacher_id,
            school_id: r.school_id,
            region_code: r.region_code.clone(),
            status: r.status.clone(),
            next_step: r.next_step.clone(),
            origin: Uuid::nil(),
        }
    }
}

#[derive(Clone)]
pub struct Events {
    local: broadcast::Sender<Event>,
    instance: Uuid,
    redis: Option<RedisRelay>,
}

#[derive(Clone)]
struct RedisRelay {
    publisher: redis::aio::ConnectionManager,
    channel: String,
    timeout: Duration,
    /// The relay task runs while this lives; it holds only a weak reference.
    _alive: Arc<()>,
}

/// How long the relay waits before subscribing again after Redis went away.
const RESUBSCRIBE_AFTER: Duration = Duration::from_millis(500);

impl Events {
    pub fn in_process() -> Self {
        let (local, _) = broadcast::channel(1024);
        Self {
            local,
            instance: Uuid::new_v4(),
            redis: None,
        }
    }

    /// Also publishes on `channel` in Redis and relays what other instances publish there.
    /// Redis need not be up: the relay subscribes (again) whenever it can, so subscriptions
    /// hear other instances again once Redis is back; meanwhile events stay on this instance.
    pub async fn with_redis(url: &str, channel: String) -> anyhow::Result<Self> {
        Self::with_redis_timeout(url, channel, Duration::from_millis(250))
    }

    pub fn with_redis_timeout(
        url: &str,
        channel: String,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let mut events = Self::in_process();
        let client = redis::Client::open(url)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1);
        let publisher =
            redis::aio::ConnectionManager::new_lazy_with_config(client.clone(), config)?;
        let alive = Arc::new(());
        tokio::spawn(relay(
            client,
            channel.clone(),
            events.local.clone(),
            events.instance,
            Arc::downgrade(&alive),
            timeout,
        ));
        events.redis = Some(RedisRelay {
            publisher,
            channel,
            timeout,
            _alive: alive,
        });
        Ok(events)
    }

    pub async fn publish(&self, mut event: Event) {
        event.origin = self.instance;
        // No receiver is normal (nobody subscribed); the event is simply not needed.
        let _ = self.local.send(event.clone());
        if let Some(relay) = &self.redis {
            let mut conn = relay.publisher.clone();
            let payload = match serde_json::to_string(&event) {
                Ok(p) => p,
                Err(_) => return,
            };
            let sent = tokio::time::timeout(
                relay.timeout,
                redis::cmd("PUBLISH")
                    .arg(&relay.channel)
                    .arg(payload)
                    .query_async::<i64>(&mut conn),
            )
            .await;
            match sent {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => faults::record(Dependency::Cache, &e),
                Err(_) => faults::record(Dependency::Cache, &"PUBLISH timed out"),
            }
        }
    }

    /// Publishes `events` in order: like [`Events::publish`] each, but in one Redis round trip,
    /// so an import of thousands of records costs one `PUBLISH` pipeline, not thousands of waits.
    pub async fn publish_all(&self, events: Vec<Event>) {
        let mut payloads = Vec::with_capacity(events.len());
        for mut event in events {
            event.origin = self.instance;
            let _ = self.local.send(event.clone());
            if let Ok(p) = serde_json::to_string(&event) {
                payloads.push(p);
            }
        }
        let Some(relay) = &self.redis else {
            return;
        };
        if payloads.is_empty() {
            return;
        }
        let mut pipe = redis::pipe();
        for p in payloads {
            pipe.cmd("PUBLISH").arg(&relay.channel).arg(p).ignore();
        }
        let mut conn = relay.publisher.clone();
        match tokio::time::timeout(relay.timeout, pipe.query_async::<()>(&mut conn)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => faults::record(Dependency::Cache, &e),
            Err(_) => faults::record(Dependency::Cache, &"PUBLISH timed out"),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }
}

/// Subscribes to `channel` and relays what other instances publish, subscribing again
/// whenever the connection ends (Redis restarted), until the `Events` is dropped.
async fn relay(
    client: redis::Client,
    channel: String,
    local: broadcast::Sender<Event>,
    me: Uuid,
    alive: Weak<()>,
    timeout: Duration,
) {
    let mut was_down = false;
    while alive.strong_count() > 0 {
        match tokio::time::timeout(timeout * 4, subscribe(&client, &channel)).await {
            Ok(Ok(pubsub)) => {
                if was_down {
                    tracing::info!("the Redis event relay resumed");
                }
                was_down = false;
                forward(pubsub, &local, me, &alive).await;
            }
            Ok(Err(e)) => {
                faults::record(Dependency::Cache, &e);
                was_down = true;
            }
            Err(_) => was_down = true,
        }
        tokio::time::sleep(RESUBSCRIBE_AFTER).await;
    }
}

async fn subscribe(client: &redis::Client, channel: &str) -> redis::RedisResult<PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    Ok(pubsub)
}

/// Relays until the subscription's connection ends.
async fn forward(pubsub: PubSub, local: &broadcast::Sender<Event>, me: Uuid, alive: &Weak<()>) {
    let mut messages = pubsub.into_on_message();
    while let Some(msg) = messages.next().await {
        if alive.strong_count() == 0 {
            return;
        }
        let Ok(payload) = msg.get_payload::<String>() else {
            continue;
        };
        match serde_json::from_str::<Event>(&payload) {
            Ok(event) if event.origin != me => {
                let _ = local.send(event);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error.message = %e, "unreadable event on the Redis channel"),
        }
    }
    tracing::warn!("the Redis event relay lost its connection; subscribing again");
}
