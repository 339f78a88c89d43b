//! An order storm through a digest, on the trial's shape: 500 failed orders (~1 KB of
//! markdown each, a list of items, the on-call engineer mentioned), one every 20 ms of a
//! manual clock, to one robot at DingTalk's 20 messages a minute whose keyword is 告警.
//!
//! - `storm/lines`: the default summaries, one line per order.
//! - `storm/full`: [`Detail::Full`], every order in full (the shape before lines).
//!
//! Each run pushes the storm, closes the digest (the emulator answering on loopback)
//! and prints, once, what the group received: messages, bytes per event in summaries,
//! bytes in all, and the time from the first push to the first message.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::clock::Clock;
use dingbot::markdown::{Inline, Writer};
use dingbot::mock::MockServer;
use dingbot::{Detail, DigestConfig, DingMessage, Markdown, Message, Robot};

struct OrderFailed {
    n: usize,
}

impl DingMessage for OrderFailed {
    fn to_message(&self) -> Message {
        let title = format!("Order SO-2026/{} failed", self.n);
        let items = (0..8).map(|i| {
            Inline::text(&format!(
                "SKU-{:05} · Widget, blue, large × {} @ 120.00 (warehouse HZ-{})",
                self.n * 8 + i,
                i + 1,
                i % 3
            ))
        });
        let text = Writer::new()
            .heading(4, title.as_str())
            .field("customer", "Globex Corporation (key account)")
            .field("amount", "1,234.00 CNY")
            .field(
                "reason",
                "payment declined by the card issuer; a retry is scheduled in 15 minutes",
            )
            .list(items)
            .paragraph(Inline::link(
                "Open in the back office",
                "https://erp.example.com/orders",
            ))
            .finish();
        Markdown::new(title, text)
            .at_mobiles(["13800000000"])
            .into()
    }

    fn summary(&self) -> Option<String> {
        Some(format!("SO-2026/{} Globex: 1,234.00", self.n))
    }
}

/// What the group received: (messages, bytes per event in summaries, bytes in all,
/// first message after).
async fn storm(detail: Detail) -> (usize, u64, u64, Duration) {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .keywords(["告警"])
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .keywords(["告警"])
        .ensure_keyword(true)
        .clock(clock.clone())
        .build()
        .unwrap();
    let digest = robot
        .digest(DigestConfig::default().detail(detail))
        .unwrap();
    let start = clock.now();
    for n in 0..500 {
        digest.push(&OrderFailed { n }).unwrap();
        // A millisecond of real time for 20 ms of the clock: the requests under way
        // make progress as they would beside a service's pushes.
        tokio::time::sleep(Duration::from_millis(1)).await;
        clock.advance(Duration::from_millis(20));
    }
    let stats = digest.close().await;
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.errcode == Some(0)));
    let all: u64 = requests.iter().map(|r| r.body_len).sum();
    let summaries: u64 = requests
        .iter()
        .filter(|r| r.body_text().contains("events: "))
        .map(|r| r.body_len)
        .sum();
    (
        requests.len(),
        summaries / stats.merged.max(1),
        all,
        requests[0].at.saturating_duration_since(start),
    )
}

fn storms(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("storm");
    group.sample_size(10);
    for (name, detail) in [("lines", Detail::Lines), ("full", Detail::Full)] {
        let (messages, per_event, all, first) = rt.block_on(storm(detail));
        eprintln!(
            "storm/{name}: {messages} messages, {per_event} bytes per event in summaries, \
             {all} bytes in all, first message after {first:?}"
        );
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| async { black_box(storm(detail).await) })
        });
    }
    group.finish();
}

criterion_group!(benches, storms);
criterion_main!(benches);
