//! A notification as DingTalk messages.
//!
//! Title as Alertmanager's own default: `[FIRING:3] HighLatency api-1` (the firing
//! count, the alert name, the other group label values), `[RESOLVED] HighLatency` when
//! the group has resolved. The body of a firing group leads with 🔥, a resolved one with
//! ✅; per alert its summary and description, severity, the labels it does not share
//! with the group, when it started (and ended) in the configured time zone, and a link
//! to its source; then links to Alertmanager and to silence the group. Everyone to
//! mention — the target's own, and those an alert names in its mention label or
//! annotation — is mentioned, in the body too, so they are notified.
//!
//! A group too large for one message is split into parts (`(1/3)` in the title), each
//! within DingTalk's size limit; a value too long for any message is shortened.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use dingbot::{DingItem, DingMessage, Message, Payload};

use super::config::{Config, MentionFrom, Target};
use super::payload::{Alert, Notification, Status};

/// How messages look: the time zone and where alerts name people to mention.
#[derive(Debug, Clone)]
pub struct Style {
    timezone: jiff::tz::TimeZone,
    mention_from: MentionFrom,
}

impl Style {
    /// The style `config` asks for.
    pub fn new(config: &Config) -> Style {
        Style {
            timezone: config.timezone.clone(),
            mention_from: config.mention_from.clone(),
        }
    }
}

/// Who a target always mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    all: bool,
    mobiles: Vec<String>,
    user_ids: Vec<String>,
}

impl Mentions {
    /// The target's static mentions.
    pub fn of_target(target: &Target) -> Mentions {
        Mentions {
            all: target.mention_all,
            mobiles: target.mobiles.clone(),
            user_ids: target.user_ids.clone(),
        }
    }

    /// These, and everyone the alerts name in `from`'s label or annotation.
    fn with_alerts(&self, alerts: &[Alert], from: &MentionFrom) -> Mentions {
        let mut mobiles: BTreeSet<String> = self.mobiles.iter().cloned().collect();
        let mut user_ids: BTreeSet<String> = self.user_ids.iter().cloned().collect();
        for alert in alerts {
            let named = [
                from.label.as_ref().and_then(|k| alert.labels.get(k)),
                from.annotation
                    .as_ref()
                    .and_then(|k| alert.annotations.get(k)),
            ];
            for value in named.into_iter().flatten() {
                for id in value
                    .split([',', ';', ' ', '\t', '\n'])
                    .map(|id| id.trim().trim_start_matches('@'))
                    .filter(|id| !id.is_empty())
                {
                    if is_mobile(id) {
                        mobiles.insert(id.to_owned());
                    } else {
                        user_ids.insert(id.to_owned());
                    }
                }
            }
        }
        Mentions {
            all: self.all,
            mobiles: mobiles.into_iter().collect(),
            user_ids: user_ids.into_iter().collect(),
        }
    }
}

/// A mobile number: digits, maybe a `+` and dashes (DingTalk's `+86-138...`).
fn is_mobile(id: &str) -> bool {
    let digits = id.trim_start_matches('+');
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '-')
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// The messages for `notification`, in order, each within DingTalk's limit.
pub fn render(notification: &Notification, style: &Style, mentions: &Mentions) -> Vec<Message> {
    let mentions = mentions.with_alerts(&notification.alerts, &style.mention_from);
    let group = Group::new(notification, style);
    let parts = split(&group, &mentions, 0..notification.alerts.len());
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (range, squeeze))| {
            let part = (count > 1).then_some((i + 1, count));
            group.message(range, part, squeeze, &mentions)
        })
        .collect()
}

/// How hard values are shortened: the longest value, in bytes, at each level.
const SQUEEZE: [usize; 4] = [2_000, 400, 80, 0];

/// The alerts of each part and how hard its values must be shortened: halves until each
/// part fits, shortening values only for a part of one alert that does not fit as it is.
fn split(
    group: &Group<'_>,
    mentions: &Mentions,
    range: std::ops::Range<usize>,
) -> Vec<(std::ops::Range<usize>, usize)> {
    // The widest part label, so a part that fits here fits with its real label.
    let probe = Some((999, 999));
    if group.fits(range.clone(), probe, 0, mentions) {
        return vec![(range, 0)];
    }
    if range.len() <= 1 {
        let squeeze = (1..SQUEEZE.len())
            .find(|&s| group.fits(range.clone(), probe, s, mentions))
            .unwrap_or(SQUEEZE.len() - 1);
        return vec![(range, squeeze)];
    }
    let middle = range.start + range.len() / 2;
    let mut parts = split(group, mentions, range.start..middle);
    parts.extend(split(group, mentions, middle..range.end));
    parts
}

/// A firing group as a message.
#[derive(DingMessage)]
#[ding(
    markdown,
    title = "{title}",
    body = "#### 🔥 {title}\n\n\
            {#severity}**Severity**: {severity}\n\n{/severity}\
            {#summary}**Summary**: {summary}\n\n{/summary}\
            {#description}**Description**: {description}\n\n{/description}\
            {alerts}\
            {#truncated}\n\n{truncated} more alerts left out by Alertmanager (max_alerts){/truncated}\
            {#alertmanager}\n\n[Alertmanager]({alertmanager}){/alertmanager}\
            {#silence} · [Silence]({silence}){/silence}"
)]
struct Firing<'a> {
    title: String,
    severity: Option<Cow<'a, str>>,
    summary: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    #[ding(list)]
    alerts: Vec<AlertItem<'a>>,
    truncated: Option<u64>,
    alertmanager: Option<String>,
    silence: Option<String>,
    #[ding(at_mobiles)]
    mobiles: &'a [String],
    #[ding(at_user_ids)]
    user_ids: &'a [String],
    #[ding(at_all)]
    all: bool,
}

/// A resolved group as a message: no silence to offer, each alert with its end.
#[derive(DingMessage)]
#[ding(
    markdown,
    title = "{title}",
    body = "#### ✅ {title}\n\n\
            {#summary}**Summary**: {summary}\n\n{/summary}\
            {#description}**Description**: {description}\n\n{/description}\
            {alerts}\
            {#truncated}\n\n{truncated} more alerts left out by Alertmanager (max_alerts){/truncated}\
            {#alertmanager}\n\n[Alertmanager]({alertmanager}){/alertmanager}"
)]
struct Resolved<'a> {
    title: String,
    summary: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    #[ding(list)]
    alerts: Vec<AlertItem<'a>>,
    truncated: Option<u64>,
    alertmanager: Option<String>,
    #[ding(at_mobiles)]
    mobiles: &'a [String],
    #[ding(at_user_ids)]
    user_ids: &'a [String],
    #[ding(at_all)]
    all: bool,
}

/// One alert as an item of the list: its summary, severity, description, when it
/// started (and ended), its source, and the labels it does not share with the group.
#[derive(DingItem)]
#[ding(item = "{icon} **{summary}**{#severity} ({severity}){/severity}\
            {#description} — {description}{/description}\
            {#starts_at} · since {starts_at}{/starts_at}\
            {#ends_at} · resolved {ends_at}{/ends_at}\
            {#source} · [Source]({source}){/source}\
            {labels}")]
struct AlertItem<'a> {
    #[ding(raw)]
    icon: &'static str,
    summary: Cow<'a, str>,
    severity: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    #[ding(with = local_time)]
    starts_at: Option<jiff::ZonedDateTime>,
    #[ding(with = local_time)]
    ends_at: Option<jiff::ZonedDateTime>,
    source: Option<&'a str>,
    #[ding(list)]
    labels: BTreeMap<&'a str, Cow<'a, str>>,
}

/// A time as shown: `2026-12-01 19:44:54 CST`, in the configured zone.
fn local_time(time: &jiff::ZonedDateTime, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}", time.strftime("%Y-%m-%d %H:%M:%S %Z"))
}

/// What every part of a notification shares.
struct Group<'a> {
    notification: &'a Notification,
    style: &'a Style,
    title: String,
}

impl<'a> Group<'a> {
    fn new(notification: &'a Notification, style: &'a Style) -> Group<'a> {
        Group {
            notification,
            style,
            title: title(notification),
        }
    }

    fn fits(
        &self,
        range: std::ops::Range<usize>,
        part: Option<(usize, usize)>,
        squeeze: usize,
        mentions: &Mentions,
    ) -> bool {
        Payload::new(&self.message(range, part, squeeze, mentions)).is_ok()
    }

    /// One message: the alerts in `range`, as part `part` of the notification, values
    /// cut at the `squeeze` level.
    fn message(
        &self,
        range: std::ops::Range<usize>,
        part: Option<(usize, usize)>,
        squeeze: usize,
        mentions: &Mentions,
    ) -> Message {
        let n = self.notification;
        let limit = SQUEEZE[squeeze.min(SQUEEZE.len() - 1)];
        let title = match part {
            Some((i, count)) => format!("{} ({i}/{count})", self.title),
            None => self.title.clone(),
        };
        let alerts = n.alerts[range]
            .iter()
            .map(|alert| self.alert_item(alert, limit))
            .collect();
        // What every alert says is said once, above them (unless there is only one).
        let common = |key: &str| {
            n.common_annotations
                .get(key)
                .filter(|_| n.alerts.len() > 1)
                .map(|s| shorten(s, limit))
        };
        let (summary, description) = (common("summary"), common("description"));
        let truncated = (n.truncated_alerts > 0).then_some(n.truncated_alerts);
        match n.status {
            Status::Firing => Firing {
                title,
                severity: n.common_labels.get("severity").map(|s| shorten(s, limit)),
                summary,
                description,
                alerts,
                truncated,
                alertmanager: alertmanager_url(n),
                silence: silence_url(n),
                mobiles: &mentions.mobiles,
                user_ids: &mentions.user_ids,
                all: mentions.all,
            }
            .to_message(),
            Status::Resolved => Resolved {
                title,
                summary,
                description,
                alerts,
                truncated,
                alertmanager: alertmanager_url(n),
                mobiles: &mentions.mobiles,
                user_ids: &mentions.user_ids,
                all: mentions.all,
            }
            .to_message(),
        }
    }

    fn alert_item(&self, alert: &'a Alert, limit: usize) -> AlertItem<'a> {
        let n = self.notification;
        // An annotation every alert shares is shown once, above the list.
        let own = |key: &str| {
            alert
                .annotations
                .get(key)
                .filter(|v| n.alerts.len() == 1 || n.common_annotations.get(key) != Some(*v))
        };
        let summary = own("summary")
            .or_else(|| alert.labels.get("alertname"))
            .map_or(Cow::Borrowed(""), |s| shorten(s, limit));
        let resolved = alert.status == Status::Resolved;
        let zone = &self.style.timezone;
        AlertItem {
            icon: if resolved { "✅" } else { "🔥" },
            summary,
            // Shown per alert only when the group's alerts differ in it.
            severity: alert
                .labels
                .get("severity")
                .filter(|_| !n.common_labels.contains_key("severity"))
                .map(|s| shorten(s, limit)),
            description: own("description").map(|s| shorten(s, limit)),
            starts_at: alert.starts_at.map(|t| t.to_zoned_datetime(zone.clone())),
            ends_at: alert
                .ends_at
                .filter(|_| resolved)
                .map(|t| t.to_zoned_datetime(zone.clone())),
            source: Some(alert.generator_url.as_str()).filter(|u| !u.is_empty() && limit > 0),
            labels: alert
                .labels
                .iter()
                .filter(|(k, v)| {
                    !matches!(k.as_str(), "alertname" | "severity")
                        && self.style.mention_from.label.as_ref() != Some(*k)
                        && n.common_labels.get(*k) != Some(v)
                })
                .map(|(k, v)| (k.as_str(), shorten(v, limit)))
                .collect(),
        }
    }
}

/// `[FIRING:3] HighLatency api-1`, or `[RESOLVED] HighLatency api-1`.
pub fn title(n: &Notification) -> String {
    let mut title = match n.status {
        Status::Firing => format!("[FIRING:{}] ", n.counts().0),
        Status::Resolved => "[RESOLVED] ".to_owned(),
    };
    title.push_str(n.alertname());
    for (key, value) in &n.group_labels {
        if key != "alertname" && !value.is_empty() {
            title.push(' ');
            title.push_str(value);
        }
    }
    shorten(&title, 200).into_owned()
}

/// Alertmanager's page of this receiver's alerts.
fn alertmanager_url(n: &Notification) -> Option<String> {
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
fn silence_url(n: &Notification) -> Option<String> {
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

/// `value` cut to at most `limit` bytes (on a character boundary), with `…` when cut.
fn shorten(value: &str, limit: usize) -> Cow<'_, str> {
    if value.len() <= limit {
        return Cow::Borrowed(value);
    }
    let mut end = limit;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &value[..end]))
}

#[cfg(test)]
mod tests {
    use super::super::config::Config;
    use super::*;

    fn style() -> Style {
        Style::new(&Config::parse("").unwrap())
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
             **Description**: answers \\*slowly\\*\n\n\
             - 🔥 **p99 latency of api-1 above 2s** · since 2026-12-01 19:44:54 CST · [Source](http://prometheus:9090/graph?g0.expr=latency&g0.tab=1)\n  \
             - **instance**: api-1:9100\n\
             - 🔥 **p99 latency of api-2 above 2s** · since 2026-12-01 19:44:54 CST · [Source](http://prometheus:9090/graph?g0.expr=latency&g0.tab=1)\n  \
             - **instance**: api-2:9100\n\n\
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
        assert!(body.contains("- ✅ **p99 latency of api-1 above 2s** — answers \\*slowly\\* · since 2026-12-01 19:44:54 CST · resolved 2026-12-01 20:00:00 CST"), "{body}");
        assert!(!body.contains("Silence") && !body.contains('🔥'), "{body}");
        let utc = Style::new(&Config::parse("timezone: UTC\n").unwrap());
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
        let off =
            Style::new(&Config::parse("mention_from: {label: '', annotation: ''}\n").unwrap());
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
            body.contains("7 more alerts left out by Alertmanager (max_alerts)"),
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
}
