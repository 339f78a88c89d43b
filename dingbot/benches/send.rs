//! Throughput of `Robot::send` to the emulator on loopback, against raw reqwest POSTing
//! the same bytes to the same emulator in the same run.
//!
//! The baseline is what a careful hand-written client does: a reqwest client with the
//! same timeouts and redirect policy as dingbot's, the same signed URL, and the same
//! JSON with a fresh `msgUuid` (encoded outside the timed loop), so the emulator does
//! the same work for both (an earlier baseline sent no `msgUuid`, which spared the
//! emulator its duplicate bookkeeping for the baseline only).
//!
//! The emulator's rate limit is switched off, so both sides measure only HTTP and
//! dingbot's own work (validation, mentions, encoding, signing, errcode parsing).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dingbot::mock::MockServer;
use dingbot::{Markdown, Message, Pacing, Payload, Robot};

const SECRET: &str = "SECbench0123456789abcdef";

fn message() -> Message {
    Markdown::new(
        "Order 1842 failed",
        "#### Order 1842 failed\n\n**Customer**: ACME\n\n**Reason**: card declined",
    )
    .at_mobiles(["13800000000"])
    .into()
}

fn send(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(MockServer::builder().secret(SECRET).no_rate_limit().start())
        .unwrap();
    // The client's pacing is off too: this measures the send path itself.
    let robot = Robot::builder(server.webhook_url())
        .secret(SECRET)
        .pacing(Pacing::Off)
        .build()
        .unwrap();
    let msg = message();

    // A plain reqwest client needs a TLS provider even for http://; the robot uses ring.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let raw = reqwest::Client::builder()
        .timeout(dingbot::DEFAULT_TIMEOUT)
        .connect_timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let hook = robot.webhook().clone();
    // The bytes dingbot sends, each with its own msgUuid (a repeated one would be
    // skipped by the emulator), made ahead of the timed loop.
    let bodies: Vec<bytes::Bytes> = (0..4096)
        .map(|_| bytes::Bytes::copy_from_slice(Payload::new(&msg).unwrap().body()))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    // The emulator keeps what it accepts; clear it now and then so memory stays small.
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let tick = |server: &MockServer| {
        if sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 4_000 == 3_999 {
            server.reset();
        }
    };

    let mut group = c.benchmark_group("send_loopback");
    group.throughput(Throughput::Elements(1));
    group.bench_function("raw_reqwest_post", |b| {
        b.to_async(&rt).iter(|| {
            let raw = raw.clone();
            // The same signed URL shape; the body is serialized once, outside the loop.
            let url = hook.signed_url_now();
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let body = bodies[i % bodies.len()].clone();
            let (server, tick) = (&server, &tick);
            async move {
                let resp = raw
                    .post(url)
                    .header("content-type", "application/json; charset=utf-8")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let bytes = resp.bytes().await.unwrap();
                assert!(bytes.starts_with(b"{\"errcode\":0"));
                tick(server);
            }
        })
    });
    group.bench_function("dingbot_robot_send", |b| {
        b.to_async(&rt).iter(|| {
            let robot = robot.clone();
            let msg = msg.clone();
            let (server, tick) = (&server, &tick);
            async move {
                black_box(robot.send(&msg).await.unwrap());
                tick(server);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, send);
criterion_main!(benches);
