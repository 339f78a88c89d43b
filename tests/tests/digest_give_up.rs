//! How long a digest keeps sending a message DingTalk keeps failing on
//! (`DigestConfig::give_up_after`), and what `Digest::on_settled` reports.

mod emulator;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dingbot::mock::{Fault, MockServer};
use dingbot::{DigestConfig, Settled, Text};

/// Every settled report, in order.
fn recorder(digest: &dingbot::Digest) -> Arc<Mutex<Vec<Settled>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    digest.on_settled(move |s| sink.lock().unwrap().push(s.clone()));
    seen
}

#[tokio::test]
async fn an_outage_shorter_than_give_up_after_loses_nothing() {
    let (clock, server, robot) = emulator::pair(MockServer::builder(), |robot| robot).await;
    // About 20 rounds of 503s with back-off: some 17 minutes on the robot's clock, far
    // more than the six rounds (about two minutes) a digest once gave up after.
    server.inject(Fault::Status(503), 60);
    let digest = robot
        .digest(DigestConfig::default().give_up_after(Duration::from_secs(3600)))
        .unwrap();
    let seen = recorder(&digest);
    let start = clock.now();
    let number = digest
        .push_with_msg_uuid(&Text::new("disk full on db-1"), "disk-full-db-1")
        .unwrap();
    let failing = loop {
        let stats = digest.stats();
        if stats.failing || stats.messages > 0 {
            break stats.failing;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(failing, "the digest says it is failing while DingTalk is");
    let stats = digest.close().await;

    assert!(
        clock.now() - start > Duration::from_secs(600),
        "the outage lasted"
    );
    assert_eq!((stats.messages, stats.failed), (1, 0), "{stats:?}");
    assert!(!stats.failing, "{stats:?}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        server.requests().last().unwrap().msg_uuid.as_deref(),
        Some("disk-full-db-1"),
        "sent with the msgUuid it was pushed with"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![Settled {
            events: number..number + 1,
            delivered: true
        }]
    );
}

#[tokio::test]
async fn past_give_up_after_the_message_fails_and_the_next_goes_out() {
    let (_clock, server, robot) = emulator::pair(MockServer::builder(), |robot| robot).await;
    server.inject(Fault::Status(503), 60);
    let digest = robot
        .digest(DigestConfig::default().give_up_after(Duration::from_secs(300)))
        .unwrap();
    let seen = recorder(&digest);
    let first = digest
        .push_with_msg_uuid(&Text::new("first"), "u-first")
        .unwrap();
    while digest.stats().failed == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.reset();
    let second = digest
        .push_with_msg_uuid(&Text::new("second"), "u-second")
        .unwrap();
    let stats = digest.close().await;

    assert_eq!((stats.failed, stats.messages), (1, 1), "{stats:?}");
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            Settled {
                events: first..first + 1,
                delivered: false
            },
            Settled {
                events: second..second + 1,
                delivered: true
            },
        ]
    );
    assert!(stats.last_error.unwrap().contains("503"));
}

#[tokio::test]
async fn a_summary_settles_every_event_it_carries_in_order() {
    let (_clock, server, robot) = emulator::pair(MockServer::builder(), |robot| robot).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    let seen = recorder(&digest);
    // 20 fill the window; the other 30 wait and go out merged.
    for i in 0..50 {
        digest.push(&Text::new(format!("event {i}"))).unwrap();
    }
    let stats = digest.close().await;

    assert_eq!(stats.events, 50);
    assert!(stats.summaries >= 1, "{stats:?}");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len() as u64, stats.messages, "one report per message");
    assert_eq!(server.received().len() as u64, stats.messages);
    let mut next = 0;
    for settled in seen.iter() {
        assert!(settled.delivered);
        assert_eq!(settled.events.start, next, "{seen:?}");
        next = settled.events.end;
    }
    assert_eq!(next, 50, "every event settled once, in order");
}
