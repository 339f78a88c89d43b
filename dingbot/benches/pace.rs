//! Pacing and digest costs.
//!
//! - `pacer/refused_full_window`: a fail-fast send whose window is full — the message
//!   encoded, then the pacer's verdict, no network — against `pacer/baseline_payload`,
//!   encoding the same message alone: the difference is what asking the pacer costs.
//! - `send_paced_vs_off`: a whole send to the emulator with pacing on (a window too
//!   large to ever fill) against pacing off, in the same run.
//! - `digest/merge_10k`: pushing 10,000 events into a digest whose robot has no free
//!   slot, then closing it (merging them into summaries and sending those to the
//!   emulator). Peak heap during that is printed, from a counting allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::Pacing;
use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use dingbot::{DigestConfig, Error, Markdown, Payload, Rate, Robot, Text};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn pacer(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let clock = Clock::manual();
    let server = rt
        .block_on(MockServer::builder().clock(clock.clone()).start())
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .clock(clock)
        .pacing(Pacing::FailFast)
        .build()
        .unwrap();
    rt.block_on(async {
        for i in 0..20 {
            robot.send(&Text::new(format!("fill {i}"))).await.unwrap();
        }
    });
    let msg = Text::new("pacing overhead");
    let mut group = c.benchmark_group("pacer");
    group.bench_function("baseline_payload", |b| {
        b.iter(|| black_box(Payload::new(&msg).unwrap()))
    });
    group.bench_function("refused_full_window", |b| {
        b.to_async(&rt).iter(|| async {
            let err = robot.send(&msg).await.unwrap_err();
            assert!(matches!(err, Error::RateLimited { .. }));
            black_box(err)
        })
    });
    group.finish();
}

fn send_paced_vs_off(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt
        .block_on(MockServer::builder().no_rate_limit().start())
        .unwrap();
    let url = server.webhook_url();
    // One rate for both: robots for one token must agree on it.
    let never_full = Rate::new(100_000_000, Duration::from_secs(1));
    let paced = Robot::builder(&url)
        .pacing(Pacing::Wait)
        .rate_limit(never_full)
        .build()
        .unwrap();
    let off = Robot::builder(&url)
        .pacing(Pacing::Off)
        .rate_limit(never_full)
        .build()
        .unwrap();
    let msg = Text::new("pacing overhead");
    let count = AtomicUsize::new(0);
    let mut group = c.benchmark_group("send_paced_vs_off");
    for (name, robot) in [("pacing_off", &off), ("pacing_wait", &paced)] {
        group.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                black_box(robot.send(&msg).await.unwrap());
                if count.fetch_add(1, Ordering::Relaxed) % 5_000 == 4_999 {
                    server.reset();
                }
            })
        });
    }
    group.finish();
}

fn digest(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let events: Vec<Markdown> = (0..10_000)
        .map(|i| {
            let kind = ["Order failed", "Payment late", "Deploy", "Disk full"][i % 4];
            Markdown::new(
                format!("{kind} #{i}"),
                format!("#### {kind} #{i}\n\n**Customer**: ACME {i}\n\n**Reason**: declined"),
            )
            .at_mobiles([format!("1380000{:04}", i % 13)])
        })
        .collect();
    let run = |report: bool| {
        rt.block_on(async {
            let clock = Clock::manual();
            let server = MockServer::builder()
                .clock(clock.clone())
                .no_rate_limit()
                .start()
                .await
                .unwrap();
            let robot = Robot::builder(server.webhook_url())
                .clock(clock)
                .build()
                .unwrap();
            // Fill the window, so every event is held and merged.
            for i in 0..20 {
                robot.send(&Text::new(format!("fill {i}"))).await.unwrap();
            }
            let before = CURRENT.load(Ordering::Relaxed);
            PEAK.store(before, Ordering::Relaxed);
            let digest = robot.digest(DigestConfig::default()).unwrap();
            for e in &events {
                digest.push(e).unwrap();
            }
            let stats = digest.close().await;
            if report {
                println!(
                    "digest: 10,000 events -> {} summaries; peak heap above baseline {:.1} MiB",
                    stats.summaries,
                    (PEAK.load(Ordering::Relaxed) - before) as f64 / (1024.0 * 1024.0)
                );
            }
            assert_eq!(stats.merged, 10_000);
        })
    };
    run(true);
    let mut group = c.benchmark_group("digest");
    group.sample_size(10);
    group.bench_function("merge_10k", |b| b.iter(|| run(false)));
    group.finish();
}

criterion_group!(benches, pacer, send_paced_vs_off, digest);
criterion_main!(benches);
