//! `dingbot mock` run as a server, the way a test suite in any language uses it: the
//! webhook URL from the first line of stdout, a JSON line per request, a clean stop on
//! SIGTERM or Ctrl-C — with `dingbot send` and Python's `dingtalkchatbot` as clients.
//! (Unix only: the tests stop it with `kill`.)
#![cfg(unix)]

mod cli_util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use cli_util::{Mock, dingbot, programs, run};

const SECRET: &str = "SECmock0123456789abcdef";

/// `dingbot send ARGS...` to `webhook`, signed with `secret` when given.
fn send(webhook: &str, secret: Option<&str>, args: &[&str]) -> cli_util::Run {
    let mut command = dingbot();
    command
        .arg("send")
        .args(args)
        .env("DINGTALK_WEBHOOK", webhook);
    if let Some(secret) = secret {
        command.env("DINGTALK_SECRET", secret);
    }
    run(command, None)
}

/// A bare HTTP/1.1 GET; the status code and the body.
fn http_get(webhook: &str, path: &str) -> (u16, String) {
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
fn the_webhook_comes_first_then_a_json_line_per_request_and_sigterm_stops_it() {
    let mut mock = Mock::start(&["--secret", SECRET, "--keyword", "alert", "--log", "json"]);
    let mut logged = Vec::new();
    assert!(
        mock.webhook.starts_with("http://127.0.0.1:")
            && mock.webhook.contains("/robot/send?access_token="),
        "{}",
        mock.webhook
    );

    let ok = send(
        &mock.webhook,
        Some(SECRET),
        &[
            "markdown",
            "--title",
            "alert",
            "**alert**: disk full",
            "--at",
            "13800000000",
        ],
    );
    assert_eq!(ok.code, 0, "{ok:?}");
    let line = mock.json_line();
    logged.push(line.clone());
    assert_eq!(line["request"], 1);
    assert_eq!(line["errcode"], 0);
    assert_eq!(line["errmsg"], "ok");
    assert_eq!(line["accepted"], true);
    assert_eq!(line["message"]["msgtype"], "markdown");
    assert_eq!(
        line["message"]["markdown"]["text"],
        "**alert**: disk full\n\n@13800000000"
    );
    assert_eq!(line["message"]["at"]["atMobiles"][0], "13800000000");
    assert_eq!(line["reason"], serde_json::Value::Null);

    let rejected = send(&mock.webhook, Some(SECRET), &["text", "no keyword here"]);
    assert_eq!(rejected.code, 3, "{rejected:?}");
    let line = mock.json_line();
    logged.push(line.clone());
    assert_eq!(line["request"], 2);
    assert_eq!(line["errcode"], 310000);
    assert!(
        line["errmsg"]
            .as_str()
            .unwrap()
            .starts_with("keywords not in content")
    );
    assert_eq!(line["accepted"], false);
    assert_eq!(
        line["reason"],
        "the message must contain one of the robot's keywords: put one in its text or title"
    );
    assert_eq!(line["message"]["text"]["content"], "no keyword here");

    let unsigned = send(&mock.webhook, None, &["text", "alert"]);
    assert_eq!(unsigned.code, 3, "{unsigned:?}");
    assert!(
        unsigned
            .stderr
            .contains("this robot signs its requests: set DINGTALK_SECRET"),
        "{}",
        unsigned.stderr
    );
    // An invalid timestamp is retried once, with a fresh one: two requests.
    for _ in 0..2 {
        let line = mock.json_line();
        logged.push(line.clone());
        assert_eq!(line["errmsg"], "invalid timestamp", "{line}");
        assert!(line["reason"].as_str().unwrap().contains("DINGTALK_SECRET"));
    }

    let (code, rest) = mock.stop_with("TERM");
    assert_eq!(code, Some(0), "SIGTERM is a clean stop");
    assert!(rest.is_empty(), "nothing after the requests: {rest:?}");
    // The log carries the messages, never the query: no token, no signature, no
    // timestamp.
    let token = mock
        .webhook
        .split("access_token=")
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(token.len() > 8, "{}", mock.webhook);
    for line in &logged {
        let text = line.to_string();
        for secret in [
            token.as_str(),
            SECRET,
            "access_token",
            "sign=",
            "timestamp=",
            r#""sign""#,
            r#""timestamp""#,
            r#""query""#,
        ] {
            assert!(!text.contains(secret), "`{secret}` in the log: {text}");
        }
    }
    let stderr = mock.stderr();
    assert!(stderr.contains("stopped after 4 request(s)"), "{stderr}");
    assert!(
        !stderr.contains(SECRET),
        "the secret is never echoed: {stderr}"
    );
}

#[test]
fn it_serves_on_when_the_reader_of_its_log_goes_away() {
    let mut command = dingbot();
    command
        .args(["mock", "--log", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut process = programs::Process::start(command);
    let stdout = process.child_mut().stdout.take().unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut first).unwrap();
    // The reader is gone (as after `| head -n1`): the log cannot be written any more.
    let webhook = first.trim();
    for i in 0..2 {
        let out = send(webhook, None, &["text", &format!("message {i}")]);
        assert_eq!(out.code, 0, "still serving: {out:?}");
    }
    let pid = process.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = process.child_mut().wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    process
        .child_mut()
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(
        stderr.matches("serving on without the JSON log").count(),
        1,
        "said once: {stderr}"
    );
    assert!(stderr.contains("stopped after 2 request(s)"), "{stderr}");
}

#[test]
fn ctrl_c_stops_it_too_and_text_logs_go_to_stderr() {
    let mut mock = Mock::start(&[]);
    assert_eq!(send(&mock.webhook, None, &["text", "hello"]).code, 0);
    let (code, rest) = mock.stop_with("INT");
    assert_eq!(code, Some(0));
    assert!(rest.is_empty(), "text logs are not on stdout: {rest:?}");
    let stderr = mock.stderr();
    assert!(
        stderr.contains("#1 POST /robot/send text: errcode 0 ok"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_as_soon_as_the_webhook_is_printed_is_a_clean_stop() {
    // The signal handlers are in place before the first line: a test that stops the
    // emulator as soon as it has read the URL gets exit 0, not death by SIGINT.
    for _ in 0..5 {
        let mut mock = Mock::start(&["--log", "json"]);
        let (code, rest) = mock.stop_with("INT");
        assert_eq!(code, Some(0), "killed by the signal instead of stopping");
        assert!(rest.is_empty(), "{rest:?}");
    }
}

#[test]
fn a_request_during_sigterm_is_logged_or_refused_never_answered_unlogged() {
    let mut mock = Mock::start(&["--rate", "off", "--log", "json"]);
    let authority = mock
        .webhook
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let target = mock.webhook[mock.webhook.find("/robot").unwrap()..].to_owned();
    // Clients that post numbered messages until the emulator refuses them, each
    // remembering the ones it got an answer for.
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (authority, target) = (authority.clone(), target.clone());
            std::thread::spawn(move || {
                let mut answered = Vec::new();
                for n in 0.. {
                    let id = format!("c{client}-m{n}");
                    let body = format!(r#"{{"msgtype":"text","text":{{"content":"{id}"}}}}"#);
                    let Ok(mut stream) = TcpStream::connect(&authority) else {
                        break; // refused: the emulator is gone
                    };
                    let request = format!(
                        "POST {target} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(request.as_bytes()).is_err() {
                        break;
                    }
                    let mut answer = String::new();
                    let _ = stream.read_to_string(&mut answer);
                    if answer.starts_with("HTTP/1.1 200") && answer.contains(r#""errcode":0"#) {
                        answered.push(id);
                    }
                }
                answered
            })
        })
        .collect();
    // Let traffic flow, then stop it in the middle.
    let mut logged: Vec<serde_json::Value> = (0..40).map(|_| mock.json_line()).collect();
    let (code, rest) = mock.stop_with("TERM");
    assert_eq!(code, Some(0));
    logged.extend(rest.iter().map(|l| serde_json::from_str(l).unwrap()));
    let logged: std::collections::HashSet<String> = logged
        .iter()
        .map(|l| l["message"]["text"]["content"].as_str().unwrap().to_owned())
        .collect();
    let answered: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(answered.len() >= 40, "traffic flowed: {}", answered.len());
    let unlogged: Vec<&String> = answered.iter().filter(|id| !logged.contains(*id)).collect();
    assert!(
        unlogged.is_empty(),
        "answered but never logged: {unlogged:?}"
    );
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

/// Python's `dingtalkchatbot` (the peer client the emulator is already checked against)
/// sends one message of each type to `dingbot mock`.
#[test]
fn python_dingtalkchatbot_sends_to_dingbot_mock() {
    let ready = Command::new("python3")
        .args(["-c", "import dingtalkchatbot.chatbot"])
        .output();
    if !ready.as_ref().is_ok_and(|out| out.status.success()) {
        let why = "python3 with dingtalkchatbot is not available (pip install dingtalkchatbot)";
        if std::env::var("DINGBOT_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
            panic!("{why}");
        }
        eprintln!("SKIPPED python_dingtalkchatbot_sends_to_dingbot_mock: {why}");
        return;
    }
    let mut mock = Mock::start(&["--secret", SECRET, "--log", "json"]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/python/send_all.py");
    let out = Command::new("python3")
        .args([script, &mock.webhook, SECRET])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    for answer in stdout.lines() {
        let answer: serde_json::Value = serde_json::from_str(answer).unwrap();
        assert_eq!(answer["errcode"], 0, "{answer}");
    }
    let lines: Vec<serde_json::Value> = (0..5).map(|_| mock.json_line()).collect();
    let types: Vec<&str> = lines
        .iter()
        .map(|l| l["message"]["msgtype"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["text", "markdown", "link", "actionCard", "feedCard"]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["errcode"] == 0 && l["accepted"] == true)
    );
    assert_eq!(
        lines[0]["message"]["text"]["content"],
        "py text\n@13800000000"
    );
    // The message exactly as the client sent it: this client writes the orientation as a
    // number.
    assert_eq!(lines[3]["message"]["actionCard"]["btnOrientation"], 1);
    assert_eq!(mock.stop_with("TERM").0, Some(0));
}
