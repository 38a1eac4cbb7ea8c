//! The suite's own PostgreSQL cluster, Redis and server processes, on free loopback ports —
//! never the machine's shared 5432 and 6379. Every process started is remembered by PID and
//! stopped when the [`Stack`] is dropped, which also happens when a check panics.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// PostgreSQL's programs (`FAULT_PG_BIN` overrides).
fn pg_bin() -> String {
    std::env::var("FAULT_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into())
}

pub struct Stack {
    pub dir: PathBuf,
    pub pg_port: u16,
    pub redis_port: u16,
    redis: Option<std::process::Child>,
    servers: Vec<std::process::Child>,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn as_postgres(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("runuser");
    cmd.args(["-u", "postgres", "--", &format!("{}/{program}", pg_bin())])
        .args(args);
    cmd
}

fn run(mut cmd: Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Stack {
    /// A temporary folder owned by `postgres` with a fresh cluster in it, started, and Redis.
    pub fn start() -> Stack {
        let dir = std::env::temp_dir().join(format!("cb-faults-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        run(
            {
                let mut c = Command::new("chown");
                c.args(["postgres:postgres", &dir.display().to_string()]);
                c
            },
            "chown",
        );
        let mut stack = Stack {
            pg_port: free_port(),
            redis_port: free_port(),
            dir,
            redis: None,
            servers: Vec::new(),
        };
        let data = stack.pg_data();
        run(
            as_postgres(
                "initdb",
                &[
                    "-D",
                    &data,
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ],
            ),
            "initdb",
        );
        stack.start_postgres();
        stack.start_redis();
        stack
    }

    fn pg_data(&self) -> String {
        self.dir.join("pg").display().to_string()
    }

    pub fn pg_url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.pg_port)
    }

    pub fn redis_url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.redis_port)
    }

    pub fn start_postgres(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            self.pg_port,
            self.dir.display()
        );
        let log = self.dir.join("pg.log").display().to_string();
        run(
            as_postgres(
                "pg_ctl",
                &[
                    "-D",
                    &self.pg_data(),
                    "-o",
                    &opts,
                    "-l",
                    &log,
                    "-w",
                    "start",
                ],
            ),
            "pg_ctl start",
        );
    }

    /// A fast shutdown (clients disconnected, like a failover or a restart would).
    pub fn stop_postgres(&self) {
        run(
            as_postgres(
                "pg_ctl",
                &["-D", &self.pg_data(), "-m", "fast", "-w", "stop"],
            ),
            "pg_ctl stop",
        );
    }

    pub fn start_redis(&mut self) {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.redis_port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server");
        self.redis = Some(child);
        wait_for_port(self.redis_port, Duration::from_secs(10));
    }

    pub fn stop_redis(&mut self) {
        if let Some(mut child) = self.redis.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `credit-bank serve` on a free port against the suite's database and Redis.
    pub fn start_server(&mut self, env: &[(&str, String)]) -> String {
        let port = free_port();
        let log = std::fs::File::create(self.dir.join(format!("server-{port}.log"))).expect("log");
        let child = Command::new(binary())
            .arg("serve")
            .current_dir(&self.dir)
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("credit-bank serve");
        self.servers.push(child);
        wait_for_port(port, Duration::from_secs(60));
        format!("http://127.0.0.1:{port}")
    }

    /// The servers' PIDs in the order they were started: the soak (tests/tests/soak, which
    /// shares this file) reads their memory from /proc.
    #[allow(dead_code)]
    pub fn server_pids(&self) -> Vec<u32> {
        self.servers.iter().map(std::process::Child::id).collect()
    }

    /// Runs `credit-bank create-admin` against the suite's `credit_bank` database: the first
    /// system admin cannot be made through the API, so the fault suite and the soak both start
    /// here, as a deployment does.
    pub fn create_admin(&self, username: &str, password: &str) {
        let out = Command::new(binary())
            .args(["create-admin", "--username", username])
            .current_dir(&self.dir)
            .env("DATABASE_URL", self.pg_url("credit_bank"))
            .env("CREDIT_BANK_ADMIN_PASSWORD", password)
            .output()
            .expect("create-admin");
        assert!(
            out.status.success(),
            "create-admin: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// How many lines of the servers' logs contain `needle` (one per incident, not per request).
    pub fn log_lines(&self, needle: &str) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("server-"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .map(|text| text.lines().filter(|l| l.contains(needle)).count())
            .sum()
    }
}

/// The server binary built from the working tree (`cargo build -p credit-bank`).
pub fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("FAULT_SUITE_BIN") {
        return PathBuf::from(path);
    }
    // The target folder `cargo build` used: CARGO_TARGET_DIR when set, else the workspace's.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug/credit-bank")
}

pub fn wait_for_port(port: u16, within: Duration) {
    let deadline = Instant::now() + within;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        for mut child in self.servers.drain(..) {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.stop_redis();
        // The postmaster by its PID (first line of postmaster.pid): SIGQUIT stops it and its
        // backends at once; nothing else on the machine is touched.
        let pid_file = self.dir.join("pg").join("postmaster.pid");
        if let Some(pid) = std::fs::read_to_string(pid_file)
            .ok()
            .and_then(|t| t.lines().next().map(str::to_owned))
        {
            let _ = Command::new("kill").args(["-QUIT", &pid]).status();
            std::thread::sleep(Duration::from_millis(500));
            let _ = Command::new("kill")
                .args(["-KILL", &pid])
                .stderr(Stdio::null())
                .status();
        }
        if std::env::var("FAULT_SUITE_KEEP").is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
