//! Bad state in Redis repaired, not obeyed: a key of the wrong type, a fence, score or
//! throttle no run of dingbot could have written (as a backward step of Redis' clock
//! would leave them). Each is repaired by the acquire script, logged with the key's
//! name, and sending goes on within a bounded time.

use std::sync::Arc;

use super::*;

/// Warnings of the test's thread, in a file of its own.
struct Log(PathBuf);

impl Log {
    fn start(name: &str) -> (Log, tracing::subscriber::DefaultGuard) {
        let path =
            std::env::temp_dir().join(format!("dingbot-redis-{name}-{}.log", std::process::id()));
        let file = Arc::new(std::fs::File::create(&path).unwrap());
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(file)
            .finish();
        (Log(path), tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.0).unwrap()
    }
}

impl Drop for Log {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The robot's key prefix, `dingbot:{<hash>}`, once it has a record.
fn tag(redis: &Redis) -> String {
    let keys = redis.command(&["KEYS", "dingbot:*:robot"]);
    let key = keys.lines().next().expect("the robot's record");
    key.strip_suffix(":robot").unwrap().to_owned()
}

/// Redis' clock, in ms.
fn redis_now(redis: &Redis) -> u64 {
    let time = redis.command(&["TIME"]);
    let mut parts = time.lines().map(|p| p.parse::<u64>().unwrap());
    let (secs, micros) = (parts.next().unwrap(), parts.next().unwrap());
    secs * 1000 + micros / 1000
}

/// A robot paced through `redis` at `rate` (1 s timeout).
fn robot(server: &MockServer, url: &str, rate: Rate) -> Robot {
    Robot::builder(server.webhook_url())
        .redis_pacing(url)
        .rate_limit(rate)
        .pacing_margin(MARGIN)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap()
}

/// Sends, and must be done within `bound`.
async fn send_within(robot: &Robot, text: &str, bound: Duration) {
    let sent = tokio::time::timeout(bound, robot.send(&Text::new(text)))
        .await
        .unwrap_or_else(|_| panic!("{text}: still waiting after {bound:?}"));
    sent.unwrap_or_else(|err| panic!("{text}: {err}"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_key_of_the_wrong_type_is_deleted_and_sending_goes_on() {
    let password = "pw-heal-W7q";
    let Some(redis) = Redis::start_with(
        "a_key_of_the_wrong_type_is_deleted_and_sending_goes_on",
        Some(password),
    ) else {
        return;
    };
    let (log, _guard) = Log::start("wrong-type");
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    let robot = robot(&server, &redis.url(), RULE);
    send_within(&robot, "first", WINDOW * 3).await;
    let tag = tag(&redis);

    // Each key, holding what dingbot never writes there (the throttle, a list that would
    // hold the robot for years).
    let wrong: [(&str, &[&str], &str); 3] = [
        ("sends", &["SET", "{key}", "x"], "zset"),
        ("robot", &["SET", "{key}", "x"], "hash"),
        ("throttle", &["RPUSH", "{key}", "x"], "string"),
    ];
    for (name, command, kind) in wrong {
        let key = format!("{tag}:{name}");
        redis.command(&["DEL", &key]);
        let command: Vec<&str> = command
            .iter()
            .map(|&a| if a == "{key}" { key.as_str() } else { a })
            .collect();
        redis.command(&command);
        redis.command(&["PEXPIRE", &key, "1000000000000"]);
        // At most a window's fence (the sends key gone within the window), never for ever.
        send_within(&robot, &format!("after a wrong {name}"), WINDOW * 3).await;
        let now = redis.command(&["TYPE", &key]);
        assert!(now == kind || now == "none", "{key}: {now}");
    }
    assert_eq!(server.received().len(), 4);
    assert_eq!(count(&server.requests(), 130101), 0);

    let text = log.text();
    for name in ["sends", "robot", "throttle"] {
        let key = format!("{tag}:{name}");
        assert!(
            text.lines()
                .any(|l| l.contains("WARN") && l.contains("repaired") && l.contains(&key)),
            "{key} not reported: {text}"
        );
    }
    assert!(!text.contains(password), "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn far_future_fences_scores_and_throttles_are_clamped() {
    let Some(redis) = Redis::start("far_future_fences_scores_and_throttles_are_clamped") else {
        return;
    };
    let (log, _guard) = Log::start("far-future");
    let two = Rate::new(2, RULE.per());
    let server = MockServer::builder().rate_limit(two).start().await.unwrap();
    let robot = robot(&server, &redis.url(), two);
    send_within(&robot, "first", WINDOW * 3).await;
    let tag = tag(&redis);
    let (robot_key, sends, throttle) = (
        format!("{tag}:robot"),
        format!("{tag}:sends"),
        format!("{tag}:throttle"),
    );
    // 1e12 ms is about 32 years.
    let far = (redis_now(&redis) + 1_000_000_000_000).to_string();

    // A fence 32 years ahead: held for one window at most.
    redis.command(&["HSET", &robot_key, "fence", &far]);
    let start = Instant::now();
    send_within(&robot, "after a far fence", WINDOW * 3).await;
    println!("a far fence held the send {:?}", start.elapsed());

    // The window filled with sends scored 32 years ahead: they count as in flight now,
    // so a slot frees a window after their latest possible answer.
    tokio::time::sleep(WINDOW).await;
    redis.command(&["ZADD", &sends, &far, "ghost-a", &far, "ghost-b"]);
    let start = Instant::now();
    send_within(&robot, "after far scores", WINDOW * 3).await;
    println!("far scores held the send {:?}", start.elapsed());
    let scores = redis.command(&["ZRANGE", &sends, "0", "-1", "WITHSCORES"]);
    let now = redis_now(&redis);
    for score in scores.lines().skip(1).step_by(2) {
        let score: f64 = score.parse().unwrap();
        assert!(score < (now + 10_000) as f64, "{scores}");
    }

    // A throttle of 32 years: DingTalk's is 10 minutes, so it is cut to 10 minutes.
    redis.command(&["SET", &throttle, "130101", "PX", "1000000000000"]);
    let fail_fast = Robot::builder(server.webhook_url())
        .redis_pacing(redis.url())
        .rate_limit(two)
        .pacing_margin(MARGIN)
        .timeout(Duration::from_secs(1))
        .pacing(Pacing::FailFast)
        .build()
        .unwrap();
    match fail_fast.send(&Text::new("throttled")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: true,
        }) => assert!(retry_after <= Duration::from_secs(600), "{retry_after:?}"),
        other => panic!("{other:?}"),
    }
    let ttl: i64 = redis.command(&["PTTL", &throttle]).parse().unwrap();
    assert!((1..=600_000).contains(&ttl), "{ttl}");

    let text = log.text();
    for key in [&robot_key, &sends, &throttle] {
        assert!(
            text.lines()
                .any(|l| l.contains("WARN") && l.contains("repaired") && l.contains(key.as_str())),
            "{key} not reported: {text}"
        );
    }
    assert_eq!(count(&server.requests(), 130101), 0);
}
