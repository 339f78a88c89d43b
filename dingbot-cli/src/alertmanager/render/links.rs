//! Links into Alertmanager: the receiver's alerts, and a new silence for the group.

use crate::alertmanager::payload::Notification;

/// Alertmanager's page of this receiver's alerts.
pub fn alertmanager_url(n: &Notification) -> Option<String> {
    let base = n.external_url.trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    let mut url = format!("{base}/#/alerts");
    if !n.receiver.is_empty() {
        url.push_str("?receiver=");
        url.push_str(&encode(&n.receiver));
    }
    Some(url)
}

/// Alertmanager's form for a new silence matching the group's labels.
pub fn silence_url(n: &Notification) -> Option<String> {
    let base = n.external_url.trim_end_matches('/');
    if base.is_empty() {
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

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
