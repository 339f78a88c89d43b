//! What a digest delivers when DingTalk is slow: every event posted once, and stats that
//! match what the group received.

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::mock::{Fault, MockServer};
use dingbot::{Digest, DigestConfig, DigestStats, Robot, Text};

/// An emulator and a robot that gives up on an answer after 300 ms, on a shared manual
/// clock (back-offs and pacing take no time; the emulator's delays and the timeout are
/// real).
async fn pair() -> (Clock, MockServer, Robot) {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .clock(clock.clone())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    (clock, server, robot)
}

/// A digest whose robot gets its next `slow` answers only after it has given up on them
/// (DingTalk posts what they carry all the same).
async fn slow_digest(slow: usize) -> (MockServer, Digest) {
    let (_clock, server, robot) = pair().await;
    server.inject(Fault::Delay(Duration::from_millis(600)), slow);
    (server, robot.digest(DigestConfig::default()).unwrap())
}

fn event(i: usize) -> Text {
    Text::new(format!("event {i:02} end"))
}

/// Asserts that each of `events` events appears in exactly one message the group
/// received, and that the stats count what it received.
fn assert_posted_once(server: &MockServer, stats: &DigestStats, events: usize) {
    let bodies: Vec<String> = server
        .received()
        .iter()
        .map(|m| m.body().unwrap_or("").to_owned())
        .collect();
    let posted: Vec<usize> = (0..events)
        .map(|i| {
            let marker = format!("event {i:02} end");
            bodies.iter().filter(|b| b.contains(&marker)).count()
        })
        .collect();
    assert_eq!(posted, vec![1; events], "times each event was posted");
    assert_eq!(stats.messages as usize, bodies.len(), "{stats:?}");
    assert_eq!(stats.sent_alone + stats.merged, events as u64, "{stats:?}");
    assert_eq!((stats.failed, stats.held), (0, 0), "{stats:?}");
}

#[tokio::test]
async fn an_event_whose_answers_time_out_is_posted_once() {
    // Every attempt of the first round times out.
    let (server, digest) = slow_digest(4).await;
    digest.push(&event(0)).unwrap();
    let stats = digest.close().await;

    assert_posted_once(&server, &stats, 1);
    assert_eq!(stats.sent_alone, 1);
    let requests = server.requests();
    assert!(requests.len() > 4, "sent again after the slow round");
    assert!(
        requests.iter().all(|r| r.msg_uuid == requests[0].msg_uuid),
        "every attempt carries the msgUuid it was pushed with"
    );
}

#[tokio::test]
async fn a_burst_behind_a_slow_event_is_posted_once_each() {
    let (server, digest) = slow_digest(8).await;
    digest.push(&event(0)).unwrap();
    // Event 0 goes out alone; the rest arrive while its answers are slow.
    while server.requests().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for i in 1..30 {
        digest.push(&event(i)).unwrap();
    }
    let stats = digest.close().await;

    assert_posted_once(&server, &stats, 30);
    assert_eq!((stats.sent_alone, stats.merged), (1, 29), "{stats:?}");
}
