//! The config as the bridge uses it: every value checked, every default filled in.

use std::collections::BTreeMap;
use std::time::Duration;

use super::values::Secret;
use crate::alertmanager::template;

/// A config file read and checked.
#[derive(Debug)]
pub struct Config {
    /// How long one request to DingTalk may take (`timeout`, default 5 s, as
    /// prometheus-webhook-dingtalk).
    pub timeout: Duration,
    /// The time zone start and end times are shown in (`timezone`, default
    /// `Asia/Shanghai`).
    pub timezone: jiff::tz::TimeZone,
    /// The time zone's name, as written.
    pub timezone_name: String,
    /// The targets, by name.
    pub targets: BTreeMap<String, Target>,
    /// Which alert label and annotation name extra people to mention.
    pub mention_from: MentionFrom,
    /// How long a notification is remembered so that Alertmanager re-sending it (a retry,
    /// a peer of its cluster) does not post it twice (`dedup_window`, default
    /// [`DEFAULT_DEDUP_WINDOW`]; keep it below the `repeat_interval`, whose reminders are
    /// meant to be posted).
    pub dedup_window: Duration,
    /// How long a SIGTERM waits for held messages to be delivered (`drain_timeout`,
    /// default 30 s).
    pub drain_timeout: Duration,
    /// Messages per window each robot may send (`rate: 20/1m`; DingTalk's own limit by
    /// default). Every robot for one access token must agree on it.
    pub rate: Option<dingbot::Rate>,
    /// The most messages held per target while DingTalk's window is full (`max_held`,
    /// default 10,000); beyond it notifications are answered 503, so Alertmanager keeps
    /// them.
    pub max_held: usize,
    /// Redis for a pacing window shared by every replica (`redis.url` / `redis.url_env`).
    pub redis: Option<Secret>,
    /// Where messages waiting for the robot's window are kept, so that a restart (even a
    /// SIGKILL) loses none (`hold_dir`). Without it nothing is held: a notification that
    /// cannot go out at once is answered 503 and stays Alertmanager's.
    pub hold_dir: Option<std::path::PathBuf>,
    /// How long a held message is sent again while DingTalk keeps failing on it before it
    /// is given up (`hold_for`, default [`DEFAULT_HOLD_FOR`]).
    pub hold_for: Duration,
    /// The Go template keys as written (`templates`, `default_message`,
    /// `targets.<name>.message`, ...).
    pub template_sources: template::Sources,
    /// The Go templates, read and checked, when the config names any; else messages
    /// are rendered by dingbot's own layout.
    pub templates: Option<template::GoTemplates>,
    /// The app robot that answers the group's commands on Alertmanager (`chatops`).
    pub chatops: Option<super::chatops::ChatOpsSettings>,
}

/// One target: a robot and who it always mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Its name, the key under `targets` (part of its URL path, a label in `/metrics`).
    pub name: String,
    /// Its robots, all in one DingTalk group: one (`url`, `secret`), or several
    /// (`robots`), which carry 20 messages a minute each.
    pub robots: Vec<RobotKeys>,
    /// The HTTP proxy its robots reach DingTalk through (`proxy_url`); without it,
    /// `HTTPS_PROXY` / `NO_PROXY` from the environment.
    pub proxy_url: Option<Secret>,
    /// `mention.all`: every message mentions everyone.
    pub mention_all: bool,
    /// `mention.mobiles`: mobiles every message mentions.
    pub mobiles: Vec<String>,
    /// `mention.user_ids`: user ids every message mentions.
    pub user_ids: Vec<String>,
}

/// One robot of a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotKeys {
    /// The webhook URL (or bare access token).
    pub url: Secret,
    /// The `SEC...` signing secret, if the robot signs.
    pub secret: Option<Secret>,
}

/// The alert label and annotation whose value names people to mention: mobiles and
/// user ids separated by commas or spaces (`13800000000, manager4711`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionFrom {
    /// The label's name (default `dingtalk_at`), `None` when turned off.
    pub label: Option<String>,
    /// The annotation's name (default `dingtalk_at`), `None` when turned off.
    pub annotation: Option<String>,
}

/// The default name of the label and annotation that add mentions.
pub const DEFAULT_MENTION_KEY: &str = "dingtalk_at";

/// The time zone times are shown in unless `timezone` says otherwise.
pub const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";

/// `timeout` unless the config says otherwise, as prometheus-webhook-dingtalk.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// `dedup_window` unless the config says otherwise: 5 minutes, Alertmanager's default
/// `group_interval`, within which its retries of one notification fall; well below any
/// `repeat_interval` worth having, whose reminders are meant to be posted.
pub const DEFAULT_DEDUP_WINDOW: Duration = Duration::from_secs(5 * 60);

/// `drain_timeout` unless the config says otherwise.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// `hold_for` unless the config says otherwise: an hour.
pub const DEFAULT_HOLD_FOR: Duration = Duration::from_secs(3600);

/// `max_held` unless the config says otherwise.
pub const DEFAULT_MAX_HELD: usize = 10_000;

impl Default for MentionFrom {
    fn default() -> Self {
        MentionFrom {
            label: Some(DEFAULT_MENTION_KEY.into()),
            annotation: Some(DEFAULT_MENTION_KEY.into()),
        }
    }
}
