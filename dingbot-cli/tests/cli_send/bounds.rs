//! Input from outside, bounded and made safe: a body over DingTalk's limit is refused
//! without reading the rest, an over-long webhook is bad input, and DingTalk's `errmsg`
//! is printed escaped and cut.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dingbot::mock::{Fault, MockServer};

use crate::cli_util::programs::Process;
use crate::cli_util::{dingbot, run};
use crate::send_to;

/// What a flood offers: far more than any message, and more than any pipe buffers.
const FLOOD: usize = 10 * 1024 * 1024;

/// Writes up to [`FLOOD`] bytes into `sink` until a write fails (its reader is gone);
/// how many it took.
fn flood(mut sink: impl Write) -> usize {
    let chunk = vec![b'x'; 64 * 1024];
    let mut written = 0;
    while written < FLOOD {
        match sink.write(&chunk) {
            Ok(n) => written += n,
            Err(_) => break,
        }
    }
    written
}

/// `dingbot send ARGS...` with stdin as `stdin`, started.
fn start_send(args: &[&str], stdin: Stdio) -> Process {
    let mut command = dingbot();
    command
        .arg("send")
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    Process::start(command)
}

/// Waits (at most 20 s) for the command to exit; its exit code and stderr.
fn finish(mut process: Process) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = process.child_mut().try_wait().expect("wait for dingbot") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "dingbot send is still reading after 20 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(pipe) = process.child_mut().stderr.as_mut() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (status.code().expect("exited, not killed"), stderr)
}

/// A body refused as too long: exit 2, saying so, after reading little of the flood.
fn assert_refused_early(from: &str, code: i32, stderr: &str, written: usize) {
    // 20,001 bytes read, plus what the pipe buffered before the reader left.
    assert!(
        written < 1024 * 1024,
        "{from}: the whole flood was read ({written} bytes), not just DingTalk's limit"
    );
    assert_eq!(code, 2, "{from}: {stderr}");
    assert!(
        stderr.contains("is over 20000 bytes") && stderr.contains("shorten the message"),
        "{from}: {stderr}"
    );
}

#[test]
fn a_body_over_dingtalks_limit_on_stdin_is_refused_without_reading_the_rest() {
    let mut process = start_send(&["text", "-", "--dry-run"], Stdio::piped());
    let stdin = process.child_mut().stdin.take().expect("stdin is piped");
    let feeder = std::thread::spawn(move || flood(stdin));
    let (code, stderr) = finish(process);
    let written = feeder.join().expect("the feeding thread");
    assert_refused_early("stdin", code, &stderr, written);
}

#[cfg(unix)]
#[test]
fn a_body_over_dingtalks_limit_in_a_file_is_refused_without_reading_the_rest() {
    // A FIFO: a file that never ends while its writer writes, like /dev/zero, but one
    // whose writer counts what was taken.
    let dir = std::env::temp_dir().join(format!("dingbot-send-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let fifo = dir.join("body");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let sink = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open the FIFO");
        let _ = tx.send(flood(sink));
    });
    let process = start_send(
        &["text", "--file", fifo.to_str().unwrap(), "--dry-run"],
        Stdio::null(),
    );
    let (code, stderr) = finish(process);
    let written = rx
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("the FIFO's writer never finished: {stderr}"));
    assert_refused_early("a FIFO", code, &stderr, written);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_overlong_webhook_is_bad_input_and_nothing_is_sent() {
    let server = MockServer::start_blocking().unwrap();
    let long = format!("{}&pad={}", server.webhook_url(), "x".repeat(65_000));
    let mut command = dingbot();
    command
        .args(["send", "text", "hello", "--json"])
        .env("DINGTALK_WEBHOOK", &long);
    let out = run(command, None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.json()["class"], "bad_input");
    assert!(
        out.stderr.contains("the webhook is 65") && out.stderr.contains("bytes long"),
        "{}",
        out.stderr
    );
    assert!(
        server.requests().is_empty(),
        "an over-long webhook was sent to: {} request(s)",
        server.requests().len()
    );
}

#[test]
fn dingtalks_errmsg_is_printed_escaped_and_cut() {
    let server = MockServer::start_blocking().unwrap();
    let errmsg = format!(
        "\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}\nerrcode 0 ok {}",
        "x".repeat(5_000_000)
    );
    server.inject(Fault::Errcode(300001, errmsg), 10);
    for json in [false, true] {
        let mut args = vec!["text", "hello", "--attempts", "1"];
        if json {
            args.push("--json");
        }
        let out = send_to(&server, &args, None);
        let all = out.all_output();
        let mut end = all.len().min(2000);
        while !all.is_char_boundary(end) {
            end -= 1;
        }
        let start = &all[..end];
        assert_eq!(out.code, 3, "{start}");
        assert!(all.len() < 20_000, "{} bytes printed: {start}", all.len());
        for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!all.contains(c), "{c:?} printed as it is: {start}");
        }
        assert!(
            !all.lines().any(|line| line.starts_with("errcode 0 ok")),
            "a line forged: {start}"
        );
        assert!(
            all.contains("\\u{1b}]0;pwned\\u{7}\\u{9b}2J\\u{202e}") && all.contains("…(5000"),
            "shown escaped, with its length: {start}"
        );
    }
}
