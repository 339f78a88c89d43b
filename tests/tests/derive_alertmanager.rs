//! A real Prometheus Alertmanager's webhook, rendered by derived types: alerts are
//! injected through its API, its notification is received as JSON, read into types that
//! derive `DingMessage` and `DingItem`, and sent through a robot to the emulator.
//!
//! Skipped where `prometheus-alertmanager` is not installed (a failure under `CI=true`).

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use dingbot::{At, DingItem, DingMessage};
use dingbot_tests::{Process, free_port, program};
use serde_json::{Value, json};

/// `2026-12-01T10:58:03.512Z` (or with an offset) as `2026-12-01 10:58`.
#[allow(clippy::ptr_arg)] // `with` takes the field's own type
fn minute(time: &String, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (time.get(..10), time.get(11..16)) {
        (Some(day), Some(clock)) => write!(f, "{day} {clock}"),
        _ => f.write_str(time),
    }
}

#[allow(clippy::ptr_arg)]
fn upper(text: &String, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&text.to_uppercase())
}

#[derive(DingMessage)]
#[ding(
    title = "[{status}] {receiver}",
    body = "#### [{status}] {receiver}\n\n**Group**:\n{group_labels}\n\n**Alerts**:\n{alerts}{#external_url}\n\n[Alertmanager]({external_url}){/external_url}"
)]
struct Notification {
    #[ding(with = upper)]
    status: String,
    receiver: String,
    #[ding(list)]
    group_labels: BTreeMap<String, String>,
    #[ding(list)]
    alerts: Vec<Alert>,
    #[ding(open = "side_panel")]
    external_url: Option<String>,
}

#[derive(DingItem)]
#[ding(
    item = "**{status}** since {starts_at}{#generator_url} · [source]({generator_url}){/generator_url}{labels}{annotations}"
)]
struct Alert {
    #[ding(with = upper)]
    status: String,
    #[ding(list)]
    labels: BTreeMap<String, String>,
    #[ding(list)]
    annotations: BTreeMap<String, String>,
    #[ding(with = minute)]
    starts_at: String,
    generator_url: Option<String>,
}

fn strings(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

/// The webhook JSON as the derived types (what `#[derive(Deserialize)]` would do).
fn notification(webhook: &Value) -> Notification {
    let optional = |s: String| (!s.is_empty()).then_some(s);
    Notification {
        status: text(webhook, "status"),
        receiver: text(webhook, "receiver"),
        group_labels: strings(&webhook["groupLabels"]),
        alerts: webhook["alerts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|alert| Alert {
                status: text(alert, "status"),
                labels: strings(&alert["labels"]),
                annotations: strings(&alert["annotations"]),
                starts_at: text(alert, "startsAt"),
                generator_url: optional(text(alert, "generatorURL")),
            })
            .collect(),
        external_url: optional(text(webhook, "externalURL")),
    }
}

/// One HTTP/1.1 exchange on loopback: `request` sent, the status code read.
fn post(addr: SocketAddr, path: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut status = String::new();
    BufReader::new(stream).read_line(&mut status).unwrap();
    status
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Accepts one request on `listener`, answers 200 and returns its body.
fn receive(listener: &TcpListener) -> String {
    let (stream, _) = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    reader
        .get_mut()
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    String::from_utf8(body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_alertmanager_notification_renders_through_the_derive() {
    let test = "a_real_alertmanager_notification_renders_through_the_derive";
    let Some(alertmanager) = program("prometheus-alertmanager", test) else {
        return;
    };
    let hook = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_addr = hook.local_addr().unwrap();
    let dir = std::env::temp_dir().join(format!("dingbot-derive-am-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("alertmanager.yml");
    std::fs::write(
        &config,
        format!(
            "route:\n  receiver: team_db\n  group_by: [alertname]\n  group_wait: 1s\n  \
             group_interval: 1m\n  repeat_interval: 1h\nreceivers:\n  - name: team_db\n    \
             webhook_configs:\n      - url: http://{hook_addr}/hook\n        send_resolved: true\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut command = Command::new(alertmanager);
    command
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.path={}", dir.join("data").display()))
        .arg(format!("--web.listen-address={addr}"))
        .arg(format!("--web.external-url=http://{addr}/am_ui"))
        .arg("--web.route-prefix=/")
        .arg("--cluster.listen-address=")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut process = Process::start(command);
    process.wait_for_port(addr, Duration::from_secs(20));

    let alerts = json!([
        {
            "labels": { "alertname": "DiskFull", "instance": "db-1:9100", "severity": "page" },
            "annotations": { "summary": "/var is 95% full" },
            "generatorURL": "http://prometheus:9090/graph?g0.expr=disk_used%3E0.9&g0.tab=1"
        },
        {
            "labels": { "alertname": "DiskFull", "instance": "db_2:9100", "severity": "page" },
            "annotations": { "summary": "*almost* full [see](https://evil.example)" }
        }
    ]);
    assert_eq!(post(addr, "/api/v2/alerts", &alerts.to_string()), 200);
    let webhook: Value = serde_json::from_str(
        &tokio::task::spawn_blocking(move || receive(&hook))
            .await
            .unwrap(),
    )
    .unwrap();
    process.kill();
    let _ = std::fs::remove_dir_all(&dir);

    let mut notification = notification(&webhook);
    // Alertmanager's order of alerts is its own; the rendering keeps whatever it is.
    notification
        .alerts
        .sort_by(|a, b| a.labels["instance"].cmp(&b.labels["instance"]));
    let starts: Vec<String> = notification
        .alerts
        .iter()
        .map(|a| format!("{}", Minute(&a.starts_at)))
        .collect();

    let server = dingbot::mock::MockServer::start().await.unwrap();
    let robot = dingbot::Robot::new(server.webhook_url()).unwrap();
    let msg = notification
        .to_message()
        .with_at(At::mobiles(["13800000000"]))
        .unwrap();
    robot.send(&msg).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].title(), Some("[FIRING] team_db"));
    let external = dingbot::markdown::open_in_side_panel(&format!("http://{addr}/am_ui")).unwrap();
    assert_eq!(
        received[0].body().unwrap(),
        format!(
            "#### [FIRING] team\\_db\n\n\
             **Group**:\n- **alertname**: DiskFull\n\n\
             **Alerts**:\n\
             - **FIRING** since {} · \
             [source](http://prometheus:9090/graph?g0.expr=disk_used%3E0.9&g0.tab=1)\n  \
             - **alertname**: DiskFull\n  - **instance**: db-1:9100\n  - **severity**: page\n  \
             - **summary**: /var is 95% full\n\
             - **FIRING** since {}\n  \
             - **alertname**: DiskFull\n  - **instance**: db\\_2:9100\n  - **severity**: page\n  \
             - **summary**: \\*almost\\* full \\[see\\](https://evil.example)\n\n\
             [Alertmanager]({external})\n\n\
             @13800000000",
            starts[0], starts[1]
        )
    );
}

/// [`minute`] as a `Display` value, for the expected text.
struct Minute<'a>(&'a String);

impl fmt::Display for Minute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        minute(self.0, f)
    }
}
