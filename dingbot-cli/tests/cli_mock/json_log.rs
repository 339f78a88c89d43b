//! The webhook URL first, then a JSON line per request that never holds the query; and
//! serving on when the reader of that log goes away.

use std::io::Read;
use std::process::Command;

use crate::cli_util::{Mock, dingbot, programs};
use crate::{SECRET, send};

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
