//! Running the built `dingbot` binary as a user runs it: arguments, environment, stdin,
//! exit code, stdout and stderr.
#![allow(dead_code)] // each test file uses a part of it

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Finding, starting and stopping real programs (shared with the other tests).
#[path = "../programs/mod.rs"]
pub mod programs;

/// How long a test waits for a line from a running `dingbot mock` before failing (a
/// guard against hanging, not a speed check).
pub const LINE_TIMEOUT: Duration = Duration::from_secs(30);

/// The `dingbot` binary, with none of the DingTalk variables of the environment the
/// tests run in.
pub fn dingbot() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dingbot"));
    command
        .env_remove("DINGTALK_WEBHOOK")
        .env_remove("DINGTALK_SECRET")
        .stdin(Stdio::null());
    command
}

/// What a finished command did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for checks that something appears in neither.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// stdout as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().expect("exited, not killed by a signal"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs `command` to the end, with `stdin` piped in when given.
pub fn run(mut command: Command, stdin: Option<&[u8]>) -> Run {
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("start dingbot");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("wait for dingbot").into()
}

/// `dingbot ARGS...` run to the end.
pub fn dingbot_run(args: &[&str]) -> Run {
    let mut command = dingbot();
    command.args(args);
    run(command, None)
}

/// A running `dingbot mock`, stopped when dropped; its stdout read line by line.
pub struct Mock {
    pub process: programs::Process,
    lines: mpsc::Receiver<String>,
    /// The webhook URL, the first line it printed.
    pub webhook: String,
}

impl Mock {
    /// Starts `dingbot mock ARGS...` and reads the webhook URL from its first line.
    pub fn start(args: &[&str]) -> Mock {
        let mut command = dingbot();
        command
            .arg("mock")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut process = programs::Process::start(command);
        let stdout = process.child_mut().stdout.take().expect("stdout is piped");
        let lines = read_lines(stdout);
        let webhook = lines
            .recv_timeout(LINE_TIMEOUT)
            .unwrap_or_else(|_| panic!("`dingbot mock {args:?}` printed no webhook URL"));
        Mock {
            process,
            lines,
            webhook,
        }
    }

    /// The next line of stdout.
    pub fn line(&self) -> String {
        self.lines
            .recv_timeout(LINE_TIMEOUT)
            .expect("dingbot mock printed no further line")
    }

    /// The next line of stdout as JSON.
    pub fn json_line(&self) -> serde_json::Value {
        let line = self.line();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    /// Sends `signal` (`TERM`, `INT`) and waits for the exit; returns the exit code and
    /// whatever stdout still printed.
    pub fn stop_with(&mut self, signal: &str) -> (Option<i32>, Vec<String>) {
        let pid = self.process.id().to_string();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} {pid} failed");
        let exit = self
            .process
            .child_mut()
            .wait()
            .expect("wait for dingbot mock");
        let rest: Vec<String> = self.lines.iter().collect();
        (exit.code(), rest)
    }

    /// What it printed on stderr so far (after it exited).
    pub fn stderr(&mut self) -> String {
        let mut text = String::new();
        if let Some(stderr) = self.process.child_mut().stderr.as_mut() {
            let _ = std::io::Read::read_to_string(stderr, &mut text);
        }
        text
    }

    /// The child process.
    pub fn child(&mut self) -> &mut Child {
        self.process.child_mut()
    }
}

fn read_lines(stdout: ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
