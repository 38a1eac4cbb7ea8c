//! The real `credit-bank` binary, as the README tells people to run it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_credit-bank");

fn scratch_db() -> (String, std::path::PathBuf) {
    let path = std::env::temp_dir().join(format!("credit-bank-bin-{}.db", uuid::Uuid::new_v4()));
    (format!("sqlite://{}?mode=rwc", path.display()), path)
}

fn run(args: &[&str], db: &str, stdin: Option<&str>) -> (bool, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env(
            "SIGNING_KEY_FILE",
            std::env::temp_dir().join(format!("cb-bin-key-{}", uuid::Uuid::new_v4())),
        )
        .env_remove("CREDIT_BANK_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn post_graphql(port: u16, body: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_command_line_works_end_to_end() {
    let (schema_ok, schema) = run(&["export-schema"], "sqlite::memory:", None);
    assert!(schema_ok && schema.contains("type Query"), "{schema}");

    let (db, path) = scratch_db();
    let (ok, out) = run(&["migrate"], &db, None);
    assert!(ok && out.contains("migrations are up to date"), "{out}");
    let (ok, out) = run(
        &["create-admin", "--username", "boss"],
        &db,
        Some("a-long-admin-password\n"),
    );
    assert!(ok && out.contains("created SYSTEM_ADMIN boss"), "{out}");
    let (ok, out) = run(
        &["create-admin", "--username", "boss"],
        &db,
        Some("a-long-admin-password\n"),
    );
    assert!(
        !ok && out.contains("taken"),
        "a second admin with the same name is refused: {out}"
    );
    let (ok, out) = run(
        &["create-admin", "--username", "shorty"],
        &db,
        Some("short\n"),
    );
    assert!(!ok && out.contains("password"), "{out}");
    // The database has an account now, so the demo data set is refused.
    let (ok, out) = run(&["seed-demo"], &db, None);
    assert!(!ok && out.contains("empty database"), "{out}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[test]
fn serve_demo_answers_and_stops_gracefully_on_sigterm() {
    let (db, path) = scratch_db();
    let key = std::env::temp_dir().join(format!("cb-serve-key-{}", uuid::Uuid::new_v4()));
    let mut child = Command::new(BIN)
        .args(["serve", "--demo"])
        .env("DATABASE_URL", &db)
        .env("SIGNING_KEY_FILE", &key)
        .env("BIND", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env("LOG_FORMAT", "text")
        .env("WORKERS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let port = loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not report its port"
        );
        let line = lines.next().expect("a log line").unwrap();
        if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse::<u16>().unwrap();
        }
    };
    let answer = post_graphql(
        port,
        r#"{"query":"mutation { login(username: \"zhangwei\", password: \"demo-password\") { viewer { username role } } }"}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#""viewer":{"username":"zhangwei","role":"TEACHER"}"#),
        "{answer}"
    );
    // The transcript signing key was generated on first start, readable by its owner only.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key)
            .expect("key file")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(40);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(exit.success(), "a graceful stop exits 0: {exit:?}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = std::fs::remove_file(key);
}
