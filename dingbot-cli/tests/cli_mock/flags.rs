//! The flags that set the robot it emulates, `--ui`'s preview page, and bad flags as bad
//! input.

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::cli_util::{Mock, dingbot, programs, run};
use crate::send;

/// A bare HTTP/1.1 GET; the status code and the body.
pub(crate) fn http_get(webhook: &str, path: &str) -> (u16, String) {
    let authority = webhook
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("an http URL");
    let mut stream = TcpStream::connect(authority).expect("connect to dingbot mock");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("an HTTP status line");
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn its_flags_set_the_robot_it_emulates() {
    // --listen with a fixed port; --rate and --throttle.
    let port = programs::free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut mock = Mock::start(&[
        "--listen",
        &listen,
        "--rate",
        "2/60s",
        "--throttle",
        "10m",
        "--token",
        "ci-robot",
        "--log",
        "json",
    ]);
    assert_eq!(
        mock.webhook,
        format!("http://127.0.0.1:{port}/robot/send?access_token=ci-robot")
    );
    let codes: Vec<i32> = (0..3)
        .map(|i| send(&mock.webhook, None, &["text", &format!("message {i}")]).code)
        .collect();
    assert_eq!(codes, [0, 0, 5], "the third is over the rate: throttled");
    let errcodes: Vec<i64> = (0..3)
        .map(|_| mock.json_line()["errcode"].as_i64().unwrap())
        .collect();
    assert_eq!(errcodes, [0, 0, 130101]);
    assert_eq!(mock.stop_with("TERM").0, Some(0));

    // --allow-ip: requests from loopback are not on the list.
    let mock = Mock::start(&["--allow-ip", "10.0.0.7"]);
    let out = send(&mock.webhook, None, &["text", "hello"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("IP allow-list"), "{}", out.stderr);

    // --errmsg current answers the newer texts.
    let mock = Mock::start(&[
        "--keyword",
        "deploy",
        "--errmsg",
        "current",
        "--log",
        "json",
    ]);
    assert_eq!(send(&mock.webhook, None, &["text", "hello"]).code, 3);
    let line = mock.json_line();
    assert!(
        line["errmsg"].as_str().unwrap().starts_with("description:"),
        "{line}"
    );
}

#[test]
fn ui_serves_the_preview_page_at_the_root() {
    let mock = Mock::start(&["--ui"]);
    let (status, page) = http_get(&mock.webhook, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<title>dingbot emulator: what the group sees</title>"),
        "{page}"
    );
    assert_eq!(
        send(&mock.webhook, None, &["text", "shown on the page"]).code,
        0
    );
    let (status, requests) = http_get(&mock.webhook, "/preview/requests?after=0");
    assert_eq!(status, 200);
    assert!(requests.contains("shown on the page"), "{requests}");

    let plain = Mock::start(&[]);
    assert_eq!(http_get(&plain.webhook, "/").0, 404, "no page without --ui");
}

#[test]
fn bad_flags_are_bad_input() {
    for args in [
        &["mock", "--rate", "0/60s"][..],
        &["mock", "--rate", "twenty"],
        &["mock", "--throttle", "10 parsecs"],
        &["mock", "--allow-ip", "not-an-ip"],
        &["mock", "--listen", "nowhere"],
        &["mock", "--token", "has spaces"],
    ] {
        let mut command = dingbot();
        command.args(args);
        let out = run(command, None);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(out.stdout, "", "no webhook URL printed: {args:?}");
    }
    // An address already taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let mut command = dingbot();
    command.args(["mock", "--listen", &addr]);
    let out = run(command, None);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains(&format!("cannot listen on {addr}")),
        "{}",
        out.stderr
    );
}
