//! `dingbot alertmanager`, started as the built binary, shows an alert group as a group:
//! the labels every alert has once under the title, each alert's own labels on its own
//! line (never a sub-list DingTalk could show as sibling bullets). Once as Alertmanager
//! posts it, and once behind a real Alertmanager (skipped when it is not installed,
//! failed under CI=true).

mod alertmanager_util;

use alertmanager_util::{Alertmanager, Bridge, alert, config_for, fresh_dir, wait_for};
use dingbot::mock::MockServer;
use serde_json::json;

/// The lines of a message that are alerts.
fn alert_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("- 🔥")).collect()
}

/// What both tests check of the checkout group's firing message.
fn assert_a_group(text: &str, instances: &[&str]) {
    assert_eq!(
        text.matches("service=checkout").count(),
        1,
        "the common label once:\n{text}"
    );
    assert!(
        text.contains("**Labels**: job=api · service=checkout"),
        "{text}"
    );
    let lines = alert_lines(text);
    assert_eq!(lines.len(), instances.len(), "{text}");
    for instance in instances {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!("orders failing on {instance}")))
            .unwrap_or_else(|| panic!("no line for {instance}:\n{text}"));
        assert!(
            line.contains(&format!(" · instance={instance}:9100 · ")),
            "{line}"
        );
        assert!(!line.contains("service="), "{line}");
    }
    assert!(
        !text
            .lines()
            .any(|l| l.trim_start().starts_with("- ") && !l.starts_with("- 🔥")),
        "a sub-list:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_posted_group_shows_its_common_labels_once_and_each_alerts_on_its_line() {
    let dir = fresh_dir("labels-posted");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let common = json!({"alertname": "OrderFailed", "service": "checkout", "job": "api", "severity": "critical"});
    let alerts: Vec<_> = ["api-1", "api-2", "api-3"]
        .iter()
        .enumerate()
        .map(|(i, instance)| {
            let mut labels = common.clone();
            labels["instance"] = format!("{instance}:9100").into();
            json!({
                "status": "firing",
                "labels": labels,
                "annotations": {"summary": format!("orders failing on {instance}")},
                "startsAt": "2026-12-01T11:44:54Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus.example:9090/graph",
                "fingerprint": format!("fp{i}")
            })
        })
        .collect();
    let notification = json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"OrderFailed\"}",
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "dingtalk",
        "groupLabels": {"alertname": "OrderFailed"},
        "commonLabels": common,
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": alerts
    });
    let (status, answer) = bridge.notify("ops", &notification).await;
    assert_eq!(status, 200, "{answer}");
    let texts = wait_for(&server, "the firing message", |t| {
        t.iter().any(|m| m.contains("[FIRING:3] OrderFailed"))
    })
    .await;
    assert_a_group(&texts[0], &["api-1", "api-2", "api-3"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_alertmanager_a_group_shows_its_common_labels_once() {
    let test = "behind_alertmanager_a_group_shows_its_common_labels_once";
    let dir = fresh_dir("labels-alertmanager");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let Some(am) = Alertmanager::start(
        &dir,
        test,
        &bridge.url("/dingtalk/ops/send"),
        &["alertname"],
    ) else {
        return;
    };
    let alerts: Vec<_> = ["api-1", "api-2"]
        .iter()
        .map(|instance| {
            alert(
                json!({"alertname": "OrderFailed", "service": "checkout", "job": "api",
                       "severity": "critical", "instance": format!("{instance}:9100")}),
                json!({"summary": format!("orders failing on {instance}")}),
            )
        })
        .collect();
    am.post(&json!(alerts)).await;
    let texts = wait_for(&server, "the firing message", |t| {
        t.iter().any(|m| m.contains("[FIRING:2] OrderFailed"))
    })
    .await;
    let firing = texts.iter().find(|m| m.contains("[FIRING:2]")).unwrap();
    assert_a_group(firing, &["api-1", "api-2"]);
    assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
}
