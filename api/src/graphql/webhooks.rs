//! Webhooks: `createWebhook`, `deleteWebhook`, the `Webhook` type `Viewer.webhooks` lists and
//! its `deliveries`.

use super::connection::{from_page, Conn};
use super::ids::{self, Kind};
use super::ContextExt;
use crate::auth::{Guard, OwnNeed};
use crate::error::AppError;
use crate::services::page::PageRequest;
use crate::services::webhooks as svc;
use async_graphql::{Context, Enum, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};
use domain::webhook::EventType;
use entities::{webhook_deliveries, webhooks};

/// What a webhook can be told about. Each event's `data` names what changed by global id; read
/// the rest through the API. An event reaches a webhook only if its account may read it.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::webhook::EventType")]
pub enum WebhookEventType {
    /// A course was approved (`data`: `courseId`, `providerId`, `code`, `status`). To the
    /// course's provider and the region admins over it.
    CourseApproved,
    /// A course was rejected and is back in DRAFT (`data` as for COURSE_APPROVED).
    CourseRejected,
    /// A place was taken, wait-listed, moved up or withdrawn (`data`: `enrollmentId`,
    /// `courseId`, `teacherId`, `status`).
    EnrollmentChanged,
    /// A ledger record was posted or changed state (`data`: `creditRecordId`, `teacherId`,
    /// `courseId`, `status`, `nextStep`); a provider hears only its own courses' records.
    CreditRecordChanged,
    /// A teacher asked for a conversion (`data`: `conversionId`, `teacherId`, `universityId`,
    /// `status`).
    ConversionRequested,
    /// A university decided a conversion (`data` as for CONVERSION_REQUESTED).
    ConversionDecided,
    /// A teacher granted a university access (`data`: `accessGrantId`, `teacherId`,
    /// `universityId`, `expiresOn`, `revoked`).
    AccessGranted,
    /// A teacher ended a university's access (`data` as for ACCESS_GRANTED).
    AccessRevoked,
}

/// Where a delivery stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookDeliveryStatus {
    /// Not delivered yet: waiting for its first attempt or its next retry.
    Pending,
    /// The receiver answered 2xx.
    Succeeded,
    /// Given up: no 2xx within the retry window (a day by default), or the webhook was deleted.
    Failed,
}

pub struct Webhook {
    row: webhooks::Model,
    /// Set only in the answer to `createWebhook`.
    show_secret: bool,
}

/// A URL the events an account may read are posted to, signed per Standard Webhooks with the
/// webhook's secret. Seen only by the account that created it.
#[Object]
impl Webhook {
    /// Global id (Relay).
    async fn id(&self) -> ID {
        ids::encode(Kind::Webhook, self.row.id)
    }
    /// Where events are POSTed.
    async fn url(&self) -> &str {
        &self.row.url
    }
    /// The events it is told about.
    async fn events(&self) -> Result<Vec<WebhookEventType>> {
        Ok(svc::events_of(&self.row)?
            .into_iter()
            .map(WebhookEventType::from)
            .collect())
    }
    /// The signing secret (`whsec_<base64>`): only in the answer to `createWebhook`, null
    /// afterwards. Verify each delivery's `webhook-signature` with it.
    async fn secret(&self) -> Option<&str> {
        self.show_secret.then_some(self.row.secret.as_str())
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    /// What was sent to it, newest first.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, up to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> Result<Conn<WebhookDelivery>> {
        let page = PageRequest::parse(first, after.as_deref())?;
        let own = ctx.guard()?.own(OwnNeed::Webhooks)?;
        let found = svc::deliveries(ctx.state()?, &own, &self.row, &page).await?;
        Ok(from_page(found, page.after.is_some(), WebhookDelivery))
    }
}

pub struct WebhookDelivery(pub webhook_deliveries::Model);

/// One event sent (or being sent) to one webhook, with its attempts so far.
#[Object]
impl WebhookDelivery {
    /// Global id (Relay).
    async fn id(&self) -> ID {
        ids::encode(Kind::WebhookDelivery, self.0.id)
    }
    /// The event delivered.
    async fn event_type(&self) -> Result<WebhookEventType> {
        let event: EventType = self.0.event_type.parse().map_err(AppError::corrupt)?;
        Ok(event.into())
    }
    /// PENDING, SUCCEEDED or FAILED (given up).
    async fn status(&self) -> WebhookDeliveryStatus {
        match self.0.status.as_str() {
            crate::webhooks::claim::SUCCEEDED => WebhookDeliveryStatus::Succeeded,
            crate::webhooks::claim::FAILED => WebhookDeliveryStatus::Failed,
            _ => WebhookDeliveryStatus::Pending,
        }
    }
    /// How many times it was POSTed.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When it was last POSTed; null before the first attempt.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }
    /// The HTTP status the receiver last answered; null if it never answered (refused,
    /// timed out) or before the first attempt.
    async fn response_status(&self) -> Option<i32> {
        self.0.response_status
    }
}

/// A new webhook.
#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// Where to POST: `https://` (in development also `http://`), never a loopback, private or
    /// link-local address in production.
    pub url: String,
    /// At least one event, each one the account's kind can read.
    pub events: Vec<WebhookEventType>,
}

/// The caller's webhooks, for `Viewer.webhooks`.
pub async fn of_viewer(ctx: &Context<'_>, guard: &Guard<'_>) -> Result<Vec<Webhook>> {
    let hooks = svc::of_viewer(ctx.state()?, &guard.own(OwnNeed::Webhooks)?).await?;
    Ok(hooks
        .into_iter()
        .map(|row| Webhook {
            row,
            show_secret: false,
        })
        .collect())
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers a webhook for the caller's account: the events it names are POSTed to `url`
    /// as `{ id type occurredAt data }`, signed, and retried with backoff for a day. The
    /// answer carries the signing secret, shown this once.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where to send, and which events.")] input: CreateWebhookInput,
    ) -> Result<Webhook> {
        let events: Vec<EventType> = input.events.into_iter().map(EventType::from).collect();
        let events = svc::subscription(&events)?;
        let own = ctx.guard()?.subscriber(&events)?;
        let row = svc::create(ctx.state()?, &own, &input.url, events).await?;
        Ok(Webhook {
            row,
            show_secret: true,
        })
    }

    /// Deletes one of the caller's webhooks; what it had not received yet is not sent.
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook's id.")] id: ID,
    ) -> Result<bool> {
        let id = ids::decode("id", Kind::Webhook, &id)?;
        let own = ctx.guard()?.own(OwnNeed::Webhooks)?;
        Ok(svc::delete(ctx.state()?, &own, id).await?)
    }
}
