//! How long a Redis-paced send waits: refused credentials fail at once whatever the
//! policy, a bounded wait fails with the reason at its bound, and a robot Redis has
//! never seen is granted at once unless Redis itself is new.

use super::*;

/// A robot for `server` paced through `url` (1 s timeout) with `policy`.
fn robot(server: &MockServer, url: &str, policy: Pacing) -> Robot {
    Robot::builder(server.webhook_url())
        .redis_pacing(url)
        .rate_limit(RULE)
        .pacing_margin(MARGIN)
        .timeout(Duration::from_secs(1))
        .pacing(policy)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_fail_at_once_whatever_the_policy() {
    let password = "pw-Kx3refused";
    let Some(redis) = Redis::start_with(
        "refused_credentials_fail_at_once_whatever_the_policy",
        Some(password),
    ) else {
        return;
    };
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    let wrong = format!("redis://:not-{password}@127.0.0.1:{}", redis.port);
    let none = format!("redis://127.0.0.1:{}", redis.port);
    for (url, policy) in [
        (&wrong, Pacing::FailFast),
        (&wrong, Pacing::Wait),
        (&wrong, Pacing::WaitAtMost(Duration::from_secs(60))),
        (&none, Pacing::Wait),
    ] {
        let robot = robot(&server, url, policy);
        let start = Instant::now();
        let sent = tokio::time::timeout(Duration::from_secs(5), robot.send(&Text::new("x")))
            .await
            .unwrap_or_else(|_| panic!("{policy:?}: still waiting on refused credentials"));
        let err = sent.unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{policy:?}: {:?}",
            start.elapsed()
        );
        assert!(matches!(err, Error::Redis { .. }), "{err:?}");
        assert!(!err.is_retryable(), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("refused the credentials"), "{text}");
        assert!(text.contains("127.0.0.1"), "{text}");
        if url == &wrong {
            assert!(text.contains(":***@"), "the URL, masked: {text}");
        }
        for shown in [text, format!("{err:?}"), format!("{robot:?}")] {
            assert!(!shown.contains(password), "{shown}");
        }
    }
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bounded_wait_fails_with_its_reason_at_the_bound() {
    let Some(mut redis) = Redis::start("a_bounded_wait_fails_with_its_reason_at_the_bound") else {
        return;
    };
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    let bound = Duration::from_millis(800);
    let robot = robot(&server, &redis.url(), Pacing::WaitAtMost(bound));
    assert_eq!(robot.pacing(), Pacing::WaitAtMost(bound));

    // A Redis started a moment ago may have lost sends: the robot is fenced for a
    // window, longer than the bound.
    let start = Instant::now();
    match robot.send(&Text::new("fenced")).await {
        Err(Error::RateLimited {
            retry_after,
            throttled: false,
        }) => assert!(
            retry_after > Duration::ZERO && retry_after < WINDOW,
            "{retry_after:?}"
        ),
        other => panic!("{other:?}"),
    }
    let took = start.elapsed();
    assert!(took >= bound && took < bound * 3, "{took:?}");

    // Redis gone: the bound ends the wait with what failed.
    redis.kill();
    let start = Instant::now();
    let err = robot.send(&Text::new("no Redis")).await.unwrap_err();
    assert!(matches!(err, Error::Redis { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    let took = start.elapsed();
    assert!(took >= bound && took < bound * 4, "{took:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_robot_on_a_long_running_redis_sends_at_once_and_a_restart_still_fences() {
    let Some(mut redis) = Redis::start(
        "a_fresh_robot_on_a_long_running_redis_sends_at_once_and_a_restart_still_fences",
    ) else {
        return;
    };
    let server = MockServer::builder()
        .rate_limit(RULE)
        .start()
        .await
        .unwrap();
    // "Up for longer than the window": the window is 3.5 s here, and a send may be in
    // flight for its 1 s timeout; Redis counts its uptime in whole seconds.
    let uptime = || -> u64 {
        let info = redis.command(&["INFO", "server"]);
        info.lines()
            .find_map(|l| l.strip_prefix("uptime_in_seconds:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    while uptime() * 1000 < (WINDOW + Duration::from_secs(1)).as_millis() as u64 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let robot = robot(&server, &redis.url(), Pacing::Wait);
    let start = Instant::now();
    robot
        .send(&Text::new("first of a fresh deploy"))
        .await
        .unwrap();
    let first = start.elapsed();
    println!("first message on a Redis up {} s: {first:?}", uptime());
    assert!(first < Duration::from_secs(1), "{first:?}");

    // Redis restarts without its memory (as after a failover to an empty replica): the
    // robot's sends of the last window are unknown to it, so it fences for a window.
    redis.kill();
    redis.restart();
    let restarted = Instant::now();
    robot.send(&Text::new("after the restart")).await.unwrap();
    let held = restarted.elapsed();
    assert!(held >= WINDOW - Duration::from_millis(50), "{held:?}");
    assert_eq!(server.received().len(), 2);
    assert_eq!(count(&server.requests(), 130101), 0);
}
