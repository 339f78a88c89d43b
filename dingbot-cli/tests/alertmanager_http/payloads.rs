//! Payloads besides Alertmanager's plain one: Grafana's webhook contact point (its
//! documented payload, `tests/data/grafana-webhook.json`), rendered with its values and
//! links; and `truncatedAlerts`, which the group is told.

use dingbot::mock::MockServer;
use serde_json::Value;

use crate::alertmanager_util::{Bridge, config_for, fresh_dir, texts};
use crate::notification;

/// Grafana's payload as its documentation shows it.
fn grafana() -> Value {
    let text = include_str!("../data/grafana-webhook.json");
    serde_json::from_str(text).expect("Grafana's documented payload is JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grafanas_payload_is_rendered_with_its_values_and_links() {
    let dir = fresh_dir("grafana");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);

    // As documented: no dashboard or panel (the rule is not linked to one).
    let (status, body) = bridge.notify("ops", &grafana()).await;
    assert_eq!(status, 200, "{body}");
    let text = texts(&server).pop().expect("one message");
    for expected in [
        "[FIRING:2] My Super Webhook",
        "**This alert was triggered for zone us-1**",
        "**This alert was triggered for zone eu-1**",
        "The system has high memory usage",
        "values B=44.23943737541908 · C=1",
        "[Source](https://play.grafana.org/alerting/1afz29v7z/edit)",
        "[Silence](https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1)",
        "[Grafana](https://play.grafana.org/alerting/list)",
        "team=blue",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // Grafana's links replace Alertmanager's, which would lead nowhere on Grafana.
    assert!(
        !text.contains("[Alertmanager]") && !text.contains("#/silences"),
        "{text}"
    );
    assert!(
        !text.contains("[Dashboard]") && !text.contains("[Panel]"),
        "{text}"
    );

    // A rule linked to a panel: its dashboard and panel are linked too.
    let mut linked = grafana();
    linked["groupKey"] = "{}:{linked}".into();
    linked["alerts"][0]["fingerprint"] = "linked0".into();
    linked["alerts"][0]["dashboardURL"] = "https://play.grafana.org/d/000000012".into();
    linked["alerts"][0]["panelURL"] = "https://play.grafana.org/d/000000012?viewPanel=2".into();
    linked["truncatedAlerts"] = 3.into();
    let (status, body) = bridge.notify("ops", &linked).await;
    assert_eq!(status, 200, "{body}");
    let text = texts(&server).pop().expect("a second message");
    for expected in [
        "[Dashboard](https://play.grafana.org/d/000000012)",
        "[Panel](https://play.grafana.org/d/000000012?viewPanel=2)",
        "… and 3 more alerts not sent by Grafana",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_alertmanager_left_out_are_counted_for_the_group() {
    let dir = fresh_dir("truncated");
    let server = MockServer::start().await.unwrap();
    let bridge = Bridge::start(&dir, &config_for(&server, "", ""), &[]);
    let mut cut = notification("DiskFull", "t1");
    cut["truncatedAlerts"] = 12.into();
    let (status, body) = bridge.notify("ops", &cut).await;
    assert_eq!(status, 200, "{body}");
    let text = texts(&server).pop().expect("one message");
    assert!(
        text.contains("… and 12 more alerts not sent by Alertmanager"),
        "{text}"
    );
    // None left out: nothing said.
    let (status, _) = bridge.notify("ops", &notification("DiskFull", "t2")).await;
    assert_eq!(status, 200);
    let text = texts(&server).pop().expect("a second message");
    assert!(!text.contains("more alerts not sent"), "{text}");
}
