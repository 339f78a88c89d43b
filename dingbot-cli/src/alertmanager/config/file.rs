//! The file's shape: prometheus-webhook-dingtalk's keys and dingbot's own, every key
//! known (an unknown one is an error, as prometheus-webhook-dingtalk reads strictly),
//! every value checked as it is read ([`super::values`]), and the rules between the keys
//! of one mapping checked as soon as the mapping is read ([`super::checked::mapping`]).

use std::collections::BTreeMap;
use std::num::NonZeroUsize;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::checked::{Scalar, mapping};
use super::robots::{NO_WEBHOOK, RobotEntry, one_of, robot};
use super::settings::{
    Config, DEFAULT_DEDUP_WINDOW, DEFAULT_DRAIN_TIMEOUT, DEFAULT_HOLD_FOR, DEFAULT_MAX_HELD,
    DEFAULT_TIMEOUT, DEFAULT_TIMEZONE, MentionFrom, Target,
};
use crate::alertmanager::template;

use super::values::{
    Duration, FromEnv, FromFile, MentionId, ProxyUrl, Rate, RedisUrl, Secret, SigningSecret,
    TargetName, Text, TimeZone, Webhook,
};

/// The whole file.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a config: a mapping of keys such as timeout and targets"
)]
pub struct File {
    // prometheus-webhook-dingtalk's keys
    #[serde(default)]
    timeout: Option<Duration>,
    #[serde(default)]
    no_builtin_template: bool,
    #[serde(default)]
    template: Option<Text>,
    #[serde(default)]
    templates: Vec<Text>,
    #[serde(default)]
    default_message: Option<GoMessage>,
    #[serde(default)]
    targets: Option<Targets>,
    // dingbot's own
    #[serde(default)]
    timezone: Option<TimeZone>,
    #[serde(default)]
    mention_from: Option<MentionFromKeys>,
    #[serde(default)]
    dedup_window: Option<Duration>,
    #[serde(default)]
    drain_timeout: Option<Duration>,
    #[serde(default)]
    rate: Option<Rate>,
    #[serde(default)]
    max_held: Option<NonZeroUsize>,
    #[serde(default)]
    redis: Option<Redis>,
    #[serde(default)]
    hold_dir: Option<std::path::PathBuf>,
    #[serde(default)]
    hold_for: Option<Duration>,
    #[serde(default)]
    chatops: Option<super::chatops::ChatOpsKeys>,
}

/// `message: {title, text}`: Go templates; a key left out is prometheus-webhook-dingtalk's
/// default (`{{ template "ding.link.title" . }}`, `{{ template "ding.link.content" . }}`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoMessage {
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    text: Option<Text>,
}

impl From<GoMessage> for template::GoMessage {
    fn from(message: GoMessage) -> Self {
        let default = template::GoMessage::default();
        template::GoMessage {
            title: message.title.map_or(default.title, |t| t.0),
            text: message.text.map_or(default.text, |t| t.0),
        }
    }
}

/// `mention_from: {label, annotation}`; an empty name turns one off.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MentionFromKeys {
    #[serde(default)]
    label: Option<Text>,
    #[serde(default)]
    annotation: Option<Text>,
}

/// `targets.<name>` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetKeys {
    #[serde(default)]
    url: Option<Webhook>,
    #[serde(default)]
    url_env: Option<FromEnv<Webhook>>,
    #[serde(default)]
    url_file: Option<FromFile<Webhook>>,
    #[serde(default)]
    secret: Option<SigningSecret>,
    #[serde(default)]
    secret_env: Option<FromEnv<SigningSecret>>,
    #[serde(default)]
    secret_file: Option<FromFile<SigningSecret>>,
    /// More robots in the same group, instead of `url` and `secret`.
    #[serde(default)]
    robots: Option<Vec<RobotEntry>>,
    #[serde(default)]
    proxy_url: Option<ProxyUrl>,
    #[serde(default)]
    mention: Option<Mention>,
    #[serde(default)]
    message: Option<GoMessage>,
}

/// `targets.<name>.mention`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Mention {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    mobiles: Vec<MentionId>,
    #[serde(default)]
    user_ids: Vec<MentionId>,
}

/// `redis: {url, url_env}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedisKeys {
    #[serde(default)]
    url: Option<RedisUrl>,
    #[serde(default)]
    url_env: Option<FromEnv<RedisUrl>>,
}

/// `targets`: at least one.
struct Targets(BTreeMap<TargetName, TargetEntry>);

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Reading;

        impl<'de> Visitor<'de> for Reading {
            type Value = Targets;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of target names to targets")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Targets, A::Error> {
                let mut targets = BTreeMap::new();
                // A name given twice is refused as it is read ([`super::unique`]).
                while let Some((name, entry)) = map.next_entry::<TargetName, TargetEntry>()? {
                    targets.insert(name, entry);
                }
                if targets.is_empty() {
                    return Err(de::Error::custom(NO_TARGETS));
                }
                Ok(Targets(targets))
            }
        }

        deserializer.deserialize_map(Reading)
    }
}

/// Why a config without targets is refused: every notification would be answered 404,
/// which Alertmanager does not retry.
const NO_TARGETS: &str = "no targets: a config needs at least one (`targets: {name: {url: ...}}`); \
     without one every notification would be answered 404 and lost";

/// A target, checked, and its Go templates' message if it names one.
struct TargetEntry {
    target: Target,
    message: Option<GoMessage>,
}

impl<'de> Deserialize<'de> for TargetEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        mapping::<D, TargetKeys, TargetEntry>(deserializer)
    }
}

impl TryFrom<TargetKeys> for TargetEntry {
    type Error = String;

    fn try_from(keys: TargetKeys) -> Result<TargetEntry, String> {
        let own = robot(
            (keys.url, keys.url_env, keys.url_file),
            (keys.secret, keys.secret_env, keys.secret_file),
        )?;
        let robots = match (own, keys.robots) {
            (Some(_), Some(_)) => {
                return Err(
                    "give `url` and `secret` for one robot, or `robots` for several, \
                     not both"
                        .to_owned(),
                );
            }
            (Some(own), None) => vec![own],
            (None, Some(robots)) if robots.is_empty() => {
                return Err("`robots` is empty: list at least one robot ({url, secret})".to_owned());
            }
            (None, Some(robots)) => robots.into_iter().map(|r| r.0).collect(),
            (None, None) => return Err(NO_WEBHOOK.to_owned()),
        };
        let mention = keys.mention.unwrap_or_default();
        let ids = |list: Vec<MentionId>| list.into_iter().map(|id| id.0).collect();
        Ok(TargetEntry {
            target: Target {
                // Set from the key once the mapping has been read.
                name: String::new(),
                robots,
                proxy_url: keys.proxy_url.map(|p| p.0),
                mention_all: mention.all,
                mobiles: ids(mention.mobiles),
                user_ids: ids(mention.user_ids),
            },
            message: keys.message,
        })
    }
}

/// `redis`, checked.
struct Redis(Secret);

impl<'de> Deserialize<'de> for Redis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        mapping::<D, RedisKeys, Redis>(deserializer)
    }
}

impl TryFrom<RedisKeys> for Redis {
    type Error = String;

    fn try_from(keys: RedisKeys) -> Result<Redis, String> {
        let url = one_of(
            ("url", keys.url),
            ("url_env", keys.url_env.map(|v| v.0)),
            ("", None),
        )?
        .ok_or("give `url` (redis://host:6379) or `url_env`")?;
        Ok(Redis(url.0))
    }
}

impl File {
    /// The config this file describes, with every default filled in.
    pub fn into_config(self) -> Result<Config, String> {
        let mut templates = template::Sources {
            no_builtin: self.no_builtin_template,
            patterns: self
                .template
                .into_iter()
                .chain(self.templates)
                .map(|t| t.0)
                .collect(),
            default_message: self.default_message.map(Into::into),
            targets: BTreeMap::new(),
        };
        let Some(Targets(entries)) = self.targets else {
            return Err(format!("targets: {NO_TARGETS}"));
        };
        let mut targets = BTreeMap::new();
        for (TargetName(name), entry) in entries {
            if let Some(message) = entry.message {
                templates.targets.insert(name.clone(), message.into());
            }
            let mut target = entry.target;
            target.name.clone_from(&name);
            targets.insert(name, target);
        }
        let timezone = match self.timezone {
            Some(timezone) => timezone,
            None => <TimeZone as Scalar>::check(DEFAULT_TIMEZONE)?,
        };
        let duration = |value: Option<Duration>, default| value.map_or(default, |d| d.0);
        let chatops = self.chatops.map(TryInto::try_into).transpose()?;
        Ok(Config {
            chatops,
            timeout: duration(self.timeout, DEFAULT_TIMEOUT),
            timezone: timezone.zone,
            timezone_name: timezone.name,
            targets,
            mention_from: self
                .mention_from
                .map_or_else(MentionFrom::default, |m| MentionFrom {
                    label: m.label.map(|t| t.0).filter(|s| !s.is_empty()),
                    annotation: m.annotation.map(|t| t.0).filter(|s| !s.is_empty()),
                }),
            dedup_window: duration(self.dedup_window, DEFAULT_DEDUP_WINDOW),
            drain_timeout: duration(self.drain_timeout, DEFAULT_DRAIN_TIMEOUT),
            rate: self.rate.map(|rate| rate.0),
            max_held: self.max_held.map_or(DEFAULT_MAX_HELD, NonZeroUsize::get),
            redis: self.redis.map(|redis| redis.0),
            hold_dir: self.hold_dir.filter(|dir| !dir.as_os_str().is_empty()),
            hold_for: duration(self.hold_for, DEFAULT_HOLD_FOR),
            template_sources: templates,
            templates: None,
        })
    }
}
