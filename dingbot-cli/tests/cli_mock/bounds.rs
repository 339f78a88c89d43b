//! `dingbot mock` stays bounded under load: the last `--keep` requests, each with a body
//! excerpt, preview polls a bounded page at a time, silent connections closed, and a
//! real send served even when idle connections took every file descriptor.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli_util::{LINE_TIMEOUT, Mock, dingbot, programs, run};
use crate::send;

/// The `host:port` of a webhook URL.
fn authority(webhook: &str) -> String {
    webhook
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("an http URL")
        .to_owned()
}

/// Sends one request and reads the whole answer; its body.
fn exchange(authority: &str, method: &str, target: &str, body: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(authority).expect("connect to dingbot mock");
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP head");
    answer.split_off(split + 4)
}

/// Whether the server closed `stream` within `within`.
fn closed_within(mut stream: &TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
    }
}

#[test]
fn only_the_last_keep_requests_are_kept_and_the_drop_is_told() {
    let mut mock = Mock::start(&["--keep", "5", "--ui", "--log", "json"]);
    for i in 0..8 {
        assert_eq!(
            send(&mock.webhook, None, &["text", &format!("message {i}")]).code,
            0
        );
    }
    let page: Value = serde_json::from_slice(&exchange(
        &authority(&mock.webhook),
        "GET",
        "/preview/requests?after=0",
        b"",
    ))
    .unwrap();
    assert_eq!(
        (page["keep"].as_u64(), page["dropped"].as_u64()),
        (Some(5), Some(3))
    );
    let requests = page["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 5);
    assert_eq!(requests[0]["index"], 3, "the oldest kept");
    assert_eq!(page["next"], 8);
    assert_eq!(mock.stop_with("TERM").0, Some(0));
    let stderr = mock.stderr();
    assert!(
        stderr.contains("stopped after 8 request(s); kept the last 5, dropped 3 older (--keep)"),
        "{stderr}"
    );
}

#[test]
fn a_preview_poll_answers_a_bounded_page_and_says_where_to_go_on() {
    let mock = Mock::start(&["--ui", "--log", "off", "--rate", "off", "--keep", "300"]);
    let authority = authority(&mock.webhook);
    let target = &mock.webhook[mock.webhook.find("/robot").unwrap()..];
    let mut body = br#"{"msgtype":"text","text":{"content":""#.to_vec();
    body.resize(1024 * 1024 - 3, b'x');
    body.extend_from_slice(br#""}}"#);
    for _ in 0..300 {
        let answer: Value = serde_json::from_slice(&exchange(&authority, "POST", target, &body))
            .expect("DingTalk's JSON");
        assert_eq!(answer["errcode"], 460101);
    }

    let started = Instant::now();
    let (mut after, mut seen, mut polls) = (0u64, 0usize, 0);
    loop {
        let raw = exchange(
            &authority,
            "GET",
            &format!("/preview/requests?after={after}"),
            b"",
        );
        assert!(
            raw.len() < 2 * 1024 * 1024,
            "one poll answered {} bytes",
            raw.len()
        );
        let page: Value = serde_json::from_slice(&raw).unwrap();
        let requests = page["requests"].as_array().unwrap();
        assert!(!requests.is_empty());
        assert_eq!(requests[0]["index"], after);
        let first = &requests[0];
        assert_eq!(
            (first["body_len"].as_u64(), first["body_cut"].as_bool()),
            (Some(1024 * 1024), Some(true))
        );
        seen += requests.len();
        polls += 1;
        after = page["next"].as_u64().unwrap();
        assert_eq!(after as usize, seen);
        if page["more"] != true {
            break;
        }
    }
    assert_eq!(seen, 300);
    assert!(polls > 1, "300 large requests take several pages");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn half_sent_requests_are_closed_after_the_header_timeout() {
    let mock = Mock::start(&["--header-timeout", "500ms", "--log", "off"]);
    let authority = authority(&mock.webhook);
    let half_sent: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut stream = TcpStream::connect(&authority).unwrap();
            stream
                .write_all(b"POST /robot/send HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .unwrap();
            stream
        })
        .collect();
    let started = Instant::now();
    for stream in &half_sent {
        assert!(closed_within(stream, Duration::from_secs(10)), "still open");
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(send(&mock.webhook, None, &["text", "served"]).code, 0);
}

#[test]
fn a_real_send_gets_through_when_idle_connections_take_every_file_descriptor() {
    // 64 file descriptors for the emulator, 200 idle connections to it.
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -n 64 && exec \"$0\" mock --log off"])
        .arg(env!("CARGO_BIN_EXE_dingbot"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut process = programs::Process::start(command);
    let stdout = process.child_mut().stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line.trim().to_owned());
    });
    let webhook = rx.recv_timeout(LINE_TIMEOUT).expect("the webhook URL");
    let authority = authority(&webhook);
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(&authority).unwrap())
        .collect();

    let mut command = dingbot();
    command
        .args(["send", "--timeout", "5s", "text", "through"])
        .env("DINGTALK_WEBHOOK", &webhook);
    let out = run(command, None);
    assert_eq!(out.code, 0, "{out:?}");
    drop(idle);
}

#[test]
fn zero_bounds_are_bad_input() {
    for args in [
        &["mock", "--keep", "0"][..],
        &["mock", "--max-connections", "0"],
        &["mock", "--idle-timeout", "0s"],
        &["mock", "--header-timeout", "0s"],
        &["mock", "--keep", "many"],
    ] {
        let mut command = dingbot();
        command.args(args);
        let out = run(command, None);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(out.stdout, "", "no webhook URL printed: {args:?}");
    }
}
