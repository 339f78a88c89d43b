//! Regression tests for holes found by trying dingbot as an attacker and as a careless
//! user would: each failed before its fix.

mod emulator;

use std::time::Duration;

use dingbot::clock::Clock;
use dingbot::markdown::{Inline, Writer};
use dingbot::mock::{Fault, MockServer};
use dingbot::{ActionCard, Error, Link, Message, Robot, Text};

/// DingTalk's limit is per robot, that is per access token: the same emulator reached
/// as `127.0.0.1` and as `localhost` is one robot with one window. Keyed by URL, the two robots below each believed they had the whole window
/// and 10 of 30 sends were answered 130101.
#[tokio::test]
async fn pacing_is_per_token_whatever_url_reaches_it() {
    let clock = Clock::manual();
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let by_ip = server.webhook_url();
    let by_name = by_ip.replacen("127.0.0.1", "localhost", 1);
    assert_ne!(by_ip, by_name);
    let a = Robot::builder(&by_ip).clock(clock.clone()).build().unwrap();
    let b = Robot::builder(&by_name)
        .clock(clock.clone())
        .build()
        .unwrap();
    for i in 0..15 {
        a.send(&Text::new(format!("a {i}"))).await.unwrap();
        b.send(&Text::new(format!("b {i}"))).await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 30);
    assert!(
        requests.iter().all(|r| r.errcode == Some(0)),
        "throttled: {:?}",
        requests.iter().filter(|r| r.errcode != Some(0)).count()
    );
    assert_eq!(server.received().len(), 30);
}

/// A password in the webhook's user info used to be kept, and shown by `Debug`.
#[test]
fn a_webhook_with_user_info_is_refused_without_echoing_it() {
    let url = "https://bob:SECdoNotShowMe@oapi.dingtalk.com/robot/send?access_token=abc";
    let err = Robot::new(url).unwrap_err();
    assert!(matches!(err, Error::InvalidWebhook { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("doNotShowMe") && !shown.contains("bob"),
        "{shown}"
    );
}

/// A `sign` echoed back by a server in its errmsg used to reach `Display`, `Debug` and
/// the logs.
#[tokio::test]
async fn an_echoed_signature_is_redacted() {
    let secret = "SECechoechoechoecho";
    let (clock, server, robot) =
        emulator::pair(MockServer::builder(), |robot| robot.secret(secret)).await;
    let ts = clock.unix_ms();
    let sign = dingbot::sign(secret, ts);
    server.inject(
        Fault::Errcode(
            310000,
            format!("sign not match, sign={sign}&timestamp={ts}, got {sign}"),
        ),
        1,
    );
    let err = robot.send(&Text::new("hello")).await.unwrap_err();
    assert!(matches!(err, Error::SignatureMismatch { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(&sign), "{shown}");
    assert!(!shown.contains(&ts.to_string()), "{shown}");
    assert!(shown.contains("sign not match"), "{shown}");
}

/// The emulator used to panic inside tokio on a runtime built without IO or timers.
#[test]
fn the_emulator_starts_on_any_runtime() {
    let bare = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let server = bare.block_on(MockServer::start()).unwrap();
    let robot = dingbot::blocking::Robot::new(server.webhook_url()).unwrap();
    robot
        .send(&Text::new("from a bare runtime's emulator"))
        .unwrap();
    assert_eq!(server.received().len(), 1);
}

/// A button URL was validated trimmed but sent untrimmed; text of zero-width characters
/// only was accepted as non-empty.
#[tokio::test]
async fn what_is_validated_is_what_is_sent() {
    let server = MockServer::start().await.unwrap();
    let robot = Robot::new(server.webhook_url()).unwrap();
    let card = ActionCard::new("Deploy", "ready?").single_button("Go", " https://a.example/go ");
    robot.send(&card).await.unwrap();
    let link = Link::new("t", "x", "\thttps://a.example/x\n").pic_url(" https://a.example/p.png");
    robot.send(&link).await.unwrap();
    let received = server.received();
    let Message::ActionCard(sent) = &received[0] else {
        panic!("{received:?}")
    };
    assert_eq!(
        sent.get_single_button().map(|b| b.action_url()),
        Some("https://a.example/go")
    );
    let Message::Link(sent) = &received[1] else {
        panic!("{received:?}")
    };
    assert_eq!(sent.message_url(), "https://a.example/x");
    assert_eq!(sent.get_pic_url(), Some("https://a.example/p.png"));

    for invisible in [
        "\u{200B}",
        "\u{200B}\u{200C}\u{200D}\u{FEFF}",
        " \u{2060} \u{200E}",
    ] {
        let err = robot.send(&Text::new(invisible)).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidMessage { .. }),
            "{invisible:?}: {err:?}"
        );
    }
    assert_eq!(
        server.requests().len(),
        2,
        "refused messages never reach the network"
    );
}

/// `Inline::mention` was not escaped though `Inline` is safe by construction, and
/// `Inline::link` / `Writer::image` took any scheme.
#[test]
fn inline_pieces_are_safe_by_construction() {
    let body = Writer::new()
        .paragraph(Inline::mention("138\n# Heading"))
        .paragraph(Inline::link("Open", "javascript:alert(1)"))
        .image("javascript:alert(1)")
        .paragraph(Inline::link("Docs", "https://a.example/a b"))
        .finish();
    assert!(!body.contains("\n# "), "{body:?}");
    assert!(!body.contains("javascript"), "{body:?}");
    assert!(body.contains("[Docs](https://a.example/a%20b)"), "{body:?}");
    assert_eq!(Inline::mention("13800000000").as_str(), "@13800000000");
}
/// `Robot::new` takes the emulator's `String` URL directly.
#[tokio::test]
async fn robots_take_owned_and_borrowed_urls() {
    let server = MockServer::start().await.unwrap();
    let url: String = server.webhook_url();
    Robot::new(&url).unwrap();
    Robot::builder(url.clone())
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    Robot::new(url).unwrap();
}
