//! App robots on Redis pacing: the app's window outlives the robot that filled it,
//! because it is in Redis, not in the process.

use super::*;
use dingbot::AppRobot;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_robots_window_is_shared_through_redis() {
    let Some(redis) = Redis::start("an_app_robots_window_is_shared_through_redis") else {
        return;
    };
    let server = MockServer::builder()
        .app("dingredis", "redis-app-secret", "dingredis-robot")
        .app_rate_limit(None)
        .start()
        .await
        .unwrap();
    let rate = Rate::new(2, Duration::from_secs(3));
    let robot = |pacing| {
        AppRobot::builder("dingredis", "redis-app-secret", "dingredis-robot")
            .openapi_url(server.base_url())
            .redis_pacing(redis.url())
            .rate_limit(rate)
            .timeout(Duration::from_secs(1))
            .pacing(pacing)
            .build()
            .unwrap()
    };
    // Waits out the fence a freshly started Redis puts up, then fills the window.
    let first = robot(Pacing::Wait);
    first.send_to_group("cid", &Text::new("one")).await.unwrap();
    first.send_to_group("cid", &Text::new("two")).await.unwrap();
    drop(first);
    // A robot built afresh (as another process would) finds the window full in Redis.
    let second = robot(Pacing::FailFast);
    let err = second
        .send_to_group("cid", &Text::new("three"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                throttled: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.app_messages().len(), 2);
}
