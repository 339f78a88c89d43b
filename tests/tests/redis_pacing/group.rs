//! A group of robots paced through Redis: each robot keeps its own window there, and a
//! burst three robots can carry goes out at once, never throttled.

use dingbot::RobotGroup;

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_paces_each_robot_in_redis() {
    let Some(redis) = Redis::start("a_group_paces_each_robot_in_redis") else {
        return;
    };
    let mut servers = Vec::new();
    let mut robots = Vec::new();
    for i in 0..3 {
        let server = MockServer::builder()
            .token(format!("redis-group-{i}"))
            .rate_limit(RULE)
            .start()
            .await
            .unwrap();
        robots.push(
            Robot::builder(server.webhook_url())
                .redis_pacing(redis.url())
                .rate_limit(RULE)
                .pacing_margin(MARGIN)
                .build()
                .unwrap(),
        );
        servers.push(server);
    }
    let group = RobotGroup::new(robots).unwrap();
    // A Redis this young fences each robot for a window before its first slot (it may
    // have lost sends of the last window): one send each, then a window's wait.
    let mut warm_up = tokio::task::JoinSet::new();
    for robot in group.robots() {
        let robot = robot.clone();
        warm_up.spawn(async move { robot.send(&Text::new("warm-up")).await });
    }
    while let Some(sent) = warm_up.join_next().await {
        sent.unwrap().unwrap();
    }
    tokio::time::sleep(WINDOW + Duration::from_millis(200)).await;
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let group = group.clone();
        tasks.spawn(async move { group.send(&Text::new(format!("burst {i}"))).await });
    }
    while let Some(sent) = tasks.join_next().await {
        sent.unwrap().unwrap();
    }
    assert!(
        start.elapsed() < RULE.per(),
        "60 through three robots within one window: {:?}",
        start.elapsed()
    );
    for server in &servers {
        let codes: HashSet<Option<i64>> = server.requests().iter().map(|r| r.errcode).collect();
        assert_eq!(codes, HashSet::from([Some(0)]), "never throttled");
        assert_eq!(
            server.received().len(),
            21,
            "the warm-up and 20 of the burst"
        );
    }
    // One window per robot in Redis.
    let keys = redis.command(&["KEYS", "dingbot:*:sends"]);
    assert_eq!(keys.lines().count(), 3, "{keys}");
    // The 61st waits for a window to free, and goes out through that robot.
    group.send(&Text::new("one more")).await.unwrap();
    assert!(start.elapsed() >= RULE.per(), "{:?}", start.elapsed());
    let total: usize = servers.iter().map(|s| s.received().len()).sum();
    assert_eq!(total, 64);
}
