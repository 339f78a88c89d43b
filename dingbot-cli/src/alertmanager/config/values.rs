//! The config's values, each checked while it is read (see [`super::checked`]): a
//! duration, a target's name, a webhook, a signing secret, a Redis URL, a time zone, a
//! rate, a person to mention, and a value read from an environment variable.
//!
//! Checked as the robot will use them, with the library's own checks; what is wrong
//! with a secret is described, never quoted.

use serde::{Deserialize, Deserializer};

use super::checked::{Scalar, scalar};

/// `Deserialize` for [`Scalar`]s: each is read through [`scalar`].
macro_rules! deserialize_as_scalar {
    ($($ty:ty),* $(,)?) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                scalar(deserializer)
            }
        }
    )*};
}

deserialize_as_scalar!(
    Duration,
    TargetName,
    Webhook,
    SigningSecret,
    RedisUrl,
    TimeZone,
    Rate,
    MentionId,
    Text,
    ProxyUrl,
);

/// A string that is never shown: a webhook URL, a secret, a Redis URL. The library's one
/// never-printing wrapper.
pub use dingbot::Redacted as Secret;

/// `timeout`, `dedup_window`, `drain_timeout`, `hold_for`: written as the command's flags take
/// durations ([`crate::units::parse_duration`]), which reads Go's `5s` and `1m30s`.
/// Above zero: a zero `timeout` fails every send, a zero `drain_timeout` stops waiting for
/// what is held at the first SIGTERM, a zero `dedup_window` posts every re-send of
/// Alertmanager's (its retries, its cluster's peers) again, a zero `hold_for` gives up on
/// a held message at its first failure. A negative one is no duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub std::time::Duration);

impl Scalar for Duration {
    const EXPECTING: &'static str = "a duration such as 5s or 1m30s";

    fn check(text: &str) -> Result<Duration, String> {
        match crate::units::parse_duration(text)? {
            std::time::Duration::ZERO => Err(format!(
                "{:?} is zero; this duration must be above zero",
                text.trim()
            )),
            duration => Ok(Duration(duration)),
        }
    }
}

/// The name of a target, part of its URL path (`/dingtalk/{name}/send`): a letter, then
/// letters, digits, `-` and `_`, as prometheus-webhook-dingtalk requires.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TargetName(pub String);

impl Scalar for TargetName {
    const EXPECTING: &'static str = "a target name";

    fn check(name: &str) -> Result<TargetName, String> {
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(format!(
                "invalid target name {name:?}: a name starts with a letter and has only letters, \
                 digits, `-` and `_` (it is part of the URL path)"
            ));
        }
        Ok(TargetName(name.to_owned()))
    }
}

/// `url`: a robot's webhook URL or bare access token, as [`dingbot::Webhook::parse`]
/// accepts it. It holds the access token: `Debug` shows `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook(pub Secret);

impl Scalar for Webhook {
    const EXPECTING: &'static str = "a webhook URL or access token";

    fn check(text: &str) -> Result<Webhook, String> {
        dingbot::Webhook::parse(text).map_err(|e| e.to_string())?;
        Ok(Webhook(Secret::new(text)))
    }
}

/// `secret`: a robot's signing secret (`SEC...`). `Debug` shows `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSecret(pub Secret);

impl Scalar for SigningSecret {
    const EXPECTING: &'static str = "a signing secret (SEC...)";

    fn check(text: &str) -> Result<SigningSecret, String> {
        // The library checks a secret as it is added to a webhook; it looks at the
        // secret alone, so any well-formed webhook serves.
        dingbot::Webhook::parse("token")
            .and_then(|webhook| webhook.with_secret(text))
            .map_err(|e| e.to_string())?;
        Ok(SigningSecret(Secret::new(text)))
    }
}

/// `redis.url`: where the shared pacing window lives. It may hold a password: `Debug`
/// shows `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisUrl(pub Secret);

impl Scalar for RedisUrl {
    const EXPECTING: &'static str = "a Redis URL";

    fn check(text: &str) -> Result<RedisUrl, String> {
        let scheme_ok = ["redis://", "rediss://", "redis+unix://", "unix://"]
            .iter()
            .any(|scheme| text.starts_with(scheme));
        if !scheme_ok {
            return Err("a Redis URL starts with redis://, rediss:// or unix://".into());
        }
        Ok(RedisUrl(Secret::new(text)))
    }
}

/// `timezone`: an IANA time zone, and its name as written.
#[derive(Debug, Clone)]
pub struct TimeZone {
    /// The name, as written (`Asia/Shanghai`).
    pub name: String,
    /// The zone.
    pub zone: jiff::tz::TimeZone,
}

impl Scalar for TimeZone {
    const EXPECTING: &'static str = "an IANA time zone name";

    fn check(name: &str) -> Result<TimeZone, String> {
        let zone = jiff::tz::TimeZone::get(name).map_err(|_| {
            format!("unknown time zone {name:?}; use an IANA name such as Asia/Shanghai or UTC")
        })?;
        Ok(TimeZone {
            name: name.to_owned(),
            zone,
        })
    }
}

/// `rate`: messages per window, as [`dingbot::Rate`] parses it (`20/1m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate(pub dingbot::Rate);

impl Scalar for Rate {
    const EXPECTING: &'static str = "a rate such as 20/1m";

    fn check(text: &str) -> Result<Rate, String> {
        text.parse()
            .map(Rate)
            .map_err(|e: dingbot::Error| e.to_string())
    }
}

/// One entry of `mention.mobiles` or `mention.user_ids`: not empty, spaces around it
/// dropped, and an id the library would send ([`is_mention_id`]): a message mentioning
/// anything else is refused, so every notification to the target would fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionId(pub String);

impl Scalar for MentionId {
    const EXPECTING: &'static str = "a mobile number or user id";

    fn check(text: &str) -> Result<MentionId, String> {
        match text.trim() {
            "" => Err("an empty entry".into()),
            id if !is_mention_id(id) => Err(format!(
                "`{}` is not a mobile number or user id: {MENTION_ID_RULE}",
                crate::terminal::safe(id, 80)
            )),
            id => Ok(MentionId(id.to_owned())),
        }
    }
}

/// What a mobile number or user id may hold, as the library checks it.
const MENTION_ID_RULE: &str = "letters, digits and `+-_.`, starting with a letter, a digit or `+`, `_` only inside a \
     word, at most 64 bytes";

/// Whether the library sends a message that mentions `id`: it writes `@id` into the
/// body, so it refuses an id that could be markdown or would mention nobody. Asked of
/// the library itself (a message mentioning `id`, validated), so the rule cannot drift.
pub fn is_mention_id(id: &str) -> bool {
    use dingbot::DingMessage as _;
    // The builders trim, and drop an empty id: as it stands, neither is one.
    !id.is_empty()
        && id.trim() == id
        && dingbot::Text::new("@")
            .at_user_ids([id])
            .to_message()
            .validate()
            .is_ok()
}

/// Text kept as it is (a Go template's name or text, a label's name), read through
/// [`scalar`] so that it counts against the file's expansion budget like every value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl Scalar for Text {
    const EXPECTING: &'static str = "a string";

    fn check(text: &str) -> Result<Text, String> {
        Ok(Text(text.to_owned()))
    }
}

/// `url_env`, `secret_env`: the name of an environment variable whose value is read at
/// once and checked as a `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromEnv<T>(pub T);

impl<T: Scalar> Scalar for FromEnv<T> {
    const EXPECTING: &'static str = "the name of an environment variable";

    fn check(name: &str) -> Result<FromEnv<T>, String> {
        match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => T::check(&value).map(FromEnv),
            Ok(_) => Err(format!("the environment variable {name} is empty")),
            Err(_) => Err(format!(
                "the environment variable {name} is not set (or not valid UTF-8)"
            )),
        }
    }
}

impl<'de, T: Scalar> Deserialize<'de> for FromEnv<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar(deserializer)
    }
}

/// `url_file`, `secret_file`: the path of a file whose contents, trimmed, are read when
/// the config is loaded (and again at each reload) and checked as a `T` — how
/// Alertmanager's receivers and Kubernetes secrets mounted as files give a secret. The
/// path is shown in errors; the contents never are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromFile<T>(pub T);

/// The most a secret's file may hold: a webhook URL or a secret is far smaller.
const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;

impl<T: Scalar> Scalar for FromFile<T> {
    const EXPECTING: &'static str = "the path of a file";

    fn check(path: &str) -> Result<FromFile<T>, String> {
        use std::io::Read as _;
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|file| {
                file.take(MAX_SECRET_FILE_BYTES + 1)
                    .read_to_string(&mut text)
            })
            .map_err(|e| format!("cannot read the file {path:?}: {e}"))?;
        if text.len() as u64 > MAX_SECRET_FILE_BYTES {
            return Err(format!(
                "the file {path:?} is over {} KiB; it should hold one value",
                MAX_SECRET_FILE_BYTES / 1024
            ));
        }
        match text.trim() {
            "" => Err(format!("the file {path:?} is empty")),
            value => T::check(value)
                .map(FromFile)
                .map_err(|e| format!("the file {path:?}: {e}")),
        }
    }
}

impl<'de, T: Scalar> Deserialize<'de> for FromFile<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar(deserializer)
    }
}

/// `proxy_url`: the HTTP proxy a target's robots reach DingTalk through
/// (`http://[user:password@]host:port`). It may hold a password: `Debug` shows `***`,
/// and what is wrong with it is described, never quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyUrl(pub Secret);

impl Scalar for ProxyUrl {
    const EXPECTING: &'static str = "a proxy URL (http://host:port)";

    fn check(text: &str) -> Result<ProxyUrl, String> {
        // The library checks it as it builds a robot; any webhook serves (the robot is
        // dropped at once, and sends nothing).
        dingbot::Robot::builder("dingbot-proxy-check")
            .proxy(text)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(ProxyUrl(Secret::new(text.trim())))
    }
}
