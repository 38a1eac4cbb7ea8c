//! Reading a GraphQL request off HTTP: a POST body (JSON, or multipart with uploads) within
//! its size cap, or the parameters of a GET.

use super::graphql_response::refuse;
use super::negotiate::{MediaType, JSON};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::http::MultipartOptions;
use async_graphql::{BatchRequest, Request, Variables};
use futures_util::StreamExt;
use serde_json::Value;

/// The GraphQL request of a POST: a JSON body, or a multipart one carrying uploads, read up to
/// the size cap; anything else is answered with a refusal.
pub(super) async fn read_post(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    media: MediaType,
) -> Result<Request, HttpResponse> {
    let bad = |message: &str| refuse(StatusCode::BAD_REQUEST, media, message);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let multipart = essence == "multipart/form-data";
    if essence != JSON && !multipart {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send the request as application/json (or multipart/form-data for uploads)",
        ));
    }
    let cap = if multipart {
        state.settings.max_upload_bytes
    } else {
        state.settings.max_body_bytes
    };
    let body = match read_capped(payload, cap).await {
        Ok(body) => body,
        Err(ReadError::TooLarge) => {
            return Err(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                &format!("the request body is larger than {cap} bytes"),
            ))
        }
        Err(ReadError::Broken) => return Err(bad("the request body could not be read")),
    };
    if !multipart {
        return parse_json_body(&body).map_err(|message| bad(&message));
    }
    let opts = MultipartOptions::default()
        .max_file_size(state.settings.max_upload_bytes)
        .max_num_files(4);
    match async_graphql::http::receive_batch_body(
        Some(content_type),
        futures_util::io::Cursor::new(body),
        opts,
    )
    .await
    {
        Ok(BatchRequest::Single(r)) => Ok(r),
        Ok(BatchRequest::Batch(_)) => Err(bad(
            "batched requests are not supported; send one operation per request",
        )),
        Err(e) => Err(bad(&format!("malformed multipart request: {e}"))),
    }
}

/// The GET parameters of GraphQL over HTTP: `query`, `operationName`, and `variables` and
/// `extensions` as JSON text. (async-graphql's own parser reads `operation_name`.)
#[derive(serde::Deserialize)]
struct GetParams {
    #[serde(default)]
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

pub(super) fn parse_query_string(query_string: &str) -> Result<Request, String> {
    let params = web::Query::<GetParams>::from_query(query_string)
        .map_err(|e| format!("malformed query string: {e}"))?
        .into_inner();
    let mut request = Request::new(params.query);
    if let Some(name) = params.operation_name.filter(|n| !n.is_empty()) {
        request = request.operation_name(name);
    }
    if let Some(text) = params.variables.filter(|v| !v.is_empty()) {
        let json: Value = serde_json::from_str(&text)
            .map_err(|e| format!("\"variables\" is not valid JSON: {e}"))?;
        if !(json.is_object() || json.is_null()) {
            return Err("\"variables\" must be an object".into());
        }
        request = request.variables(Variables::from_json(json));
    }
    if let Some(text) = params.extensions.filter(|v| !v.is_empty()) {
        request.extensions = serde_json::from_str(&text)
            .map_err(|e| format!("\"extensions\" is not valid JSON: {e}"))?;
    }
    Ok(request)
}

fn parse_json_body(body: &[u8]) -> Result<Request, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    match value {
        Value::Array(_) => {
            Err("batched requests are not supported; send one operation per request".into())
        }
        Value::Object(ref obj) => {
            // A persisted query may come as its hash alone (APQ).
            let persisted = obj
                .get("extensions")
                .is_some_and(|e| e.get("persistedQuery").is_some());
            match obj.get("query") {
                Some(Value::String(_)) => {}
                None | Some(Value::Null) if persisted => {}
                _ => return Err("the body must have a string \"query\"".into()),
            }
            if let Some(v) = obj.get("variables") {
                if !(v.is_object() || v.is_null()) {
                    return Err("\"variables\" must be an object".into());
                }
            }
            let mut value = value;
            if let Value::Object(obj) = &mut value {
                obj.entry("query")
                    .or_insert_with(|| Value::String(String::new()));
                if obj.get("query").is_some_and(Value::is_null) {
                    obj.insert("query".into(), Value::String(String::new()));
                }
            }
            serde_json::from_value(value).map_err(|e| format!("malformed GraphQL request: {e}"))
        }
        _ => Err("the body must be a JSON object with a \"query\"".into()),
    }
}

enum ReadError {
    TooLarge,
    Broken,
}

async fn read_capped(mut payload: web::Payload, cap: usize) -> Result<web::BytesMut, ReadError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ReadError::Broken)?;
        if body.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
