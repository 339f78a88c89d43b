//! Several robots in one group (`RobotGroup`).
//!
//! - `group_burst/robots_3` against `group_burst/robots_1`: a burst of 60 messages sent
//!   at once (60 tasks) through a group of three robots at 20/60 s, against the same
//!   burst through one robot, each robot an emulator of its own, on a manual clock. The
//!   DingTalk time each burst takes (the manual clock's, what the group waits) is
//!   printed first: three robots carry it within the first minute, one needs three. The
//!   criterion figures are the real time per burst (choosing a robot, signing, 60
//!   requests over loopback), so their ratio is what choosing among three costs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use dingbot::{Robot, RobotGroup, Text};

/// A group of `n` robots, each an emulator of its own, on a fresh manual clock.
async fn group_of(n: usize) -> (Clock, Vec<MockServer>, RobotGroup) {
    let clock = Clock::manual();
    let mut servers = Vec::new();
    let mut robots = Vec::new();
    for _ in 0..n {
        let server = MockServer::builder()
            .clock(clock.clone())
            .start()
            .await
            .unwrap();
        robots.push(
            Robot::builder(server.webhook_url())
                .clock(clock.clone())
                .build()
                .unwrap(),
        );
        servers.push(server);
    }
    (clock, servers, RobotGroup::new(robots).unwrap())
}

/// Sends 60 messages at once through a new group of `n` robots; returns the DingTalk
/// time the burst took.
async fn burst(n: usize) -> Duration {
    let (clock, servers, group) = group_of(n).await;
    let start = clock.now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let group = group.clone();
        tasks.spawn(async move { group.send(&Text::new(format!("burst {i}"))).await });
    }
    while let Some(sent) = tasks.join_next().await {
        black_box(sent.unwrap().unwrap());
    }
    let took = clock.now() - start;
    for server in &servers {
        assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
        server.shutdown().await;
    }
    took
}

fn group_burst(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for n in [1, 3] {
        let took = rt.block_on(burst(n));
        println!(
            "group_burst: 60 messages through {n} robot(s) at 20/60 s: {took:.1?} of DingTalk time"
        );
    }
    let mut group = c.benchmark_group("group_burst");
    group.sample_size(20);
    for n in [1, 3] {
        group.bench_function(format!("robots_{n}"), |b| {
            b.iter(|| black_box(rt.block_on(burst(n))))
        });
    }
    group.finish();
}

criterion_group!(benches, group_burst);
criterion_main!(benches);
