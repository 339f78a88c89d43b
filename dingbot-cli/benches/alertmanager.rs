//! `dingbot alertmanager`: the cost of taking one notification, and the latency from
//! Alertmanager's POST to DingTalk's answer.
//!
//! - `take/10-alert`: what the bridge does with a 10-alert notification before the
//!   network: read the JSON, its dedup key, render it with the derive, encode the
//!   payload, push it into the target's digest (here one that holds, its window full).
//!   Baseline in the same run: reading the same bytes as a `serde_json::Value`, the least
//!   any bridge does. Target: ≤ 100 µs.
//! - `render/…`: rendering alone (`Pipeline::take`: parse, key, render) of a notification
//!   whose 1,000 alerts each name a different person to mention (`dingtalk_at`), and of
//!   one of 10,000 alerts; baseline in the same run: the 10-alert notification. Target:
//!   well under a second each (1,000 mentions once took minutes: every part tried while
//!   splitting carried all of them, and never fitted). At most 50 are mentioned a message.
//! - `go-template/10-alert`: `Pipeline::take` of the 10-alert notification with a
//!   config naming Go templates (prometheus-webhook-dingtalk's built-in default:
//!   `default_message: {}`), against the same with dingbot's own rendering as the
//!   baseline. The ratio is the figure.
//! - `latency/post-to-answer`: the built `dingbot alertmanager` binary, with an emulator
//!   (in this process) as DingTalk and room in the window: one POST of a 1-alert
//!   notification until its 200, which the bridge answers after DingTalk's answer.
//!   Baseline in the same run: `Robot::send` of the same kind of message straight to the
//!   same emulator. p50 and p99 of a separate run of 2,000 POSTs are printed too.
//! - `dedup/…`: remembering 10,000 new notifications in the dedup table, which holds
//!   what was delivered for the dedup window: from a table of 1,000 (well below its cap
//!   of 100,000) and from a full table, where each new one makes the oldest forgotten.
//!   The ratio full ÷ below is the figure (an earlier table swept and sorted itself for
//!   every new notification once full).
//!
//! The bridge's steps come from the `dingbot_cli` library, the code the binary runs.

use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::mock::MockServer;
use dingbot::{DigestConfig, Pacing, Payload, Rate, Robot};

use dingbot_cli::alertmanager::{Dedup, MAX_REMEMBERED, NotificationKey, Pipeline};

/// A notification of `alerts` alerts as Alertmanager sends it; `id` makes it unique.
fn notification(alerts: usize, id: u64) -> Vec<u8> {
    notification_with(alerts, id, false)
}

/// A notification of `alerts` alerts; with `mentions`, each alert names a different
/// person in its `dingtalk_at` label.
fn notification_with(alerts: usize, id: u64, mentions: bool) -> Vec<u8> {
    let alerts: Vec<serde_json::Value> = (0..alerts)
        .map(|i| {
            let mut labels = serde_json::json!({"alertname": "HighLatency", "job": "api", "severity": "critical",
                           "instance": format!("api-{i}:9100"), "pod": format!("api-7d9f-{i}")});
            if mentions {
                labels["dingtalk_at"] = format!("139{i:08}").into();
            }
            serde_json::json!({
                "status": "firing",
                "labels": labels,
                "annotations": {"summary": format!("p99 latency of api-{i} above 2s"),
                                "description": "the API answers slowly; check the database"},
                "startsAt": "2026-12-01T11:44:54.123Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus:9090/graph?g0.expr=histogram_quantile&g0.tab=1",
                "fingerprint": format!("{id:x}-{i}")
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "version": "4", "groupKey": format!("{{}}:{{alertname=\"HighLatency\",id=\"{id}\"}}"),
        "truncatedAlerts": 0, "status": "firing", "receiver": "ops",
        "groupLabels": {"alertname": "HighLatency"},
        "commonLabels": {"alertname": "HighLatency", "job": "api", "severity": "critical"},
        "commonAnnotations": {"description": "the API answers slowly; check the database"},
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts
    }))
    .expect("the notification encodes")
}

fn take(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(MockServer::builder().no_rate_limit().start())
        .unwrap();
    // One slot an hour, taken at once: the digest holds everything pushed after.
    let robot = Robot::builder(server.webhook_url())
        .rate_limit(Rate::new(1, Duration::from_secs(3600)))
        .pacing(Pacing::FailFast)
        .build()
        .unwrap();
    rt.block_on(robot.send(&dingbot::Text::new("the window's one slot")))
        .unwrap();
    let pipeline = Pipeline::new(&format!(
        "targets:\n  ops:\n    url: {}\n    mention:\n      mobiles: ['13800000000']\n",
        server.webhook_url()
    ))
    .unwrap();
    let body = notification(10, 1);
    {
        let (_, messages) = pipeline.take("ops", &body).unwrap();
        let size: usize = messages
            .iter()
            .map(|m| Payload::new(m).unwrap().len())
            .sum();
        println!("take/10-alert: {} message(s), {size} bytes", messages.len());
    }

    let mut group = c.benchmark_group("alertmanager/take");
    group.bench_function("baseline: serde_json::Value of the body", |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap()))
    });
    group.bench_function("10-alert: parse, key, render, encode, enqueue", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let chunk = left.min(2_000);
                let digest = rt.block_on(async {
                    robot.digest(
                        DigestConfig::default()
                            .max_held(chunk as usize + 1)
                            .close_timeout(Duration::ZERO),
                    )
                });
                let digest = digest.unwrap();
                let start = Instant::now();
                for _ in 0..chunk {
                    let (key, messages) = pipeline.take("ops", black_box(&body)).unwrap();
                    black_box(key);
                    for (i, message) in messages.iter().enumerate() {
                        black_box(Payload::with_msg_uuid(message, format!("{i:032}")).unwrap());
                        digest.push(message).unwrap();
                    }
                }
                total += start.elapsed();
                // Held events are given up on at once: memory stays small.
                rt.block_on(digest.close());
                left -= chunk;
            }
            total
        })
    });
    group.finish();

    let mut group = c.benchmark_group("alertmanager/render");
    group.sample_size(10);
    for (name, body) in [
        ("baseline: 10-alert", notification(10, 2)),
        ("1000-mentions", notification_with(1_000, 3, true)),
        ("10000-alert", notification(10_000, 4)),
    ] {
        let (_, messages) = pipeline.take("ops", &body).unwrap();
        println!("render/{name}: {} message(s)", messages.len());
        group.bench_function(name, |b| {
            b.iter(|| black_box(pipeline.take("ops", black_box(&body)).unwrap()))
        });
    }
    group.finish();
}

/// The bridge binary, started on `webhook` with room in the window.
struct BridgeProcess {
    child: std::process::Child,
    url: String,
    _dir: std::path::PathBuf,
}

impl Drop for BridgeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_bridge(webhook: &str) -> BridgeProcess {
    let dir = std::env::temp_dir().join(format!("dingbot-bench-am-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.yml");
    std::fs::write(
        &config,
        format!("rate: 1000000/1s\ntargets:\n  ops:\n    url: {webhook}\n"),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_dingbot"))
        .args(["alertmanager", "--config"])
        .arg(&config)
        .args(["--listen", &addr, "--log.level", "warn"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the dingbot binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(Instant::now() < deadline, "the bridge did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    BridgeProcess {
        child,
        url: format!("http://{addr}/dingtalk/ops/send"),
        _dir: dir,
    }
}

/// One POST of a unique 1-alert notification, until its 200.
async fn post(http: &reqwest::Client, url: &str, id: u64) {
    let answer = http
        .post(url)
        .header("content-type", "application/json")
        .body(notification(1, id))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}

fn go_template(c: &mut Criterion) {
    let target = "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=x\n    mention:\n      mobiles: ['13800000000']\n";
    let own = Pipeline::new(target).unwrap();
    let go = Pipeline::new(&format!("default_message: {{}}\n{target}")).unwrap();
    let body = notification(10, 1);
    for (name, pipeline) in [("own", &own), ("go", &go)] {
        let (_, messages) = pipeline.take("ops", &body).unwrap();
        let size: usize = messages
            .iter()
            .map(|m| Payload::new(m).unwrap().len())
            .sum();
        println!(
            "go-template/10-alert {name}: {} message(s), {size} bytes",
            messages.len()
        );
    }
    let mut group = c.benchmark_group("alertmanager/go-template");
    group.bench_function(
        "baseline: dingbot's own rendering (parse, key, render)",
        |b| b.iter(|| black_box(own.take("ops", black_box(&body)).unwrap())),
    );
    group.bench_function(
        "10-alert: the built-in default Go template (parse, key, render)",
        |b| b.iter(|| black_box(go.take("ops", black_box(&body)).unwrap())),
    );
    group.finish();
}

fn latency(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(MockServer::builder().no_rate_limit().start())
        .unwrap();
    let bridge = start_bridge(&server.webhook_url());
    // reqwest is built without a default TLS provider (dingbot chooses ring).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let robot = Robot::builder(server.webhook_url())
        .pacing(Pacing::Off)
        .build()
        .unwrap();
    let direct = dingbot::Markdown::new(
        "[FIRING:1] HighLatency",
        "#### 🔥 \\[FIRING:1\\] HighLatency\n\n- 🔥 **p99 latency of api-0 above 2s**",
    );
    let mut id = 0u64;
    let post = |id: u64| post(&http, &bridge.url, id);
    // Warm up the connections, then the percentiles.
    for _ in 0..200 {
        id += 1;
        rt.block_on(post(id));
    }
    let mut samples: Vec<Duration> = (0..2_000)
        .map(|_| {
            id += 1;
            let start = Instant::now();
            rt.block_on(post(id));
            start.elapsed()
        })
        .collect();
    samples.sort_unstable();
    let pick = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    println!(
        "latency/post-to-answer over {} POSTs: p50 {:?}, p99 {:?}",
        samples.len(),
        pick(0.50),
        pick(0.99)
    );
    server.reset();

    let mut group = c.benchmark_group("alertmanager/latency");
    group.bench_function("baseline: Robot::send to the emulator", |b| {
        b.iter(|| rt.block_on(robot.send(&direct)).unwrap())
    });
    group.bench_function("post-to-answer through the bridge", |b| {
        b.iter(|| {
            id += 1;
            rt.block_on(post(id));
            if id.is_multiple_of(4096) {
                server.reset();
            }
        })
    });
    group.finish();
}

/// The key of the `n`th made-up notification.
fn key(n: u64) -> NotificationKey {
    let mut bytes = [0; 32];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    NotificationKey::from_bytes(bytes)
}

/// Each iteration: a table with `before` notifications (made outside the timing), then
/// 10,000 new ones remembered, timed.
fn dedup(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    const NEW: u64 = 10_000;
    let mut group = c.benchmark_group("dedup");
    group.sample_size(20);
    for (name, before) in [
        ("10k-new-below-cap", 1_000),
        ("10k-new-at-cap", MAX_REMEMBERED),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let table = Dedup::new(Duration::from_secs(300));
                    rt.block_on(async {
                        for n in 0..before as u64 {
                            table.begin(key(n)).await.done = true;
                        }
                        let start = Instant::now();
                        for n in 0..NEW {
                            table.begin(key(u64::MAX - n)).await.done = true;
                        }
                        total += start.elapsed();
                    });
                    black_box(table.len());
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = take, dedup, go_template, latency
}
criterion_main!(benches);
