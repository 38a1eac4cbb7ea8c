//! The compliance snapshot worker (issue 17): one per replica, started with the server and
//! stopped after it. What it runs lives in `services::snapshots` and `services::snapshot_queue`.

mod metrics;
mod worker;

pub use metrics::SnapshotMetrics;
pub use worker::{drain, Worker};
