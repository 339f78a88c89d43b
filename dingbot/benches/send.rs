//! Throughput of `Robot::send` to the emulator on loopback, against raw reqwest POSTing
//! the same pre-serialized bytes to the same emulator in the same run.
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

    let raw = reqwest::Client::new();
    let hook = robot.webhook().clone();
    // The bytes dingbot would send, less the msgUuid: the emulator then records every
    // raw request too, as it does dingbot's (a repeated msgUuid would be skipped).
    let mut with_mentions = msg.clone();
    with_mentions.notify_mentions();
    let body = serde_json::to_vec(&with_mentions).unwrap();
    assert!(Payload::new(&msg).unwrap().len() > body.len());
    // The emulator keeps what it accepts; clear it now and then so memory stays small.
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let tick = |server: &MockServer| {
        if sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 5_000 == 4_999 {
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
            let body = body.clone();
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
