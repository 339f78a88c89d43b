//! The drain on SIGTERM: what is held is delivered, and what cannot be is logged.

use std::time::Duration;

use dingbot::Rate;
use dingbot::mock::MockServer;

use crate::alertmanager_util::{Bridge, config_for, fresh_dir, texts, wait_for};
use crate::notification;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_delivers_what_is_held_and_logs_what_it_could_not() {
    let dir = fresh_dir("drain");
    // Two messages per 3 s: the third notification is held.
    let rate = Rate::new(2, Duration::from_secs(3));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let mut bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\ndrain_timeout: 20s\n")),
        &[],
    );
    let mut outcomes = Vec::new();
    for i in 0..5 {
        let (status, body) = bridge
            .notify("ops", &notification(&format!("Held{i}"), &format!("h{i}")))
            .await;
        assert_eq!(status, 200, "{body}");
        outcomes.push(body["status"].as_str().unwrap_or("").to_owned());
    }
    assert_eq!(outcomes, ["delivered", "delivered", "held", "held", "held"]);
    bridge.signal("TERM");
    assert_eq!(
        bridge.exit_code(Duration::from_secs(30)).await,
        Some(0),
        "{}",
        bridge.logs()
    );
    let all = texts(&server).join("\n");
    for i in 0..5 {
        assert!(
            all.contains(&format!("Held{i} on db-1")),
            "Held{i} not delivered:\n{all}"
        );
    }
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
    assert!(
        bridge.logs().contains("everything held was delivered"),
        "{}",
        bridge.logs()
    );

    // A window that will not open before the drain ends: what is left is logged.
    let dir = fresh_dir("drain-short");
    let rate = Rate::new(1, Duration::from_secs(120));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let mut bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\ndrain_timeout: 1s\n")),
        &[],
    );
    for i in 0..3 {
        let (status, _) = bridge
            .notify("ops", &notification(&format!("Stuck{i}"), &format!("s{i}")))
            .await;
        assert_eq!(status, 200);
    }
    bridge.signal("TERM");
    assert_eq!(bridge.exit_code(Duration::from_secs(20)).await, Some(0));
    let logs = bridge.logs();
    assert!(
        logs.contains("could not deliver every held message"),
        "{logs}"
    );
    assert!(logs.contains("undelivered=2"), "{logs}");
    assert!(
        logs.contains("[FIRING:1] Stuck1 | [FIRING:1] Stuck2"),
        "the log names what was held: {logs}"
    );
    wait_for(&server, "the one message the window allowed", |t| {
        t.len() == 1
    })
    .await;
}
