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

use std::collections::BTreeSet;

use dingbot::markdown::{Inline, Writer};
use dingbot::{Markdown, Message, Payload};

use super::config::{Config, MentionFrom, Target};
use super::payload::{Alert, KeyValues, Notification, Status};

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

    /// A time as shown: `2026-12-01 19:44:54 CST`.
    fn time(&self, time: jiff::Timestamp) -> String {
        time.to_zoned_datetime(self.timezone.clone())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string()
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

    /// One message: the alerts in `range`, as part `part` of the notification.
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
        let icon = match n.status {
            Status::Firing => "🔥",
            Status::Resolved => "✅",
        };
        let mut body = Writer::new().heading(4, Inline::text(&format!("{icon} {title}")));
        for key in ["severity"] {
            if let Some(value) = n.common_labels.get(key) {
                body = body.field("Severity", Inline::text(&shorten(value, limit)));
            }
        }
        let items = n.alerts[range]
            .iter()
            .map(|alert| self.alert_item(alert, limit));
        body = body.list(items);
        if n.truncated_alerts > 0 {
            body = body.paragraph(Inline::text(&format!(
                "{} more alerts were left out by Alertmanager (max_alerts)",
                n.truncated_alerts
            )));
        }
        let mut links = Vec::new();
        if let Some(url) = alertmanager_url(n) {
            links.push(Inline::link("Alertmanager", &url).into_string());
        }
        if n.status == Status::Firing {
            if let Some(url) = silence_url(n) {
                links.push(Inline::link("Silence", &url).into_string());
            }
        }
        if !links.is_empty() {
            body = body.paragraph(Inline::raw(links.join(" · ")));
        }
        let mut message = Markdown::new(title, body.finish())
            .at_mobiles(mentions.mobiles.iter())
            .at_user_ids(mentions.user_ids.iter());
        if mentions.all {
            message = message.at_all();
        }
        message.into()
    }

    fn alert_item(&self, alert: &Alert, limit: usize) -> Inline {
        let n = self.notification;
        let mut item = String::new();
        let summary = alert
            .annotations
            .get("summary")
            .or_else(|| alert.labels.get("alertname"))
            .map_or_else(String::new, |s| shorten(s, limit));
        let resolved = alert.status == Status::Resolved;
        item.push_str(if resolved { "✅ " } else { "🔥 " });
        item.push_str(Inline::bold(Inline::text(&summary)).as_str());
        if let Some(severity) = alert.labels.get("severity") {
            if !n.common_labels.contains_key("severity") {
                item.push_str(&format!(
                    " ({})",
                    Inline::text(&shorten(severity, limit)).as_str()
                ));
            }
        }
        if let Some(description) = alert.annotations.get("description") {
            item.push_str(" — ");
            item.push_str(Inline::text(&shorten(description, limit)).as_str());
        }
        let labels = own_labels(alert, &n.common_labels);
        if !labels.is_empty() {
            let labels: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}={}", shorten(v, limit)))
                .collect();
            item.push_str(" · ");
            item.push_str(Inline::text(&labels.join(", ")).as_str());
        }
        if let Some(start) = alert.starts_at {
            item.push_str(" · since ");
            item.push_str(Inline::text(&self.style.time(start)).as_str());
        }
        if let (true, Some(end)) = (resolved, alert.ends_at) {
            item.push_str(" · resolved ");
            item.push_str(Inline::text(&self.style.time(end)).as_str());
        }
        if !alert.generator_url.is_empty() && limit > 0 {
            item.push_str(" · ");
            item.push_str(Inline::link("Source", &alert.generator_url).as_str());
        }
        Inline::raw(item)
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
    shorten(&title, 200)
}

/// The labels of `alert` that not every alert of the group has, `alertname` aside.
fn own_labels<'a>(alert: &'a Alert, common: &KeyValues) -> Vec<(&'a str, &'a str)> {
    alert
        .labels
        .iter()
        .filter(|(k, v)| k.as_str() != "alertname" && common.get(*k) != Some(v))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
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
fn shorten(value: &str, limit: usize) -> String {
    if value.len() <= limit {
        return value.to_owned();
    }
    let mut end = limit;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &value[..end])
}
