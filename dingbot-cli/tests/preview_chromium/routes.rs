//! The preview's routes, without a browser: served only when asked for, never recorded
//! as requests to the robot, and readable only under a loopback Host.

use dingbot::mock::MockServer;
use dingbot::{Robot, Text};
use dingbot_cli::preview::PreviewPage;
use serde_json::json;

use crate::mock_util;

/// A GET of `path` with the `Host` header given; the whole answer.
async fn raw_with_host(addr: std::net::SocketAddr, path: &str, host: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_routes_are_served_only_when_asked_for_and_never_recorded() {
    let on = MockServer::builder().preview(true).start().await.unwrap();
    let page = mock_util::send_raw(on.addr(), "GET", "/", None, b"")
        .await
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("<script src=\"/preview.js\"></script>")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let script = mock_util::send_raw(on.addr(), "GET", "/preview.js", None, b"")
        .await
        .unwrap();
    assert_eq!(script.status, 200);
    assert!(
        !script.text().contains("innerHTML"),
        "the page never parses strings as HTML"
    );

    // `GET /preview/subset`: the library's statement of DingTalk's markdown subset,
    // which the page reads to say what shows as text and which links open.
    let subset = mock_util::send_raw(on.addr(), "GET", "/preview/subset", None, b"")
        .await
        .unwrap()
        .json();
    let unrendered: Vec<&str> = subset["constructs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rendered"] == false)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = dingbot::markdown::subset::CONSTRUCTS
        .iter()
        .filter(|c| !c.rendered)
        .map(|c| c.name)
        .collect();
    assert_eq!(unrendered, expected);
    assert_eq!(
        subset["linkSchemes"],
        json!(dingbot::markdown::subset::LINK_SCHEMES)
    );
    assert!(
        subset["constructs"][8]["instead"]
            .as_str()
            .unwrap()
            .contains("backticks")
    );

    // `POST /preview/check` judges a payload by the robot's settings without posting it.
    let keyworded = MockServer::builder()
        .preview(true)
        .keyword("alert")
        .start()
        .await
        .unwrap();
    let check = |body: &'static str| {
        let addr = keyworded.addr();
        async move {
            mock_util::send_raw(
                addr,
                "POST",
                "/preview/check",
                Some("application/json"),
                body.as_bytes(),
            )
            .await
            .unwrap()
            .json()
        }
    };
    let verdict = check(r#"{"msgtype":"text","text":{"content":"no keyword"}}"#).await;
    assert_eq!(verdict["errcode"], 310000);
    assert_eq!(
        verdict["reason"],
        "the message must contain one of the robot's keywords: put one in its text or title"
    );
    let verdict = check(r#"{"msgtype":"text","text":{"content":"alert: disk"}}"#).await;
    assert_eq!(verdict["errcode"], 0);
    let verdict = check(r#"{"msgtype":"image"}"#).await;
    assert_eq!(verdict["errcode"], 400105);
    let verdict = check("not json").await;
    assert_eq!(verdict["errcode"], 40035);
    assert!(keyworded.received().is_empty() && keyworded.requests().is_empty());

    // Requests after a point, for the page's polling.
    Robot::new(on.webhook_url())
        .unwrap()
        .send(&Text::new("one"))
        .await
        .unwrap();
    let feed = mock_util::send_raw(on.addr(), "GET", "/preview/requests?after=0", None, b"")
        .await
        .unwrap()
        .json();
    assert_eq!(feed["next"], 1);
    assert_eq!(feed["requests"][0]["payload"]["text"]["content"], "one");
    assert!(
        !feed.to_string().contains("access_token"),
        "the page never sees the token"
    );
    let later = mock_util::send_raw(on.addr(), "GET", "/preview/requests?after=1", None, b"")
        .await
        .unwrap()
        .json();
    assert_eq!(later["requests"], json!([]));
    assert_eq!(later["more"], false);
    // A page left open on an emulator that was restarted on the same port asks for
    // more than there is: `next` comes back to what there is, and `instance` differs,
    // so that the page starts over.
    let beyond = mock_util::send_raw(on.addr(), "GET", "/preview/requests?after=1000", None, b"")
        .await
        .unwrap()
        .json();
    assert_eq!(beyond["next"], 1);
    assert_eq!(beyond["instance"], feed["instance"]);
    let other = MockServer::builder().preview(true).start().await.unwrap();
    let other_feed = mock_util::send_raw(other.addr(), "GET", "/preview/requests", None, b"")
        .await
        .unwrap()
        .json();
    assert!(feed["instance"].as_str().is_some_and(|id| id.len() >= 16));
    assert_ne!(other_feed["instance"], feed["instance"]);

    // Only a Host that is an address or localhost reads the JSON routes: a page of a
    // DNS name rebound to 127.0.0.1 cannot.
    let port = on.addr().port();
    for (host, status) in [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        (format!("rebound.example:{port}"), 403),
        ("127.0.0.1:1".to_owned(), 403),
    ] {
        let answer = raw_with_host(on.addr(), "/preview/requests", &host).await;
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{host}: {answer}"
        );
        if status == 403 {
            assert!(!answer.contains("\"requests\""), "{answer}");
        }
    }
    assert_eq!(
        on.requests().len(),
        1,
        "preview routes are not requests to the robot"
    );

    // Without preview(true), `/` is what DingTalk answers there: 404.
    let off = MockServer::start().await.unwrap();
    let page = mock_util::send_raw(off.addr(), "GET", "/", None, b"")
        .await
        .unwrap();
    assert_eq!(page.status, 404);
}
