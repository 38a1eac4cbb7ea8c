//! WebSocket `/graphql` (graphql-transport-ws): the bearer token arrives in `connection_init`'s
//! payload as `{"Authorization": "Bearer …"}`.

use crate::auth::{bearer, RequestAuth};
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
    match bearer::authenticate(state, header).await {
        Ok(auth) => auth,
        Err(e) => {
            tracing::warn!(error.message = %e, "could not load a subscriber's account");
            RequestAuth::Invalid
        }
    }
}
