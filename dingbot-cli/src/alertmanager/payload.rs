//! Alertmanager's webhook payload (version 4), as it arrives — and Grafana's, which is
//! Alertmanager's with more fields.
//!
//! Every field Alertmanager documents is read; missing optional ones default to empty,
//! so a payload from an older or newer Alertmanager still renders. Times are RFC 3339;
//! `endsAt` is `0001-01-01T00:00:00Z` while an alert fires, read as `None`.
//!
//! Grafana's webhook contact point sends the same shape plus `orgId` (which tells it
//! apart), `title`, `state` and `message` (its own rendering, not used: the group gets
//! dingbot's), and per alert `values` (the rule's query results), `dashboardURL`,
//! `panelURL`, `silenceURL` and `imageURL`, which are rendered.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A label or annotation set, in name order (as Alertmanager sorts them).
pub type KeyValues = BTreeMap<String, String>;

/// One notification: a group of alerts for one receiver.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// The payload's version ("4").
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "read for completeness; every version renders alike"
    )]
    pub version: String,
    /// The group's key: the same for every notification of the group.
    #[serde(default)]
    pub group_key: String,
    /// Alerts left out by the receiver's `max_alerts`.
    #[serde(default)]
    pub truncated_alerts: u64,
    /// Whether any alert of the group fires.
    pub status: Status,
    /// The receiver's name.
    #[serde(default)]
    pub receiver: String,
    /// The labels the group is formed by.
    #[serde(default)]
    pub group_labels: KeyValues,
    /// The labels every alert has.
    #[serde(default)]
    pub common_labels: KeyValues,
    /// The annotations every alert has.
    #[serde(default)]
    pub common_annotations: KeyValues,
    /// Alertmanager's own URL.
    #[serde(default, rename = "externalURL")]
    pub external_url: String,
    /// The alerts.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// Grafana's organization: set only by Grafana, which tells its payloads apart.
    #[serde(default)]
    pub org_id: Option<i64>,
    /// Grafana's own title, state (`alerting`, `ok`, ...) and message: read so that its
    /// payload is taken as it is; the group gets dingbot's rendering instead.
    #[serde(default)]
    #[allow(dead_code, reason = "Grafana's own rendering; dingbot renders its own")]
    pub title: String,
    #[serde(default)]
    #[allow(dead_code, reason = "Grafana's own rendering; dingbot renders its own")]
    pub state: String,
    #[serde(default)]
    #[allow(dead_code, reason = "Grafana's own rendering; dingbot renders its own")]
    pub message: String,
}

/// A notification's or an alert's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// At least one alert fires.
    Firing,
    /// Resolved.
    Resolved,
}

impl Status {
    /// As Alertmanager writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Firing => "firing",
            Status::Resolved => "resolved",
        }
    }
}

/// One alert.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Whether it fires or has resolved.
    pub status: Status,
    /// Its labels.
    #[serde(default)]
    pub labels: KeyValues,
    /// Its annotations (`summary`, `description`, ...).
    #[serde(default)]
    pub annotations: KeyValues,
    /// When it started.
    #[serde(default, deserialize_with = "time")]
    pub starts_at: Option<jiff::Timestamp>,
    /// When it ended (`None` while it fires).
    #[serde(default, deserialize_with = "time")]
    pub ends_at: Option<jiff::Timestamp>,
    /// The page of the rule that fired it (Prometheus' graph).
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    /// Its identity, stable across notifications.
    #[serde(default)]
    pub fingerprint: String,
    /// Grafana: a new silence for this alert.
    #[serde(default, rename = "silenceURL")]
    pub silence_url: String,
    /// Grafana: the dashboard of the rule's panel.
    #[serde(default, rename = "dashboardURL")]
    pub dashboard_url: String,
    /// Grafana: the rule's panel.
    #[serde(default, rename = "panelURL")]
    pub panel_url: String,
    /// Grafana: a screenshot of the panel, when Grafana takes them.
    #[serde(default, rename = "imageURL")]
    pub image_url: String,
    /// Grafana: the values of the rule's queries and expressions (`B=44.2`, `C=1`),
    /// as Grafana wrote them.
    #[serde(default, deserialize_with = "values")]
    pub values: BTreeMap<String, serde_json::Value>,
}

impl Alert {
    /// What identifies the alert across notifications: its fingerprint, or, for an alert
    /// posted by hand without one, its labels (as Alertmanager identifies alerts).
    pub fn identity(&self) -> String {
        if self.fingerprint.is_empty() {
            self.labels
                .iter()
                .map(|(k, v)| format!("{k}\u{0}{v}\u{0}"))
                .collect()
        } else {
            self.fingerprint.clone()
        }
    }
}

/// Grafana's `values`: a mapping of names to numbers; `null` is none.
fn values<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
    Ok(Option::deserialize(deserializer)?.unwrap_or_default())
}

/// An RFC 3339 time; Go's zero time (year 1) and an empty string are `None`.
fn time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<jiff::Timestamp>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let time: jiff::Timestamp = text
        .parse()
        .map_err(|e| serde::de::Error::custom(format!("not an RFC 3339 time {text:?}: {e}")))?;
    // Go's zero time: "not set".
    if time.as_second() < -62_000_000_000 {
        return Ok(None);
    }
    Ok(Some(time))
}

impl Notification {
    /// The alert name the group is about: its `alertname` group or common label, else
    /// the receiver's name.
    pub fn alertname(&self) -> &str {
        self.group_labels
            .get("alertname")
            .or_else(|| self.common_labels.get("alertname"))
            .map(String::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(if self.receiver.is_empty() {
                "alerts"
            } else {
                &self.receiver
            })
    }

    /// Whether Grafana sent it (only Grafana sets `orgId`).
    pub fn is_grafana(&self) -> bool {
        self.org_id.is_some()
    }

    /// Who left out the alerts counted in `truncatedAlerts`, and sends the links.
    pub fn sender(&self) -> &'static str {
        if self.is_grafana() {
            "Grafana"
        } else {
            "Alertmanager"
        }
    }

    /// How many alerts fire and how many have resolved.
    pub fn counts(&self) -> (usize, usize) {
        let firing = self
            .alerts
            .iter()
            .filter(|a| a.status == Status::Firing)
            .count();
        (firing, self.alerts.len() - firing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notification as Alertmanager 0.25 sends it.
    pub(crate) const SAMPLE: &str = r#"{
      "receiver": "dingtalk",
      "status": "firing",
      "alerts": [
        {
          "status": "firing",
          "labels": {"alertname": "HighLatency", "instance": "api-1:9100", "severity": "critical"},
          "annotations": {"summary": "p99 latency above 2s", "description": "api-1 answers slowly"},
          "startsAt": "2026-12-01T11:44:54.123Z",
          "endsAt": "0001-01-01T00:00:00Z",
          "generatorURL": "http://prometheus:9090/graph?g0.expr=latency",
          "fingerprint": "3c8b5a1f2d4e6a70"
        }
      ],
      "groupLabels": {"alertname": "HighLatency"},
      "commonLabels": {"alertname": "HighLatency", "instance": "api-1:9100", "severity": "critical"},
      "commonAnnotations": {"summary": "p99 latency above 2s"},
      "externalURL": "http://alertmanager:9093",
      "version": "4",
      "groupKey": "{}:{alertname=\"HighLatency\"}",
      "truncatedAlerts": 0
    }"#;

    #[test]
    fn alertmanagers_payload_is_read() {
        let n: Notification = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(n.status, Status::Firing);
        assert_eq!(n.alertname(), "HighLatency");
        assert_eq!(n.counts(), (1, 0));
        let alert = &n.alerts[0];
        assert!(alert.ends_at.is_none());
        assert_eq!(alert.starts_at.unwrap().as_second(), 1_796_125_494);
        assert_eq!(n.external_url, "http://alertmanager:9093");
        assert_eq!(
            alert.generator_url,
            "http://prometheus:9090/graph?g0.expr=latency"
        );
    }

    #[test]
    fn a_minimal_payload_is_read_and_a_bad_time_is_refused() {
        let n: Notification =
            serde_json::from_str(r#"{"status":"resolved","alerts":[{"status":"resolved"}]}"#)
                .unwrap();
        assert_eq!(n.alertname(), "alerts");
        assert_eq!(n.counts(), (0, 1));
        let err = serde_json::from_str::<Notification>(
            r#"{"status":"firing","alerts":[{"status":"firing","startsAt":"yesterday"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("yesterday"), "{err}");
    }
}
