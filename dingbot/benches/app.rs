//! One send through an enterprise app's robot (`AppRobot::send_to_group`, DingTalk's
//! OpenAPI) against one through a webhook `Robot`, to the same emulator on loopback, in
//! the same run.
//!
//! Both are unpaced and the emulator's limits are off, so each side measures HTTP and
//! dingbot's own work: for the webhook robot validation, mentions, encoding, signing and
//! errcode parsing; for the app robot the template mapping (`msgParam` as a JSON
//! string), the cached token taken under its lock, the header, and the answer read as
//! JSON. The token is fetched once, before the timed loop, as it is once in two hours.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dingbot::mock::MockServer;
use dingbot::{AppRobot, Markdown, Message, Pacing, Robot};

fn message() -> Message {
    Markdown::new(
        "Order 1842 failed",
        "#### Order 1842 failed\n\n**Customer**: ACME\n\n**Reason**: card declined",
    )
    .into()
}

fn app_vs_webhook(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(
            MockServer::builder()
                .no_rate_limit()
                .app("dingbench", "bench-secret", "dingbench-robot")
                .app_rate_limit(None)
                .keep(1_000)
                .start(),
        )
        .unwrap();
    let webhook = Robot::builder(server.webhook_url())
        .pacing(Pacing::Off)
        .build()
        .unwrap();
    let app = AppRobot::builder("dingbench", "bench-secret", "dingbench-robot")
        .openapi_url(server.base_url())
        .pacing(Pacing::Off)
        .build()
        .unwrap();
    let msg = message();
    rt.block_on(app.send_to_group("cid-bench", &msg)).unwrap();

    let mut group = c.benchmark_group("app_vs_webhook");
    group.throughput(Throughput::Elements(1));
    group.bench_function("webhook_robot_send", |b| {
        b.to_async(&rt).iter(|| async {
            webhook.send(&msg).await.unwrap();
        })
    });
    group.bench_function("app_robot_send_to_group", |b| {
        b.to_async(&rt).iter(|| async {
            app.send_to_group("cid-bench", &msg).await.unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, app_vs_webhook);
criterion_main!(benches);
