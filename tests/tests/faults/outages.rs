//! PostgreSQL and Redis stopped and restarted under the steady load, with the checks and
//! figures of the fault suite's header.

use crate::load::{client, post, until_ready, Load, Outcome, Teacher, CLAIM, DEADLINE};
use crate::services::Stack;
use futures_util::{SinkExt, StreamExt};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::{client::IntoClientRequest, Message};

const OUTAGE: Duration = Duration::from_secs(4);
const FLIP: Duration = Duration::from_secs(1);

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// Nothing hung, and every failure was `UNAVAILABLE` with 503.
fn check_outcomes(outcomes: &[Outcome], failures_allowed: bool) -> Vec<&Outcome> {
    let hung: Vec<_> = outcomes
        .iter()
        .filter(|o| o.status == 0 || o.took >= DEADLINE)
        .collect();
    assert!(hung.is_empty(), "requests hung past {DEADLINE:?}: {hung:?}");
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|o| o.status != 200 || o.code.is_some())
        .collect();
    let wrong: Vec<_> = failed
        .iter()
        .filter(|o| o.status != 503 || o.code.as_deref() != Some("UNAVAILABLE"))
        .collect();
    assert!(
        wrong.is_empty(),
        "failures that are not UNAVAILABLE with 503: {wrong:?}"
    );
    assert!(
        failures_allowed || failed.is_empty(),
        "failures where none may be: {failed:?}"
    );
    failed
}

pub async fn postgres_stops_and_returns(
    stack: &mut Stack,
    bases: &[String],
    teacher: &Teacher,
    db: &DatabaseConnection,
) {
    let load = Load::start(bases, teacher, 4);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let logged_before = stack.log_lines("\"dependency\":\"database\"");
    stack.stop_postgres();
    let stopped = Instant::now();
    let down = until_ready(&bases[0], Duration::from_secs(5), |s, b| {
        s == 503 && b["database"]["status"] == "down"
    })
    .await;
    let down = down.expect("readiness says down");
    tokio::time::sleep(OUTAGE.saturating_sub(stopped.elapsed())).await;
    stack.start_postgres();
    let back = Instant::now();
    let up = until_ready(&bases[0], Duration::from_secs(10), |s, _| s == 200)
        .await
        .expect("ready again");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut seen = load.stop().await;
    let failed = check_outcomes(&seen.outcomes, true);
    assert!(!failed.is_empty(), "the outage was seen");
    let slowest_failure = failed.iter().map(|o| o.took).max().unwrap_or_default();
    let recovered = seen
        .outcomes
        .iter()
        .filter(|o| o.at >= back && o.status == 200 && o.code.is_none() && o.kind == "claim")
        .map(|o| o.at + o.took - back)
        .min()
        .expect("a claim succeeded after the database returned");
    let logged = stack.log_lines("\"dependency\":\"database\"") - logged_before;
    println!(
        "postgres: {} requests, {} failed (all UNAVAILABLE/503), slowest failure {}, readiness down after {}, up {} after restart, first claim recorded {} after restart, {} incident log lines",
        seen.outcomes.len(), failed.len(), ms(slowest_failure), ms(down), ms(up), ms(recovered), logged
    );
    assert!(
        down < FLIP && up < FLIP,
        "readiness flips within a second: {down:?} / {up:?}"
    );
    assert!(
        logged <= 2 * (2 + OUTAGE.as_secs() as usize / 10),
        "one log line per incident, not per request: {logged}"
    );

    // Retried with their keys, the unanswered claims are recorded once; the answered ones
    // answer their first id again.
    let c = client();
    let unanswered = std::mem::take(&mut seen.unanswered);
    for key in &unanswered {
        let (status, body) = post(
            &c,
            &bases[0],
            Some(&teacher.token),
            CLAIM,
            json!({"k": key}),
        )
        .await;
        let id = body["data"]["claimCredit"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("retry {status}: {body}"));
        seen.acknowledged.push((key.clone(), id.to_owned()));
    }
    for (key, id) in seen.acknowledged.iter().take(20) {
        let (_, body) = post(
            &c,
            &bases[1],
            Some(&teacher.token),
            CLAIM,
            json!({"k": key}),
        )
        .await;
        assert_eq!(
            body["data"]["claimCredit"]["id"].as_str(),
            Some(id.as_str()),
            "a retry returns the first claim"
        );
    }
    let ids: Vec<String> = seen
        .acknowledged
        .iter()
        .map(|(_, id)| format!("'{}'", credit_bank_tests::uuid_of(id)))
        .collect();
    let found = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM credit_records WHERE id IN ({})",
            ids.join(",")
        ),
    )
    .await;
    assert_eq!(
        found,
        ids.len() as i64,
        "every acknowledged claim is in the ledger"
    );
    let twice = count(db, "SELECT count(*) AS n FROM (SELECT idempotency_key FROM credit_records GROUP BY teacher_id, idempotency_key HAVING count(*) > 1) d").await;
    assert_eq!(twice, 0, "nothing written twice");
    println!("postgres: {} claims acknowledged, all in the ledger; {} retried after the outage, none twice", ids.len(), unanswered.len());
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn subscriber(base: &str, token: &str) -> Socket {
    let mut request = format!("{}/graphql", base.replace("http://", "ws://"))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    socket
        .send(Message::Text(init.to_string().into()))
        .await
        .expect("init");
    let sub = json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { creditRecordChanged { id } }"}});
    socket
        .send(Message::Text(sub.to_string().into()))
        .await
        .expect("subscribe");
    socket
}

/// Whether the socket hears a change of record `id` within `within`.
async fn hears(socket: &mut Socket, id: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match tokio::time::timeout(left, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if v["payload"]["data"]["creditRecordChanged"]["id"] == id {
                    return true;
                }
            }
            Ok(Some(Ok(_))) => {}
            _ => return false,
        }
    }
    false
}

/// Claims on `a` until `socket` (on another instance) hears one; how long that took.
async fn relayed(
    a: &str,
    teacher: &Teacher,
    socket: &mut Socket,
    within: Duration,
) -> Option<Duration> {
    let c = client();
    let started = Instant::now();
    while started.elapsed() < within {
        let key = format!("relay-{}", uuid::Uuid::new_v4().simple());
        let (_, body) = post(&c, a, Some(&teacher.token), CLAIM, json!({"k": key})).await;
        let id = body["data"]["claimCredit"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if hears(socket, &id, Duration::from_millis(300)).await {
            return Some(started.elapsed());
        }
    }
    None
}

pub async fn redis_stops_and_returns(stack: &mut Stack, bases: &[String], teacher: &Teacher) {
    let mut socket = subscriber(&bases[1], &teacher.token).await;
    relayed(&bases[0], teacher, &mut socket, Duration::from_secs(5))
        .await
        .expect("the relay works before the outage");
    let load = Load::start(bases, teacher, 4);
    tokio::time::sleep(Duration::from_secs(1)).await;
    stack.stop_redis();
    let stopped = Instant::now();
    let degraded = until_ready(&bases[0], Duration::from_secs(5), |s, b| {
        s == 200 && b["cache"]["status"] == "degraded"
    })
    .await
    .expect("readiness says degraded");
    tokio::time::sleep(OUTAGE.saturating_sub(stopped.elapsed())).await;
    let metrics = client()
        .get(format!("{}/metrics", bases[0]))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("credit_bank_cache_degraded 1"),
        "metrics say degraded"
    );
    stack.start_redis();
    let back = Instant::now();
    let mut ok_again = Duration::ZERO;
    for base in bases {
        let t = until_ready(base, Duration::from_secs(5), |s, b| {
            s == 200 && b["cache"]["status"] == "ok"
        })
        .await
        .expect("cache ok again");
        ok_again = ok_again.max(t);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let seen = load.stop().await;
    check_outcomes(&seen.outcomes, false);
    let logins = seen
        .outcomes
        .iter()
        .filter(|o| o.kind == "login" && o.at > stopped && o.at < back)
        .count();
    assert!(logins > 0, "logins were tried during the outage");
    let slowest = seen
        .outcomes
        .iter()
        .map(|o| o.took)
        .max()
        .unwrap_or_default();
    while hears(&mut socket, "drain", Duration::from_millis(200)).await {}
    let resumed = relayed(&bases[0], teacher, &mut socket, Duration::from_secs(10))
        .await
        .expect("the relay resumes");
    println!(
        "redis: no failed request ({logins} logins during the outage), slowest request {}, readiness degraded after {}, ok {} after restart, relay heard again {} after readiness",
        ms(slowest), ms(degraded), ms(ok_again), ms(resumed)
    );
    assert!(
        degraded < FLIP && ok_again < FLIP,
        "readiness flips within a second: {degraded:?} / {ok_again:?}"
    );
}
