//! `dingbot alertmanager` as a server, started as the built binary: its endpoints, what
//! it answers, reloads (file and SIGHUP), bad configs, prometheus-webhook-dingtalk's own
//! config file, secrets kept out of everything it shows, the drain on SIGTERM, and who
//! may drive it (JSON from no web page, addressed to an address or an allowed name).
//! Notifications are posted as Alertmanager posts them; the group is the emulator.

#[path = "../alertmanager_util/mod.rs"]
mod alertmanager_util;

mod config;
mod drain;
mod endpoints;
mod guard;
mod held;
mod payloads;
mod proxy;
mod reload;
mod robots;
mod secrets;
mod text_log;

use serde_json::{Value, json};

/// A notification as Alertmanager sends it: one firing alert named `name`.
fn notification(name: &str, fingerprint: &str) -> Value {
    json!({
        "version": "4",
        "groupKey": format!("{{}}:{{alertname=\"{name}\"}}"),
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "dingtalk",
        "groupLabels": {"alertname": name},
        "commonLabels": {"alertname": name, "severity": "warning"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager.example:9093",
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": name, "severity": "warning", "instance": "db-1"},
            "annotations": {"summary": format!("{name} on db-1")},
            "startsAt": "2026-12-01T11:44:54Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example:9090/graph",
            "fingerprint": fingerprint
        }]
    })
}
