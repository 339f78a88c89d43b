//! Robots in this process on Redis pacing: refused rates, an unreachable Redis, a
//! digest through an outage, the blocking robot, a send whose answer never came.

use super::*;

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

    // The right one: Redis answers (started a moment ago, it may have lost sends of the
    // last window, so it fences the robot off for one).
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
    // The first slot after a window's fence (Redis is younger than a window), the
    // third a window after the first.
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
