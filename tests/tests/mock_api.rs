//! The emulator's own API: settings, starting on a runtime or a thread, sharing, stopping,
//! and never printing secrets.

mod mock_util;

use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

use dingbot::Text;
use dingbot::mock::{DEFAULT_TOKEN, ErrmsgStyle, Fault, MAX_KEYWORDS, MockError, MockServer};
use mock_util::{post, target_of, text};

#[tokio::test]
async fn defaults() {
    let server = MockServer::start().await.unwrap();
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        server.webhook_url(),
        format!(
            "http://127.0.0.1:{}/robot/send?access_token={DEFAULT_TOKEN}",
            addr.port()
        )
    );
    assert_eq!(server.secret(), None);
    assert!(!server.clock().is_manual());
    assert!(server.received().is_empty() && server.requests().is_empty());
    assert_eq!(server.throttled_until(), None);
    assert_eq!(server.pending_faults(), 0);
    // The URL is one dingbot's own webhook parser accepts.
    dingbot::Webhook::parse(&server.webhook_url()).unwrap();
}

#[tokio::test]
async fn invalid_settings_fail_to_start() {
    let too_many = MockServer::builder()
        .keywords((0..=MAX_KEYWORDS).map(|i| format!("k{i}")))
        .start()
        .await;
    assert!(
        matches!(too_many, Err(MockError::InvalidSetting { .. })),
        "{too_many:?}"
    );
    let ten = MockServer::builder()
        .keywords((0..MAX_KEYWORDS).map(|i| format!("k{i}")))
        .start()
        .await;
    assert!(ten.is_ok());

    let cases = [
        MockServer::builder().keyword(" "),
        MockServer::builder().token(""),
        MockServer::builder().token("has space"),
        MockServer::builder().token("a&b=c"),
        MockServer::builder().secret(""),
        MockServer::builder().rate_limit(dingbot::Rate::new(0, Duration::from_secs(60))),
        MockServer::builder().rate_limit(dingbot::Rate::new(20, Duration::ZERO)),
    ];
    for builder in cases {
        let shown = format!("{builder:?}");
        let result = builder.clone().start().await;
        assert!(
            matches!(result, Err(MockError::InvalidSetting { .. })),
            "{shown}"
        );
        assert!(
            matches!(
                builder.start_blocking(),
                Err(MockError::InvalidSetting { .. })
            ),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn debug_never_shows_token_or_secret() {
    let builder = MockServer::builder()
        .token("tok-visible-nowhere")
        .secret("SECvisiblenowhere");
    let shown = format!("{builder:?}");
    assert!(!shown.contains("tok-visible-nowhere") && !shown.contains("SECvisiblenowhere"));

    let server = builder.start().await.unwrap();
    let shown = format!("{server:?} {server:#?}");
    assert!(shown.contains("***"));
    assert!(!shown.contains("tok-visible-nowhere"), "{shown}");
    assert!(!shown.contains("SECvisiblenowhere"), "{shown}");

    mock_util::post_body(&server, text("x").body())
        .await
        .unwrap();
    let shown = format!("{:?}", server.requests());
    assert!(!shown.contains("tok-visible-nowhere"), "{shown}");
    assert!(shown.contains("access_token=***"));
}

#[tokio::test]
async fn clones_share_one_server() {
    let server = MockServer::start().await.unwrap();
    let clone = server.clone();
    assert_eq!(post(&clone, Text::new("via clone")).await.errcode(), 0);
    assert_eq!(server.received(), vec![Text::new("via clone").into()]);
    clone.inject(Fault::Status(500), 1);
    assert_eq!(server.pending_faults(), 1);
    drop(clone);
    // Dropping a clone does not stop the server.
    assert_eq!(post(&server, Text::new("still up")).await.status, 500);
    assert_eq!(post(&server, Text::new("still up")).await.errcode(), 0);
}

#[tokio::test]
async fn concurrent_requests_are_all_recorded() {
    let server = MockServer::builder().no_rate_limit().start().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let server = server.clone();
        tasks.push(tokio::spawn(async move {
            post(&server, Text::new(format!("#{i}"))).await.errcode()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 0);
    }
    assert_eq!(server.received().len(), 50);
    assert_eq!(server.requests().len(), 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_on_a_multi_threaded_runtime() {
    let server = MockServer::start().await.unwrap();
    assert_eq!(post(&server, Text::new("mt")).await.errcode(), 0);
}

async fn wait_until_refused(addr: std::net::SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server still accepts connections"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn shutdown_stops_it() {
    let server = MockServer::start().await.unwrap();
    let addr = server.addr();
    assert_eq!(post(&server, Text::new("x")).await.errcode(), 0);
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    // Twice is fine, and the records stay readable.
    server.shutdown().await;
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn dropping_the_last_handle_stops_it() {
    let server = MockServer::start().await.unwrap();
    let addr = server.addr();
    drop(server);
    wait_until_refused(addr).await;
}

/// A blocking POST with `std::net`, for servers on their own thread.
fn blocking_post(server: &MockServer, body: &[u8]) -> String {
    let target = target_of(&server.webhook_url());
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST {target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn start_blocking_without_a_runtime() {
    let server = MockServer::builder()
        .keyword("ok")
        .errmsg_style(ErrmsgStyle::Current)
        .start_blocking()
        .unwrap();
    let answer = blocking_post(&server, text("ok then").body());
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.ends_with(r#"{"errcode":0,"errmsg":"ok"}"#),
        "{answer}"
    );
    let answer = blocking_post(&server, text("nope").body());
    assert!(answer.contains(r#""errcode":310000"#), "{answer}");
    assert!(answer.contains("description:关键词不匹配"), "{answer}");
    assert_eq!(server.received(), vec![Text::new("ok then").into()]);

    // Faults and the clock work the same way.
    server.inject(Fault::Status(503), 1);
    assert!(blocking_post(&server, text("ok").body()).starts_with("HTTP/1.1 503"));

    let addr = server.addr();
    drop(server);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "the server thread did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn start_blocking_default_and_manual_clock() {
    let clock = dingbot::clock::Clock::manual();
    let server = MockServer::builder()
        .clock(clock.clone())
        .rate_limit(dingbot::Rate::new(1, Duration::from_secs(60)))
        .start_blocking()
        .unwrap();
    assert!(blocking_post(&server, text("1").body()).contains(r#""errcode":0"#));
    assert!(blocking_post(&server, text("2").body()).contains(r#""errcode":130101"#));
    clock.advance(Duration::from_secs(600));
    assert!(blocking_post(&server, text("3").body()).contains(r#""errcode":0"#));

    let plain = MockServer::start_blocking().unwrap();
    assert!(blocking_post(&plain, text("x").body()).contains(r#""errcode":0"#));
}

#[tokio::test]
async fn start_blocking_inside_a_runtime() {
    // A test that blocks its runtime's thread needs the server elsewhere.
    let server = MockServer::start_blocking().unwrap();
    let answer = tokio::task::spawn_blocking({
        let server = server.clone();
        move || blocking_post(&server, text("from a blocking task").body())
    })
    .await
    .unwrap();
    assert!(answer.contains(r#""errcode":0"#));
    assert_eq!(post(&server, Text::new("async too")).await.errcode(), 0);
    server.shutdown().await;
    wait_until_refused(server.addr()).await;
}

#[test]
fn start_works_under_an_executor_that_is_not_tokio() {
    // The emulator serves from a thread of its own, so any executor can start it.
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut start = std::pin::pin!(MockServer::start());
    let server = loop {
        match start.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(result) => break result.unwrap(),
            std::task::Poll::Pending => std::thread::park(),
        }
    };
    let robot = dingbot::blocking::Robot::new(server.webhook_url()).unwrap();
    robot.send(&Text::new("started without tokio")).unwrap();
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn allow_ip_accepts_ipv4_loopback() {
    let ip: IpAddr = "127.0.0.1".parse().unwrap();
    let server = MockServer::builder().allow_ip(ip).start().await.unwrap();
    assert_eq!(post(&server, Text::new("x")).await.errcode(), 0);
    assert_eq!(server.requests()[0].peer.ip(), ip);
}
