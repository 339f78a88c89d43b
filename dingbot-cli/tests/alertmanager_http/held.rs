//! Held messages and what a restart or an outage does to them: a SIGKILL loses none
//! (`hold_dir`), no `hold_dir` means no holding (503), and a resolved alert whose firing
//! message was given up on is not posted.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use dingbot::Rate;
use dingbot::mock::MockServer;

use crate::alertmanager_util::{Bridge, config_for, fresh_dir, metric, programs, texts, wait_for};
use crate::notification;
use serde_json::json;

async fn emulator(addr: SocketAddr, rate: Rate) -> MockServer {
    MockServer::builder()
        .listen(addr)
        .rate_limit(rate)
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_hold_dir_a_full_window_is_answered_503_and_nothing_is_held() {
    let dir = fresh_dir("no-hold");
    let rate = Rate::new(1, Duration::from_secs(60));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let bridge = Bridge::start(
        &dir,
        &config_for(&server, "", &format!("rate: {rate}\n")),
        &[],
    );
    let (status, body) = bridge.notify("ops", &notification("First", "f1")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("delivered")));
    let (status, body) = bridge.notify("ops", &notification("Second", "f2")).await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("hold_dir"),
        "{body}"
    );
    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(&metrics, "dingbot_alertmanager_held_messages", &[]),
        0.0,
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_messages_survive_a_sigkill_and_go_out_after_the_restart() {
    let dir = fresh_dir("held-kill");
    let rate = Rate::new(2, Duration::from_secs(4));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let config = config_for(&server, "", &format!("rate: {rate}\nhold_dir: held\n"));
    let port = programs::free_port();
    let mut bridge = Bridge::start_at(&dir, &config, &[], &[], port);
    for i in 0..5 {
        let (status, _) = bridge
            .notify("ops", &notification(&format!("Kept{i}"), &format!("k{i}")))
            .await;
        assert_eq!(status, 200);
    }
    // Three are held, on disk; the process dies before the window frees.
    bridge.signal("KILL");
    assert_eq!(bridge.exit_code(Duration::from_secs(10)).await, None);
    assert_eq!(texts(&server).len(), 2);
    let bridge = Bridge::start_at(&dir, &config, &[], &[], port);
    // It waits for the window DingTalk still counts, then sends what it held.
    let texts = wait_for(&server, "the held messages after the restart", |t| {
        let all = t.join("\n");
        (0..5).all(|i| all.contains(&format!("Kept{i} on db-1")))
    })
    .await;
    for i in 0..5 {
        let name = format!("Kept{i} on db-1");
        assert_eq!(
            texts.iter().filter(|t| t.contains(&name)).count(),
            1,
            "{name} exactly once: {texts:?}"
        );
    }
    let logs = bridge.logs();
    assert!(logs.contains("held=3"), "{logs}");
    assert!(
        logs.contains("sending nothing until that window has passed"),
        "{logs}"
    );
    assert!(
        server.requests().iter().all(|r| r.errcode == Some(0)),
        "the restart got the robot throttled: {:?}",
        server.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolved_alert_whose_firing_message_was_given_up_is_not_posted() {
    let dir = fresh_dir("held-untold");
    let addr: SocketAddr = format!("127.0.0.1:{}", programs::free_port())
        .parse()
        .unwrap();
    let rate = Rate::new(1, Duration::from_secs(2));
    let first = emulator(addr, rate).await;
    let bridge = Bridge::start(
        &dir,
        &config_for(
            &first,
            "",
            &format!("rate: {rate}\nhold_dir: held\nhold_for: 1s\n"),
        ),
        &[],
    );
    let (status, _) = bridge.notify("ops", &notification("Told", "t1")).await;
    assert_eq!(status, 200);
    let (status, body) = bridge.notify("ops", &notification("Untold", "u1")).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("held")));
    // DingTalk goes down before the window frees: the held message is given up.
    first.shutdown().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while metric(
        &bridge.metrics().await,
        "dingbot_alertmanager_held_messages_failed_total",
        &[],
    ) < 1.0
    {
        assert!(Instant::now() < deadline, "{}", bridge.logs());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let second = emulator(addr, rate).await;
    let resolve = |name: &str, fingerprint: &str| {
        let mut n = notification(name, fingerprint);
        n["status"] = "resolved".into();
        n["alerts"][0]["status"] = "resolved".into();
        n["alerts"][0]["endsAt"] = "2026-12-01T12:00:00Z".into();
        n
    };
    let (status, body) = bridge.notify("ops", &resolve("Untold", "u1")).await;
    assert_eq!(
        (status, body["messages"].as_u64()),
        (200, Some(0)),
        "{body}"
    );
    let (status, _) = bridge.notify("ops", &resolve("Told", "t1")).await;
    assert_eq!(status, 200);
    let texts = wait_for(&second, "the resolved message of Told", |t| !t.is_empty()).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("[RESOLVED] Told"), "{texts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_storm_reads_as_one_line_per_alert() {
    let dir = fresh_dir("held-storm");
    let rate = Rate::new(2, Duration::from_secs(4));
    let server = MockServer::builder()
        .rate_limit(rate)
        .start()
        .await
        .unwrap();
    let config = config_for(&server, "", &format!("rate: {rate}\nhold_dir: held\n"));
    let bridge = Bridge::start(&dir, &config, &[]);
    let storm = 40;
    for i in 0..storm {
        let mut n = notification("DiskFull", &format!("d{i}"));
        let host = format!("db-{i}");
        n["groupKey"] = format!("{{}}:{{instance=\"{host}\"}}").into();
        n["groupLabels"] = json!({"alertname": "DiskFull", "instance": host});
        n["alerts"][0]["labels"]["instance"] = host.clone().into();
        n["alerts"][0]["annotations"]["summary"] = format!("Disk full on {host}").into();
        let (status, body) = bridge.notify("ops", &n).await;
        assert_eq!(status, 200, "{body}");
    }
    // How often "Disk full on db-{i}" is in the group (db-1 is not db-10).
    let count = |texts: &[String], i: usize| {
        let name = format!("Disk full on db-{i}");
        let mut n = 0;
        for t in texts {
            for (at, _) in t.match_indices(&name) {
                if !t[at + name.len()..].starts_with(|c: char| c.is_ascii_digit()) {
                    n += 1;
                }
            }
        }
        n
    };
    wait_for(&server, "every alert of the storm", |t| {
        (0..storm).all(|i| count(t, i) >= 1)
    })
    .await;
    // A moment more: nothing comes twice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let texts = crate::alertmanager_util::texts(&server);
    for i in 0..storm {
        assert_eq!(count(&texts, i), 1, "db-{i}: {texts:?}");
    }
    // Two in full while the window had room, the first held one in full, then summaries
    // of one line an alert: a handful of messages, not forty.
    assert!(texts.len() <= 6, "{} messages: {texts:?}", texts.len());
    let summary = texts
        .iter()
        .max_by_key(|t| t.matches("🔥 Disk full on").count())
        .filter(|t| t.matches("🔥 Disk full on").count() > 10)
        .unwrap_or_else(|| panic!("no summary of many alerts: {texts:?}"));
    assert!(
        !summary.contains("**Summary**"),
        "alerts in full in the summary: {summary}"
    );
    assert!(
        server.requests().iter().all(|r| r.errcode == Some(0)),
        "{:?}",
        server.requests()
    );
}
