//! A tiny HTTP/1.1 client over `tokio::net::TcpStream`, so the emulator's tests see the
//! exact bytes DingTalk's clients send and receive, with no HTTP library in between.
#![allow(dead_code)] // each test file uses a part of it

use std::net::SocketAddr;
use std::time::Duration;

use dingbot::mock::MockServer;
use dingbot::{Message, Payload};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a test waits for an answer before failing.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("answer is not JSON ({e}): {:?}", self.text()))
    }

    /// `(errcode, errmsg)` of DingTalk's JSON answer; asserts HTTP 200.
    pub fn dingtalk(&self) -> (i64, String) {
        assert_eq!(self.status, 200, "HTTP status of {:?}", self.text());
        let json = self.json();
        let code = json["errcode"].as_i64().expect("errcode is a number");
        let msg = json["errmsg"]
            .as_str()
            .expect("errmsg is a string")
            .to_owned();
        (code, msg)
    }

    pub fn errcode(&self) -> i64 {
        self.dingtalk().0
    }

    pub fn errmsg(&self) -> String {
        self.dingtalk().1
    }

    /// The answer as dingbot's error, `None` for errcode 0.
    pub fn error(&self) -> Option<dingbot::Error> {
        let (code, msg) = self.dingtalk();
        dingbot::Error::from_api(code, msg)
    }
}

/// Sends one request on a fresh connection; `None` when the server closed the connection
/// without answering.
pub async fn send_raw(
    addr: SocketAddr,
    method: &str,
    target: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr)
        .await
        .expect("connect to the emulator");
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    // The server may close early (a dropped connection); that shows up when reading.
    let _ = stream.write_all(&request).await;
    let mut raw = Vec::new();
    let read = tokio::time::timeout(ANSWER_TIMEOUT, stream.read_to_end(&mut raw))
        .await
        .expect("the emulator answered in time");
    if raw.is_empty() {
        return None;
    }
    if let Err(e) = read {
        panic!("reading the answer failed after {} bytes: {e}", raw.len());
    }
    Some(parse_reply(&raw))
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP head");
    let head = std::str::from_utf8(&raw[..split]).expect("an ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("a status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = std::str::from_utf8(&data[..line_end]).expect("chunk size");
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// The path and query of a URL (`/robot/send?access_token=...`).
pub fn target_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let slash = after_scheme.find('/').expect("a path");
    after_scheme[slash..].to_owned()
}

/// The webhook's path and query, plus `&timestamp=..&sign=..` for `ts_ms` when the server
/// has a secret (the sign URL-encoded once, as DingTalk expects).
pub fn signed_target(server: &MockServer, ts_ms: i64) -> String {
    let mut target = target_of(&server.webhook_url());
    if let Some(secret) = server.secret() {
        target.push_str(&format!(
            "&timestamp={ts_ms}&sign={}",
            encode(&dingbot::sign(&secret, ts_ms))
        ));
    }
    target
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// POSTs a JSON body to the webhook, signed for the server's clock when needed.
pub async fn post_body(server: &MockServer, body: &[u8]) -> Option<Reply> {
    let target = signed_target(server, server.clock().unix_ms());
    post_to(server, &target, body).await
}

/// POSTs a JSON body to `target` on the server.
pub async fn post_to(server: &MockServer, target: &str, body: &[u8]) -> Option<Reply> {
    send_raw(
        server.addr(),
        "POST",
        target,
        Some("application/json"),
        body,
    )
    .await
}

/// POSTs a message (a fresh `msgUuid`) and expects an answer.
pub async fn post(server: &MockServer, msg: impl Into<Message>) -> Reply {
    let payload = Payload::new(&msg.into()).expect("a valid message");
    post_body(server, payload.body()).await.expect("an answer")
}

/// POSTs a payload (its own `msgUuid`) and expects an answer.
pub async fn post_payload(server: &MockServer, payload: &Payload) -> Reply {
    post_body(server, payload.body()).await.expect("an answer")
}

/// A text message body with a fresh `msgUuid`.
pub fn text(content: &str) -> Payload {
    Payload::new(&dingbot::Text::new(content)).expect("a valid message")
}
