//! Outcomes of operations on many items at once, where one failure does not stop the rest:
//! a result per id (bulk enrolment, bulk claim review) and the rows an import refused.

use super::ids::{self, Kind};
use crate::error::AppError;
use async_graphql::{Result, SimpleObject, ID};

/// The outcome for one id of a bulk operation.
#[derive(SimpleObject)]
pub struct BulkItem {
    /// The id the caller sent.
    pub id: ID,
    /// Whether the operation succeeded for this id.
    pub ok: bool,
    /// The error code when not ok (the same codes as `extensions.code`).
    pub code: Option<String>,
    /// Why it failed, for a person to read; null when ok.
    pub message: Option<String>,
}

/// The outcome of an operation on many ids at once: one failure does not stop the rest.
#[derive(SimpleObject)]
pub struct BulkResult {
    /// How many ids succeeded.
    pub succeeded: i32,
    /// How many ids failed.
    pub failed: i32,
    /// A result per id, in the order sent.
    pub items: Vec<BulkItem>,
}

/// Runs `f` for each id (decoded as `kind`), a result per id: one failure does not stop the
/// rest, but an internal error stops it all.
pub async fn bulk<F, Fut>(ids: Vec<ID>, field: &str, kind: Kind, f: F) -> Result<BulkResult>
where
    F: Fn(uuid::Uuid) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let mut items = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        let outcome = match ids::decode(&format!("{field}.{i}"), kind, &id) {
            Ok(uuid) => f(uuid).await,
            Err(e) => Err(e),
        };
        items.push(match outcome {
            Ok(()) => BulkItem {
                id,
                ok: true,
                code: None,
                message: None,
            },
            Err(AppError::Internal(e)) => return Err(AppError::Internal(e).into()),
            Err(e) => BulkItem {
                id,
                ok: false,
                code: Some(e.code().to_owned()),
                message: Some(e.to_string()),
            },
        });
    }
    let succeeded = items.iter().filter(|i| i.ok).count() as i32;
    Ok(BulkResult {
        succeeded,
        failed: items.len() as i32 - succeeded,
        items,
    })
}

/// A completion row that was not posted, and why.
#[derive(SimpleObject)]
pub struct RowRejection {
    /// 1-based: the position in `rows`, or the row in the uploaded file as a spreadsheet
    /// program numbers it (the header is row 1).
    pub row: i32,
    /// The column or input field at fault, e.g. `attendedHours`.
    pub field: String,
    /// A stable code: NOT_FOUND, INVALID_ID, NOT_ENROLLED, NOT_IN_PROVIDER_REGION, OUT_OF_RANGE,
    /// INVALID_FORMAT, REQUIRED…
    pub code: String,
    /// What is wrong, for a person to read.
    pub message: String,
}
