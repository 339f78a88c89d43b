//! A real peer for the Stream side of `dingbot mock`: the official Python Stream SDK
//! (PyPI `dingtalk-stream`, which reads `DINGTALK_OPENAPI_ENDPOINT`) connects, receives a
//! message said through `POST /mock/say`, and replies through the session webhook; the
//! reply is in the emulator's JSON log.
//!
//! Skips (saying so) when Python or the package is missing, unless
//! `DINGBOT_REQUIRE_PYTHON=1` (set by CI), where that is a failure. (Unix only: the test
//! stops the emulator with `kill`.)
#![cfg(unix)]

#[path = "cli_util/mod.rs"]
mod cli_util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use cli_util::Mock;

const KEY: &str = "dingpythonappkey";
const SECRET: &str = "python-app-secret-0123456789";

/// `POST path` with a JSON body to the emulator at `host`; the answer's body.
fn post(host: &str, path: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(host).expect("connect to dingbot mock");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default()
}

#[test]
fn python_stream_sdk_receives_and_replies_through_dingbot_mock() {
    let test = "python_stream_sdk_receives_and_replies_through_dingbot_mock";
    if !cli_util::programs::python_module("dingtalk_stream", "dingtalk-stream", test) {
        return;
    }
    let mut mock = Mock::start(&["--app-key", KEY, "--app-secret", SECRET, "--log", "json"]);
    let openapi = mock
        .webhook
        .split_once("/robot/send")
        .map(|(base, _)| base.to_owned())
        .expect("a webhook URL");
    let host = openapi.trim_start_matches("http://").to_owned();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/python/stream_echo.py"
    );
    let python = Command::new("python3")
        .args([script, KEY, SECRET])
        .env("DINGTALK_OPENAPI_ENDPOINT", &openapi)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");

    // Once the SDK's WebSocket is up (its upgrade is logged), a group member says
    // something.
    loop {
        let line = mock.json_line();
        if line["path"] == "/connect" {
            break;
        }
    }
    let said = r#"{"text":"@robot status","senderNick":"Han Meimei","senderStaffId":"0202",
        "conversationId":"cid-py","conversationType":"2"}"#;
    let answer = post(&host, "/mock/say", said);
    assert_eq!(answer.trim(), r#"{"delivered":1}"#);

    let out = python.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed ({:?}): {}\n{stdout}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let heard: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(heard["heard"], "@robot status");
    assert_eq!(heard["from"], "Han Meimei");

    let reply = loop {
        let line = mock.json_line();
        if line["path"] == "/robot/sendBySession" {
            break line;
        }
    };
    assert_eq!(reply["errcode"], 0, "{reply}");
    assert_eq!(reply["accepted"], true, "{reply}");
    assert_eq!(reply["message"]["text"]["content"], "echo: @robot status");
    assert_eq!(mock.stop_with("TERM").0, Some(0));
}
