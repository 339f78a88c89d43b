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

/// Sends 60 messages through `group`, at once (from 60 tasks) or one after another;
/// returns the DingTalk time they took.
async fn burst(clock: &Clock, group: &RobotGroup, at_once: bool) -> Duration {
    let start = clock.now();
    if at_once {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..60 {
            let group = group.clone();
            tasks.spawn(async move { group.send(&Text::new(format!("burst {i}"))).await });
        }
        while let Some(sent) = tasks.join_next().await {
            black_box(sent.unwrap().unwrap());
        }
    } else {
        for i in 0..60 {
            black_box(group.send(&Text::new(format!("burst {i}"))).await.unwrap());
        }
    }
    clock.now() - start
}

fn group_burst(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut bench = c.benchmark_group("group_burst");
    bench.sample_size(20);
    for n in [1, 3] {
        let (clock, servers, group) = rt.block_on(group_of(n));
        let took = rt.block_on(burst(&clock, &group, false));
        println!(
            "group_burst: 60 messages through {n} robot(s) at 20/60 s: {took:.1?} of DingTalk time"
        );
        bench.bench_function(format!("robots_{n}"), |b| {
            b.iter(|| {
                // Every window empty again: each burst starts as the first did.
                clock.advance(Duration::from_secs(63));
                black_box(rt.block_on(burst(&clock, &group, true)))
            })
        });
        for server in &servers {
            assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
        }
    }
    bench.finish();
}

criterion_group!(benches, group_burst);
criterion_main!(benches);
