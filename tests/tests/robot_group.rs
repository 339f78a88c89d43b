//! Several robots in one group: a burst three robots carry in a minute, a throttle that
//! moves sends to the other robots, digests through a group. Against one emulator per
//! robot, all on one manual clock (minutes of DingTalk time in milliseconds).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use dingbot::{DigestConfig, Error, Pacing, Robot, RobotGroup, Text};

/// `n` emulated robots (20 messages per 60 s each, DingTalk's rule) and a group of
/// robots for them, paced by `pacing`, on one manual clock.
async fn group_of(n: usize, pacing: Pacing) -> (Clock, Vec<MockServer>, RobotGroup) {
    let clock = Clock::manual();
    let mut servers = Vec::new();
    let mut robots = Vec::new();
    for i in 0..n {
        let server = MockServer::builder()
            .token(format!("group-robot-{i}"))
            .secret(format!("SECgroup{i}"))
            .clock(clock.clone())
            .start()
            .await
            .unwrap();
        robots.push(
            Robot::builder(server.webhook_url())
                .secret(format!("SECgroup{i}"))
                .clock(clock.clone())
                .pacing(pacing)
                .build()
                .unwrap(),
        );
        servers.push(server);
    }
    (clock, servers, RobotGroup::new(robots).unwrap())
}

/// Every request every emulator answered, by errcode.
fn errcodes(servers: &[MockServer]) -> Vec<Option<i64>> {
    servers
        .iter()
        .flat_map(|s| s.requests().into_iter().map(|r| r.errcode))
        .collect()
}

/// Sends `n` messages at once, from `n` tasks; returns how long the last took on the
/// clock.
async fn burst(group: &RobotGroup, clock: &Clock, n: usize) -> Duration {
    let start: Instant = clock.now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let group = group.clone();
        tasks.spawn(async move { group.send(&Text::new(format!("burst {i}"))).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    clock.now() - start
}

#[tokio::test]
async fn three_robots_carry_a_burst_of_60_within_the_first_minute() {
    let (clock, servers, group) = group_of(3, Pacing::Wait).await;
    let took = burst(&group, &clock, 60).await;
    assert!(took < Duration::from_secs(60), "took {took:?}");
    assert!(
        errcodes(&servers).iter().all(|&c| c == Some(0)),
        "never throttled: {:?}",
        errcodes(&servers)
    );
    for server in &servers {
        assert_eq!(server.received().len(), 20, "each robot carried its 20");
    }
    let texts: HashSet<String> = servers
        .iter()
        .flat_map(|s| s.received())
        .filter_map(|m| m.body().map(str::to_owned))
        .collect();
    assert_eq!(texts.len(), 60, "every message once");
}

#[tokio::test]
async fn one_robot_needs_three_minutes_for_the_same_burst() {
    let (clock, servers, group) = group_of(1, Pacing::Wait).await;
    let took = burst(&group, &clock, 60).await;
    assert!(took >= Duration::from_secs(120), "took {took:?}");
    assert!(errcodes(&servers).iter().all(|&c| c == Some(0)));
}

#[tokio::test]
async fn a_throttled_robot_moves_its_sends_to_the_others() {
    let (clock, servers, group) = group_of(3, Pacing::Wait).await;
    servers[0].throttle_now();
    let start = clock.now();
    for i in 0..30 {
        let sent = group.send(&Text::new(format!("m{i}"))).await.unwrap();
        assert_eq!(sent.attempts, 1, "a move to another robot is not a retry");
    }
    assert!(
        clock.now() - start < Duration::from_secs(60),
        "nobody waited for the throttle"
    );
    let first = servers[0].requests();
    assert_eq!(first.len(), 1, "the throttled robot was asked once");
    assert_eq!(first[0].errcode, Some(130101));
    assert_eq!(
        servers[1].received().len() + servers[2].received().len(),
        30
    );
    // The message DingTalk refused went out through another robot with its msgUuid.
    let refused: serde_json::Value = serde_json::from_slice(&first[0].body).unwrap();
    let uuid = refused["msgUuid"].as_str().unwrap().to_owned();
    let carried = servers[1..].iter().flat_map(|s| s.requests()).any(|r| {
        serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["msgUuid"] == uuid.as_str()
    });
    assert!(carried, "the refused message was carried by another robot");
}

#[tokio::test]
async fn fail_fast_fails_only_when_every_robot_is_full() {
    let (_clock, servers, group) = group_of(2, Pacing::FailFast).await;
    for i in 0..40 {
        group.send(&Text::new(format!("m{i}"))).await.unwrap();
    }
    match group.send(&Text::new("one too many")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: false,
        }) => assert!(retry_after <= Duration::from_secs(62), "{retry_after:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(errcodes(&servers).len(), 40);
}

#[tokio::test]
async fn a_digest_through_a_group_uses_every_robot() {
    let (clock, servers, group) = group_of(3, Pacing::Wait).await;
    servers[1].throttle_now();
    let digest = group
        .digest(DigestConfig::default().gather(Duration::ZERO))
        .unwrap();
    for i in 0..300 {
        digest.push(&Text::new(format!("event {i}"))).unwrap();
        if i % 5 == 4 {
            clock.advance(Duration::from_millis(500));
            tokio::task::yield_now().await;
        }
    }
    let stats = digest.close().await;
    assert_eq!((stats.failed, stats.undelivered), (0, 0), "{stats:?}");
    let all: String = servers
        .iter()
        .flat_map(|s| s.received())
        .map(|m| format!("{}\n", m.body().unwrap_or("")))
        .collect();
    for i in 0..300 {
        assert!(
            all.contains(&format!("event {i}\n")),
            "event {i} is missing"
        );
    }
    assert!(
        servers[1].requests().len() <= 1,
        "the throttled robot was left alone"
    );
    assert!(!servers[0].received().is_empty() && !servers[2].received().is_empty());
}
