//! The data a template sees: Alertmanager's template data as prometheus-webhook-dingtalk
//! builds it (`models.Data`), with Go's field names: `.Receiver`, `.Status`, `.Alerts`
//! (each `.Status`, `.Labels`, `.Annotations`, `.StartsAt`, `.EndsAt`, `.GeneratorURL`,
//! `.Fingerprint`), `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations`,
//! `.ExternalURL`, and `.AtMobiles`: the target's `mention.mobiles`.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::Value;

use super::gotime::{self, GoTime};
use crate::alertmanager::payload::{Alert, KeyValues, Notification};

/// The template data for `alerts` of `notification` (all of them, or one part of a
/// group split to fit), with `.AtMobiles` set to `at_mobiles`.
pub fn data(notification: &Notification, alerts: &[Alert], at_mobiles: &[String]) -> Value {
    let mut data = BTreeMap::new();
    data.insert("Receiver", string(&notification.receiver));
    data.insert("Status", string(notification.status.as_str()));
    data.insert(
        "Alerts",
        Value::List(alerts.iter().map(alert).collect::<Vec<_>>().into()),
    );
    data.insert("GroupLabels", kv(&notification.group_labels));
    data.insert("CommonLabels", kv(&notification.common_labels));
    data.insert("CommonAnnotations", kv(&notification.common_annotations));
    data.insert("ExternalURL", string(&notification.external_url));
    data.insert(
        "AtMobiles",
        Value::List(
            at_mobiles
                .iter()
                .map(|m| string(m))
                .collect::<Vec<_>>()
                .into(),
        ),
    );
    map(data)
}

fn alert(alert: &Alert) -> Value {
    // Alertmanager's times end in `Z`, which Go reads as UTC; a firing alert's end is
    // Go's zero time.
    let time =
        |t: Option<jiff::Timestamp>| string(&t.map_or_else(gotime::zero, GoTime::utc).go_string());
    let mut fields = BTreeMap::new();
    fields.insert("Status", string(alert.status.as_str()));
    fields.insert("Labels", kv(&alert.labels));
    fields.insert("Annotations", kv(&alert.annotations));
    fields.insert("StartsAt", time(alert.starts_at));
    fields.insert("EndsAt", time(alert.ends_at));
    fields.insert("GeneratorURL", string(&alert.generator_url));
    fields.insert("Fingerprint", string(&alert.fingerprint));
    map(fields)
}

fn kv(values: &KeyValues) -> Value {
    Value::Map(Arc::new(
        values
            .iter()
            .map(|(k, v)| (Arc::<str>::from(k.as_str()), string(v)))
            .collect(),
    ))
}

fn string(s: &str) -> Value {
    Value::String(s.into())
}

fn map(fields: BTreeMap<&str, Value>) -> Value {
    Value::Map(Arc::new(
        fields
            .into_iter()
            .map(|(k, v)| (Arc::<str>::from(k), v))
            .collect(),
    ))
}
