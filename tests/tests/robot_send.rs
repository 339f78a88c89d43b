//! The async Robot against the emulator: every message type is delivered as sent, and
//! every way DingTalk says no (HTTP 200 with an errcode) is the matching typed error,
//! sent once, never retried.

mod emulator;

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::mock::{ErrmsgStyle, MockServer};
use dingbot::{ActionCard, Error, FeedCard, Link, Markdown, Message, Robot, Text};

const SECRET: &str = "SECrobot0123456789abcdef";

/// A signing emulator and a robot for it, on the system clock.
async fn signed_pair() -> (MockServer, Robot) {
    emulator::pair_on(
        Clock::system(),
        MockServer::builder().secret(SECRET),
        |robot| robot,
    )
    .await
}

fn all_types() -> Vec<Message> {
    vec![
        Text::new("text").into(),
        Markdown::new("md", "#### md\n\nbody").into(),
        Link::new("link", "summary", "https://a.example/page")
            .pic_url("https://a.example/p.png")
            .into(),
        ActionCard::new("card", "body")
            .single_button("Read", "https://a.example/read")
            .into(),
        ActionCard::new("card2", "body")
            .button("Yes", "https://a.example/y")
            .button("No", "https://a.example/n")
            .into(),
        FeedCard::new()
            .link("feed", "https://a.example/f", "https://a.example/f.png")
            .into(),
    ]
}

#[tokio::test]
async fn every_type_is_delivered_as_sent() {
    let (server, robot) = signed_pair().await;
    let messages = all_types();
    for msg in &messages {
        let sent = robot.send(msg).await.unwrap();
        assert_eq!(sent.attempts, 1);
        assert_eq!(sent.msg_uuid.len(), 32);
    }
    assert_eq!(server.received(), messages);
    let uuids: Vec<_> = server
        .requests()
        .into_iter()
        .map(|r| r.msg_uuid.unwrap())
        .collect();
    let mut unique = uuids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uuids.len(), "each send has its own msgUuid");
}

#[tokio::test]
async fn requests_are_signed_fresh_and_encoded_once() {
    let (server, robot) = signed_pair().await;
    robot.send(&Text::new("one")).await.unwrap();
    robot.send(&Text::new("two")).await.unwrap();
    for req in server.requests() {
        assert_eq!(req.query.matches("timestamp=").count(), 1, "{}", req.query);
        assert_eq!(req.query.matches("sign=").count(), 1, "{}", req.query);
        assert!(!req.query.contains("%25"), "double-encoded: {}", req.query);
        assert_eq!(
            req.content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
    }
}

#[tokio::test]
async fn mentions_arrive_in_the_body() {
    let (server, robot) = signed_pair().await;
    robot
        .send(
            &Markdown::new("Disk full", "#### Disk full")
                .at_mobiles(["13800000000"])
                .at_user_ids(["manager01"]),
        )
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(
        received[0].body(),
        Some("#### Disk full\n\n@13800000000 @manager01")
    );
    assert_eq!(received[0].at().unwrap().get_mobiles(), ["13800000000"]);
}

#[tokio::test]
async fn a_wrong_secret_is_a_signature_error_sent_once() {
    let server = MockServer::builder().secret(SECRET).start().await.unwrap();
    let robot = Robot::builder(server.webhook_url())
        .secret("SECwrong")
        .build()
        .unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::SignatureMismatch { .. }), "{err:?}");
    assert_eq!(err.errcode(), Some(310000));
    assert_eq!(server.requests().len(), 1);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn an_unsigned_robot_on_a_signed_group_is_refused() {
    let server = MockServer::builder().secret(SECRET).start().await.unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    // DingTalk answers a missing signature like a stale one; dingbot retries that once
    // with a fresh signature, then reports both attempts.
    match &err {
        Error::RetriesExhausted { attempts } => {
            assert_eq!(attempts.len(), 2);
            assert!(
                attempts
                    .iter()
                    .all(|e| matches!(e, Error::InvalidTimestamp { .. })),
                "{attempts:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_clock_an_hour_off_is_retried_once_then_reported() {
    let server = MockServer::builder().secret(SECRET).start().await.unwrap();
    let skewed = dingbot::clock::Clock::manual();
    skewed.advance(Duration::from_secs(2 * 3600));
    let robot = Robot::builder(server.webhook_url())
        .secret(SECRET)
        .clock(skewed)
        .build()
        .unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(
        err.to_string().contains("gave up after 2 attempts"),
        "{err}"
    );
    assert!(err.to_string().contains("timestamp"), "{err}");
    assert_eq!(server.requests().len(), 2);
    for req in server.requests() {
        // Each attempt's URL is built fresh: never a second timestamp appended.
        assert_eq!(req.query.matches("timestamp=").count(), 1, "{}", req.query);
        assert_eq!(req.query.matches("sign=").count(), 1, "{}", req.query);
    }
}

#[tokio::test]
async fn keywords_are_enforced() {
    let server = MockServer::builder().keyword("告警").start().await.unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let err = robot.send(&Text::new("no keyword here")).await.unwrap_err();
    assert!(matches!(err, Error::KeywordsMissing { .. }), "{err:?}");
    robot.send(&Text::new("【告警】db-1 down")).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn ip_allow_list_is_enforced() {
    let server = MockServer::builder()
        .allow_ip("10.1.2.3".parse().unwrap())
        .start()
        .await
        .unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::IpNotAllowed { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn unknown_token_is_reported() {
    let server = MockServer::builder().token("right").start().await.unwrap();
    let url = server
        .webhook_url()
        .replace("access_token=right", "access_token=wrong");
    let err = Robot::new(&url)
        .unwrap()
        .send(&Text::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::TokenNotFound { code: 300001, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_newer_errmsg_format_is_understood_too() {
    let server = MockServer::builder()
        .secret(SECRET)
        .keyword("alert")
        .errmsg_style(ErrmsgStyle::Current)
        .start()
        .await
        .unwrap();
    let good = Robot::builder(server.webhook_url())
        .secret(SECRET)
        .build()
        .unwrap();
    let bad = Robot::builder(server.webhook_url())
        .secret("SECwrong")
        .build()
        .unwrap();
    assert!(matches!(
        bad.send(&Text::new("alert")).await,
        Err(Error::SignatureMismatch { .. })
    ));
    assert!(matches!(
        good.send(&Text::new("nothing")).await,
        Err(Error::KeywordsMissing { .. })
    ));
    good.send(&Text::new("alert: ok")).await.unwrap();
}

#[tokio::test]
async fn too_fast_is_reported_not_retried() {
    let server = MockServer::builder()
        .rate_limit(dingbot::Rate::new(3, Duration::from_secs(60)))
        .start()
        .await
        .unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    for i in 0..3 {
        robot.send(&Text::new(format!("m{i}"))).await.unwrap();
    }
    let err = robot.send(&Text::new("m3")).await.unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert!(
        matches!(err, Error::SendTooFast { code: 130101, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn invalid_messages_never_reach_the_network() {
    let (server, robot) = signed_pair().await;
    assert!(matches!(
        robot.send(&Text::new(" ")).await,
        Err(Error::InvalidMessage { .. })
    ));
    assert!(matches!(
        robot.send(&Text::new("x".repeat(25_000))).await,
        Err(Error::MessageTooLarge { .. })
    ));
    assert!(matches!(
        robot.send(&ActionCard::new("t", "b")).await,
        Err(Error::InvalidMessage { .. })
    ));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn clones_share_the_robot_across_tasks() {
    let (server, robot) = signed_pair().await;
    let mut tasks = Vec::new();
    for t in 0..4 {
        let robot = robot.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..5 {
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
    assert_eq!(server.received().len(), 20);
}
