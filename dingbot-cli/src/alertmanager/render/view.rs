//! The messages' look: the derived views of a firing and a resolved group and of one
//! alert, the title, and one message built from a range of a group's alerts.
//!
//! Labels are written `key=value`, joined by ` · `, on one line: the group's common
//! labels once under the title, and each alert's own (those not common to the group)
//! on the alert's line. DingTalk's markdown does not reliably nest lists, so nothing is
//! put in a sub-list whose bullets could read as siblings of the alerts.

use std::borrow::Cow;
use std::fmt;

use dingbot::{DingItem, DingMessage, Message, Payload};

use super::dropped::{invalid_note, over_cap_note};
use super::fit::{SQUEEZE, shorten};
use super::links::{alertmanager_url, grafana_url, grafana_values, silence_url};
use super::mentions::Named;
use crate::alertmanager::config::{Config, MentionFrom};
use crate::alertmanager::payload::{Alert, Notification, Status};

/// How messages look: the time zone and where alerts name people to mention.
#[derive(Debug, Clone)]
pub struct Style {
    pub(super) timezone: jiff::tz::TimeZone,
    pub(super) mention_from: MentionFrom,
    /// The config's Go templates, which render instead when it names any.
    pub(super) templates: Option<crate::alertmanager::template::GoTemplates>,
}

impl Style {
    /// The style `config` asks for.
    pub fn new(config: &Config) -> Style {
        Style {
            timezone: config.timezone.clone(),
            mention_from: config.mention_from.clone(),
            templates: config.templates.clone(),
        }
    }
}

/// A firing group as a message.
#[derive(DingMessage)]
#[ding(
    markdown,
    title = "{title}",
    body = "#### 🔥 {title}\n\n\
            {#severity}**Severity**: {severity}\n\n{/severity}\
            {#labels}**Labels**: {labels}\n\n{/labels}\
            {#summary}**Summary**: {summary}\n\n{/summary}\
            {#description}**Description**: {description}\n\n{/description}\
            {alerts}\
            {#truncated}\n\n… and {truncated} more alerts not sent by {sender}{/truncated}\
            {#not_ids}\n\nNot mentioned, not a mobile number or user id: {not_ids}{/not_ids}\
            {#over_cap}\n\nNot mentioned, past the mentions a message holds: {over_cap}{/over_cap}\
            {#alertmanager}\n\n[Alertmanager]({alertmanager}){/alertmanager}\
            {#silence} · [Silence]({silence}){/silence}\
            {#grafana}\n\n[Grafana]({grafana}){/grafana}"
)]
struct Firing<'a> {
    title: String,
    severity: Option<Cow<'a, str>>,
    labels: Option<String>,
    summary: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    #[ding(list)]
    alerts: Vec<AlertItem<'a>>,
    truncated: Option<u64>,
    sender: &'static str,
    not_ids: Option<String>,
    over_cap: Option<String>,
    alertmanager: Option<String>,
    silence: Option<String>,
    grafana: Option<String>,
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
            {#labels}**Labels**: {labels}\n\n{/labels}\
            {#summary}**Summary**: {summary}\n\n{/summary}\
            {#description}**Description**: {description}\n\n{/description}\
            {alerts}\
            {#truncated}\n\n… and {truncated} more alerts not sent by {sender}{/truncated}\
            {#not_ids}\n\nNot mentioned, not a mobile number or user id: {not_ids}{/not_ids}\
            {#over_cap}\n\nNot mentioned, past the mentions a message holds: {over_cap}{/over_cap}\
            {#alertmanager}\n\n[Alertmanager]({alertmanager}){/alertmanager}\
            {#grafana}\n\n[Grafana]({grafana}){/grafana}"
)]
struct Resolved<'a> {
    title: String,
    labels: Option<String>,
    summary: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    #[ding(list)]
    alerts: Vec<AlertItem<'a>>,
    truncated: Option<u64>,
    sender: &'static str,
    not_ids: Option<String>,
    over_cap: Option<String>,
    alertmanager: Option<String>,
    grafana: Option<String>,
    #[ding(at_mobiles)]
    mobiles: &'a [String],
    #[ding(at_user_ids)]
    user_ids: &'a [String],
    #[ding(at_all)]
    all: bool,
}

/// One alert as one line of the list: its summary, severity, the labels it does not
/// share with the group, description, Grafana's values, when it started (and ended),
/// its source, and Grafana's links (dashboard, panel, silence, image).
#[derive(DingItem)]
#[ding(item = "{icon} **{summary}**{#severity} ({severity}){/severity}\
            {#labels} · {labels}{/labels}\
            {#description} — {description}{/description}\
            {#values} · values {values}{/values}\
            {#starts_at} · since {starts_at}{/starts_at}\
            {#ends_at} · resolved {ends_at}{/ends_at}\
            {#source} · [Source]({source}){/source}\
            {#dashboard} · [Dashboard]({dashboard}){/dashboard}\
            {#panel} · [Panel]({panel}){/panel}\
            {#silence} · [Silence]({silence}){/silence}\
            {#image} · [Image]({image}){/image}")]
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
    labels: Option<String>,
    values: Option<String>,
    dashboard: Option<&'a str>,
    panel: Option<&'a str>,
    silence: Option<&'a str>,
    image: Option<&'a str>,
}

/// A time as shown: `2026-12-01 19:44:54 CST`, in the configured zone.
fn local_time(time: &jiff::ZonedDateTime, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}", time.strftime("%Y-%m-%d %H:%M:%S %Z"))
}

/// `key=value` pairs joined by ` · `, values cut to `limit`; `None` for no pairs.
fn pairs<'b>(
    labels: impl Iterator<Item = (&'b String, &'b String)>,
    limit: usize,
) -> Option<String> {
    let mut out = String::new();
    for (key, value) in labels {
        if !out.is_empty() {
            out.push_str(" · ");
        }
        out.push_str(key);
        out.push('=');
        out.push_str(&shorten(value, limit));
    }
    (!out.is_empty()).then_some(out)
}

/// What every part of a notification shares.
pub struct Group<'a> {
    notification: &'a Notification,
    style: &'a Style,
    title: String,
}

impl<'a> Group<'a> {
    pub fn new(notification: &'a Notification, style: &'a Style) -> Group<'a> {
        Group {
            notification,
            style,
            title: title(notification),
        }
    }

    pub fn fits(
        &self,
        range: std::ops::Range<usize>,
        part: Option<(usize, usize)>,
        squeeze: usize,
        named: &Named,
    ) -> bool {
        let message = self.message(range, part, squeeze, named);
        // A body over the limit cannot fit once encoded: no need to encode it.
        message
            .body()
            .is_some_and(|body| body.len() <= dingbot::MAX_BODY_BYTES)
            && Payload::new(&message).is_ok()
    }

    /// One message: the alerts in `range`, as part `part` of the notification, values
    /// cut at the `squeeze` level.
    pub fn message(
        &self,
        range: std::ops::Range<usize>,
        part: Option<(usize, usize)>,
        squeeze: usize,
        named: &Named,
    ) -> Message {
        let mentions = &named.mentions;
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
        // The labels every alert has, but for those shown otherwise: the alert name (in
        // the title), the severity (its own line) and the mention label (routing).
        let labels = pairs(
            n.common_labels
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "alertname" | "severity"))
                .filter(|(k, _)| self.style.mention_from.label.as_ref() != Some(*k)),
            limit,
        );
        // Said once, at the end of the last part.
        let last = part.is_none_or(|(i, count)| i == count);
        let truncated = (n.truncated_alerts > 0 && last).then_some(n.truncated_alerts);
        let sender = n.sender();
        let (not_ids, over_cap) = (invalid_note(named, limit), over_cap_note(named, limit));
        match n.status {
            Status::Firing => Firing {
                title,
                severity: n.common_labels.get("severity").map(|s| shorten(s, limit)),
                labels,
                summary,
                description,
                alerts,
                truncated,
                sender,
                not_ids,
                over_cap,
                alertmanager: alertmanager_url(n),
                silence: silence_url(n),
                grafana: grafana_url(n),
                mobiles: &mentions.mobiles,
                user_ids: &mentions.user_ids,
                all: mentions.all,
            }
            .to_message(),
            Status::Resolved => Resolved {
                title,
                labels,
                summary,
                description,
                alerts,
                truncated,
                sender,
                not_ids,
                over_cap,
                alertmanager: alertmanager_url(n),
                grafana: grafana_url(n),
                mobiles: &mentions.mobiles,
                user_ids: &mentions.user_ids,
                all: mentions.all,
            }
            .to_message(),
        }
    }

    /// The alerts in `range` on one line of plain text, for a summary of held messages:
    /// each its icon, its summary (else its name) and the labels that tell it apart
    /// (`🔥 Disk full on db-1 · instance=db-1; 🔥 …`).
    pub fn summary(&self, range: std::ops::Range<usize>) -> String {
        let limit = SQUEEZE[SQUEEZE.len() / 2];
        self.notification.alerts[range]
            .iter()
            .map(|alert| {
                let item = self.alert_item(alert, limit);
                let mut line = format!("{} {}", item.icon, item.summary);
                if let Some(labels) = &item.labels {
                    line.push_str(" · ");
                    line.push_str(labels);
                }
                line
            })
            .collect::<Vec<_>>()
            .join("; ")
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
        let annotated = own("summary");
        let summary = annotated
            .or_else(|| alert.labels.get("alertname"))
            .map_or(Cow::Borrowed(""), |s| shorten(s, limit));
        let resolved = alert.status == Status::Resolved;
        // Links go when values are cut to nothing (a group far too large).
        let link = |url: &'a String| Some(url.as_str()).filter(|u| !u.is_empty() && limit > 0);
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
            source: link(&alert.generator_url),
            values: grafana_values(alert, limit),
            dashboard: link(&alert.dashboard_url),
            panel: link(&alert.panel_url),
            silence: link(&alert.silence_url),
            image: link(&alert.image_url),
            // What tells this alert apart: the labels not common to the group (the alert
            // name too, when the group's alerts differ in it and it is not the summary).
            labels: pairs(
                alert.labels.iter().filter(|(k, v)| {
                    let shown = match k.as_str() {
                        "severity" => false,
                        "alertname" => annotated.is_some(),
                        _ => self.style.mention_from.label.as_ref() != Some(*k),
                    };
                    shown && n.common_labels.get(k.as_str()) != Some(*v)
                }),
                limit,
            ),
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
