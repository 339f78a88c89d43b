//! The cost on the caller's thread of the tracing layer: an `error!` with 5 fields that
//! it forwards, and an `info!` it filters out, each against the same subscriber without
//! the layer, in the same run.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::Robot;
use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use tracing::Dispatch;
use tracing_subscriber::prelude::*;

fn fmt_to_sink() -> tracing_subscriber::fmt::Layer<
    tracing_subscriber::Registry,
    tracing_subscriber::fmt::format::DefaultFields,
    tracing_subscriber::fmt::format::Format,
    fn() -> std::io::Sink,
> {
    tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(std::io::sink as fn() -> std::io::Sink)
}

fn error_with_5_fields(i: u64) {
    tracing::error!(
        order = i,
        customer = "ACME Corp",
        amount = 129.5,
        retry = true,
        region = "cn-hangzhou",
        "payment failed"
    );
}

fn info_with_5_fields(i: u64) {
    tracing::info!(
        order = i,
        customer = "ACME Corp",
        amount = 129.5,
        retry = true,
        region = "cn-hangzhou",
        "payment ok"
    );
}

fn bench(c: &mut Criterion) {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .clock(clock.clone())
        .no_rate_limit()
        .start_blocking()
        .expect("emulator");
    let robot = Robot::builder(server.webhook_url())
        .clock(clock)
        .build()
        .expect("robot");
    let (layer, guard) = dingbot::tracing::builder(robot)
        .queue_capacity(4096)
        .build();

    let without = Dispatch::new(tracing_subscriber::registry().with(fmt_to_sink()));
    let with = Dispatch::new(
        tracing_subscriber::registry()
            .with(fmt_to_sink())
            .with(layer),
    );

    let mut group = c.benchmark_group("tracing");
    let mut i = 0u64;
    tracing::dispatcher::with_default(&without, || {
        group.bench_function("error! 5 fields, fmt only", |b| {
            b.iter(|| {
                i += 1;
                error_with_5_fields(black_box(i));
            })
        });
        group.bench_function("info! 5 fields, fmt only", |b| {
            b.iter(|| {
                i += 1;
                info_with_5_fields(black_box(i));
            })
        });
    });
    tracing::dispatcher::with_default(&with, || {
        group.bench_function("error! 5 fields, fmt + layer (forwarded)", |b| {
            b.iter(|| {
                i += 1;
                error_with_5_fields(black_box(i));
            })
        });
        group.bench_function("info! 5 fields, fmt + layer (filtered out)", |b| {
            b.iter(|| {
                i += 1;
                info_with_5_fields(black_box(i));
            })
        });
    });
    group.finish();
    let stats = guard.stats();
    eprintln!(
        "layer: {} events taken, {} dropped (queue full), {} processed",
        stats.events, stats.dropped, stats.processed
    );
    drop(guard);
}

criterion_group!(benches, bench);
criterion_main!(benches);
