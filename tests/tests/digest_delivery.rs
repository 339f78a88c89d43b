//! What a digest delivers when DingTalk is slow or unreachable: every event posted once,
//! stats that match what the group received, and a close that keeps to its deadline.

mod emulator;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dingbot::clock::Clock;
use dingbot::mock::{Fault, MockServer};
use dingbot::{Digest, DigestConfig, DigestStats, Robot, Text};

/// An emulator and a robot that gives up on an answer after 300 ms.
async fn impatient() -> (Clock, MockServer, Robot) {
    emulator::pair(MockServer::builder(), |robot| {
        robot.timeout(Duration::from_millis(300))
    })
    .await
}

/// A digest whose robot gets its next `slow` answers only after it has given up on them
/// (DingTalk posts what they carry all the same).
async fn slow_digest(slow: usize) -> (MockServer, Digest) {
    let (_clock, server, robot) = impatient().await;
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
    assert_eq!(
        (stats.failed, stats.undelivered, stats.held),
        (0, 0, 0),
        "{stats:?}"
    );
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

#[tokio::test]
async fn close_keeps_to_its_deadline_when_dingtalk_is_unreachable() {
    let log_path = std::env::temp_dir().join(format!("dingbot-close-{}.log", std::process::id()));
    let log_file = Arc::new(std::fs::File::create(&log_path).unwrap());
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(log_file)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Nothing listens on this port: every attempt fails, and is retried with back-off.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let robot = Robot::new(format!("http://127.0.0.1:{port}/robot/send?access_token=t")).unwrap();
    let digest = robot
        .digest(DigestConfig::default().close_timeout(Duration::from_secs(1)))
        .unwrap();
    for i in 0..30 {
        digest.push(&event(i)).unwrap();
    }
    let start = Instant::now();
    let stats = digest.close().await;
    let took = start.elapsed();

    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert_eq!(stats.undelivered, 30, "{stats:?}");
    assert_eq!((stats.messages, stats.failed, stats.held), (0, 0, 0));
    assert!(
        stats
            .last_error
            .unwrap()
            .contains("30 event(s) not delivered")
    );
    let log = std::fs::read_to_string(&log_path).unwrap();
    std::fs::remove_file(&log_path).unwrap();
    assert_eq!(log.matches("close timed out").count(), 1, "{log}");
    assert!(log.contains("undelivered=30"), "{log}");
}

#[tokio::test]
async fn the_close_deadline_is_real_time_not_the_robots_manual_clock() {
    let (clock, server, robot) = impatient().await;
    for i in 0..20 {
        robot.send(&Text::new(format!("fill {i}"))).await.unwrap();
    }
    let digest = robot
        .digest(DigestConfig::default().close_timeout(Duration::from_secs(5)))
        .unwrap();
    for i in 0..30 {
        digest.push(&event(i)).unwrap();
    }
    let before = clock.now();
    let stats = digest.close().await;
    // A minute of pacing passed on the manual clock, well within the real deadline.
    assert!(clock.now() - before >= Duration::from_secs(60));
    assert_eq!(stats.merged, 30, "{stats:?}");
    assert_eq!(server.received().len(), 21);
    assert_eq!(stats.undelivered, 0, "{stats:?}");
}
