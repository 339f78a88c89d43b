//! Robots with keywords: the rule is known before DingTalk refuses. Every test runs
//! against an emulator configured with the same keywords as the robot.

use dingbot::clock::Clock;
use dingbot::mock::MockServer;
use dingbot::{
    ActionCard, DigestConfig, DingMessage, Error, FeedCard, Link, Markdown, Message, Payload,
    Robot, Text,
};

async fn emulator(keywords: &[&str]) -> (Clock, MockServer) {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .keywords(keywords.iter().copied())
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    (clock, server)
}

fn every_type() -> Vec<Message> {
    vec![
        Text::new("disk full on db-1").into(),
        Markdown::new("Disk full", "**host**: db-1").into(),
        Link::new("Disk full", "db-1", "https://ops.example.com/db-1").into(),
        ActionCard::new("Disk full", "db-1")
            .single_button("Open", "https://ops.example.com/db-1")
            .into(),
        FeedCard::new()
            .link(
                "Disk full",
                "https://ops.example.com/db-1",
                "https://ops.example.com/db-1.png",
            )
            .into(),
    ]
}

#[tokio::test]
async fn a_message_without_a_keyword_is_refused_without_a_request() {
    let (clock, server) = emulator(&["告警", "alert"]).await;
    let robot = Robot::builder(server.webhook_url())
        .keywords(["告警", "alert"])
        .clock(clock)
        .build()
        .unwrap();
    assert_eq!(robot.keywords(), ["告警", "alert"]);
    for msg in every_type() {
        match robot.send(&msg).await {
            Err(Error::KeywordsMissing { errmsg }) => {
                assert!(
                    errmsg.contains("告警") && errmsg.contains("alert"),
                    "{errmsg}"
                );
            }
            other => panic!("{}: {other:?}", msg.msgtype()),
        }
    }
    let payload = Payload::new(&Text::new("no keyword")).unwrap();
    assert!(matches!(
        robot.send_payload(&payload).await,
        Err(Error::KeywordsMissing { .. })
    ));
    assert!(server.requests().is_empty(), "no request was made");
    // No slot was spent either: the window is whole.
    for i in 0..20 {
        robot.send(&Text::new(format!("alert {i}"))).await.unwrap();
    }
    assert_eq!(server.received().len(), 20);
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
}

#[test]
fn the_blocking_robot_knows_the_rule_too() {
    let server = MockServer::builder()
        .keyword("告警")
        .start_blocking()
        .unwrap();
    let robot = dingbot::blocking::Robot::builder(server.webhook_url())
        .keywords(["告警"])
        .build()
        .unwrap();
    assert!(matches!(
        robot.send(&Text::new("disk full")),
        Err(Error::KeywordsMissing { .. })
    ));
    robot.send(&Text::new("告警 disk full")).unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn with_ensure_keyword_every_type_is_accepted() {
    let (clock, server) = emulator(&["告警"]).await;
    let robot = Robot::builder(server.webhook_url())
        .keywords(["告警"])
        .ensure_keyword(true)
        .clock(clock)
        .build()
        .unwrap();
    for msg in every_type() {
        robot.send(&msg).await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    assert!(
        requests.iter().all(|r| r.errcode == Some(0)),
        "{requests:?}"
    );
    let received = server.received();
    assert_eq!(received[0].body(), Some("告警 disk full on db-1"));
    assert_eq!(received[1].title(), Some("告警 Disk full"));
}

#[tokio::test]
async fn digest_summaries_always_carry_a_keyword() {
    // The keyword holds markdown punctuation, and it is not on the events' first lines
    // (which name them in a summary's title): escaped inside a summary's body, it would
    // not be found there, so the summary's title is given it.
    let (clock, server) = emulator(&["[ALERT]"]).await;
    let robot = Robot::builder(server.webhook_url())
        .keywords(["[ALERT]"])
        .clock(clock)
        .build()
        .unwrap();
    let digest = robot.digest(DigestConfig::default()).unwrap();
    for i in 0..60 {
        digest
            .push(&Text::new(format!("disk {i} full\n[ALERT]")))
            .unwrap();
    }
    assert!(matches!(
        digest.push(&Text::new("disk full")),
        Err(Error::KeywordsMissing { .. })
    ));
    let stats = digest.close().await;
    assert_eq!(stats.events, 60);
    assert!(stats.summaries >= 1, "{stats:?}");
    assert_eq!(stats.failed, 0, "{stats:?}");
    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.errcode == Some(0)),
        "{:?}",
        requests.iter().map(|r| &r.errmsg).collect::<Vec<_>>()
    );
    assert_eq!(server.received().len() as u64, stats.messages);
}

#[derive(DingMessage)]
#[ding(title = "Disk full on {host}", keyword = "告警")]
struct DiskFull {
    host: String,
}

#[derive(DingMessage)]
#[ding(text, body = "{host} is down", keyword = "告警")]
struct HostDown {
    host: String,
}

#[derive(DingMessage)]
#[ding(title = "告警: {host} is back", keyword = "告警")]
struct HostBack {
    host: String,
}

#[tokio::test]
async fn the_derive_key_puts_the_keyword_where_dingtalk_looks() {
    let (clock, server) = emulator(&["告警"]).await;
    // A robot that does not know its keywords: only the derive puts them in.
    let robot = Robot::builder(server.webhook_url())
        .clock(clock)
        .build()
        .unwrap();
    let disk = DiskFull {
        host: "db-1".into(),
    };
    assert_eq!(disk.to_message().title(), Some("告警 Disk full on db-1"));
    robot.send(&disk).await.unwrap();
    let down = HostDown {
        host: "db-2".into(),
    };
    assert_eq!(down.to_message().body(), Some("告警 db-2 is down"));
    robot.send(&down).await.unwrap();
    // Already there: not added twice.
    let back = HostBack {
        host: "db-1".into(),
    };
    assert_eq!(back.to_message().title(), Some("告警: db-1 is back"));
    robot.send(&back).await.unwrap();
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
    assert_eq!(server.received().len(), 3);
}

#[test]
fn bad_keyword_settings_are_refused() {
    let too_many: Vec<String> = (0..11).map(|i| format!("k{i}")).collect();
    assert!(matches!(
        Robot::builder("token").keywords(&too_many).build(),
        Err(Error::InvalidKeywords { .. })
    ));
    assert!(matches!(
        Robot::builder("token").keywords(["ok", " "]).build(),
        Err(Error::InvalidKeywords { .. })
    ));
}
