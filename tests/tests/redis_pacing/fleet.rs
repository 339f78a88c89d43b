//! Separate processes sharing one window through Redis: never throttled, through a
//! throttle, a restart and a lost key.

use super::*;

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
