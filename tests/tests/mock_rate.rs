//! Rate limit, 10-minute throttle and `msgUuid` de-duplication, on a manual clock.

mod mock_util;

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::mock::{ErrmsgStyle, Fault, MockServer};
use dingbot::{Error, Payload, Text};
use mock_util::{post, post_payload, post_to, text};

const TOO_FAST: &str = "send too fast, exceed 20 times per minute";

async fn manual_server() -> (MockServer, Clock) {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    (server, clock)
}

#[tokio::test]
async fn the_21st_message_in_a_minute_throttles_the_robot_for_10_minutes() {
    let (server, clock) = manual_server().await;
    let real_start = std::time::Instant::now();
    for i in 0..20 {
        let reply = post(&server, Text::new(format!("#{i}"))).await;
        assert_eq!(reply.errcode(), 0, "message {i}");
    }
    assert_eq!(server.throttled_until(), None);

    let reply = post(&server, Text::new("#20")).await;
    assert_eq!(reply.dingtalk(), (130101, TOO_FAST.to_owned()));
    let err = reply.error().unwrap();
    assert!(err.is_throttled() && !err.is_retryable(), "{err:?}");
    let until = server.throttled_until().expect("throttled");
    assert_eq!(until - clock.now(), Duration::from_secs(600));

    // Still throttled after 9 minutes, though the rate window is long empty.
    clock.advance(Duration::from_secs(9 * 60));
    let reply = post(&server, Text::new("after 9 minutes")).await;
    assert_eq!(reply.dingtalk(), (130101, TOO_FAST.to_owned()));
    assert_eq!(server.throttled_until(), Some(until));

    // Free again after 10.
    clock.advance(Duration::from_secs(61));
    assert_eq!(server.throttled_until(), None);
    let reply = post(&server, Text::new("after 10 minutes")).await;
    assert_eq!(reply.errcode(), 0);

    let received = server.received();
    assert_eq!(received.len(), 21);
    assert_eq!(received[20], Text::new("after 10 minutes").into());
    let requests = server.requests();
    assert_eq!(requests.len(), 23);
    assert!(
        requests
            .iter()
            .filter(|r| r.errcode == Some(130101))
            .all(|r| !r.accepted)
    );
    // Ten minutes of DingTalk time, in (much) less real time.
    assert!(real_start.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn the_window_slides() {
    let (server, clock) = manual_server().await;
    for i in 0..10 {
        assert_eq!(post(&server, Text::new(format!("a{i}"))).await.errcode(), 0);
    }
    clock.advance(Duration::from_secs(30));
    for i in 0..10 {
        assert_eq!(post(&server, Text::new(format!("b{i}"))).await.errcode(), 0);
    }
    // 60 s after the first ten, they leave the window: ten more fit, not eleven.
    clock.advance(Duration::from_secs(30));
    for i in 0..10 {
        assert_eq!(post(&server, Text::new(format!("c{i}"))).await.errcode(), 0);
    }
    assert_eq!(
        post(&server, Text::new("one too many")).await.errcode(),
        130101
    );
    assert_eq!(server.received().len(), 30);
}

#[tokio::test]
async fn twenty_a_minute_forever_is_fine() {
    let (server, clock) = manual_server().await;
    for i in 0..100 {
        assert_eq!(post(&server, Text::new(format!("#{i}"))).await.errcode(), 0);
        clock.advance(Duration::from_secs(3));
    }
    assert_eq!(server.received().len(), 100);
}

#[tokio::test]
async fn rejected_requests_do_not_count() {
    let (server, _clock) = manual_server().await;
    for _ in 0..30 {
        let reply = post_to(&server, "/robot/send?access_token=nope", text("x").body())
            .await
            .unwrap();
        assert_eq!(reply.errcode(), 300001);
        let reply = mock_util::post_body(&server, b"{}").await.unwrap();
        assert_eq!(reply.errcode(), 40035);
    }
    for i in 0..20 {
        assert_eq!(post(&server, Text::new(format!("#{i}"))).await.errcode(), 0);
    }
}

#[tokio::test]
async fn faults_do_not_count() {
    let (server, _clock) = manual_server().await;
    server.inject(Fault::Status(503), 25);
    for _ in 0..25 {
        assert_eq!(post_payload(&server, &text("x")).await.status, 503);
    }
    for i in 0..20 {
        assert_eq!(post(&server, Text::new(format!("#{i}"))).await.errcode(), 0);
    }
}

#[tokio::test]
async fn custom_rate_and_throttle() {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .rate_limit("3/10s".parse().unwrap())
        .throttle_for(Duration::from_secs(30))
        .clock(clock.clone())
        .errmsg_style(ErrmsgStyle::Current)
        .start()
        .await
        .unwrap();
    for i in 0..3 {
        assert_eq!(post(&server, Text::new(format!("#{i}"))).await.errcode(), 0);
    }
    let reply = post(&server, Text::new("#3")).await;
    let (code, msg) = reply.dingtalk();
    assert_eq!(code, 130101);
    assert!(msg.starts_with("description:发送速度太快而限流;"), "{msg}");
    assert!(matches!(
        reply.error(),
        Some(Error::SendTooFast { code: 130101, .. })
    ));
    clock.advance(Duration::from_secs(29));
    assert_eq!(post(&server, Text::new("#4")).await.errcode(), 130101);
    clock.advance(Duration::from_secs(1));
    assert_eq!(post(&server, Text::new("#5")).await.errcode(), 0);
}

#[tokio::test]
async fn no_rate_limit() {
    let server = MockServer::builder().no_rate_limit().start().await.unwrap();
    for i in 0..100 {
        assert_eq!(post(&server, Text::new(format!("#{i}"))).await.errcode(), 0);
    }
    assert_eq!(server.received().len(), 100);
    // An explicit throttle still applies.
    server.throttle_now();
    assert_eq!(post(&server, Text::new("x")).await.errcode(), 130101);
}

#[tokio::test]
async fn throttle_now_and_reset() {
    let (server, clock) = manual_server().await;
    let payload = text("before");
    assert_eq!(post_payload(&server, &payload).await.errcode(), 0);
    server.throttle_now();
    let until = server.throttled_until().unwrap();
    assert_eq!(until - clock.now(), Duration::from_secs(600));
    assert_eq!(post(&server, Text::new("x")).await.errcode(), 130101);
    server.inject(Fault::Html, 3);

    server.reset();
    assert_eq!(server.throttled_until(), None);
    assert!(server.received().is_empty());
    assert!(server.requests().is_empty());
    assert_eq!(server.pending_faults(), 0);
    // The msgUuid is forgotten too: the same payload is posted again.
    let reply = post_payload(&server, &payload).await;
    assert_eq!(reply.errcode(), 0);
    assert!(server.requests()[0].accepted);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn same_msg_uuid_is_posted_once() {
    let (server, _clock) = manual_server().await;
    let payload = Payload::with_msg_uuid(&Text::new("once").into(), "retry-1").unwrap();
    for _ in 0..3 {
        assert_eq!(
            post_payload(&server, &payload).await.dingtalk(),
            (0, "ok".to_owned())
        );
    }
    assert_eq!(server.received(), vec![Text::new("once").into()]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests[0].accepted && !requests[0].duplicate);
    for r in &requests[1..] {
        assert!(r.duplicate && !r.accepted);
        assert_eq!(r.errcode, Some(0));
        assert_eq!(r.msg_uuid.as_deref(), Some("retry-1"));
    }

    // Same content, different msgUuid: two messages.
    post(&server, Text::new("once")).await;
    assert_eq!(server.received().len(), 2);
    // No msgUuid at all: never de-duplicated.
    let bare = br#"{"msgtype":"text","text":{"content":"bare"}}"#;
    for _ in 0..2 {
        mock_util::post_body(&server, bare).await.unwrap();
    }
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn duplicates_do_not_count_against_the_rate() {
    let (server, _clock) = manual_server().await;
    let first = text("#0");
    assert_eq!(post_payload(&server, &first).await.errcode(), 0);
    for i in 1..20 {
        assert_eq!(post(&server, Text::new(format!("#{i}"))).await.errcode(), 0);
    }
    for _ in 0..5 {
        let reply = post_payload(&server, &first).await;
        assert_eq!(reply.errcode(), 0);
    }
    assert_eq!(server.throttled_until(), None);
    assert_eq!(post(&server, Text::new("#20")).await.errcode(), 130101);
    // While throttled, even a duplicate is refused.
    assert_eq!(post_payload(&server, &first).await.errcode(), 130101);
    assert_eq!(server.received().len(), 20);
}

#[tokio::test]
async fn a_rejected_msg_uuid_can_be_accepted_later() {
    let (server, clock) = manual_server().await;
    server.throttle_now();
    let payload = text("later");
    assert_eq!(post_payload(&server, &payload).await.errcode(), 130101);
    clock.advance(Duration::from_secs(600));
    let reply = post_payload(&server, &payload).await;
    assert_eq!(reply.errcode(), 0);
    assert!(server.requests()[1].accepted);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_robot_and_the_emulator_take_one_rate() {
    let clock = Clock::manual();
    let rate = dingbot::Rate::new(5, Duration::from_secs(10));
    let server = MockServer::builder()
        .rate_limit(rate)
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let robot = dingbot::Robot::builder(server.webhook_url())
        .rate_limit(rate)
        .clock(clock.clone())
        .build()
        .unwrap();
    let start = clock.now();
    for i in 0..12 {
        robot.send(&Text::new(format!("#{i}"))).await.unwrap();
    }
    // Paced at the emulator's own rate (plus the margin): never refused, and two waits.
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
    assert_eq!(clock.now() - start, Duration::from_secs(24));
    assert_eq!(rate.to_string(), "5/10s");
}
