//! Never throttled, nothing lost: pacing, throttle handling and digests, against the
//! emulator on a shared manual clock (minutes of DingTalk time in milliseconds).

mod emulator;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use dingbot::clock::Clock;
use dingbot::mock::{MockServer, RecordedRequest};
use dingbot::{DigestConfig, Error, Markdown, Message, Pacing, Rate, Robot, Text};

/// An emulator and a robot that paces itself with `pacing`.
async fn paced(pacing: Pacing) -> (Clock, MockServer, Robot) {
    emulator::pair(MockServer::builder(), |robot| robot.pacing(pacing)).await
}

/// The most requests DingTalk saw inside any 60-second window.
fn busiest_minute(requests: &[RecordedRequest]) -> usize {
    let times: Vec<Instant> = requests.iter().map(|r| r.at).collect();
    times
        .iter()
        .map(|&end| {
            times
                .iter()
                .filter(|&&t| t <= end && end - t < Duration::from_secs(60))
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn never_throttled(server: &MockServer) {
    let codes: HashSet<Option<i64>> = server.requests().iter().map(|r| r.errcode).collect();
    assert_eq!(codes, HashSet::from([Some(0)]), "every request accepted");
}

#[tokio::test]
async fn a_burst_of_1000_events_through_a_digest() {
    let (clock, server, robot) = paced(Pacing::Wait).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    // An alert storm: 1,000 events over 100 seconds, each mentioning its owner.
    for i in 0..1000 {
        let kind = ["Order failed", "Payment late", "Deploy"][i % 3];
        let event = Markdown::new(
            format!("{kind} #{i}"),
            format!("#### {kind} #{i}\n\n**id**: {i}"),
        )
        .at_mobiles([format!("1380000{:04}", i % 7)]);
        digest.push(&event).unwrap();
        if i % 10 == 9 {
            clock.advance(Duration::from_secs(1));
            tokio::task::yield_now().await;
        }
    }
    let stats = digest.close().await;

    never_throttled(&server);
    let requests = server.requests();
    assert!(
        busiest_minute(&requests) <= 20,
        "{} in one minute",
        busiest_minute(&requests)
    );
    let received = server.received();
    let all_text: String = received
        .iter()
        .map(|m| format!("{}\n", m.body().unwrap_or("")))
        .collect();
    for i in 0..1000 {
        let kind = ["Order failed", "Payment late", "Deploy"][i % 3];
        assert!(
            all_text.contains(&format!("{kind} #{i}")),
            "event {i} is missing"
        );
    }
    // Everyone mentioned by a merged event is mentioned by some message.
    let mentioned: HashSet<String> = received
        .iter()
        .filter_map(Message::at)
        .flat_map(|a| a.get_mobiles().to_vec())
        .collect();
    assert_eq!(mentioned.len(), 7);

    assert_eq!(stats.events, 1000);
    assert_eq!(stats.sent_alone + stats.merged, 1000, "{stats:?}");
    assert_eq!(stats.messages as usize, received.len());
    assert_eq!((stats.dropped, stats.failed, stats.held), (0, 0, 0));
    assert!(stats.summaries >= 1);
    println!(
        "1000 events -> {} messages ({} alone, {} summaries) over {:?} of DingTalk time",
        stats.messages,
        stats.sent_alone,
        stats.summaries,
        requests.last().unwrap().at - requests[0].at
    );
}

#[tokio::test]
async fn five_tasks_share_one_robot_and_are_never_throttled() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    let mut tasks = Vec::new();
    for t in 0..5 {
        let robot = robot.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..100 {
                robot
                    .send(&Text::new(format!("task {t} message {i}")))
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(server.received().len(), 500);
    never_throttled(&server);
    assert!(busiest_minute(&server.requests()) <= 20);
}

#[tokio::test]
async fn robots_built_separately_for_one_token_share_the_window() {
    let (clock, server, first) = paced(Pacing::Wait).await;
    let second = Robot::builder(server.webhook_url())
        .clock(clock)
        .build()
        .unwrap();
    for i in 0..30 {
        let robot = if i % 2 == 0 { &first } else { &second };
        robot.send(&Text::new(format!("m{i}"))).await.unwrap();
    }
    never_throttled(&server);
    assert!(busiest_minute(&server.requests()) <= 20);
}

#[tokio::test]
async fn a_server_side_throttle_stops_network_calls_until_it_ends() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    server.throttle_now();
    let until = server.throttled_until().unwrap();

    let err = robot.send(&Text::new("first")).await.unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!(server.requests().len(), 1);

    // The next send waits for the throttle to end without calling DingTalk meanwhile.
    robot.send(&Text::new("second")).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "no request during the throttle");
    assert_eq!(requests[1].errcode, Some(0));
    assert!(
        requests[1].at >= until,
        "sent only after the throttle ended"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn fail_fast_during_a_throttle_says_when_it_ends() {
    let (_clock, server, robot) = paced(Pacing::FailFast).await;
    server.throttle_now();
    assert!(
        robot
            .send(&Text::new("first"))
            .await
            .unwrap_err()
            .is_throttled()
    );
    match robot.send(&Text::new("second")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: true,
        }) => {
            assert!(
                retry_after <= Duration::from_secs(600) && retry_after >= Duration::from_secs(599),
                "{retry_after:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.requests().len(),
        1,
        "the fail-fast send never reached the network"
    );
}

#[tokio::test]
async fn fail_fast_says_when_a_slot_frees() {
    let (clock, server, robot) = paced(Pacing::FailFast).await;
    for i in 0..20 {
        robot.send(&Text::new(format!("m{i}"))).await.unwrap();
        clock.advance(Duration::from_secs(1));
    }
    // The first answer arrived at t=0; the window is 60 s plus a 2 s margin; it is t=20.
    match robot.send(&Text::new("m20")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: false,
        }) => assert_eq!(retry_after, Duration::from_secs(42)),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 20);
    let text = robot.send(&Text::new("m21")).await.unwrap_err().to_string();
    assert!(text.contains("42.0s"), "{text}");
    clock.advance(Duration::from_secs(42));
    robot.send(&Text::new("m22")).await.unwrap();
}

#[tokio::test]
async fn a_digest_holds_events_through_a_server_throttle() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    server.throttle_now();
    let until = server.throttled_until().unwrap();
    let digest = robot.digest(DigestConfig::default()).unwrap();
    for i in 0..50 {
        digest.push(&Text::new(format!("alert {i}"))).unwrap();
    }
    let stats = digest.close().await;
    let requests = server.requests();
    assert_eq!(requests[0].errcode, Some(130101));
    assert!(
        requests[1..]
            .iter()
            .all(|r| r.errcode == Some(0) && r.at >= until),
        "{requests:?}"
    );
    let text: String = server
        .received()
        .iter()
        .map(|m| m.body().unwrap_or("").to_owned())
        .collect();
    for i in 0..50 {
        assert!(text.contains(&format!("alert {i}")), "alert {i} lost");
    }
    assert_eq!(stats.failed, 0);
    assert_eq!(stats.sent_alone + stats.merged, 50);
}

#[tokio::test]
async fn a_full_digest_refuses_counts_and_reports_drops() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    let digest = robot.digest(DigestConfig::default().max_held(50)).unwrap();
    let mut refused = 0;
    // No await in between: the delivery task cannot run, so the events pile up.
    for i in 0..80 {
        match digest.push(&Text::new(format!("e{i}"))) {
            Ok(()) => {}
            Err(Error::DigestFull { held: 50 }) => refused += 1,
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(refused, 30);
    let stats = digest.close().await;
    assert_eq!((stats.events, stats.dropped), (50, 30));
    let first = server.received()[0].body().unwrap().to_owned();
    assert!(first.contains("30 more event(s) were dropped"), "{first}");
}

#[tokio::test]
async fn flush_delivers_what_is_held_and_the_digest_goes_on() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    digest.push(&Text::new("one")).unwrap();
    digest.push(&Text::new("two")).unwrap();
    let stats = digest.flush().await;
    assert_eq!(stats.sent_alone, 2);
    assert_eq!(server.received().len(), 2);
    digest.push(&Text::new("three")).unwrap();
    assert_eq!(digest.flush().await.messages, 3);
    let closed = digest.clone();
    drop(digest);
    closed.close().await;
    assert!(matches!(
        robot
            .digest(DigestConfig::default())
            .unwrap()
            .push(&Text::new("")),
        Err(Error::InvalidMessage { .. })
    ));
}

#[test]
fn a_digest_needs_a_runtime() {
    let robot = Robot::new("token").unwrap();
    assert!(matches!(
        robot.digest(DigestConfig::default()),
        Err(Error::Runtime { .. })
    ));
}

/// Fills the robot's window, so that what a digest gets next is merged.
async fn fill_window(robot: &Robot) {
    for i in 0..20 {
        robot.send(&Text::new(format!("fill {i}"))).await.unwrap();
    }
}

#[tokio::test]
async fn a_digest_rides_out_passing_failures() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    fill_window(&robot).await;
    // One whole delivery round fails (the robot's 4 attempts all get a 502).
    server.inject(dingbot::mock::Fault::Status(502), 4);
    let digest = robot.digest(DigestConfig::default()).unwrap();
    for i in 0..100 {
        digest.push(&Text::new(format!("event {i}"))).unwrap();
    }
    let stats = digest.close().await;
    assert_eq!((stats.failed, stats.merged), (0, 100), "{stats:?}");
    let text: String = server
        .received()
        .iter()
        .map(|m| m.body().unwrap_or("").to_owned())
        .collect();
    assert!((0..100).all(|i| text.contains(&format!("event {i}"))));
}

#[tokio::test]
async fn a_digest_counts_permanent_failures() {
    let (_clock, server, robot) =
        emulator::pair(MockServer::builder().keyword("alert"), |robot| robot).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    digest.push(&Text::new("no keyword")).unwrap();
    let stats = digest.close().await;
    assert_eq!(stats.failed, 1);
    assert!(stats.last_error.unwrap().contains("keywords"));
    assert_eq!(
        server.requests().len(),
        1,
        "a permanent refusal is not retried"
    );
}

#[tokio::test]
async fn push_refuses_what_could_not_be_sent() {
    let (_clock, _server, robot) = paced(Pacing::Wait).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    // Fits without a msgUuid, but not with the 32 characters every send carries.
    let envelope = dingbot::Payload::with_msg_uuid(&Text::new("x").into(), "")
        .unwrap()
        .len()
        - 1;
    let borderline = Text::new("x".repeat(dingbot::MAX_BODY_BYTES - envelope - 10));
    assert!(matches!(
        digest.push(&borderline),
        Err(Error::MessageTooLarge { .. })
    ));
    assert_eq!(digest.close().await.events, 0);
}

#[tokio::test]
async fn concurrent_closes_both_wait_for_delivery() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    fill_window(&robot).await;
    let digest = robot.digest(DigestConfig::default()).unwrap();
    for i in 0..30 {
        digest.push(&Text::new(format!("e{i}"))).unwrap();
    }
    let other = digest.clone();
    let (a, b) = tokio::join!(digest.close(), other.close());
    assert_eq!(a.merged, 30);
    assert_eq!(b.merged, 30);
    assert_eq!(server.received().len(), 21);
}

#[tokio::test]
async fn a_dropped_digest_still_delivers_what_it_holds() {
    let (_clock, server, robot) = paced(Pacing::Wait).await;
    // Not gathered: each event goes out alone while the window has room.
    let config = DigestConfig::default().gather(Duration::ZERO);
    let digest = robot.digest(config).unwrap();
    for i in 0..5 {
        digest.push(&Text::new(format!("e{i}"))).unwrap();
    }
    drop(digest);
    for _ in 0..200 {
        if server.received().len() == 5 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "held events were not delivered: {}",
        server.received().len()
    );
}

#[tokio::test]
async fn robots_for_one_token_that_would_count_apart_are_refused() {
    let (clock, server, _first) = paced(Pacing::Wait).await;
    let url = server.webhook_url();
    let conflict = |result: Result<Robot, Error>| match result {
        Err(Error::PacingConflict { message }) => message,
        other => panic!("{other:?}"),
    };
    // Another rate, another margin, another clock: each would keep its own count.
    let rate = conflict(
        Robot::builder(&url)
            .clock(clock.clone())
            .rate_limit(Rate::new(10, Duration::from_secs(60)))
            .build(),
    );
    assert!(
        rate.contains("20 per 62s") && rate.contains("10 per 62s"),
        "{rate}"
    );
    assert!(rate.contains("rate_limit, pacing_margin, clock"), "{rate}");
    conflict(
        Robot::builder(&url)
            .clock(clock.clone())
            .pacing_margin(Duration::from_secs(5))
            .build(),
    );
    let clocks = conflict(Robot::builder(&url).build());
    assert!(clocks.contains("a manual clock"), "{clocks}");
    // The same settings share the window; a rate that allows nothing is refused.
    Robot::builder(&url)
        .clock(clock)
        .rate_limit(Rate::DINGTALK)
        .build()
        .unwrap();
    assert!(matches!(
        Robot::builder("another-token")
            .rate_limit(Rate::new(0, Duration::from_secs(60)))
            .build(),
        Err(Error::InvalidRate { .. })
    ));
    // A rate parsed from text is the same value.
    assert_eq!("20/1m".parse::<Rate>().unwrap(), Rate::DINGTALK);
}
