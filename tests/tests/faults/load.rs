//! A small steady load on loopback — a few clients, each sending a claim (with its own
//! idempotency key), a read and now and then a login, in a loop — and what it saw: every
//! answer's status, code and time, and every claim the server acknowledged with an id.

use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// No request may take longer than this (the pool's acquire timeout is 2 s).
pub const DEADLINE: Duration = Duration::from_secs(4);

pub const CLAIM: &str = "mutation($k: String!){ claimCredit(input: { kind: PAPER, title: \"故障演练论文\", level: PROVINCIAL, words: 4200, earnedOn: \"2026-05-10\", idempotencyKey: $k }) { id } }";
pub const LOGIN: &str =
    "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }";

#[derive(Debug, Clone)]
pub struct Outcome {
    pub at: Instant,
    pub took: Duration,
    /// HTTP status; 0 when the client gave up (a hang past the deadline).
    pub status: u16,
    pub code: Option<String>,
    pub kind: &'static str,
}

impl Outcome {
    /// What the fault suite's load and the soak's clients keep of a request of `kind` sent at
    /// `at` and answered (or given up) just now.
    pub fn of(kind: &'static str, at: Instant, status: u16, body: &Value) -> Outcome {
        Outcome {
            at,
            took: at.elapsed(),
            status,
            code: code_of(body),
            kind,
        }
    }
}

#[derive(Clone)]
pub struct Teacher {
    pub token: String,
    pub username: String,
    pub password: String,
}

#[derive(Default)]
pub struct Seen {
    pub outcomes: Vec<Outcome>,
    /// Idempotency key → the id the server answered with.
    pub acknowledged: Vec<(String, String)>,
    /// Keys whose claim failed: retried after the outage.
    pub unanswered: Vec<String>,
}

pub struct Load {
    stop: Arc<AtomicBool>,
    pub seen: Arc<Mutex<Seen>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(DEADLINE)
        .build()
        .expect("client")
}

/// One GraphQL POST: (status, body); status 0 when no answer came within [`DEADLINE`].
pub async fn post(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let mut req = client
        .post(format!("{base}/graphql"))
        .header("Accept", "application/graphql-response+json")
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            (status, res.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    }
}

pub fn code_of(body: &Value) -> Option<String> {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

impl Load {
    /// `clients` loops against `bases` (round robin), as the teacher `user`.
    pub fn start(bases: &[String], teacher: &Teacher, clients: usize) -> Load {
        let token = teacher.token.clone();
        let user = (teacher.username.clone(), teacher.password.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Seen::default()));
        let tasks = (0..clients)
            .map(|n| {
                let (stop, seen, token, user) =
                    (stop.clone(), seen.clone(), token.clone(), user.clone());
                let base = bases[n % bases.len()].clone();
                tokio::spawn(async move { client_loop(n, base, token, user, stop, seen).await })
            })
            .collect();
        Load { stop, seen, tasks }
    }

    /// Stops the clients and hands over what they saw.
    pub async fn stop(self) -> Seen {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            let _ = t.await;
        }
        let mut guard = self.seen.lock().expect("lock");
        std::mem::take(&mut *guard)
    }
}

async fn client_loop(
    n: usize,
    base: String,
    token: String,
    user: (String, String),
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
) {
    let client = client();
    let mut i = 0u64;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let key = format!("fault-{n}-{i}-{}", uuid::Uuid::new_v4().simple());
        let (kind, query, vars, auth) = match i % 3 {
            0 => ("login", LOGIN, json!({"u": user.0, "p": user.1}), None),
            1 => ("claim", CLAIM, json!({"k": key}), Some(token.as_str())),
            _ => (
                "read",
                "{ viewer { username } }",
                json!({}),
                Some(token.as_str()),
            ),
        };
        let at = Instant::now();
        let (status, body) = post(&client, &base, auth, query, vars).await;
        let outcome = Outcome::of(kind, at, status, &body);
        {
            let mut s = seen.lock().expect("lock");
            if kind == "claim" {
                match body["data"]["claimCredit"]["id"].as_str() {
                    Some(id) => s.acknowledged.push((key, id.to_owned())),
                    None => s.unanswered.push(key),
                }
            }
            s.outcomes.push(outcome);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `/readyz` every 20 ms until `want(status, body)`; how long that took.
pub async fn until_ready(
    base: &str,
    within: Duration,
    want: impl Fn(u16, &Value) -> bool,
) -> Option<Duration> {
    let client = client();
    let started = Instant::now();
    while started.elapsed() < within {
        let probe = Instant::now();
        if let Ok(res) = client.get(format!("{base}/readyz")).send().await {
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            assert!(
                probe.elapsed() < Duration::from_secs(1),
                "/readyz took {:?}",
                probe.elapsed()
            );
            if want(status, &body) {
                return Some(started.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}
