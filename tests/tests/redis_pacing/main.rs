//! A fleet never throttled: pacing shared through a real `redis-server` (started here on
//! a free loopback port, persistence off), by separate OS processes (`fleet_sender`)
//! sending through one token to the emulator, whose rule is scaled to 20 per 3 s.
//!
//! Without `redis-server` installed these tests say they skipped; under `CI=true` that
//! is a failure.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dingbot::mock::{MockServer, RecordedRequest};
use dingbot::{DigestConfig, Error, Pacing, Rate, Robot, Text};
use dingbot_tests::{Process, free_port, program};

/// The emulator's rule, scaled down from DingTalk's 20 per 60 s.
const RULE: Rate = Rate::new(20, Duration::from_secs(3));
/// The senders' margin: their window is 3.5 s.
const MARGIN: Duration = Duration::from_millis(500);
const WINDOW: Duration = Duration::from_millis(3_500);

/// A `redis-server` of our own, killed when dropped.
struct Redis {
    program: PathBuf,
    port: u16,
    password: Option<String>,
    process: Option<Process>,
}

impl Redis {
    fn start(test: &str) -> Option<Redis> {
        Redis::start_with(test, None)
    }

    fn start_with(test: &str, password: Option<&str>) -> Option<Redis> {
        let program = program("redis-server", test)?;
        let mut redis = Redis {
            program,
            port: free_port(),
            password: password.map(str::to_owned),
            process: None,
        };
        redis.restart();
        Some(redis)
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    fn url(&self) -> String {
        match &self.password {
            Some(pw) => format!("redis://:{pw}@127.0.0.1:{}", self.port),
            None => format!("redis://127.0.0.1:{}", self.port),
        }
    }

    /// Starts (again) on the same port, with nothing stored.
    fn restart(&mut self) {
        let mut command = Command::new(&self.program);
        command
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(pw) = &self.password {
            command.args(["--requirepass", pw]);
        }
        let mut process = Process::start(command);
        process.wait_for_port(self.addr(), Duration::from_secs(10));
        self.process = Some(process);
    }

    fn kill(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.kill();
        }
    }

    /// One command over RESP, its reply as text (arrays flattened, one item a line).
    fn command(&self, args: &[&str]) -> String {
        let mut stream = TcpStream::connect(self.addr()).expect("redis-server is up");
        let mut request = Vec::new();
        let mut push = |args: &[&str]| {
            request.extend(format!("*{}\r\n", args.len()).bytes());
            for arg in args {
                request.extend(format!("${}\r\n{arg}\r\n", arg.len()).bytes());
            }
        };
        if let Some(pw) = &self.password {
            push(&["AUTH", pw]);
        }
        push(args);
        stream.write_all(&request).unwrap();
        let mut reader = BufReader::new(stream);
        if self.password.is_some() {
            read_reply(&mut reader);
        }
        read_reply(&mut reader)
    }

    /// How many scripts (EVALSHA and EVAL) the server has run.
    fn scripts_run(&self) -> u64 {
        let stats = self.command(&["INFO", "commandstats"]);
        stats
            .lines()
            .filter(|l| l.starts_with("cmdstat_evalsha:") || l.starts_with("cmdstat_eval:"))
            .filter_map(|l| {
                l.split("calls=")
                    .nth(1)?
                    .split(',')
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .sum()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

fn read_reply(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let (kind, rest) = line.trim_end().split_at(1);
    match kind {
        "+" | "-" | ":" => rest.to_owned(),
        "$" => match rest.parse::<i64>().unwrap() {
            -1 => String::new(),
            len => {
                let mut body = vec![0; len as usize + 2];
                reader.read_exact(&mut body).unwrap();
                String::from_utf8_lossy(&body[..len as usize]).into_owned()
            }
        },
        "*" => (0..rest.parse::<i64>().unwrap().max(0))
            .map(|_| read_reply(reader))
            .collect::<Vec<_>>()
            .join("\n"),
        other => panic!("unexpected RESP reply {other}{rest}"),
    }
}

fn emulator() -> MockServer {
    MockServer::builder()
        .rate_limit(RULE)
        .start_blocking()
        .unwrap()
}

/// Starts one `fleet_sender` process.
fn sender(server: &MockServer, redis: Option<&Redis>, id: usize, extra: &[&str]) -> Process {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fleet_sender"));
    command
        .args(["--webhook", &server.webhook_url()])
        .args(["--rate", &RULE.to_string()])
        .args(["--margin-ms", &MARGIN.as_millis().to_string()])
        .args(["--id", &id.to_string()])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(redis) = redis {
        command.args(["--redis", &redis.url()]);
    }
    Process::start(command)
}

/// Waits for every sender (at most a minute) and returns their output lines.
fn outputs(senders: Vec<Process>) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    for mut sender in senders {
        let mut stdout = sender.child_mut().stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            stdout.read_to_string(&mut text).unwrap();
            text
        });
        loop {
            if let Some(status) = sender.child_mut().try_wait().unwrap() {
                assert!(status.success(), "fleet_sender failed: {status}");
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the senders did not finish in a minute"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        lines.extend(reader.join().unwrap().lines().map(str::to_owned));
    }
    lines
}

/// The most requests the emulator saw inside any window of `window`.
fn busiest(requests: &[RecordedRequest], window: Duration) -> usize {
    let times: Vec<Instant> = requests.iter().map(|r| r.at).collect();
    times
        .iter()
        .map(|&end| {
            times
                .iter()
                .filter(|&&t| t <= end && end - t < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn count(requests: &[RecordedRequest], errcode: i64) -> usize {
    requests
        .iter()
        .filter(|r| r.errcode == Some(errcode))
        .count()
}

mod app;
mod fleet;
mod group;
mod heal;
mod robots;
mod waits;
