//! Only Alertmanager and the operator drive the bridge: notifications and reloads are
//! JSON (or, for a reload, no body) from no web page, and every endpoint answers only
//! requests addressed to an IP address, `localhost` or a name the operator listed.

use std::net::SocketAddr;

use dingbot::mock::MockServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::alertmanager_util::{self, Bridge, DINGBOT, config_for, fresh_dir, metric};
use crate::notification;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_and_reloads_take_json_from_no_web_page() {
    let dir = fresh_dir("json-only");
    let server = MockServer::start().await.unwrap();
    let other = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let http = alertmanager_util::http();
    let send = bridge.url("/dingtalk/ops/send");
    let body = serde_json::to_vec(&notification("Forged", "f1")).unwrap();

    // What a web page may send anywhere without asking: refused, nothing reaches the group.
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut post = http.post(&send).body(body.clone());
        if let Some(content_type) = content_type {
            post = post.header("content-type", content_type);
        }
        let answer = post.send().await.unwrap();
        assert_eq!(answer.status(), 415, "{content_type:?}");
        let text = answer.text().await.unwrap();
        assert!(
            text.contains("Content-Type: application/json"),
            "{content_type:?}: {text}"
        );
    }
    // JSON, but from a page (a browser adds its Origin): refused too.
    let answer = http
        .post(&send)
        .header("content-type", "application/json")
        .header("origin", "http://elsewhere.example")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    assert!(server.received().is_empty(), "{:?}", server.received());

    // Alertmanager's own header, with parameters and in any case: delivered.
    for (content_type, fingerprint) in [
        ("application/json", "j1"),
        ("Application/JSON; charset=utf-8", "j2"),
    ] {
        let answer = http
            .post(&send)
            .header("content-type", content_type)
            .body(serde_json::to_vec(&notification("Real", fingerprint)).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{content_type}");
    }
    assert_eq!(server.received().len(), 2);

    // A reload would add target b; bodies a page may send do not reload.
    std::fs::write(
        &bridge.config,
        format!(
            "{}  b:\n    url: {}\n",
            config_for(&server, "", ""),
            other.webhook_url()
        ),
    )
    .unwrap();
    let reload = bridge.url("/-/reload");
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        for request in [http.post(&reload), http.put(&reload)] {
            let answer = request
                .header("content-type", content_type)
                .body("a=1")
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 415, "{content_type}");
        }
    }
    // No body, as `curl -X POST` sends it, but from a page: refused.
    let answer = http
        .post(&reload)
        .header("origin", "null")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(&metrics, "dingbot_alertmanager_config_reloads_total", &[]),
        0.0,
        "{metrics}"
    );
    assert!(!bridge.logs().contains("config reloaded"));
    let (status, _) = bridge.notify("b", &notification("OnB", "b1")).await;
    assert_eq!(status, 404, "not reloaded");

    // The operator's `curl -X POST`, and a PUT of JSON: reloaded.
    let answer = http.post(&reload).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let answer = http
        .put(&reload)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let (status, _) = bridge.notify("b", &notification("OnB", "b1")).await;
    assert_eq!(status, 200);

    let metrics = bridge.metrics().await;
    for (name, labels, value) in [
        (
            "dingbot_alertmanager_config_reloads_total",
            "result=\"success\"",
            2.0,
        ),
        (
            "dingbot_alertmanager_requests_refused_total",
            "reason=\"content_type\"",
            11.0,
        ),
        (
            "dingbot_alertmanager_requests_refused_total",
            "reason=\"origin\"",
            2.0,
        ),
    ] {
        assert_eq!(metric(&metrics, name, &[labels]), value, "{name} {labels}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_requests_addressed_to_an_address_localhost_or_an_allowed_name_are_answered() {
    let dir = fresh_dir("host");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start_with(
        &dir,
        &config_for(&server, "", ""),
        &[],
        &["--allowed-host", "Bridge.Monitoring.svc,dingbot"],
    );
    let port = bridge.addr.port();
    let json = serde_json::to_string(&notification("Rebound", "r1")).unwrap();

    // A DNS name rebound to this machine: nothing is answered, nothing reaches the group.
    let foreign = [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("bridge.monitoring.svc.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ];
    for host in &foreign {
        for (method, path, body) in [
            ("GET", "/metrics", ""),
            ("GET", "/-/ready", ""),
            ("POST", "/dingtalk/ops/send", json.as_str()),
            ("POST", "/-/reload", ""),
        ] {
            let (status, answer) = raw(bridge.addr, &request(method, path, Some(host), body)).await;
            assert_eq!(status, 421, "{method} {path} for {host}: {answer}");
            assert!(answer.contains("--allowed-host"), "{answer}");
            assert!(!answer.contains("dingbot_"), "{answer}");
        }
    }
    assert!(server.received().is_empty());

    // By address, as localhost, or by a listed name (any case, any port): answered.
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_owned(),
        format!("localhost:{port}"),
        "LOCALHOST:1".to_owned(),
        "[::1]:8060".to_owned(),
        "bridge.monitoring.svc:8060".to_owned(),
        "DINGBOT".to_owned(),
    ] {
        let (status, answer) = raw(bridge.addr, &request("GET", "/metrics", Some(&host), "")).await;
        assert_eq!(status, 200, "{host}: {answer}");
    }
    let (status, answer) = raw(
        bridge.addr,
        &request("POST", "/dingtalk/ops/send", Some("dingbot:8060"), &json),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(server.received().len(), 1);
    // HTTP/1.0 without a Host: no browser sends that.
    let (status, _) = raw(bridge.addr, "GET /-/healthy HTTP/1.0\r\n\r\n").await;
    assert_eq!(status, 200);

    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_requests_refused_total",
            &["reason=\"host\""]
        ),
        (foreign.len() * 4) as f64,
        "{metrics}"
    );
    assert!(
        bridge
            .logs()
            .contains("refused a request addressed to a name not listed with --allowed-host"),
        "{}",
        bridge.logs()
    );

    // A listed name must be a host name: refused at start as bad input.
    let out = std::process::Command::new(DINGBOT)
        .args([
            "alertmanager",
            "--config",
            "/nonexistent.yml",
            "--allowed-host",
            "http://dingbot:8060",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a host name"), "{stderr}");
}

/// An HTTP/1.1 request with `host` as its `Host` (none when `None`), closing the
/// connection after the answer.
fn request(method: &str, path: &str, host: Option<&str>, body: &str) -> String {
    let host = host.map_or_else(String::new, |h| format!("Host: {h}\r\n"));
    let content_type = if body.is_empty() {
        ""
    } else {
        "Content-Type: application/json\r\n"
    };
    format!(
        "{method} {path} HTTP/1.1\r\n{host}{content_type}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Sends `request` as it is; the answer's status and its whole text.
async fn raw(addr: SocketAddr, request: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}
