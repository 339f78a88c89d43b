//! `/metrics`: what the bridge has done, in Prometheus' text format, through
//! `prometheus-client` (the Prometheus project's own Rust client: typed label sets, no
//! global registry, OpenMetrics text).
//!
//! Label values are target names, statuses, outcomes and errcodes: never a URL, a token
//! or a secret.

use std::fmt::Write as _;
use std::sync::LazyLock;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// A target.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TargetLabel {
    /// The target's name.
    pub target: String,
}

/// A target and a status (`firing`, `resolved`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    /// The target's name.
    pub target: String,
    /// `firing` or `resolved`.
    pub status: String,
}

/// A target and what became of a notification.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// The target's name.
    pub target: String,
    /// `delivered`, `held`, `duplicate`, `retry` (answered 5xx so Alertmanager sends it
    /// again), `refused` (DingTalk refused it for good, also answered 5xx).
    pub outcome: String,
}

/// A target and the errcode of a failed send.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FailedLabels {
    /// The target's name.
    pub target: String,
    /// DingTalk's errcode, or what failed when there was none (`timeout`, `transport`,
    /// `http`, `other`).
    pub errcode: String,
}

/// A reload's result.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabel {
    /// `success` or `failure`.
    pub result: String,
}

/// Why a request was refused before it reached an endpoint.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    /// `host` (421), `content_type` (415) or `origin` (403).
    pub reason: String,
}

/// A target and why mentions an alert named were left out of a message.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DroppedLabels {
    /// The target's name.
    pub target: String,
    /// `invalid` (not a mobile number or user id) or `over_cap` (past the most mentions
    /// a message holds).
    pub reason: String,
}

/// Mentions left out of messages, by target and reason: counted where messages are
/// rendered, which has no [`Metrics`] at hand, so the family is one for the process and
/// every [`Metrics`] registers it.
pub fn mentions_dropped() -> &'static Family<DroppedLabels, Counter> {
    static DROPPED: LazyLock<Family<DroppedLabels, Counter>> = LazyLock::new(Family::default);
    &DROPPED
}

/// Every metric the bridge exports.
pub struct Metrics {
    registry: Registry,
    /// Notifications received, by target and status.
    pub notifications: Family<StatusLabels, Counter>,
    /// What became of them.
    pub outcomes: Family<OutcomeLabels, Counter>,
    /// Alerts received, by target and status.
    pub alerts: Family<StatusLabels, Counter>,
    /// Messages DingTalk accepted.
    pub messages_sent: Family<TargetLabel, Counter>,
    /// Messages merged into digest summaries during bursts.
    pub messages_merged: Family<TargetLabel, Counter>,
    /// Failed sends, by errcode.
    pub failed: Family<FailedLabels, Counter>,
    /// Held messages given up on (refused for good, or still held when the drain ended).
    pub held_failed: Family<TargetLabel, Counter>,
    /// Notifications that found the robot throttled (its window full, or DingTalk's
    /// 10-minute throttle).
    pub throttled: Family<TargetLabel, Counter>,
    /// Messages held now, waiting for a slot.
    pub held: Family<TargetLabel, Gauge>,
    /// Seconds from a notification's arrival to DingTalk's answer to its last message,
    /// for notifications delivered at once.
    pub latency: Family<TargetLabel, Histogram>,
    /// Config reloads.
    pub reloads: Family<ResultLabel, Counter>,
    /// 1 when the last reload succeeded.
    pub config_ok: Gauge,
    /// Requests refused before they reached an endpoint, by reason.
    pub refused: Family<ReasonLabel, Counter>,
}

impl Metrics {
    /// The metrics, registered.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("dingbot_alertmanager");
        let notifications = Family::<StatusLabels, Counter>::default();
        registry.register(
            "notifications_received",
            "Notifications received from Alertmanager",
            notifications.clone(),
        );
        let outcomes = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "notifications",
            "What became of the notifications: delivered, held (answered 200, sent when the window has room), duplicate, retry (answered 503), refused (answered 500)",
            outcomes.clone(),
        );
        let alerts = Family::<StatusLabels, Counter>::default();
        registry.register(
            "alerts_received",
            "Alerts in the notifications received",
            alerts.clone(),
        );
        let messages_sent = Family::<TargetLabel, Counter>::default();
        registry.register(
            "messages_sent",
            "Messages DingTalk accepted",
            messages_sent.clone(),
        );
        let messages_merged = Family::<TargetLabel, Counter>::default();
        registry.register(
            "messages_merged",
            "Messages merged into digest summaries during bursts",
            messages_merged.clone(),
        );
        let failed = Family::<FailedLabels, Counter>::default();
        registry.register(
            "messages_failed",
            "Failed sends to DingTalk, by errcode",
            failed.clone(),
        );
        let held_failed = Family::<TargetLabel, Counter>::default();
        registry.register(
            "held_messages_failed",
            "Held messages given up on: refused for good, failing past hold_for, or still held when the drain ended (those stay in hold_dir)",
            held_failed.clone(),
        );
        let throttled = Family::<TargetLabel, Counter>::default();
        registry.register(
            "throttled",
            "Notifications that found the robot's window full or DingTalk's throttle on",
            throttled.clone(),
        );
        let held = Family::<TargetLabel, Gauge>::default();
        registry.register(
            "held_messages",
            "Messages held now, waiting for a send slot",
            held.clone(),
        );
        let latency = Family::<TargetLabel, Histogram>::new_with_constructor(|| {
            Histogram::new([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
        });
        registry.register(
            "delivery_seconds",
            "Seconds from a notification's arrival to DingTalk's answer, for notifications delivered at once",
            latency.clone(),
        );
        let reloads = Family::<ResultLabel, Counter>::default();
        registry.register("config_reloads", "Config reloads", reloads.clone());
        let config_ok = Gauge::default();
        registry.register(
            "config_last_reload_successful",
            "1 when the last config reload succeeded",
            config_ok.clone(),
        );
        config_ok.set(1);
        let refused = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "requests_refused",
            "Requests refused before they reached an endpoint: host (addressed to a name not listed with --allowed-host, 421), content_type (not application/json, 415), origin (sent by a web page, 403)",
            refused.clone(),
        );
        registry.register(
            "mentions_dropped",
            "Mentions named by alerts and left out of messages, shown as text instead: invalid (not a mobile number or user id), over_cap (past the most mentions a message holds)",
            mentions_dropped().clone(),
        );
        Metrics {
            registry,
            notifications,
            outcomes,
            alerts,
            messages_sent,
            messages_merged,
            failed,
            held_failed,
            throttled,
            held,
            latency,
            reloads,
            config_ok,
            refused,
        }
    }

    /// The metrics in the text format.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            let _ = writeln!(text, "# the metrics could not be encoded");
        }
        text
    }
}

/// The label of one target.
pub fn target(name: &str) -> TargetLabel {
    TargetLabel {
        target: name.to_owned(),
    }
}

/// The errcode label of a failed send.
pub fn errcode_label(err: &dingbot::Error) -> String {
    if let Some(code) = err.errcode() {
        return code.to_string();
    }
    match err {
        dingbot::Error::Timeout => "timeout".into(),
        dingbot::Error::Transport { .. } => "transport".into(),
        dingbot::Error::HttpStatus { .. } => "http".into(),
        dingbot::Error::RetriesExhausted { attempts } => attempts
            .last()
            .map_or_else(|| "other".into(), errcode_label),
        _ => "other".into(),
    }
}
