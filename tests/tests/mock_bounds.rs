//! The emulator stays bounded whatever it is sent and however long it runs: a ring of
//! the last requests, body excerpts, timeouts on silent connections, a connection cap.

mod mock_util;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use dingbot::mock::{MAX_RECORDED_BODY, MockServer};
use dingbot::{Robot, Text};
use mock_util::{post, post_body, send_raw};

/// Whether the server closed `stream` within `within` (a read sees the end, or a reset).
fn closed_within(mut stream: &TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
    }
}

/// Whether the server has closed `stream` (without waiting).
fn closed_now(mut stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    }
}

#[tokio::test]
async fn only_the_last_requests_are_kept_and_the_dropped_ones_counted() {
    let server = MockServer::builder()
        .keep(5)
        .no_rate_limit()
        .start()
        .await
        .unwrap();
    assert_eq!(server.keep(), 5);
    let mut subscription = server.subscribe();
    for i in 0..12 {
        if i % 3 == 2 {
            // Requests on any path go in the same ring.
            let reply = send_raw(server.addr(), "GET", &format!("/other/{i}"), None, b"").await;
            assert_eq!(reply.unwrap().status, 404);
        } else {
            assert_eq!(
                post(&server, Text::new(format!("message {i}")))
                    .await
                    .errcode(),
                0
            );
        }
    }
    let kept = server.requests();
    assert_eq!(kept.len(), 5);
    assert_eq!(server.dropped(), 7);
    assert!(kept[0].body_text().contains("message 7"), "{:?}", kept[0]);
    assert_eq!(kept[1].path, "/other/8");
    assert_eq!(kept[4].path, "/other/11");

    // Paging from a dropped number starts at the oldest kept.
    let page = server.requests_from(0, 100);
    assert_eq!(
        (page.first, page.requests.len(), page.total, page.dropped),
        (7, 5, 12, 7)
    );
    assert!(!page.more());

    // A subscriber that fell behind reads on from the oldest kept and counts the rest.
    assert!(
        subscription
            .try_next()
            .unwrap()
            .body_text()
            .contains("message 7")
    );
    assert_eq!(subscription.missed(), 7);

    // Accepted messages are the last `keep` too; a reset keeps the counts.
    let received = server.received();
    assert_eq!(received.len(), 5);
    assert_eq!(received[4], Text::new("message 10").into());
    server.reset();
    assert_eq!((server.requests().len(), server.dropped()), (0, 7));
    assert_eq!(server.requests_from(0, 1).first, 12);
}

#[tokio::test]
async fn a_large_body_is_kept_as_an_excerpt_with_its_full_length() {
    let server = MockServer::start().await.unwrap();
    let mut body = br#"{"msgtype":"text","text":{"content":""#.to_vec();
    body.resize(1024 * 1024 - 3, b'x');
    body.extend_from_slice(br#""}}"#);
    let reply = post_body(&server, &body).await.unwrap();
    assert_eq!(
        reply.errcode(),
        460101,
        "judged by its full length: too big"
    );
    post(&server, Text::new("small")).await;

    let requests = server.requests();
    let large = &requests[0];
    assert_eq!(large.body.len(), MAX_RECORDED_BODY);
    assert_eq!(large.body_len, 1024 * 1024);
    assert!(large.body_cut());
    assert_eq!(&large.body[..], &body[..MAX_RECORDED_BODY]);
    let small = &requests[1];
    assert!(!small.body_cut());
    assert_eq!(small.body_len, small.body.len() as u64);
}

#[tokio::test]
async fn a_half_sent_head_is_closed_after_the_header_read_timeout() {
    let server = MockServer::builder()
        .header_read_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let started = Instant::now();
    let half_sent: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr()).unwrap();
            stream
                .write_all(b"POST /robot/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
                .unwrap();
            stream
        })
        .collect();
    // A connection that has sent nothing is idle, not late with a head.
    let silent = TcpStream::connect(server.addr()).unwrap();
    for stream in &half_sent {
        assert!(closed_within(stream, Duration::from_secs(5)), "still open");
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!closed_within(&silent, Duration::from_millis(300)));
    // Closed without an answer, and never a request.
    assert!(server.requests().is_empty());
    post(&server, Text::new("still serving")).await;
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_idle_timeout_and_a_robot_reconnects() {
    let server = MockServer::builder()
        .idle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let idle = TcpStream::connect(server.addr()).unwrap();
    assert!(closed_within(&idle, Duration::from_secs(5)));

    // A body that stalls halfway is closed too.
    let mut stalled = TcpStream::connect(server.addr()).unwrap();
    stalled
        .write_all(b"POST /robot/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"msgtype\"")
        .unwrap();
    assert!(closed_within(&stalled, Duration::from_secs(5)));

    // A robot's kept-alive connection is closed between sends; the next send opens another.
    let robot = Robot::new(server.webhook_url()).unwrap();
    robot.send(&Text::new("first")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    robot.send(&Text::new("second")).await.unwrap();
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn two_hundred_idle_connections_do_not_stop_a_real_send() {
    // Within the cap (256 by default) they just stay open; beyond a cap of 50, the
    // connections idle longest are closed to make room.
    for (max_connections, closed_at_least, closed_at_most) in [(256, 0, 0), (50, 150, 151)] {
        let server = MockServer::builder()
            .max_connections(max_connections)
            .start()
            .await
            .unwrap();
        let idle: Vec<TcpStream> = (0..200)
            .map(|_| TcpStream::connect(server.addr()).unwrap())
            .collect();
        let robot = Robot::builder(server.webhook_url())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        robot.send(&Text::new("through")).await.unwrap();
        assert_eq!(server.received().len(), 1);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let closed = idle.iter().filter(|stream| closed_now(stream)).count();
        assert!(
            (closed_at_least..=closed_at_most).contains(&closed),
            "cap {max_connections}: {closed} of 200 closed"
        );
    }
}
