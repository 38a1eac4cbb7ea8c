//! WebSocket `/graphql` (graphql-transport-ws): the bearer token arrives in `connection_init`'s
//! payload as `{"Authorization": "Bearer …"}`.

use crate::auth::{principal, token, RequestAuth};
use crate::graphql::AppSchema;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::Data;
use async_graphql_actix_web::GraphQLSubscription;

pub async fn subscribe(
    req: HttpRequest,
    payload: web::Payload,
    schema: web::Data<AppSchema>,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let state = state.get_ref().clone();
    GraphQLSubscription::new(schema.get_ref().clone())
        .on_connection_init(move |init| async move {
            let mut data = Data::default();
            data.insert(authenticate(&state, &init).await);
            Ok(data)
        })
        .start(&req, payload)
}

async fn authenticate(state: &AppState, init: &serde_json::Value) -> RequestAuth {
    let header = init
        .get("Authorization")
        .or_else(|| init.get("authorization"))
        .and_then(|v| v.as_str());
    let Some(bearer) = header else {
        return RequestAuth::Anonymous;
    };
    let Some(token_text) = bearer.strip_prefix("Bearer ") else {
        return RequestAuth::Invalid;
    };
    let Ok(account) = token::verify(&state.settings.jwt_secret, token_text.trim()) else {
        return RequestAuth::Invalid;
    };
    match principal::load(&state.db, account).await {
        Ok(Some(p)) => RequestAuth::Authenticated(p),
        Ok(None) => RequestAuth::Invalid,
        Err(e) => {
            tracing::warn!(error.message = %e, "could not load a subscriber's account");
            RequestAuth::Invalid
        }
    }
}
