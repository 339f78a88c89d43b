//! A mention from alert data that is no DingTalk id never blocks the group: it is shown
//! as text, counted and logged once; the rest of the message, the critical alert in it,
//! and the valid mentions are delivered. A thousand mentions are answered in seconds.

use std::time::Duration;

use dingbot::mock::MockServer;
use serde_json::json;

use crate::alertmanager_util::{self, Bridge, config_for, fresh_dir, metric, wait_for};
use crate::{alert, notification};

/// What the finding's attacker put in `dingtalk_at`, each making every message of its
/// group invalid before.
fn bad_values() -> Vec<String> {
    vec![
        "oncall@example.com".into(),
        "13900000002 (oncall)".into(),
        "o'brien".into(),
        "_x".into(),
        "a:b".into(),
        "y".repeat(65),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_mention_is_shown_as_text_and_the_critical_alert_still_arrives() {
    let dir = fresh_dir("bad-mentions");
    let server = MockServer::start().await.unwrap();
    let config = config_for(
        &server,
        "    mention:\n      mobiles: ['13800000000']\n",
        "",
    );
    let bridge = Bridge::start(&dir, &config, &[]);

    let mut alerts: Vec<_> = bad_values()
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            alert(
                "Mixed",
                i,
                json!({"dingtalk_at": value, "severity": "warning"}),
            )
        })
        .collect();
    alerts.push(alert(
        "Mixed",
        99,
        json!({"dingtalk_at": "13900000001", "severity": "critical"}),
    ));
    let (status, body) = bridge.notify("ops", &notification("Mixed", alerts)).await;
    assert_eq!(status, 200, "{body}\n{}", bridge.logs());

    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0];
    let at = message.at().expect("a markdown message");
    // The target's own first, then the alerts', in order.
    assert_eq!(
        at.get_mobiles(),
        ["13800000000", "13900000002", "13900000001"]
    );
    assert!(at.get_user_ids().is_empty(), "{at:?}");
    let body = message.body().unwrap();
    assert!(body.contains("Mixed on db-99"), "{body}");
    assert!(
        body.contains("Not mentioned, not a mobile number or user id: ")
            && body.contains("o'brien")
            && body.contains("(oncall)")
            && body.contains("a:b"),
        "{body}"
    );

    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_mentions_dropped_total",
            &["target=\"ops\"", "reason=\"invalid\""]
        ),
        6.0,
        "{metrics}"
    );

    // The same values again, in another group: counted again, logged once.
    let again = vec![alert(
        "Again",
        1,
        json!({"dingtalk_at": "o'brien a:b 13900000003"}),
    )];
    let (status, _) = bridge.notify("ops", &notification("Again", again)).await;
    assert_eq!(status, 200);
    wait_for(&server, "the second group", |texts| texts.len() == 2).await;
    let logs = bridge.logs();
    let lines = |value: &str| {
        logs.lines()
            .filter(|l| l.contains("not a mobile number or user id") && l.contains(value))
            .count()
    };
    assert_eq!(lines("o'brien"), 1, "{logs}");
    assert_eq!(lines("a:b"), 1, "{logs}");
    assert_eq!(lines("_x"), 1, "{logs}");
    let metrics = bridge.metrics().await;
    assert_eq!(
        metric(
            &metrics,
            "dingbot_alertmanager_mentions_dropped_total",
            &["reason=\"invalid\""]
        ),
        8.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_mentions_are_answered_in_seconds_and_delivered() {
    let dir = fresh_dir("many-mentions");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", "rate: 1000/1m\n"), &[]);
    let alerts: Vec<_> = (0..1_000)
        .map(|i| alert("Crowd", i, json!({"dingtalk_at": format!("139{i:08}")})))
        .collect();
    let answer = alertmanager_util::http()
        .post(bridge.url("/dingtalk/ops/send"))
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(20))
        .body(serde_json::to_vec(&notification("Crowd", alerts)).unwrap())
        .send()
        .await
        .expect("answered within 20 s");
    assert_eq!(answer.status(), 200);
    let texts = wait_for(&server, "the group's messages", |texts| {
        texts.iter().any(|t| t.contains("Crowd on db-999"))
    })
    .await;
    assert!(
        texts.iter().all(|t| t.starts_with("[FIRING:1000] Crowd")),
        "{texts:?}"
    );
    for message in server.received() {
        let at = message.at().expect("a markdown message");
        assert_eq!(at.get_mobiles().len(), 50, "{at:?}");
    }
    let metrics = bridge.metrics().await;
    assert!(
        metric(
            &metrics,
            "dingbot_alertmanager_mentions_dropped_total",
            &["reason=\"over_cap\""]
        ) >= 950.0,
        "{metrics}"
    );
}
