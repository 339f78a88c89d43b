//! The Stream client against the emulator, through the public API: a message in, a reply
//! out through the session webhook; a new connection (with a new ticket) after a dropped
//! socket, after `disconnect` and after the server fell silent, with nothing lost that the
//! emulator delivers again and nothing handled twice.

use std::time::Duration;

use dingbot::mock::{MockServer, Say};
use dingbot::stream::{Messages, StreamClient};
use dingbot::{Error, IncomingMessage, Markdown, Text};

const ID: &str = "dingmockappkey";
const SECRET: &str = "mock-app-secret-0123456789";

async fn emulator() -> MockServer {
    MockServer::builder()
        .stream_app(ID, SECRET)
        .stream_ping_every(Duration::from_millis(100))
        .start()
        .await
        .unwrap()
}

fn client(server: &MockServer) -> Messages {
    StreamClient::builder(ID, SECRET)
        .openapi(server.base_url())
        .keepalive(Duration::from_millis(200))
        .idle_timeout(Duration::from_millis(600))
        .backoff(Duration::from_millis(20), Duration::from_millis(200))
        .build()
        .unwrap()
        .messages()
}

/// Waits until `cond` holds (checked every 10 ms), at most 10 s.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn next(messages: &mut Messages) -> IncomingMessage {
    tokio::time::timeout(Duration::from_secs(10), messages.next())
        .await
        .expect("a message in time")
        .expect("the client is running")
}

/// Nothing more arrives for a while.
async fn nothing_more(messages: &mut Messages) {
    if let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(800), messages.next()).await {
        panic!("handled twice or unexpected: {:?}", msg.text());
    }
}

#[tokio::test]
async fn a_message_in_and_a_reply_out() {
    let server = emulator().await;
    let mut messages = client(&server);
    until("a connection", || server.stream_stats().open == 1).await;
    let said = Say::new("@robot silence HighLatency 2h")
        .by("Li Lei", "0101")
        .in_conversation("cid-ops", "2");
    assert_eq!(server.say(said), 1);
    let msg = next(&mut messages).await;
    assert_eq!(msg.text(), "@robot silence HighLatency 2h");
    assert_eq!(msg.sender_nick, "Li Lei");
    assert_eq!(msg.sender_staff_id, "0101");
    assert_eq!(msg.conversation_id, "cid-ops");
    assert!(msg.conversation_type.is_group());
    assert!(msg.mentions_robot());
    assert_eq!(msg.robot_code, ID);
    assert!(!msg.msg_id.is_empty() && msg.create_at > 0);
    assert!(msg.session().expires_at_ms() > msg.create_at);

    msg.reply(&Text::new("silenced HighLatency for 2h"))
        .await
        .unwrap();
    msg.reply(&Markdown::new("done", "**silenced**"))
        .await
        .unwrap();
    let replies: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/robot/sendBySession")
        .collect();
    assert_eq!(replies.len(), 2);
    assert!(replies.iter().all(|r| r.accepted && r.errcode == Some(0)));
    assert!(
        replies[0]
            .body_text()
            .contains("silenced HighLatency for 2h")
    );

    // Pings were answered with acknowledgements, and so was the message.
    until("a ping answered", || server.stream_stats().pongs >= 1).await;
    let stats = server.stream_stats();
    assert_eq!((stats.acked, stats.pending, stats.tickets), (1, 0, 1));
    // The app secret is never recorded.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.body_text().contains(SECRET))
    );

    messages.handle().shutdown().await;
    until("the socket closed", || server.stream_stats().open == 0).await;
    assert!(messages.next().await.is_none());
}

#[tokio::test]
async fn an_expired_session_is_refused_before_any_request() {
    let server = MockServer::builder()
        .stream_app(ID, SECRET)
        .stream_session_ttl(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let mut messages = client(&server);
    until("a connection", || server.stream_stats().open == 1).await;
    server.say("status");
    let msg = next(&mut messages).await;
    let before = server.requests().len();
    let err = msg.reply(&Text::new("too late")).await.unwrap_err();
    assert!(matches!(err, Error::SessionExpired { .. }), "{err:?}");
    assert_eq!(server.requests().len(), before, "nothing was sent");
}

#[tokio::test]
async fn a_dropped_socket_is_replaced_and_what_was_said_meanwhile_arrives() {
    let server = emulator().await;
    let mut messages = client(&server);
    until("a connection", || server.stream_stats().open == 1).await;
    server.say("one");
    assert_eq!(next(&mut messages).await.text(), "one");
    until("one acknowledged", || server.stream_stats().acked == 1).await;

    assert_eq!(server.stream_drop(), 1);
    // Said while no socket is open: delivered on the next connection.
    server.say("two");
    let msg = next(&mut messages).await;
    assert_eq!(msg.text(), "two");
    let stats = server.stream_stats();
    assert_eq!(stats.connections, 2);
    assert_eq!(stats.tickets, 2, "a new ticket for the new connection");
    nothing_more(&mut messages).await;
}

#[tokio::test]
async fn disconnect_opens_a_new_connection_at_once() {
    let server = emulator().await;
    let mut messages = client(&server);
    until("a connection", || server.stream_stats().open == 1).await;
    assert_eq!(server.stream_disconnect(), 1);
    // The client leaves the old socket itself, long before the server would close it.
    until("a second connection", || {
        server.stream_stats().connections == 2
    })
    .await;
    until("only the new one open", || server.stream_stats().open == 1).await;
    server.say("after disconnect");
    assert_eq!(next(&mut messages).await.text(), "after disconnect");
    nothing_more(&mut messages).await;
}

#[tokio::test]
async fn a_silent_server_is_left_and_a_message_delivered_again_is_handled_once() {
    let server = emulator().await;
    let mut messages = client(&server);
    until("a connection", || server.stream_stats().open == 1).await;
    assert_eq!(server.stream_mute(), 1);
    // Sent to the muted socket, whose acknowledgement the emulator does not read: it
    // delivers the message again on the next connection.
    assert_eq!(server.say("while muted"), 1);
    assert_eq!(next(&mut messages).await.text(), "while muted");
    // No pings, no answers: the client takes the socket as dead and connects again.
    until("a second connection", || {
        server.stream_stats().connections == 2
    })
    .await;
    until("the re-delivery acknowledged", || {
        let stats = server.stream_stats();
        stats.redelivered == 1 && stats.pending == 0
    })
    .await;
    nothing_more(&mut messages).await;
    server.say("after");
    assert_eq!(next(&mut messages).await.text(), "after");
}

#[tokio::test]
async fn wrong_credentials_are_refused_and_retried_with_back_off() {
    let server = emulator().await;
    let mut messages = StreamClient::builder(ID, "wrong")
        .openapi(server.base_url())
        .backoff(Duration::from_millis(20), Duration::from_millis(50))
        .build()
        .unwrap()
        .messages();
    until("several refused attempts", || {
        server
            .requests()
            .iter()
            .filter(|r| r.path == "/v1.0/gateway/connections/open" && r.http_status == Some(401))
            .count()
            >= 3
    })
    .await;
    assert_eq!(server.stream_stats().connections, 0);
    messages.handle().shutdown().await;
    assert!(messages.next().await.is_none());
}

/// Stream sockets are bounded: past 64 open, a connection is refused (503) and retried
/// with back-off, and the webhook on the same port stays reachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_sockets_are_bounded_and_the_webhook_stays_reachable() {
    let server = MockServer::builder()
        .stream_app(ID, SECRET)
        .stream_ping_every(Duration::from_secs(5))
        .max_connections(100)
        .start()
        .await
        .unwrap();
    let clients: Vec<Messages> = (0..70)
        .map(|_| {
            StreamClient::builder(ID, SECRET)
                .openapi(server.base_url())
                .backoff(Duration::from_millis(100), Duration::from_millis(400))
                .build()
                .unwrap()
                .messages()
        })
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while server.stream_stats().open < 64 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let statuses: std::collections::BTreeMap<Option<u16>, usize> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/connect")
        .fold(Default::default(), |mut m, r| {
            *m.entry(r.http_status).or_default() += 1;
            m
        });
    assert_eq!(
        server.stream_stats().open,
        64,
        "{:?} {statuses:?}",
        server.stream_stats()
    );
    until("a refused upgrade", || {
        server
            .requests()
            .iter()
            .any(|r| r.path == "/connect" && r.http_status == Some(503))
    })
    .await;
    assert_eq!(server.stream_stats().open, 64);
    let robot = dingbot::Robot::new(server.webhook_url()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), robot.send(&Text::new("still here")))
        .await
        .expect("the webhook answers while the sockets are full")
        .unwrap();
    // The clients leave: every socket closes.
    drop(clients);
    until("every socket closed", || server.stream_stats().open == 0).await;
}
