use dingbot::Payload;

use super::mentions::MAX_MENTIONS;
use super::view::title;
use super::{Mentions, Style, render};
use crate::alertmanager::config::Config;
use crate::alertmanager::payload::{Notification, Status};

/// A config's text: one target, and `extra`.
fn config(extra: &str) -> Config {
    Config::parse(&format!(
        "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n{extra}"
    ))
    .unwrap()
}

fn style() -> Style {
    Style::new(&config(""))
}

fn notification(value: serde_json::Value) -> Notification {
    serde_json::from_value(value).unwrap()
}

fn alert(i: usize, status: &str) -> serde_json::Value {
    serde_json::json!({
        "status": status,
        "labels": {"alertname": "HighLatency", "job": "api", "severity": "critical", "instance": format!("api-{i}:9100")},
        "annotations": {"summary": format!("p99 latency of api-{i} above 2s"), "description": "answers *slowly*"},
        "startsAt": "2026-12-01T11:44:54Z",
        "endsAt": if status == "resolved" { "2026-12-01T12:00:00Z" } else { "0001-01-01T00:00:00Z" },
        "generatorURL": "http://prometheus:9090/graph?g0.expr=latency&g0.tab=1",
        "fingerprint": format!("fp{i}")
    })
}

fn group(status: &str, alerts: Vec<serde_json::Value>) -> Notification {
    notification(serde_json::json!({
        "status": status, "receiver": "ops", "groupKey": "{}:{alertname=\"HighLatency\"}",
        "groupLabels": {"alertname": "HighLatency"},
        "commonLabels": {"alertname": "HighLatency", "job": "api", "severity": "critical"},
        "commonAnnotations": {"description": "answers *slowly*"},
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts
    }))
}

#[test]
fn a_firing_group_renders_as_alertmanagers_own_title_and_a_list_of_alerts() {
    let n = group("firing", vec![alert(1, "firing"), alert(2, "firing")]);
    let messages = render(&n, &style(), &Mentions::default());
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].title(), Some("[FIRING:2] HighLatency"));
    assert_eq!(
        messages[0].body().unwrap(),
        "#### 🔥 \\[FIRING:2\\] HighLatency\n\n\
         **Severity**: critical\n\n\
         **Labels**: job=api\n\n\
         **Description**: answers \\*slowly\\*\n\n\
         - 🔥 **p99 latency of api-1 above 2s** · instance=api-1:9100 · since 2026-12-01 19:44:54 CST · [Source](http://prometheus:9090/graph?g0.expr=latency&g0.tab=1)\n\
         - 🔥 **p99 latency of api-2 above 2s** · instance=api-2:9100 · since 2026-12-01 19:44:54 CST · [Source](http://prometheus:9090/graph?g0.expr=latency&g0.tab=1)\n\n\
         [Alertmanager](http://alertmanager:9093/#/alerts?receiver=ops) · \
         [Silence](http://alertmanager:9093/#/silences/new?filter=%7Balertname%3D%22HighLatency%22%7D)"
    );
}

#[test]
fn a_resolved_group_looks_different_and_offers_no_silence() {
    let n = group("resolved", vec![alert(1, "resolved")]);
    let body = render(&n, &style(), &Mentions::default())[0]
        .body()
        .unwrap()
        .to_owned();
    assert!(
        body.starts_with("#### ✅ \\[RESOLVED\\] HighLatency"),
        "{body}"
    );
    assert!(body.contains("- ✅ **p99 latency of api-1 above 2s** · instance=api-1:9100 — answers \\*slowly\\* · since 2026-12-01 19:44:54 CST · resolved 2026-12-01 20:00:00 CST"), "{body}");
    assert!(!body.contains("Silence") && !body.contains('🔥'), "{body}");
    let utc = Style::new(&config("timezone: UTC\n"));
    let body = render(&n, &utc, &Mentions::default())[0]
        .body()
        .unwrap()
        .to_owned();
    assert!(body.contains("since 2026-12-01 11:44:54 UTC"), "{body}");
}

#[test]
fn mentions_come_from_the_target_and_from_the_alerts() {
    let mut first = alert(1, "firing");
    first["labels"]["dingtalk_at"] = "13900000001, manager4711".into();
    let mut second = alert(2, "firing");
    second["annotations"]["dingtalk_at"] = "@13900000002".into();
    let n = group("firing", vec![first, second]);
    let target = Mentions {
        all: false,
        mobiles: vec!["13800000000".into()],
        user_ids: Vec::new(),
        target: "ops".into(),
    };
    let message = &render(&n, &style(), &target)[0];
    let payload = Payload::new(message).unwrap();
    let json: serde_json::Value = serde_json::from_slice(payload.body()).unwrap();
    assert_eq!(
        json["at"]["atMobiles"],
        serde_json::json!(["13800000000", "13900000001", "13900000002"])
    );
    assert_eq!(json["at"]["atUserIds"], serde_json::json!(["manager4711"]));
    let text = json["markdown"]["text"].as_str().unwrap();
    for id in [
        "@13800000000",
        "@13900000001",
        "@13900000002",
        "@manager4711",
    ] {
        assert!(text.contains(id), "{id} not in {text}");
    }
    // The mention label is routing, not something to show.
    assert!(!text.contains("dingtalk"), "{text}");
    let off = Style::new(&config("mention_from: {label: '', annotation: ''}\n"));
    let json: serde_json::Value =
        serde_json::from_slice(Payload::new(&render(&n, &off, &target)[0]).unwrap().body())
            .unwrap();
    assert_eq!(json["at"]["atMobiles"], serde_json::json!(["13800000000"]));
}

#[test]
fn a_large_group_is_split_into_parts_that_each_fit() {
    let alerts: Vec<_> = (0..600).map(|i| alert(i, "firing")).collect();
    let n = group("firing", alerts);
    let messages = render(&n, &style(), &Mentions::default());
    assert!(messages.len() > 1);
    let count = messages.len();
    let mut all = String::new();
    for (i, message) in messages.iter().enumerate() {
        assert_eq!(
            message.title().unwrap(),
            format!("[FIRING:600] HighLatency ({}/{count})", i + 1)
        );
        assert!(Payload::new(message).unwrap().len() <= dingbot::MAX_BODY_BYTES);
        all.push_str(message.body().unwrap());
    }
    for i in 0..600 {
        assert_eq!(
            all.matches(&format!("**p99 latency of api-{i} above 2s**"))
                .count(),
            1,
            "api-{i}"
        );
    }
}

#[test]
fn a_value_too_long_for_any_message_is_shortened() {
    let mut huge = alert(1, "firing");
    huge["annotations"]["description"] = "x_".repeat(30_000).into();
    huge["labels"]["blob"] = "y".repeat(30_000).into();
    let n = group("firing", vec![huge]);
    let messages = render(&n, &style(), &Mentions::default());
    assert_eq!(messages.len(), 1);
    let payload = Payload::new(&messages[0]).unwrap();
    assert!(payload.len() <= dingbot::MAX_BODY_BYTES);
    let body = messages[0].body().unwrap();
    assert!(
        body.contains("**p99 latency of api-1 above 2s**") && body.contains('…'),
        "{body}"
    );
}

#[test]
fn alerts_left_out_by_alertmanager_are_counted() {
    let mut n = group("firing", vec![alert(1, "firing")]);
    n.truncated_alerts = 7;
    let body = render(&n, &style(), &Mentions::default())[0]
        .body()
        .unwrap()
        .to_owned();
    assert!(
        body.contains("… and 7 more alerts not sent by Alertmanager"),
        "{body}"
    );
}

#[test]
fn titles_follow_alertmanagers_default() {
    let mut n = group("firing", vec![alert(1, "firing"), alert(2, "resolved")]);
    assert_eq!(title(&n), "[FIRING:1] HighLatency");
    n.group_labels.insert("cluster".into(), "prod-1".into());
    assert_eq!(title(&n), "[FIRING:1] HighLatency prod-1");
    n.status = Status::Resolved;
    assert_eq!(title(&n), "[RESOLVED] HighLatency prod-1");
}

/// The JSON DingTalk would receive for `message`.
fn wire(message: &dingbot::Message) -> serde_json::Value {
    serde_json::from_slice(Payload::new(message).unwrap().body()).unwrap()
}

#[test]
fn a_mention_that_is_no_id_is_shown_as_text_and_the_message_still_goes() {
    let long = "x".repeat(65);
    let mut first = alert(1, "firing");
    first["labels"]["dingtalk_at"] =
        format!("oncall@example.com, 13800000000 (oncall), o'brien; _x a:b {long}").into();
    let mut second = alert(2, "firing");
    second["annotations"]["dingtalk_at"] = "manager4711 o'brien".into();
    let n = group("firing", vec![first, second]);
    let messages = render(&n, &style(), &Mentions::default());
    assert_eq!(messages.len(), 1);
    let json = wire(&messages[0]);
    assert_eq!(json["at"]["atMobiles"], serde_json::json!(["13800000000"]));
    assert_eq!(json["at"]["atUserIds"], serde_json::json!(["manager4711"]));
    let text = json["markdown"]["text"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            // The escaper breaks `@` so that the text mentions nobody.
            "Not mentioned, not a mobile number or user id: oncall@\u{200B}example.com, (oncall), o'brien, \\_x, a:b, {}…",
            "x".repeat(64)
        )),
        "{text}"
    );
    // Each value once, however many alerts name it.
    assert_eq!(text.matches("o'brien").count(), 1, "{text}");
}

#[test]
fn mentions_past_the_cap_are_listed_not_mentioned() {
    let alerts: Vec<_> = (0..120)
        .map(|i| {
            let mut a = alert(i, "firing");
            a["labels"]["dingtalk_at"] = format!("139{i:08}").into();
            a
        })
        .collect();
    let target = Mentions {
        user_ids: vec!["lead".into()],
        ..Mentions::default()
    };
    let messages = render(&group("firing", alerts), &style(), &target);
    for message in &messages {
        let json = wire(message);
        let at = &json["at"];
        let count = at["atMobiles"].as_array().map_or(0, Vec::len)
            + at["atUserIds"].as_array().map_or(0, Vec::len);
        assert_eq!(count, MAX_MENTIONS);
        // The target's own come first.
        assert_eq!(at["atUserIds"], serde_json::json!(["lead"]));
        assert_eq!(at["atMobiles"][0], "13900000000");
        let text = json["markdown"]["text"].as_str().unwrap();
        assert!(
            text.contains(
                "Not mentioned, past the mentions a message holds: 13900000049, 13900000050, "
            ) && text.contains(&format!(
                " and {} more (at most {MAX_MENTIONS} a message)",
                120 - 49 - 20
            )),
            "{text}"
        );
    }
}

#[test]
fn a_thousand_mentions_and_ten_thousand_alerts_render_quickly() {
    let alerts: Vec<_> = (0..1_000)
        .map(|i| {
            let mut a = alert(i, "firing");
            a["labels"]["dingtalk_at"] = format!("13{i:09} user{i} bad'{i}").into();
            a
        })
        .collect();
    let n = group("firing", alerts);
    let start = std::time::Instant::now();
    let messages = render(&n, &style(), &Mentions::default());
    // Unoptimized, on a busy machine: generous. The benchmark has the real figure.
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    for message in &messages {
        assert!(Payload::new(message).unwrap().len() <= dingbot::MAX_BODY_BYTES);
    }
    let alerts: Vec<_> = (0..10_000).map(|i| alert(i, "firing")).collect();
    let n = group("firing", alerts);
    let start = std::time::Instant::now();
    let messages = render(&n, &style(), &Mentions::default());
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert!(messages.len() > 10);
}
