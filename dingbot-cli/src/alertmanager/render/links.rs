//! Links into Alertmanager: the receiver's alerts, and a new silence for the group; into
//! Grafana (whose payloads carry each alert's links themselves): its alert rules; and
//! Grafana's values, as shown.

use std::borrow::Cow;

use super::fit::shorten;
use crate::alertmanager::payload::{Alert, Notification};

/// Alertmanager's page of this receiver's alerts.
pub fn alertmanager_url(n: &Notification) -> Option<String> {
    let base = n.external_url.trim_end_matches('/');
    if base.is_empty() || n.is_grafana() {
        return None;
    }
    let mut url = format!("{base}/#/alerts");
    if !n.receiver.is_empty() {
        url.push_str("?receiver=");
        url.push_str(&encode(&n.receiver));
    }
    Some(url)
}

/// Alertmanager's form for a new silence matching the group's labels (Grafana gives one
/// per alert instead).
pub fn silence_url(n: &Notification) -> Option<String> {
    let base = n.external_url.trim_end_matches('/');
    if base.is_empty() || n.is_grafana() {
        return None;
    }
    let labels = if n.group_labels.is_empty() {
        &n.common_labels
    } else {
        &n.group_labels
    };
    let matchers: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    Some(format!(
        "{base}/#/silences/new?filter={}",
        encode(&format!("{{{}}}", matchers.join(",")))
    ))
}

/// Grafana's list of alert rules, for a notification Grafana sent.
pub fn grafana_url(n: &Notification) -> Option<String> {
    let base = n.external_url.trim_end_matches('/');
    (n.is_grafana() && !base.is_empty()).then(|| format!("{base}/alerting/list"))
}

/// Grafana's values of an alert's queries, `B=44.2394 · C=1`, each cut to `limit`;
/// `None` when it has none.
pub fn grafana_values(alert: &Alert, limit: usize) -> Option<String> {
    let shown: Vec<String> = alert
        .values
        .iter()
        .map(|(name, value)| {
            let value: Cow<'_, str> = match value {
                serde_json::Value::String(text) => Cow::Borrowed(text),
                other => Cow::Owned(other.to_string()),
            };
            format!("{}={}", shorten(name, limit), shorten(&value, limit))
        })
        .collect();
    (!shown.is_empty()).then(|| shown.join(" · "))
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
