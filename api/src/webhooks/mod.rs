//! Webhooks out of the transactional outbox: the events services write (see
//! `services::outbox`) are posted to the webhooks that may hear them by a worker in every
//! replica ([`worker::Worker`]), signed ([`send`]), retried with backoff and recorded
//! ([`claim`]).

pub mod claim;
pub mod send;
mod settings;
pub mod worker;

pub use settings::WebhookSettings;
pub use worker::Worker;
