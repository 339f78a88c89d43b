//! Retries that are safe: what is retried, how often, and that a retried message is
//! delivered exactly once.

mod emulator;

use std::time::Duration;

use dingbot::mock::{Fault, MockServer};
use dingbot::{Error, RetryPolicy, Robot, Text};

const SECRET: &str = "SECretry0123456789abcdef";

/// A signing emulator and a robot that retries by `policy`; its back-off waits on the
/// shared manual clock, so retries take no real time.
async fn retrying(policy: RetryPolicy) -> (MockServer, Robot) {
    let (_clock, server, robot) = emulator::pair(MockServer::builder().secret(SECRET), |robot| {
        robot.retry(policy).timeout(Duration::from_millis(500))
    })
    .await;
    (server, robot)
}

async fn delivered_after(fault: Fault, times: usize) -> (MockServer, dingbot::Sent) {
    let (server, robot) = retrying(RetryPolicy::default()).await;
    server.inject(fault, times);
    let sent = robot.send(&Text::new("retry me")).await.unwrap();
    (server, sent)
}

fn assert_once(server: &MockServer, sent: &dingbot::Sent, attempts: usize) {
    assert_eq!(sent.attempts as usize, attempts);
    let requests = server.requests();
    assert_eq!(requests.len(), attempts);
    assert!(
        requests
            .iter()
            .all(|r| r.msg_uuid.as_deref() == Some(sent.msg_uuid.as_str())),
        "same msgUuid on every attempt"
    );
    let signs: Vec<&str> = requests.iter().map(|r| r.query.as_str()).collect();
    assert_eq!(server.received().len(), 1, "delivered exactly once");
    assert_eq!(signs.len(), attempts);
}

#[tokio::test]
async fn http_5xx_is_retried() {
    let (server, sent) = delivered_after(Fault::Status(503), 2).await;
    assert_once(&server, &sent, 3);
}

#[tokio::test]
async fn system_busy_is_retried() {
    let (server, sent) = delivered_after(Fault::Errcode(-1, "系统繁忙".into()), 1).await;
    assert_once(&server, &sent, 2);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let (server, sent) = delivered_after(Fault::DropConnection, 1).await;
    assert_once(&server, &sent, 2);
}

#[tokio::test]
async fn a_gateway_html_page_is_retried() {
    let (server, sent) = delivered_after(Fault::Html, 2).await;
    assert_once(&server, &sent, 3);
}

#[tokio::test]
async fn a_redirect_is_retried_not_followed() {
    let (server, sent) = delivered_after(Fault::Redirect, 1).await;
    assert_once(&server, &sent, 2);
    assert!(
        server.requests().iter().all(|r| r.path == "/robot/send"),
        "the redirect was not followed"
    );
}

#[tokio::test]
async fn a_timeout_is_retried_and_the_message_posted_once() {
    // The slow attempt reaches DingTalk and is posted; the retry carries the same
    // msgUuid, so DingTalk does not post it again.
    let (server, robot) = retrying(RetryPolicy::default()).await;
    server.inject(Fault::Delay(Duration::from_millis(1500)), 1);
    let sent = robot.send(&Text::new("slow")).await.unwrap();
    assert_eq!(sent.attempts, 2);
    // Wait (in real time) for the slow answer to finish before reading the log.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests.iter().filter(|r| r.duplicate).count(),
        1,
        "the retry was a duplicate"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn giving_up_lists_every_attempt() {
    let (server, robot) = retrying(RetryPolicy::default().max_attempts(3)).await;
    server.inject(Fault::Status(502), 10);
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    match &err {
        Error::RetriesExhausted { attempts } => {
            assert_eq!(attempts.len(), 3);
            assert!(
                attempts
                    .iter()
                    .all(|e| matches!(e, Error::HttpStatus { status: 502 }))
            );
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.starts_with("gave up after 3 attempts: #1: DingTalk answered HTTP 502; #2:"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 3);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn permanent_failures_are_not_retried() {
    for (code, msg) in [
        (310000, "sign not match"),
        (310000, "keywords not in content"),
        (310000, "ip 127.0.0.1 not in whitelist"),
        (300001, "token is not exist"),
        (130101, "send too fast, exceed 20 times per minute"),
        (410100, "send too fast"),
        (460101, "message too big"),
        (430102, "unsafe text"),
        (400105, "unsupported msgtype"),
        (999_999, "something new"),
    ] {
        let (server, robot) = retrying(RetryPolicy::default()).await;
        server.inject(Fault::Errcode(code, msg.into()), 5);
        let err = robot.send(&Text::new("x")).await.unwrap_err();
        assert_eq!(err.errcode(), Some(code), "{err:?}");
        assert!(
            !matches!(err, Error::RetriesExhausted { .. }),
            "{code} was retried: {err}"
        );
        assert_eq!(server.requests().len(), 1, "{code} was retried");
    }
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let (server, robot) = retrying(RetryPolicy::default()).await;
    server.inject(Fault::Status(404), 5);
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::HttpStatus { status: 404 }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn no_retry_policy_sends_once() {
    let (server, robot) = retrying(RetryPolicy::none()).await;
    server.inject(Fault::Status(503), 1);
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::HttpStatus { status: 503 }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn back_off_grows_between_attempts() {
    let (server, robot) = retrying(
        RetryPolicy::default()
            .max_attempts(4)
            .backoff(Duration::from_secs(1), Duration::from_secs(60)),
    )
    .await;
    server.inject(Fault::Status(503), 3);
    robot.send(&Text::new("x")).await.unwrap();
    let at: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
    // 1 s, 2 s, 4 s, each with up to 25% jitter (on the shared manual clock).
    for (gap, base) in gaps.iter().zip([1.0, 2.0, 4.0]) {
        let secs = gap.as_secs_f64();
        assert!(
            secs >= base && secs <= base * 1.25 + 0.05,
            "gap {secs} for base {base}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error() {
    // Bind and drop a listener to get a port nobody serves.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let robot = Robot::builder(format!(
        "http://127.0.0.1:{port}/robot/send?access_token=tok"
    ))
    .retry(
        RetryPolicy::default()
            .max_attempts(2)
            .backoff(Duration::from_millis(1), Duration::from_millis(2)),
    )
    .build()
    .unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    match &err {
        Error::RetriesExhausted { attempts } => {
            assert_eq!(attempts.len(), 2);
            assert!(
                matches!(attempts[0], Error::Transport { .. }),
                "{attempts:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("access_token"), "{err}");
}
