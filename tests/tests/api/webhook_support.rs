//! A webhook receiver for the tests: a real HTTP listener on a loopback port that records every
//! request it gets and answers with the status it is told to.

use super::fixtures;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use credit_bank::config::Settings;
use credit_bank_tests::TestApp;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    /// Whether `webhook-signature` is the Standard Webhooks HMAC-SHA256 of
    /// "id.timestamp.body" under `secret` (`whsec_<base64 key>`), recomputed here.
    pub fn signed_with(&self, secret: &str) -> bool {
        let key = STANDARD
            .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
            .expect("base64 secret");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
        mac.update(
            format!(
                "{}.{}.{}",
                self.header("webhook-id"),
                self.header("webhook-timestamp"),
                self.body
            )
            .as_bytes(),
        );
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.header("webhook-signature")
            .split(' ')
            .any(|s| s == expected)
    }
}

pub struct Receiver {
    pub url: String,
    requests: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

impl Receiver {
    /// Listens on 127.0.0.1 (a free port), answering every request with `status`.
    pub async fn start(status: u16) -> Self {
        Self::start_slow(status, Duration::ZERO).await
    }

    /// [`Receiver::start`], taking `delay` to answer each request.
    pub async fn start_slow(status: u16, delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(status));
        let (seen, answer) = (requests.clone(), status.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, seen.clone(), answer.clone(), delay));
            }
        });
        Receiver {
            url,
            requests,
            status,
        }
    }

    pub fn answer_with(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().expect("lock").clone()
    }

    /// The requests once there are at least `n`, waiting up to `within`.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.requests();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    delay: Duration,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).into_owned();
    seen.lock().expect("lock").push(Received {
        at: Instant::now(),
        headers,
        body,
    });
    tokio::time::sleep(delay).await;
    let code = status.load(Ordering::SeqCst);
    let reply = format!("HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Fast polling and a short retry schedule, so that backoff and giving up take seconds.
pub fn quick(s: &mut Settings) {
    s.webhooks.poll = Duration::from_millis(50);
    s.webhooks.schedule.base_ms = 300;
    s.webhooks.schedule.window_ms = 4_000;
}

macro_rules! webhook_tests {
    ($($name:ident => $tune:expr),+ $(,)?) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = credit_bank_tests::spawn_app_with(credit_bank_tests::Backend::Sqlite, $tune).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = credit_bank_tests::spawn_app_with(credit_bank_tests::Backend::Postgres, $tune).await {
                        super::$name(app).await;
                    }
                }
            )+
        }
    };
}

pub(crate) use webhook_tests;

pub const CREATE: &str =
    "mutation($i: CreateWebhookInput!){ createWebhook(input:$i){ id url events secret createdAt } }";
pub const MINE: &str = "{ viewer { webhooks { id url events secret deliveries(first: 20) { totalCount edges { node { id eventType status attempts lastAttemptAt responseStatus } } } } } }";
pub const WITHIN: Duration = Duration::from_secs(10);

/// Registers a webhook for `token`'s account: (id, secret).
pub async fn hook(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (String, String) {
    let created = app
        .ok(
            token,
            CREATE,
            json!({"i": {"url": url, "events": events}}),
            "createWebhook",
        )
        .await;
    let secret = created["secret"].as_str().expect("the secret, once");
    assert!(secret.starts_with("whsec_"), "{created}");
    (fixtures::id(&created), secret.to_owned())
}

/// The first of the caller's webhooks' deliveries, newest first.
pub async fn deliveries(app: &TestApp, token: &str) -> Vec<Value> {
    let mine = app.ok(token, MINE, json!({}), "viewer").await;
    assert!(
        mine["webhooks"][0]["secret"].is_null(),
        "secret shown again: {mine}"
    );
    mine["webhooks"][0]["deliveries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Polls `check` until it yields, for up to [`WITHIN`].
pub async fn wait_until<T, F, Fut>(check: F) -> T
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + WITHIN;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "not within {WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
