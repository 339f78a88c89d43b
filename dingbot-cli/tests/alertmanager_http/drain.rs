//! The drain on SIGTERM: what is held is delivered, and what cannot be is logged; the
//! listener answers through it, `/-/ready` with 503.

use std::time::{Duration, Instant};

use dingbot::Rate;
use dingbot::mock::MockServer;

use crate::alertmanager_util::{self, Bridge, config_for, fresh_dir, metric, texts, wait_for};
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
        &config_for(
            &server,
            "",
            &format!("rate: {rate}\ndrain_timeout: 20s\nhold_dir: held\n"),
        ),
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
        &config_for(
            &server,
            "",
            &format!("rate: {rate}\ndrain_timeout: 1s\nhold_dir: held\n"),
        ),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listener_answers_through_the_drain_ready_503() {
    // A window that will not open before the drain ends: the drain lasts its timeout.
    let dir = fresh_dir("drain-ready");
    let rate = Rate::new(1, Duration::from_secs(120));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let mut bridge = Bridge::start(
        &dir,
        &config_for(
            &server,
            "",
            &format!("rate: {rate}\ndrain_timeout: 5s\nhold_dir: held\n"),
        ),
        &[],
    );
    for i in 0..2 {
        let (status, _) = bridge
            .notify("ops", &notification(&format!("Held{i}"), &format!("r{i}")))
            .await;
        assert_eq!(status, 200);
    }
    let http = alertmanager_util::http();
    bridge.signal("TERM");
    // Ready until the signal is handled, then 503 while the held message waits; never a
    // closed port.
    let deadline = Instant::now() + Duration::from_secs(4);
    loop {
        match http.get(bridge.url("/-/ready")).send().await {
            Ok(answer) if answer.status() == 503 => {
                assert_eq!(answer.text().await.unwrap(), "shutting down");
                break;
            }
            Ok(answer) => assert_eq!(answer.status(), 200),
            Err(err) => panic!(
                "/-/ready is gone during the drain: {err}\n{}",
                bridge.logs()
            ),
        }
        assert!(
            Instant::now() < deadline,
            "/-/ready never answered 503:\n{}",
            bridge.logs()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The rest answers as usual, and a new notification is refused for Alertmanager to
    // send again.
    let healthy = http.get(bridge.url("/-/healthy")).send().await.unwrap();
    assert_eq!(healthy.status(), 200);
    let metrics = bridge.metrics().await;
    assert!(
        metric(
            &metrics,
            "dingbot_alertmanager_notifications_received_total",
            &[]
        ) >= 2.0,
        "{metrics}"
    );
    let (status, body) = bridge.notify("ops", &notification("Late", "late")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "shutting down");
    assert!(
        bridge.process.child_mut().try_wait().unwrap().is_none(),
        "still draining"
    );
    // Then the drain ends and the process with it.
    assert_eq!(bridge.exit_code(Duration::from_secs(20)).await, Some(0));
    assert!(
        bridge
            .logs()
            .contains("could not deliver every held message"),
        "{}",
        bridge.logs()
    );
    assert!(http.get(bridge.url("/-/ready")).send().await.is_err());
}
