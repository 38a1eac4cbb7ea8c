//! Posting one event to one webhook, signed per Standard Webhooks: headers `webhook-id` (the
//! event's id, the same on every retry, so receivers can drop duplicates), `webhook-timestamp`
//! (Unix seconds of this attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//! "id.timestamp.body">` keyed by the webhook's `whsec_` secret (the `standardwebhooks` crate).
//!
//! In production every address a target's name resolves to is checked when the connection is
//! made (a resolver that refuses private addresses), so a name that pointed somewhere public
//! at creation cannot be turned towards the server's own network later (DNS rebinding);
//! redirects are never followed, for the same reason.

use domain::webhook::{self, Targets};
use entities::{webhook_events, webhooks};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::time::Duration;

/// The body a receiver gets: `{ id type occurredAt data }`.
pub fn body(event: &webhook_events::Model) -> String {
    let data: serde_json::Value =
        serde_json::from_str(&event.payload).unwrap_or(serde_json::Value::Null);
    serde_json::json!({
        "id": event.id.to_string(),
        "type": event.event_type,
        "occurredAt": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}

/// The outcome of one POST: the receiver's status, or why there was none.
pub enum Sent {
    Answered(u16),
    Failed(&'static str),
}

pub fn client(targets: Targets, timeout: Duration) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("credit-bank-webhooks/", env!("CARGO_PKG_VERSION")));
    match targets {
        Targets::PublicOnly => builder.dns_resolver(std::sync::Arc::new(PublicOnly)),
        Targets::Anywhere => builder,
    }
    .build()
}

pub async fn post(
    client: &reqwest::Client,
    targets: Targets,
    hook: &webhooks::Model,
    event: &webhook_events::Model,
    timestamp: i64,
) -> Sent {
    let Ok(url) = reqwest::Url::parse(&hook.url) else {
        return Sent::Failed("INVALID_URL");
    };
    // An address literal never reaches the resolver: judge it here.
    let allowed = webhook::check_scheme(url.scheme(), targets)
        .and_then(|()| webhook::check_host(url.host_str().unwrap_or_default(), targets));
    if allowed.is_err() {
        return Sent::Failed("REFUSED_TARGET");
    }
    let body = body(event);
    let id = event.id.to_string();
    let signature = match standardwebhooks::Webhook::new(&hook.secret)
        .and_then(|signer| signer.sign(&id, timestamp, body.as_bytes()))
    {
        Ok(s) => s,
        Err(_) => return Sent::Failed("BAD_SECRET"),
    };
    let sent = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(standardwebhooks::HEADER_WEBHOOK_ID, id)
        .header(
            standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
            timestamp.to_string(),
        )
        .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(res) => Sent::Answered(res.status().as_u16()),
        Err(e) if e.is_timeout() => Sent::Failed("TIMEOUT"),
        Err(e) if e.is_connect() && refused_address(&e) => Sent::Failed("REFUSED_ADDRESS"),
        Err(e) if e.is_connect() => Sent::Failed("CONNECT"),
        Err(_) => Sent::Failed("REQUEST"),
    }
}

fn refused_address(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<RefusedAddress>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// A name resolving to any address that is not public.
#[derive(Debug, thiserror::Error)]
#[error("the webhook's host resolves to an address that is not public")]
pub struct RefusedAddress;

/// Resolves with the system resolver and refuses the name if any of its addresses is not
/// public (one private answer among public ones is how rebinding is usually attempted).
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let addrs = resolve_public(name.as_str()).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Every address of `host`, if all of them are public.
pub async fn resolve_public(
    host: &str,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0)).await?.collect();
    if addrs.is_empty() || addrs.iter().any(|a| !webhook::is_public(a.ip())) {
        return Err(Box::new(RefusedAddress));
    }
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_name_for_this_machine_is_refused_when_resolved() {
        let refused = resolve_public("localhost").await.unwrap_err();
        assert!(refused.is::<RefusedAddress>());
    }

    #[tokio::test]
    async fn a_production_client_refuses_loopback_literals_and_names() {
        let client = client(Targets::PublicOnly, Duration::from_secs(1)).unwrap();
        let hook = |url: &str| webhooks::Model {
            id: uuid::Uuid::nil(),
            account_id: uuid::Uuid::nil(),
            url: url.to_owned(),
            events: "[]".into(),
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
            created_at: chrono::Utc::now(),
            deleted_at: None,
        };
        let event = webhook_events::Model {
            id: uuid::Uuid::nil(),
            event_type: "COURSE_APPROVED".into(),
            occurred_at: chrono::Utc::now(),
            payload: "{}".into(),
            subject_id: uuid::Uuid::nil(),
            teacher_id: None,
            provider_id: None,
            university_id: None,
        };
        for url in [
            "https://127.0.0.1:9/",
            "https://[::1]:9/",
            "http://93.184.216.34/",
            "https://localhost:9/",
            "https://169.254.169.254/latest/meta-data/",
        ] {
            match post(&client, Targets::PublicOnly, &hook(url), &event, 0).await {
                Sent::Failed("REFUSED_TARGET") => {}
                Sent::Failed(code) => panic!("{url}: {code}, expected REFUSED_TARGET"),
                Sent::Answered(s) => panic!("{url} was sent ({s})"),
            }
        }
    }
}
