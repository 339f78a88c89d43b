//! The bridge's contract through faults, with a real Alertmanager: DingTalk (the
//! emulator) down for longer than a digest once kept trying, and the bridge killed with
//! SIGKILL and started again while it holds messages. Every alert Alertmanager sent
//! reaches the group exactly once.

mod alertmanager_util;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use alertmanager_util::{Alertmanager, Bridge, fresh_dir, metric, programs::free_port, texts};
use dingbot::Rate;
use dingbot::mock::MockServer;
use serde_json::json;

/// Longer than the six rounds of back-off (2 s to 64 s, about two and a half minutes
/// with the robot's own retries) after which held messages used to be given up.
const OUTAGE: Duration = Duration::from_secs(165);

/// 10 messages per 20 s: a burst of 15 leaves 5 held for a while.
fn rate() -> Rate {
    Rate::new(10, Duration::from_secs(20))
}

async fn emulator(addr: SocketAddr) -> MockServer {
    MockServer::builder()
        .listen(addr)
        .rate_limit(rate())
        .start()
        .await
        .expect("the emulator starts on its port")
}

/// Alert `i`: a group of its own (grouped by alertname), firing for the next hour.
fn alert(i: usize) -> serde_json::Value {
    let now = jiff::Timestamp::now();
    json!({
        "labels": {"alertname": format!("Outage{i:02}"), "severity": "critical"},
        "annotations": {"summary": format!("service {i:02} is down")},
        "startsAt": (now - jiff::SignedDuration::from_secs(60)).to_string(),
        "endsAt": (now + jiff::SignedDuration::from_secs(3600)).to_string(),
    })
}

/// How many notifications the bridge holds on disk.
fn held(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("held/target-ops"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "held"))
        })
        .count()
}

/// How many times each alert's summary appears in `texts`.
fn counts(texts: &[String], alerts: std::ops::Range<usize>) -> BTreeMap<usize, usize> {
    alerts
        .map(|i| {
            let marker = format!("service {i:02} is down");
            (i, texts.iter().map(|t| t.matches(&marker).count()).sum())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_and_a_sigkill_lose_nothing_acknowledged_and_post_nothing_twice() {
    let test = "an_outage_and_a_sigkill_lose_nothing_acknowledged_and_post_nothing_twice";
    let dir = fresh_dir("outage-kill");
    let dingtalk: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let first = emulator(dingtalk).await;
    let config = format!(
        "targets:\n  ops:\n    url: {}\nrate: {}\nhold_dir: held\n",
        first.webhook_url(),
        rate()
    );
    let port = free_port();
    let mut bridge = Bridge::start_at(&dir, &config, &[], &[], port);
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &bridge.url("/dingtalk/ops/send"),
        &["alertname"],
    ) else {
        return;
    };

    // 15 groups: 10 go out at once, 5 are held for the next window, on disk.
    am.post(&json!((0..15).map(alert).collect::<Vec<_>>()))
        .await;
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let metrics = bridge.metrics().await;
        let taken = |outcome: &str| {
            metric(
                &metrics,
                "dingbot_alertmanager_notifications_total",
                &[&format!("outcome=\"{outcome}\"")],
            )
        };
        if taken("delivered") + taken("held") >= 15.0 && taken("held") > 0.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the burst was not taken: {metrics}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(held(&dir) > 0, "the held notifications are on disk");

    // DingTalk goes down, and the bridge is killed while it holds messages.
    first.shutdown().await;
    let before_outage = texts(&first);
    assert_eq!(
        before_outage.len(),
        10,
        "the window's worth went out at once"
    );
    bridge.signal("KILL");
    assert_eq!(bridge.exit_code(Duration::from_secs(10)).await, None);
    let outage_began = Instant::now();
    let mut bridge = Bridge::start_at(&dir, &config, &[], &[], port);
    // More alerts while DingTalk is down. The first of them may still be held (on disk)
    // before the bridge learns DingTalk is failing; once it knows, new ones are answered
    // 503 and Alertmanager keeps sending them until they are taken.
    am.post(&json!((15..25).map(alert).collect::<Vec<_>>()))
        .await;
    tokio::time::sleep(Duration::from_secs(60)).await;
    am.post(&json!((25..30).map(alert).collect::<Vec<_>>()))
        .await;
    tokio::time::sleep(OUTAGE.saturating_sub(outage_began.elapsed())).await;
    let metrics = bridge.metrics().await;
    assert!(
        metric(
            &metrics,
            "dingbot_alertmanager_notifications_total",
            &["outcome=\"retry\""]
        ) > 0.0,
        "while DingTalk is down new notifications are answered 503: {metrics}\n{}",
        bridge.logs()
    );
    assert!(
        bridge
            .logs()
            .contains("holding again the messages kept in hold_dir"),
        "{}",
        bridge.logs()
    );

    // DingTalk is back, on the same address.
    let second = emulator(dingtalk).await;
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let mut all = before_outage.clone();
        all.extend(texts(&second));
        let seen = counts(&all, 0..30);
        if seen.values().all(|&n| n >= 1) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not every alert arrived after the outage: {seen:?}\n{}",
            bridge.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A moment more: whatever Alertmanager or the digest still retries posts nothing twice.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut all = before_outage;
    all.extend(texts(&second));
    let seen = counts(&all, 0..30);
    assert!(
        seen.values().all(|&n| n == 1),
        "each alert exactly once: {seen:?}"
    );
    assert!(
        second.requests().iter().all(|r| r.errcode == Some(0)),
        "{:?}",
        second.requests()
    );
    bridge.signal("TERM");
    assert_eq!(bridge.exit_code(Duration::from_secs(30)).await, Some(0));
    assert_eq!(
        held(&dir),
        0,
        "everything held was delivered and removed from disk"
    );
}
