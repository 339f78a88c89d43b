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

#[test]
fn four_processes_share_one_window_and_are_never_throttled() {
    let Some(redis) = Redis::start("four_processes_share_one_window_and_are_never_throttled")
    else {
        return;
    };
    let server = emulator();
    // 4 processes, 15 sends each, all waiting at once: 60 waiters.
    let senders = (0..4)
        .map(|id| sender(&server, Some(&redis), id, &[]))
        .collect();
    let lines = outputs(senders);

    let requests = server.requests();
    assert_eq!(count(&requests, 130101), 0, "never throttled: {lines:?}");
    assert_eq!(server.received().len(), 60, "all 60 delivered: {lines:?}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("sent ")).count(), 60);
    let peak = busiest(&requests, RULE.per());
    assert!(peak <= 20, "{peak} requests in one 3-second window");
    let texts: HashSet<String> = server
        .received()
        .iter()
        .filter_map(|m| m.body().map(str::to_owned))
        .collect();
    assert_eq!(texts.len(), 60, "each message once");

    // 60 waiters did not hammer Redis: about one acquire per slot and one release per
    // send, plus each process' single waiter asking when a slot frees.
    let scripts = redis.scripts_run();
    assert!(
        scripts <= 400,
        "{scripts} scripts for 60 sends: waiters are polling"
    );
    println!("60 sends by 4 processes: {scripts} Redis scripts, busiest window {peak}");

    // What Redis holds: hashed names under one hash tag, with expiries, never the token.
    let keys = redis.command(&["KEYS", "*"]);
    let token = dingbot::mock::DEFAULT_TOKEN;
    assert!(!keys.contains(token), "{keys}");
    let keys: Vec<&str> = keys.lines().collect();
    assert_eq!(keys.len(), 2, "{keys:?}"); // sends and robot; no throttle
    let tag = keys[0].split('}').next().unwrap().to_owned() + "}";
    assert!(
        tag.starts_with("dingbot:{") && tag.len() == "dingbot:{}".len() + 64,
        "{tag}"
    );
    assert!(keys.iter().all(|k| k.starts_with(&tag)), "{keys:?}");
    let sends = format!("{tag}:sends");
    let ttl: i64 = redis.command(&["PTTL", &sends]).parse().unwrap();
    assert!(ttl > 0 && ttl <= 2_000 + WINDOW.as_millis() as i64, "{ttl}");
    for key in keys {
        let kind = redis.command(&["TYPE", key]);
        let dump = match kind.as_str() {
            "zset" => redis.command(&["ZRANGE", key, "0", "-1", "WITHSCORES"]),
            "hash" => redis.command(&["HGETALL", key]),
            _ => redis.command(&["GET", key]),
        };
        assert!(!dump.contains(token), "{key}: {dump}");
    }
}

#[test]
fn the_same_fleet_without_redis_is_throttled() {
    let server = emulator();
    let senders = (0..4).map(|id| sender(&server, None, id, &[])).collect();
    let lines = outputs(senders);
    let requests = server.requests();
    // Each process keeps to 20 per 3 s on its own; together they trip the throttle.
    assert!(count(&requests, 130101) > 0, "{lines:?}");
    assert!(server.received().len() < 60, "{lines:?}");
    assert!(server.throttled_until().is_some());
    println!(
        "without Redis: {} of 60 delivered, {} answered 130101",
        server.received().len(),
        count(&requests, 130101)
    );
}

#[test]
fn a_throttle_one_process_meets_stops_the_others_before_the_network() {
    let Some(redis) =
        Redis::start("a_throttle_one_process_meets_stops_the_others_before_the_network")
    else {
        return;
    };
    let server = emulator();
    server.throttle_now();
    let lines = outputs(vec![sender(&server, Some(&redis), 0, &["--count", "1"])]);
    assert_eq!(lines, ["throttled 130101"]);
    assert_eq!(server.requests().len(), 1);

    // The flag is in Redis for DingTalk's 10 minutes...
    let keys = redis.command(&["KEYS", "*:throttle"]);
    let ttl: i64 = redis.command(&["PTTL", keys.trim()]).parse().unwrap();
    assert!((590_000..=600_000).contains(&ttl), "{ttl}");
    // ...so other processes are held back without a request, and say for how long.
    let others = (1..3)
        .map(|id| sender(&server, Some(&redis), id, &["--count", "3", "--fail-fast"]))
        .collect();
    let lines = outputs(others);
    assert_eq!(lines.len(), 6);
    for line in &lines {
        let ms: u64 = line
            .strip_prefix("limited ")
            .and_then(|l| l.strip_suffix(" throttled=true"))
            .unwrap_or_else(|| panic!("{line}"))
            .parse()
            .unwrap();
        assert!(ms > 500_000, "{line}");
    }
    assert_eq!(server.requests().len(), 1, "no process touched the network");
}

#[test]
fn redis_killed_and_restarted_mid_run_loses_nothing_and_never_throttles() {
    let Some(mut redis) =
        Redis::start("redis_killed_and_restarted_mid_run_loses_nothing_and_never_throttles")
    else {
        return;
    };
    let server = emulator();
    let senders: Vec<Process> = (0..4)
        .map(|id| sender(&server, Some(&redis), id, &[]))
        .collect();
    let started = Instant::now();
    while server.received().len() < 10 {
        assert!(started.elapsed() < Duration::from_secs(30), "no sends");
        std::thread::sleep(Duration::from_millis(10));
    }
    redis.kill();
    std::thread::sleep(Duration::from_millis(1_500));
    // Back without its memory (persistence is off), as after a failover to an empty
    // replica.
    redis.restart();
    let restarted = Instant::now();
    let lines = outputs(senders);

    let requests = server.requests();
    assert_eq!(count(&requests, 130101), 0, "never throttled: {lines:?}");
    assert_eq!(server.received().len(), 60, "nothing lost: {lines:?}");
    assert!(busiest(&requests, RULE.per()) <= 20);
    // Redis, back without a record of the robot, granted no slot for a window.
    let first = requests
        .iter()
        .map(|r| r.at)
        .filter(|&at| at > restarted)
        .min()
        .expect("sends after the restart");
    assert!(
        first >= restarted + WINDOW - Duration::from_millis(50),
        "first send {:?} after the restart",
        first - restarted
    );
}

#[test]
fn the_sends_key_lost_mid_run_fences_the_window_and_never_throttles() {
    let Some(redis) =
        Redis::start("the_sends_key_lost_mid_run_fences_the_window_and_never_throttles")
    else {
        return;
    };
    let server = emulator();
    let senders: Vec<Process> = (0..4)
        .map(|id| sender(&server, Some(&redis), id, &[]))
        .collect();
    let started = Instant::now();
    while server.received().len() < 10 {
        assert!(started.elapsed() < Duration::from_secs(30), "no sends");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Only the log of sends goes (as an eviction would take it); the robot's record stays.
    let keys = redis.command(&["KEYS", "*:sends"]);
    let sends = keys.trim();
    assert!(sends.ends_with(":sends"), "{keys}");
    assert_eq!(redis.command(&["DEL", sends]), "1");
    let lines = outputs(senders);

    let requests = server.requests();
    assert_eq!(count(&requests, 130101), 0, "never throttled: {lines:?}");
    assert_eq!(server.received().len(), 60, "nothing lost: {lines:?}");
    let peak = busiest(&requests, RULE.per());
    assert!(peak <= 20, "{peak} requests in one 3-second window");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_for_one_token_with_another_rate_are_refused() {
    let Some(redis) = Redis::start("robots_for_one_token_with_another_rate_are_refused") else {
        return;
    };
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    // Another process sends at 20 per 3 s...
    let first = outputs(vec![sender(&server, Some(&redis), 0, &["--count", "3"])]);
    assert!(first.iter().all(|l| l.starts_with("sent ")), "{first:?}");

    // ...so this one, at 10 per 3 s through the same Redis, is refused before the network.
    let slower = Robot::builder(server.webhook_url())
        .redis_pacing(redis.url())
        .rate_limit(Rate::new(10, RULE.per()))
        .pacing_margin(MARGIN)
        .build()
        .unwrap();
    let err = slower.send(&Text::new("slower")).await.unwrap_err();
    assert!(matches!(err, Error::PacingConflict { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("20 per 3.5s") && text.contains("rate_limit"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 3);

    // In one process the conflict is caught when the robot is built.
    let again = Robot::builder(server.webhook_url())
        .redis_pacing(redis.url())
        .rate_limit(RULE)
        .pacing_margin(MARGIN)
        .build();
    assert!(
        matches!(again, Err(Error::PacingConflict { .. })),
        "{again:?}"
    );

    // Once the other rate's sends have left the window, the new rate takes over.
    tokio::time::sleep(WINDOW + Duration::from_millis(200)).await;
    slower.send(&Text::new("slower, later")).await.unwrap();
    assert_eq!(server.received().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_fails_fast_and_never_shows_its_password() {
    let password = "pw-Zq8sEcret";
    let Some(mut redis) = Redis::start_with(
        "an_unreachable_redis_fails_fast_and_never_shows_its_password",
        Some(password),
    ) else {
        return;
    };
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    let builder = |url: &str| {
        Robot::builder(server.webhook_url())
            .redis_pacing(url)
            .rate_limit(RULE)
            .pacing_margin(MARGIN)
            .pacing(Pacing::FailFast)
    };

    // A wrong password: Redis refuses, and the error says so without the password.
    let wrong = format!("redis://:not-{password}@127.0.0.1:{}", redis.port);
    let robot = builder(&wrong).build().unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::Redis { .. }), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}"), format!("{robot:?}")] {
        assert!(!shown.contains(password), "{shown}");
    }
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(err.to_string().contains(":***@"), "the URL, masked: {err}");
    drop(robot);

    // A URL that cannot be used (its port is out of range): the error quotes it, masked.
    let bad_port = format!("redis://:{password}@127.0.0.1:99999");
    let err = builder(&bad_port).build().unwrap_err();
    assert!(matches!(err, Error::Redis { .. }), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(password), "{shown}");
    }

    // The password in a query, on a socket that is not there: the failure names the
    // server by its URL, with the password masked.
    let socket = format!("redis+unix:///nonexistent/dingbot-redis.sock?db=0&pass={password}");
    let robot = builder(&socket).build().unwrap();
    let err = robot.send(&Text::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::Redis { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("dingbot-redis.sock"), "{text}");
    assert!(text.contains("pass=***"), "{text}");
    for shown in [text, format!("{err:?}"), format!("{robot:?}")] {
        assert!(!shown.contains(password), "{shown}");
    }
    drop(robot);

    // The right one: Redis answers (its first use fences the robot off for a window).
    let robot = builder(&redis.url()).build().unwrap();
    assert!(!format!("{robot:?}").contains(password));
    match robot.send(&Text::new("y")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: false,
        }) => assert!(retry_after <= WINDOW, "{retry_after:?}"),
        other => panic!("{other:?}"),
    }

    // Redis gone: fail fast, say what failed, send nothing.
    redis.kill();
    let err = robot.send(&Text::new("z")).await.unwrap_err();
    assert!(matches!(err, Error::Redis { .. }), "{err:?}");
    assert!(err.is_retryable());
    let text = err.to_string();
    assert!(text.contains("nothing was sent"), "{text}");
    for shown in [text, format!("{err:?}")] {
        assert!(!shown.contains(password), "{shown}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_digest_holds_its_events_through_a_redis_outage() {
    let Some(mut redis) = Redis::start("a_digest_holds_its_events_through_a_redis_outage") else {
        return;
    };
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    let robot = Robot::builder(server.webhook_url())
        .redis_pacing(redis.url())
        .rate_limit(RULE)
        .pacing_margin(MARGIN)
        .build()
        .unwrap();
    robot.send(&Text::new("before the outage")).await.unwrap();
    // The send's answer is told to Redis (settled) a moment later.
    tokio::time::sleep(Duration::from_millis(200)).await;

    redis.kill();
    let digest = robot.digest(DigestConfig::default()).unwrap();
    for i in 0..30 {
        digest.push(&Text::new(format!("event {i}"))).unwrap();
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(server.requests().len(), 1, "nothing sent without Redis");
    assert_eq!(digest.stats().held, 30);

    redis.restart();
    let stats = digest.close().await;
    assert_eq!(
        (stats.events, stats.failed, stats.undelivered),
        (30, 0, 0),
        "{stats:?}"
    );
    let requests = server.requests();
    assert_eq!(count(&requests, 130101), 0);
    let text: String = server
        .received()
        .iter()
        .map(|m| format!("{}\n", m.body().unwrap_or("")))
        .collect();
    for i in 0..30 {
        assert!(text.contains(&format!("event {i}\n")), "event {i} lost");
    }
}

#[test]
fn the_blocking_robot_paces_through_redis() {
    let Some(redis) = Redis::start("the_blocking_robot_paces_through_redis") else {
        return;
    };
    let server = emulator();
    let robot = dingbot::blocking::Robot::builder(server.webhook_url())
        .redis_pacing(redis.url())
        .rate_limit(Rate::new(2, RULE.per()))
        .pacing_margin(MARGIN)
        .build()
        .unwrap();
    let start = Instant::now();
    for i in 0..3 {
        robot.send(&Text::new(format!("b{i}"))).unwrap();
    }
    // The first slot after a window's fence, the third a window after the first.
    assert!(start.elapsed() >= WINDOW * 2, "{:?}", start.elapsed());
    assert_eq!(server.received().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_whose_answer_never_came_still_counts() {
    let Some(redis) = Redis::start("a_send_whose_answer_never_came_still_counts") else {
        return;
    };
    let two = Rate::new(2, RULE.per());
    let server = MockServer::builder().rate_limit(two).start().await.unwrap();
    let builder = || {
        Robot::builder(server.webhook_url())
            .redis_pacing(redis.url())
            .rate_limit(two)
            .pacing_margin(MARGIN)
            .timeout(Duration::from_millis(300))
            .retry(dingbot::RetryPolicy::default().max_attempts(1))
    };
    let robot = builder().build().unwrap();
    let fail_fast = builder().pacing(Pacing::FailFast).build().unwrap();
    // DingTalk takes the message but its answer comes too late: the outcome is unknown.
    server.inject(dingbot::mock::Fault::Delay(Duration::from_secs(1)), 1);
    let err = robot.send(&Text::new("slow")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    robot.send(&Text::new("second")).await.unwrap();
    // Two sends in the window, the unanswered one included: a third must wait.
    match fail_fast.send(&Text::new("third")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: false,
        }) => assert!(retry_after > Duration::from_secs(2), "{retry_after:?}"),
        other => panic!("{other:?}"),
    }
    robot.send(&Text::new("third, later")).await.unwrap();
    let requests = server.requests();
    assert_eq!(count(&requests, 130101), 0, "{requests:?}");
    assert_eq!(server.received().len(), 3);
}
