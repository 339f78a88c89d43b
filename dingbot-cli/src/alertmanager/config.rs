//! The bridge's config file: prometheus-webhook-dingtalk's `config.yml` read as it is,
//! plus dingbot's own keys.
//!
//! Everything is checked while the YAML is read, so every mistake is reported with the
//! key it sits under and its line (`targets.ops.url: ... at line 7 column 10`): a
//! wrong type, an unknown key (as prometheus-webhook-dingtalk, which reads strictly),
//! a target name it would refuse, a webhook URL or secret DingTalk would refuse, an
//! environment variable that is not set, a time zone that does not exist. Secrets are
//! never part of an error: what is wrong with them is described, not quoted.
//!
//! Go templates (`templates`, `template`, `default_message`, `targets.<name>.message`,
//! `no_builtin_template`) cannot be honoured: a config that names them is accepted, the
//! keys are listed in [`Config::ignored`], and one warning says the messages are
//! rendered by dingbot's own layout.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

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
    /// a peer of its cluster) does not post it twice (`dedup_window`, default 5 m, as
    /// Alertmanager's `group_interval`; keep it below the `repeat_interval`, whose
    /// reminders are meant to be posted).
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
    /// Keys that name Go templates, which are not honoured.
    pub ignored: Vec<String>,
}

/// One target: a robot and who it always mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The webhook URL (or bare access token).
    pub url: Secret,
    /// The `SEC...` signing secret, if the robot signs.
    pub secret: Option<Secret>,
    /// `mention.all`: every message mentions everyone.
    pub mention_all: bool,
    /// `mention.mobiles`: mobiles every message mentions.
    pub mobiles: Vec<String>,
    /// `mention.user_ids`: user ids every message mentions.
    pub user_ids: Vec<String>,
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

impl Default for MentionFrom {
    fn default() -> Self {
        MentionFrom {
            label: Some(DEFAULT_MENTION_KEY.into()),
            annotation: Some(DEFAULT_MENTION_KEY.into()),
        }
    }
}

/// A string that is never shown: a webhook URL, a secret, a Redis URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The value, to hand to the robot.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why a config file cannot be used.
#[derive(Debug)]
pub struct ConfigError {
    path: PathBuf,
    message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// An error about the config at `path`.
    pub fn new(path: &Path, message: String) -> ConfigError {
        ConfigError {
            path: path.to_owned(),
            message,
        }
    }
}

impl Config {
    /// Reads and checks the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            message: format!("cannot read the config file: {e}"),
        })?;
        Config::parse(&text).map_err(|message| ConfigError {
            path: path.to_owned(),
            message,
        })
    }

    /// Reads and checks a config from its text. The error names the key and the line.
    pub fn parse(text: &str) -> Result<Config, String> {
        // An empty file is a config without targets, as for prometheus-webhook-dingtalk.
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?
        };
        raw.finish(text)
    }

    /// The one warning about Go templates, if the config names any.
    pub fn template_warning(&self) -> Option<String> {
        if self.ignored.is_empty() {
            return None;
        }
        Some(format!(
            "Go templates cannot be honoured; ignoring {}: messages are rendered by dingbot's \
             own layout (title \"[FIRING:n] alertname\", each alert's summary, description, \
             severity, labels, start time and links)",
            self.ignored.join(", ")
        ))
    }
}

/// The file's shape: what serde checks (types, unknown keys), with the line of each
/// mistake. The values are checked after, by [`RawConfig::finish`].
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    // prometheus-webhook-dingtalk's keys
    #[serde(default)]
    timeout: Option<String>,
    #[serde(default)]
    no_builtin_template: bool,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    templates: Vec<String>,
    #[serde(default)]
    default_message: Option<RawMessage>,
    #[serde(default)]
    targets: Option<BTreeMap<String, TargetFields>>,
    // dingbot's own
    #[serde(default)]
    timezone: Option<String>,
    #[serde(default)]
    mention_from: Option<RawMentionFrom>,
    #[serde(default)]
    dedup_window: Option<String>,
    #[serde(default)]
    drain_timeout: Option<String>,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    max_held: Option<usize>,
    #[serde(default)]
    redis: Option<RedisFields>,
}

/// `message: {title, text}`: Go templates, read to be reported, never used.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "read so that the config is accepted; Go templates are not honoured"
)]
struct RawMessage {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMentionFrom {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    annotation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetFields {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    url_env: Option<String>,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    secret_env: Option<String>,
    #[serde(default)]
    mention: Option<RawMention>,
    #[serde(default)]
    message: Option<RawMessage>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMention {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    mobiles: Vec<String>,
    #[serde(default)]
    user_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedisFields {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    url_env: Option<String>,
}

/// Checks values, and says where a wrong one is: `targets.ops.secret (line 7): ...`.
struct Check<'a> {
    text: &'a str,
}

impl Check<'_> {
    /// An error about the value at `path` (keys from the top).
    fn error(&self, path: &[&str], message: impl fmt::Display) -> String {
        let key = path.join(".");
        match locate(self.text, path) {
            Some(line) => format!("{key} (line {line}): {message}"),
            None => format!("{key}: {message}"),
        }
    }

    fn duration(
        &self,
        path: &[&str],
        value: Option<String>,
        default: Duration,
    ) -> Result<Duration, String> {
        match value {
            Some(text) => parse_duration(&text).map_err(|e| self.error(path, e)),
            None => Ok(default),
        }
    }

    /// `key`'s value, or the value of the environment variable `env_key` names; not
    /// both. Never quoted in an error.
    fn value_or_env(
        &self,
        at: &[&str],
        (key, value): (&str, Option<String>),
        (env_key, env): (&str, Option<String>),
    ) -> Result<Option<(Secret, Vec<String>)>, String> {
        let path = |k: &str| {
            at.iter()
                .map(|s| s.to_string())
                .chain([k.to_owned()])
                .collect::<Vec<_>>()
        };
        match (value, env) {
            (Some(_), Some(_)) => {
                Err(self.error(at, format!("give `{key}` or `{env_key}`, not both")))
            }
            (Some(value), None) => Ok(Some((Secret(value), path(key)))),
            (None, Some(name)) => {
                let p = path(env_key);
                let p: Vec<&str> = p.iter().map(String::as_str).collect();
                match std::env::var(&name) {
                    Ok(value) if !value.trim().is_empty() => Ok(Some((
                        Secret(value),
                        p.iter().map(|s| s.to_string()).collect(),
                    ))),
                    Ok(_) => {
                        Err(self.error(&p, format!("the environment variable {name} is empty")))
                    }
                    Err(_) => Err(self.error(
                        &p,
                        format!("the environment variable {name} is not set (or not valid UTF-8)"),
                    )),
                }
            }
            (None, None) => Ok(None),
        }
    }
}

/// The line (from 1) of the key at `path` in block-style YAML: each key is looked for
/// below its parent, indented deeper. `None` when it cannot be found (flow style).
fn locate(text: &str, path: &[&str]) -> Option<usize> {
    let mut lines = text.lines().enumerate();
    let mut parent_indent: Option<usize> = None;
    let mut found = None;
    for key in path {
        let mut hit = None;
        for (number, line) in lines.by_ref() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if parent_indent.is_some_and(|p| indent <= p) {
                // Left the parent's block without finding the key.
                return found;
            }
            let name = trimmed.trim_start_matches("- ");
            let matches = [
                format!("{key}:"),
                format!("\"{key}\":"),
                format!("'{key}':"),
            ]
            .iter()
            .any(|k| name.starts_with(k.as_str()));
            if matches {
                hit = Some((number + 1, indent));
                break;
            }
        }
        let (line, indent) = hit?;
        found = Some(line);
        parent_indent = Some(indent);
    }
    found
}

impl RawConfig {
    fn finish(self, text: &str) -> Result<Config, String> {
        let check = Check { text };
        let mut ignored = Vec::new();
        if self.no_builtin_template {
            ignored.push("no_builtin_template".to_owned());
        }
        if self.template.is_some() {
            ignored.push("template".to_owned());
        }
        if !self.templates.is_empty() {
            ignored.push("templates".to_owned());
        }
        if self.default_message.is_some() {
            ignored.push("default_message".to_owned());
        }
        let mut targets = BTreeMap::new();
        for (name, fields) in self.targets.unwrap_or_default() {
            if fields.message.is_some() {
                ignored.push(format!("targets.{name}.message"));
            }
            let target = fields.check(&check, &name)?;
            targets.insert(name, target);
        }
        let timezone_name = self.timezone.unwrap_or_else(|| DEFAULT_TIMEZONE.to_owned());
        let timezone = jiff::tz::TimeZone::get(&timezone_name).map_err(|_| {
            check.error(
                &["timezone"],
                format!("unknown time zone {timezone_name:?}; use an IANA name such as Asia/Shanghai or UTC"),
            )
        })?;
        let max_held = self.max_held.unwrap_or(10_000);
        if max_held == 0 {
            return Err(check.error(&["max_held"], "must be at least 1"));
        }
        let rate = match self.rate {
            Some(text) => Some(
                text.parse::<dingbot::Rate>()
                    .map_err(|e| check.error(&["rate"], e))?,
            ),
            None => None,
        };
        let redis = match self.redis {
            Some(fields) => {
                let (url, path) = check
                    .value_or_env(&["redis"], ("url", fields.url), ("url_env", fields.url_env))?
                    .ok_or_else(|| {
                        check.error(&["redis"], "give `url` (redis://host:6379) or `url_env`")
                    })?;
                let scheme_ok = ["redis://", "rediss://", "redis+unix://", "unix://"]
                    .iter()
                    .any(|s| url.expose().starts_with(s));
                if !scheme_ok {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    return Err(check.error(
                        &path,
                        "a Redis URL starts with redis://, rediss:// or unix://",
                    ));
                }
                Some(url)
            }
            None => None,
        };
        Ok(Config {
            timeout: check.duration(&["timeout"], self.timeout, Duration::from_secs(5))?,
            timezone,
            timezone_name,
            targets,
            mention_from: self
                .mention_from
                .map_or_else(MentionFrom::default, |m| MentionFrom {
                    label: m.label.filter(|s| !s.is_empty()),
                    annotation: m.annotation.filter(|s| !s.is_empty()),
                }),
            dedup_window: check.duration(
                &["dedup_window"],
                self.dedup_window,
                Duration::from_secs(600),
            )?,
            drain_timeout: check.duration(
                &["drain_timeout"],
                self.drain_timeout,
                Duration::from_secs(30),
            )?,
            rate,
            max_held,
            redis,
            ignored,
        })
    }
}

impl TargetFields {
    fn check(self, check: &Check<'_>, name: &str) -> Result<Target, String> {
        let at = ["targets", name];
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(check.error(
                &at,
                format!("invalid target name {name:?}: a name starts with a letter and has only letters, digits, `-` and `_` (it is part of the URL path)"),
            ));
        }
        let (url, url_path) = check
            .value_or_env(&at, ("url", self.url), ("url_env", self.url_env))?
            .ok_or_else(|| {
                check.error(&at, "no webhook: give `url` (or `url_env`, the name of an environment variable holding it)")
            })?;
        let url_path: Vec<&str> = url_path.iter().map(String::as_str).collect();
        // Checked as the robot will use them; the errors describe, never quote.
        let webhook =
            dingbot::Webhook::parse(url.expose()).map_err(|e| check.error(&url_path, e))?;
        let secret = match check.value_or_env(
            &at,
            ("secret", self.secret),
            ("secret_env", self.secret_env),
        )? {
            Some((secret, path)) => {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                webhook
                    .with_secret(secret.expose())
                    .map_err(|e| check.error(&path, e))?;
                Some(secret)
            }
            None => None,
        };
        let mention = self.mention.unwrap_or_default();
        let ids = |list: Vec<String>, key: &str| -> Result<Vec<String>, String> {
            list.into_iter()
                .map(|id| match id.trim() {
                    "" => Err(check.error(&["targets", name, "mention", key], "an empty entry")),
                    id => Ok(id.to_owned()),
                })
                .collect()
        };
        Ok(Target {
            url,
            secret,
            mention_all: mention.all,
            mobiles: ids(mention.mobiles, "mobiles")?,
            user_ids: ids(mention.user_ids, "user_ids")?,
        })
    }
}

/// The time zone times are shown in unless `timezone` says otherwise.
pub const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";

/// Parses a Go-style duration: one or more `<number><unit>`, units `ns us µs ms s m h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("{text:?} is not a duration; write it like 5s, 500ms, 1m30s or 2h");
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    if rest == "0" {
        return Ok(Duration::ZERO);
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let (number, tail) = rest.split_at(digits);
        let number: f64 = number.parse().map_err(|_| bad())?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let seconds = match unit {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        total += Duration::try_from_secs_f64(number * seconds).map_err(|_| bad())?;
        rest = tail;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMONWONG_SAMPLE: &str = "\
## Request timeout
timeout: 5s

## Customizable templates path
templates:
  - contrib/templates/legacy/template.tmpl

## You can also override default template using `default_message`
default_message:
  title: '{{ template \"legacy.title\" . }}'
  text: '{{ template \"legacy.content\" . }}'

targets:
  webhook1:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    # secret for signature
    secret: SEC000000000000000000000
  webhook2:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
  webhook_legacy:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    message:
      title: '{{ template \"legacy.title\" . }}'
      text: '{{ template \"legacy.content\" . }}'
  webhook_mention_all:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    mention:
      all: true
  webhook_mention_users:
    url: https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxx
    mention:
      mobiles: ['156xxxx8827', '189xxxx8325']
";

    #[test]
    fn the_sample_config_of_prometheus_webhook_dingtalk_is_read() {
        let config = Config::parse(TIMONWONG_SAMPLE).unwrap();
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert_eq!(config.targets.len(), 5);
        assert!(config.targets["webhook1"].secret.is_some());
        assert!(config.targets["webhook_mention_all"].mention_all);
        assert_eq!(
            config.targets["webhook_mention_users"].mobiles,
            ["156xxxx8827", "189xxxx8325"]
        );
        assert_eq!(
            config.ignored,
            [
                "templates",
                "default_message",
                "targets.webhook_legacy.message"
            ]
        );
        let warning = config.template_warning().unwrap();
        assert!(
            warning.contains("targets.webhook_legacy.message"),
            "{warning}"
        );
        assert_eq!(config.timezone_name, "Asia/Shanghai");
    }

    #[test]
    fn errors_name_the_key_and_the_line() {
        let err = Config::parse("targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    secert: SEC1\n").unwrap_err();
        assert!(err.contains("targets.ops"), "{err}");
        assert!(err.contains("secert"), "{err}");
        assert!(err.contains("line 4"), "{err}");

        let err = Config::parse("# comment\ntimeout: soon\n").unwrap_err();
        assert_eq!(
            err,
            "timeout (line 2): \"soon\" is not a duration; write it like 5s, 500ms, 1m30s or 2h"
        );

        let err = Config::parse("targets:\n  9ops:\n    url: x\n").unwrap_err();
        assert!(
            err.contains("invalid target name") && err.contains("line 2"),
            "{err}"
        );

        let err = Config::parse("timezone: Mars/Olympus\n").unwrap_err();
        assert!(
            err.contains("Mars/Olympus") && err.contains("line 1"),
            "{err}"
        );

        let err = Config::parse("targets:\n  a:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n  b:\n    url: ftp://x\n").unwrap_err();
        assert!(err.starts_with("targets.b.url (line 5): "), "{err}");

        let err = Config::parse("targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    mention:\n      mobiles: 138\n").unwrap_err();
        assert!(
            err.contains("targets.ops.mention.mobiles") && err.contains("line 5"),
            "{err}"
        );
    }

    #[test]
    fn secrets_are_described_never_quoted() {
        let err = Config::parse(
            "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=abc\n    secret: NOTSECRET-hunter2\n",
        )
        .unwrap_err();
        assert!(err.starts_with("targets.ops.secret (line 4): "), "{err}");
        assert!(!err.contains("hunter2"), "{err}");

        let err = Config::parse(
            "targets:\n  ops:\n    url: http://example.com/robot/send?access_token=tok-s3cr3t\n",
        )
        .unwrap_err();
        assert!(!err.contains("tok-s3cr3t"), "{err}");
        let config = Config::parse(
            "targets:\n  ops:\n    url: https://oapi.dingtalk.com/robot/send?access_token=tok-s3cr3t\n    secret: SECsecretvalue\n",
        )
        .unwrap();
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("tok-s3cr3t") && !debug.contains("SECsecretvalue"),
            "{debug}"
        );
    }

    #[test]
    fn values_may_come_from_the_environment() {
        let err =
            Config::parse("targets:\n  ops:\n    url_env: DINGBOT_TEST_SURELY_UNSET_VARIABLE\n")
                .unwrap_err();
        assert!(
            err.contains("DINGBOT_TEST_SURELY_UNSET_VARIABLE") && err.contains("not set"),
            "{err}"
        );
        let err = Config::parse("targets:\n  ops:\n    url: a\n    url_env: B\n").unwrap_err();
        assert!(err.contains("not both"), "{err}");
        let err = Config::parse("targets:\n  ops:\n    mention: {all: true}\n").unwrap_err();
        assert!(err.contains("no webhook"), "{err}");
    }

    #[test]
    fn durations_and_rates_read_as_go_writes_them() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5 seconds").is_err());
        assert!(parse_duration("").is_err());
        let config = Config::parse("rate: 20/3s\n").unwrap();
        assert_eq!(
            config.rate,
            Some(dingbot::Rate::new(20, Duration::from_secs(3)))
        );
        let err = Config::parse("rate: twenty\n").unwrap_err();
        assert!(err.starts_with("rate (line 1): "), "{err}");
    }

    #[test]
    fn an_empty_file_has_no_targets() {
        let config = Config::parse("").unwrap();
        assert!(config.targets.is_empty());
        assert_eq!(config.mention_from, MentionFrom::default());
        let config = Config::parse("mention_from: {label: oncall, annotation: ''}\n").unwrap();
        assert_eq!(config.mention_from.label.as_deref(), Some("oncall"));
        assert_eq!(config.mention_from.annotation, None);
    }
}
