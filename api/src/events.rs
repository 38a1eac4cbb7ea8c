//! Changes that live subscriptions hear about: a credit record was created or changed state.
//!
//! Every instance publishes into its own broadcast channel; with Redis configured the event is
//! also published on a Redis channel and every instance relays what it hears there, so a
//! subscriber connected to one instance sees changes made through another.

use entities::credit_records;
use serde::{Deserialize, Serialize};
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
    redis: Option<(redis::aio::ConnectionManager, String)>,
}

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
    pub async fn with_redis(url: &str, channel: String) -> anyhow::Result<Self> {
        let mut events = Self::in_process();
        let client = redis::Client::open(url)?;
        let manager = redis::aio::ConnectionManager::new(client.clone()).await?;
        let mut pubsub = client.get_async_pubsub().await?;
        pubsub.subscribe(&channel).await?;
        let local = events.local.clone();
        let me = events.instance;
        tokio::spawn(async move {
            use futures_util::StreamExt;
            let mut messages = pubsub.into_on_message();
            while let Some(msg) = messages.next().await {
                let Ok(payload) = msg.get_payload::<String>() else {
                    continue;
                };
                match serde_json::from_str::<Event>(&payload) {
                    Ok(event) if event.origin != me => {
                        let _ = local.send(event);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error.message = %e, "unreadable event on the Redis channel")
                    }
                }
            }
            tracing::warn!("the Redis event relay stopped");
        });
        events.redis = Some((manager, channel));
        Ok(events)
    }

    pub async fn publish(&self, mut event: Event) {
        event.origin = self.instance;
        // No receiver is normal (nobody subscribed); the event is simply not needed.
        let _ = self.local.send(event.clone());
        if let Some((manager, channel)) = &self.redis {
            let mut conn = manager.clone();
            let payload = match serde_json::to_string(&event) {
                Ok(p) => p,
                Err(_) => return,
            };
            let sent: Result<i64, _> = redis::cmd("PUBLISH")
                .arg(channel)
                .arg(payload)
                .query_async(&mut conn)
                .await;
            if let Err(e) = sent {
                tracing::warn!(error.message = %e, "could not publish an event to Redis");
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }
}
