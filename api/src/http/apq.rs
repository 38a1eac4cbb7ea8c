//! Automatic persisted queries (Apollo APQ, `extensions.persistedQuery { version: 1, sha256Hash }`).
//!
//! A phone on a slow network sends only the hash of a query it sent before; the first time, it
//! sends the query with its hash and we keep it. The store is the project's [`Cache`], so every
//! replica shares registered queries when Redis is configured.
//!
//! Done here rather than with async-graphql's extension because the HTTP layer inspects the
//! document (GET may only query, alias limits, introspection switch) before execution, and
//! because the errors must carry our stable codes.

use crate::cache::Cache;
use crate::state::AppState;
use async_graphql::Request;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a registered query is kept after it was last registered.
const KEEP_FOR: Duration = Duration::from_secs(7 * 24 * 3600);
/// Larger documents still run, but are not kept (a store is no place for megabytes).
const MAX_STORED_BYTES: usize = 64 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum ApqError {
    /// The hash is not registered: the client sends the query with the hash next.
    NotFound,
    /// A malformed extension, an unsupported version or a hash that does not match its query.
    Invalid(String),
}

/// Whether the request carries `extensions.persistedQuery`.
pub fn is_persisted(request: &Request) -> bool {
    request.extensions.contains_key("persistedQuery")
}

/// Fills in the query of a hash-only request, or registers the query sent with its hash.
/// Requests without the extension pass unchanged.
pub async fn resolve(state: &AppState, mut request: Request) -> Result<Request, ApqError> {
    let Some(ext) = request.extensions.0.remove("persistedQuery") else {
        return Ok(request);
    };
    let hash = hash_of(&ext)?;
    let key = state.cache_key(&["apq", &hash]);
    if request.query.is_empty() {
        request.query = lookup(&state.cache, &key).await.ok_or(ApqError::NotFound)?;
        return Ok(request);
    }
    if sha256_hex(&request.query) != hash {
        return Err(ApqError::Invalid(
            "extensions.persistedQuery.sha256Hash does not match the query".into(),
        ));
    }
    if request.query.len() <= MAX_STORED_BYTES {
        if let Err(e) = state.cache.set(&key, &request.query, KEEP_FOR).await {
            // The query still runs; the client will simply send it in full again.
            tracing::warn!(error.message = %e, "could not store a persisted query");
        }
    }
    Ok(request)
}

fn hash_of(ext: &async_graphql::Value) -> Result<String, ApqError> {
    let json = ext
        .clone()
        .into_json()
        .map_err(|_| ApqError::Invalid("extensions.persistedQuery is malformed".into()))?;
    let version = json.get("version").and_then(serde_json::Value::as_i64);
    if version != Some(1) {
        return Err(ApqError::Invalid(
            "only version 1 of extensions.persistedQuery is supported".into(),
        ));
    }
    match json.get("sha256Hash").and_then(serde_json::Value::as_str) {
        Some(h) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(h.to_ascii_lowercase())
        }
        _ => Err(ApqError::Invalid(
            "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits".into(),
        )),
    }
}

async fn lookup(cache: &Cache, key: &str) -> Option<String> {
    match cache.get(key).await {
        Ok(found) => found,
        Err(e) => {
            // An unreachable store reads as "not found": the client resends the whole query.
            tracing::warn!(error.message = %e, "could not read a persisted query");
            None
        }
    }
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lowercase_hex_sha256() {
        assert_eq!(
            sha256_hex("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn only_version_one_with_a_well_formed_hash_is_accepted() {
        let ext = |v: serde_json::Value| async_graphql::Value::from_json(v).unwrap_or_default();
        let good = "a".repeat(64);
        assert_eq!(
            hash_of(&ext(serde_json::json!({"version": 1, "sha256Hash": good}))),
            Ok(good.clone())
        );
        assert!(matches!(
            hash_of(&ext(serde_json::json!({"version": 2, "sha256Hash": good}))),
            Err(ApqError::Invalid(_))
        ));
        assert!(matches!(
            hash_of(&ext(serde_json::json!({"version": 1, "sha256Hash": "xyz"}))),
            Err(ApqError::Invalid(_))
        ));
    }
}
