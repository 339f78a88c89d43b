//! Alert groups read as groups: the labels every alert has once under the title, each
//! alert's own on its line, never in a sub-list DingTalk could show as sibling bullets.

use dingbot::Payload;

use super::{Mentions, Style, render};
use crate::alertmanager::config::Config;
use crate::alertmanager::payload::Notification;

fn style(extra: &str) -> Style {
    Style::new(
        &Config::parse(&format!(
            "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n{extra}"
        ))
        .unwrap(),
    )
}

/// A firing checkout group of `count` alerts, each on its own instance and pod.
fn checkout(count: usize) -> Notification {
    let alerts: Vec<_> = (0..count)
        .map(|i| {
            serde_json::json!({
                "status": "firing",
                "labels": {"alertname": "OrderFailed", "service": "checkout", "job": "api",
                           "severity": "critical", "instance": format!("api-{i}:9100"),
                           "pod": format!("checkout-7d9f-{i}"), "dingtalk_at": "13900000001"},
                "annotations": {"summary": format!("orders failing on api-{i}")},
                "startsAt": "2026-12-01T11:44:54Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": format!("fp{i}")
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "status": "firing", "receiver": "ops", "groupKey": "{}:{alertname=\"OrderFailed\"}",
        "groupLabels": {"alertname": "OrderFailed"},
        "commonLabels": {"alertname": "OrderFailed", "service": "checkout", "job": "api",
                         "severity": "critical", "dingtalk_at": "13900000001"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts
    }))
    .unwrap()
}

/// The lines of `body` that are alerts.
fn alert_lines(body: &str) -> Vec<&str> {
    body.lines().filter(|l| l.starts_with("- 🔥")).collect()
}

#[test]
fn common_labels_are_shown_once_and_each_alerts_own_on_its_line() {
    let messages = render(&checkout(3), &style(""), &Mentions::default());
    assert_eq!(messages.len(), 1);
    let body = messages[0].body().unwrap();
    // Under the title; the alert name is the title's, the severity has its own line,
    // the mention label is routing.
    assert!(
        body.contains("**Severity**: critical\n\n**Labels**: job=api · service=checkout\n\n"),
        "{body}"
    );
    assert_eq!(body.matches("service=checkout").count(), 1, "{body}");
    assert!(!body.contains("alertname="), "{body}");
    assert!(!body.contains("dingtalk"), "{body}");
    let lines = alert_lines(body);
    assert_eq!(lines.len(), 3, "{body}");
    for (i, line) in lines.iter().enumerate() {
        assert!(
            line.starts_with(&format!(
                "- 🔥 **orders failing on api-{i}** · instance=api-{i}:9100 · pod=checkout-7d9f-{i} · since "
            )),
            "{line}"
        );
    }
    // No sub-list: every line of the list is an alert.
    assert!(
        !body
            .lines()
            .any(|l| l.trim_start().starts_with("- ") && !l.starts_with("- 🔥")),
        "{body}"
    );
}

#[test]
fn alert_names_that_differ_are_on_each_line_but_never_twice() {
    let mut n = checkout(2);
    n.common_labels.remove("alertname");
    n.group_labels.clear();
    n.alerts[1]
        .labels
        .insert("alertname".into(), "OrderSlow".into());
    n.alerts[1].annotations.remove("summary");
    let body = render(&n, &style(""), &Mentions::default())[0]
        .body()
        .unwrap()
        .to_owned();
    let lines = alert_lines(&body);
    assert!(
        lines[0]
            .starts_with("- 🔥 **orders failing on api-0** · alertname=OrderFailed · instance="),
        "{body}"
    );
    // Without a summary the alert name is the summary, and not repeated.
    assert!(
        lines[1].starts_with("- 🔥 **OrderSlow** · instance="),
        "{body}"
    );
    assert_eq!(body.matches("OrderSlow").count(), 1, "{body}");
}

#[test]
fn a_resolved_group_shows_its_common_labels_too() {
    let mut n = checkout(2);
    n.status = crate::alertmanager::payload::Status::Resolved;
    let body = render(&n, &style(""), &Mentions::default())[0]
        .body()
        .unwrap()
        .to_owned();
    assert!(
        body.contains("**Labels**: job=api · service=checkout"),
        "{body}"
    );
}

#[test]
fn the_mention_label_stays_visible_when_mentions_come_from_elsewhere() {
    let body = render(
        &checkout(2),
        &style("mention_from: {label: owner, annotation: ''}\n"),
        &Mentions::default(),
    )[0]
    .body()
    .unwrap()
    .to_owned();
    assert!(
        body.contains("**Labels**: dingtalk\\_at=13900000001 · job=api · service=checkout"),
        "{body}"
    );
}

#[test]
fn every_part_of_a_split_group_carries_the_common_labels_once() {
    let messages = render(&checkout(600), &style(""), &Mentions::default());
    assert!(messages.len() > 1);
    let mut alerts = 0;
    for message in &messages {
        assert!(Payload::new(message).unwrap().len() <= dingbot::MAX_BODY_BYTES);
        let body = message.body().unwrap();
        assert_eq!(body.matches("service=checkout").count(), 1, "{body}");
        alerts += alert_lines(body).len();
    }
    assert_eq!(alerts, 600);
}

#[test]
fn a_huge_common_label_is_shortened_to_fit() {
    let mut n = checkout(2);
    n.common_labels.insert("blob".into(), "y".repeat(30_000));
    let messages = render(&n, &style(""), &Mentions::default());
    assert_eq!(messages.len(), 1);
    assert!(Payload::new(&messages[0]).unwrap().len() <= dingbot::MAX_BODY_BYTES);
    let body = messages[0].body().unwrap();
    assert!(body.contains("blob=yyy") && body.contains('…'), "{body}");
    assert_eq!(alert_lines(body).len(), 2, "{body}");
}
