//! `dingbot alertmanager`, started as the built binary, against what nobody checked: a
//! mention label holding anything (the group is still told), a thousand people named in
//! one group (answered in seconds), and config files that would leave the bridge useless
//! (refused at start with their key and line, and on reload, keeping the config in use).

#[path = "../alertmanager_util/mod.rs"]
mod alertmanager_util;

mod configs;
mod mentions;

use serde_json::{Value, json};

/// A notification as Alertmanager sends it: group `name` of `alerts`.
fn notification(name: &str, alerts: Vec<Value>) -> Value {
    json!({
        "version": "4",
        "groupKey": format!("{{}}:{{alertname=\"{name}\"}}"),
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "dingtalk",
        "groupLabels": {"alertname": name},
        "commonLabels": {"alertname": name},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": alerts
    })
}

/// One firing alert of group `name`, `i`th of it, with `labels` added.
fn alert(name: &str, i: usize, labels: Value) -> Value {
    let mut all = json!({"alertname": name, "instance": format!("db-{i}")});
    if let (Some(all), Some(extra)) = (all.as_object_mut(), labels.as_object()) {
        all.extend(extra.clone());
    }
    json!({
        "status": "firing",
        "labels": all,
        "annotations": {"summary": format!("{name} on db-{i}")},
        "startsAt": "2026-12-01T11:44:54Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.example:9090/graph",
        "fingerprint": format!("{name}-{i}")
    })
}
