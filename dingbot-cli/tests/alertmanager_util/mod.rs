//! What the `dingbot alertmanager` tests share: the bridge started as the built `dingbot`
//! binary (as a user runs it), a real Alertmanager, and waiting for what the emulator's
//! group receives.
#![allow(dead_code)] // each test file uses a part of it

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dingbot::mock::MockServer;
#[path = "../programs/mod.rs"]
pub mod programs;

use programs::{Process, free_port, program};

/// The built `dingbot` binary.
pub const DINGBOT: &str = env!("CARGO_BIN_EXE_dingbot");

/// How long a test waits for something that should happen in a few seconds.
pub const PATIENCE: Duration = Duration::from_secs(40);

/// A plain HTTP client for the bridge's endpoints. reqwest is built without a default
/// TLS provider (dingbot chooses ring), so the test process installs ring first.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A fresh directory for one test's files.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dingbot-am-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cannot create a temporary directory");
    dir
}

/// A running bridge: the `dingbot alertmanager` process, its address and what it logged.
pub struct Bridge {
    pub process: Process,
    pub addr: SocketAddr,
    pub config: PathBuf,
    logs: Arc<Mutex<String>>,
}

impl Bridge {
    /// Writes `config` into `dir` and starts the bridge on it, with `env` set; waits until
    /// it listens.
    pub fn start(dir: &Path, config: &str, env: &[(&str, &str)]) -> Bridge {
        Bridge::start_with(dir, config, env, &[])
    }

    /// [`Bridge::start`] with more flags on its command line.
    pub fn start_with(dir: &Path, config: &str, env: &[(&str, &str)], flags: &[&str]) -> Bridge {
        Bridge::start_at(dir, config, env, flags, free_port())
    }

    /// [`Bridge::start_with`] on `port` (a bridge started again where Alertmanager
    /// sends).
    pub fn start_at(
        dir: &Path,
        config: &str,
        env: &[(&str, &str)],
        flags: &[&str],
        port: u16,
    ) -> Bridge {
        let path = dir.join("config.yml");
        std::fs::write(&path, config).expect("cannot write the config");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let mut command = Command::new(DINGBOT);
        command
            .args(["alertmanager", "--config"])
            .arg(&path)
            .args(["--listen", &addr.to_string(), "--log.level", "debug"])
            .args(flags)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut process = Process::start(command);
        let logs = Arc::new(Mutex::new(String::new()));
        let stderr = process.child_mut().stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&logs);
        std::thread::spawn(move || {
            let mut stderr = stderr;
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        process.wait_for_port(addr, Duration::from_secs(20));
        Bridge {
            process,
            addr,
            config: path,
            logs,
        }
    }

    /// The URL of `path` on the bridge.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// What the bridge logged so far.
    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// Sends the process a signal (`SIGHUP`, `SIGTERM`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args(["-s", name, &self.process.id().to_string()])
            .status()
            .expect("cannot run kill");
        assert!(status.success(), "kill -s {name} failed");
    }

    /// Waits for the process to exit; its exit code.
    pub async fn exit_code(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.process.child_mut().try_wait() {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "the bridge did not exit within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `/metrics`, as text.
    pub async fn metrics(&self) -> String {
        http()
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("the metrics' body")
    }

    /// Posts a notification to target `target`; the status and the JSON answer.
    pub async fn notify(
        &self,
        target: &str,
        notification: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let answer = http()
            .post(self.url(&format!("/dingtalk/{target}/send")))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(notification).expect("a notification as JSON"))
            .send()
            .await
            .expect("POST to the bridge");
        let status = answer.status().as_u16();
        let body = answer.text().await.expect("the answer's body");
        let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
        (status, json)
    }
}

/// The value of metric `name` with labels containing every `label`, summed; 0 when absent.
pub fn metric(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| line.split(['{', ' ']).next().is_some_and(|n| n == name))
        .filter(|line| labels.iter().all(|l| line.contains(l)))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// A bridge config with one target `ops` sending to `server`, and `extra` top-level keys.
pub fn config_for(server: &MockServer, target_extra: &str, extra: &str) -> String {
    format!(
        "targets:\n  ops:\n    url: {}\n{target_extra}{extra}",
        server.webhook_url()
    )
}

/// Waits until `ready` holds for the emulator's group, or panics with what it has.
pub async fn wait_for(
    server: &MockServer,
    what: &str,
    ready: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let texts = texts(server);
        if ready(&texts) {
            return texts;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not there within {PATIENCE:?}; the group received:\n{}",
            texts.join("\n----\n")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// What the group received: each message's title and body.
pub fn texts(server: &MockServer) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|m| format!("{}\n{}", m.title().unwrap_or(""), m.body().unwrap_or("")))
        .collect()
}

/// A real Alertmanager whose one receiver is a webhook to `webhook`.
pub struct Alertmanager {
    pub process: Process,
    pub url: String,
}

impl Alertmanager {
    /// Starts Alertmanager with short group timings, grouping by `group_by`; `None` when
    /// it is not installed (a failure under CI=true).
    pub fn start(dir: &Path, test: &str, webhook: &str, group_by: &[&str]) -> Option<Alertmanager> {
        let binary = program("prometheus-alertmanager", test)?;
        let group_by: Vec<String> = group_by.iter().map(|l| format!("'{l}'")).collect();
        let config = format!(
            "route:\n  receiver: dingtalk\n  group_by: [{}]\n  group_wait: 200ms\n  group_interval: 1s\n  repeat_interval: 1h\n\
             receivers:\n  - name: dingtalk\n    webhook_configs:\n      - url: {webhook}\n        send_resolved: true\n",
            group_by.join(", ")
        );
        let path = dir.join("alertmanager.yml");
        std::fs::write(&path, config).expect("cannot write Alertmanager's config");
        let storage = dir.join("alertmanager-data");
        std::fs::create_dir_all(&storage).expect("cannot create Alertmanager's storage");
        let port = free_port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let mut command = Command::new(binary);
        command
            .arg(format!("--config.file={}", path.display()))
            .arg(format!("--storage.path={}", storage.display()))
            .arg(format!("--web.listen-address={addr}"))
            .arg(format!("--web.external-url=http://{addr}"))
            .arg("--cluster.listen-address=")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut process = Process::start(command);
        process.wait_for_port(addr, Duration::from_secs(20));
        Some(Alertmanager {
            process,
            url: format!("http://{addr}"),
        })
    }

    /// Posts alerts to `/api/v2/alerts`.
    pub async fn post(&self, alerts: &serde_json::Value) {
        let answer = http()
            .post(format!("{}/api/v2/alerts", self.url))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(alerts).expect("alerts as JSON"))
            .send()
            .await
            .expect("POST /api/v2/alerts");
        assert!(
            answer.status().is_success(),
            "Alertmanager refused the alerts: {} {:?}",
            answer.status(),
            answer.text().await
        );
    }
}

/// An alert for `/api/v2/alerts`, firing since a minute ago.
pub fn alert(labels: serde_json::Value, annotations: serde_json::Value) -> serde_json::Value {
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
    serde_json::json!({
        "labels": labels,
        "annotations": annotations,
        "startsAt": since.to_string(),
        "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up"
    })
}

/// The same alert, resolved now.
pub fn resolved(mut alert: serde_json::Value) -> serde_json::Value {
    alert["endsAt"] = serde_json::Value::String(jiff::Timestamp::now().to_string());
    alert
}
