//! Injected faults: each request takes the next one, before any rule.

mod mock_util;

use std::time::{Duration, Instant};

use dingbot::mock::{Fault, MockServer};
use dingbot::{Error, Text};
use mock_util::{post, post_body, post_payload, post_to, send_raw, target_of, text};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn status_fault_then_normal_answers() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Status(503), 2);
    assert_eq!(server.pending_faults(), 2);
    for _ in 0..2 {
        let reply = post(&server, Text::new("x")).await;
        assert_eq!(reply.status, 503);
        assert!(serde_json::from_slice::<serde_json::Value>(&reply.body).is_err());
    }
    assert_eq!(post(&server, Text::new("y")).await.errcode(), 0);
    assert_eq!(server.received(), vec![Text::new("y").into()]);

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests[..2] {
        assert_eq!(r.fault, Some(Fault::Status(503)));
        assert_eq!(r.http_status, Some(503));
        assert_eq!(r.errcode, None);
        assert!(!r.accepted);
    }
    assert_eq!(requests[2].fault, None);
    assert_eq!(server.pending_faults(), 0);
}

#[tokio::test]
async fn unusual_statuses() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Status(429), 1);
    server.inject(Fault::Status(200), 1);
    server.inject(Fault::Status(1000), 1);
    assert_eq!(post(&server, Text::new("x")).await.status, 429);
    // 200 with a body that is not DingTalk's JSON.
    let reply = post(&server, Text::new("x")).await;
    assert_eq!(reply.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&reply.body).is_err());
    // Not a status at all: 500.
    assert_eq!(post(&server, Text::new("x")).await.status, 500);
}

#[tokio::test]
async fn errcode_fault() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Errcode(-1, "系统繁忙".into()), 1);
    let reply = post(&server, Text::new("x")).await;
    assert_eq!(reply.dingtalk(), (-1, "系统繁忙".to_owned()));
    let err = reply.error().unwrap();
    assert!(matches!(err, Error::SystemBusy { .. }) && err.is_retryable());
    let r = &server.requests()[0];
    assert_eq!(
        (r.errcode, r.errmsg.as_deref()),
        (Some(-1), Some("系统繁忙"))
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn drop_connection_sends_nothing() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::DropConnection, 1);
    let payload = text("dropped");
    assert!(post_body(&server, payload.body()).await.is_none());
    let r = &server.requests()[0];
    assert_eq!(r.fault, Some(Fault::DropConnection));
    assert_eq!(r.http_status, None);
    assert_eq!(r.errcode, None);
    assert!(server.received().is_empty());
    // The server goes on; the retry is not a duplicate since nothing was posted.
    let reply = post_payload(&server, &payload).await;
    assert_eq!(reply.errcode(), 0);
    assert!(server.requests()[1].accepted);
}

#[tokio::test]
async fn drop_connection_on_a_kept_alive_connection() {
    // A client that reuses a connection sees it closed mid-exchange, after a good answer.
    let server = MockServer::start().await.unwrap();
    let target = target_of(&server.webhook_url());
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let body = text("keep-alive");
    let request = format!(
        "POST {target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body.body()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));

    server.inject(Fault::DropConnection, 1);
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body.body()).await.unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest))
        .await
        .expect("the connection is closed promptly");
    assert!(
        read.is_err() || rest.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&rest)
    );
}

#[tokio::test]
async fn delay_answers_late_but_processes_at_once() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Delay(Duration::from_millis(400)), 1);
    let payload = text("slow");
    let started = Instant::now();
    let reply = post_payload(&server, &payload).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(reply.errcode(), 0);
    let r = &server.requests()[0];
    assert_eq!(r.fault, Some(Fault::Delay(Duration::from_millis(400))));
    assert_eq!(r.errcode, Some(0));
    assert!(r.accepted);

    // A client that gives up still got its message posted; its retry is a duplicate.
    server.inject(Fault::Delay(Duration::from_secs(5)), 1);
    let late = text("timed out");
    let gave_up =
        tokio::time::timeout(Duration::from_millis(200), post_payload(&server, &late)).await;
    assert!(gave_up.is_err(), "the client timed out");
    let reply = post_payload(&server, &late).await;
    assert_eq!(reply.errcode(), 0);
    let requests = server.requests();
    assert!(requests[1].accepted);
    assert!(requests[2].duplicate);
    assert_eq!(
        server.received(),
        vec![Text::new("slow").into(), Text::new("timed out").into()]
    );
}

#[tokio::test]
async fn delay_applies_the_rules() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Delay(Duration::from_millis(10)), 1);
    let reply = post_body(&server, b"{}").await.unwrap();
    assert_eq!(reply.dingtalk(), (40035, "缺少参数 msgtype".to_owned()));
}

#[tokio::test]
async fn html_gateway_page() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Html, 1);
    let reply = post(&server, Text::new("x")).await;
    assert_eq!(reply.status, 502);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(reply.text().contains("<html>") && reply.text().contains("502 Bad Gateway"));
    assert!(serde_json::from_slice::<serde_json::Value>(&reply.body).is_err());
    assert_eq!(server.requests()[0].http_status, Some(502));
}

#[tokio::test]
async fn redirect_elsewhere() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Redirect, 1);
    let reply = post(&server, Text::new("x")).await;
    assert_eq!(reply.status, 302);
    let location = reply
        .header("location")
        .expect("a Location header")
        .to_owned();
    assert_eq!(location, format!("http://{}/maintenance", server.addr()));
    // Following it leads nowhere useful, and does not take a fault.
    server.inject(Fault::Status(503), 1);
    let followed = send_raw(server.addr(), "GET", &target_of(&location), None, b"")
        .await
        .unwrap();
    assert_eq!(followed.status, 404);
    assert_eq!(server.pending_faults(), 1);
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn faults_come_in_order_and_before_every_rule() {
    let server = MockServer::builder()
        .secret("SECfault")
        .keyword("never")
        .start()
        .await
        .unwrap();
    server.inject(Fault::Status(500), 1);
    server.inject(Fault::Errcode(-1, "busy".into()), 2);
    server.inject(Fault::Html, 1);
    server.inject(Fault::Redirect, 1);
    assert_eq!(server.pending_faults(), 5);
    // Unsigned, without the keyword, even a GET: the faults answer anyway.
    let bad = "/robot/send?access_token=wrong";
    assert_eq!(post_to(&server, bad, b"junk").await.unwrap().status, 500);
    assert_eq!(post_to(&server, bad, b"junk").await.unwrap().errcode(), -1);
    let get = send_raw(server.addr(), "GET", bad, None, b"")
        .await
        .unwrap();
    assert_eq!(get.errcode(), -1);
    assert_eq!(post_to(&server, bad, b"junk").await.unwrap().status, 502);
    assert_eq!(post_to(&server, bad, b"junk").await.unwrap().status, 302);
    // Then the rules again.
    assert_eq!(
        post_to(&server, bad, b"junk").await.unwrap().errcode(),
        300001
    );
    let faults: Vec<Option<Fault>> = server.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        vec![
            Some(Fault::Status(500)),
            Some(Fault::Errcode(-1, "busy".into())),
            Some(Fault::Errcode(-1, "busy".into())),
            Some(Fault::Html),
            Some(Fault::Redirect),
            None,
        ]
    );
}

#[tokio::test]
async fn other_paths_do_not_take_faults() {
    let server = MockServer::start().await.unwrap();
    server.inject(Fault::Status(503), 1);
    assert_eq!(
        post_to(&server, "/elsewhere", b"{}").await.unwrap().status,
        404
    );
    assert_eq!(server.pending_faults(), 1);
    assert_eq!(post(&server, Text::new("x")).await.status, 503);
}
