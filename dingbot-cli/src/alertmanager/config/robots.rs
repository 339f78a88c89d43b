//! A target's robots: one given by the target's own keys (`url`, `url_env` or
//! `url_file`; `secret`, `secret_env` or `secret_file`), or several under `robots`,
//! each with the same keys; and the rule that a value comes from one key only.

use serde::{Deserialize, Deserializer};

use super::checked::mapping;
use super::settings::RobotKeys as TargetRobot;
use super::values::{FromEnv, FromFile, SigningSecret, Webhook};

/// `targets.<name>.robots[i]`: one robot of the group, its webhook and secret given
/// as the target's own are.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RobotKeys {
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
}

/// One robot of a target, checked.
pub struct RobotEntry(pub TargetRobot);

impl<'de> Deserialize<'de> for RobotEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        mapping::<D, RobotKeys, RobotEntry>(deserializer)
    }
}

impl TryFrom<RobotKeys> for RobotEntry {
    type Error = String;

    fn try_from(keys: RobotKeys) -> Result<RobotEntry, String> {
        robot(
            (keys.url, keys.url_env, keys.url_file),
            (keys.secret, keys.secret_env, keys.secret_file),
        )?
        .map(RobotEntry)
        .ok_or_else(|| NO_WEBHOOK.to_owned())
    }
}

/// Why a robot without a webhook is refused.
pub const NO_WEBHOOK: &str = "no webhook: give `url` (or `url_env`, the name of an environment \
     variable holding it, or `url_file`, a file holding it)";

/// A robot from its keys (`url`, `url_env` or `url_file`; `secret`, `secret_env` or
/// `secret_file`), or `None` when no webhook key is given.
pub fn robot(
    (url, url_env, url_file): (
        Option<Webhook>,
        Option<FromEnv<Webhook>>,
        Option<FromFile<Webhook>>,
    ),
    (secret, secret_env, secret_file): (
        Option<SigningSecret>,
        Option<FromEnv<SigningSecret>>,
        Option<FromFile<SigningSecret>>,
    ),
) -> Result<Option<TargetRobot>, String> {
    let url = one_of(
        ("url", url),
        ("url_env", url_env.map(|v| v.0)),
        ("url_file", url_file.map(|v| v.0)),
    )?;
    let secret = one_of(
        ("secret", secret),
        ("secret_env", secret_env.map(|v| v.0)),
        ("secret_file", secret_file.map(|v| v.0)),
    )?;
    match url {
        Some(url) => Ok(Some(TargetRobot {
            url: url.0,
            secret: secret.map(|s| s.0),
        })),
        None if secret.is_some() => Err(NO_WEBHOOK.to_owned()),
        None => Ok(None),
    }
}

/// A value given as itself, through an environment variable or through a file: one of
/// the keys, not several (a key named "" is never given).
pub fn one_of<T>(
    (key, value): (&str, Option<T>),
    (env_key, env): (&str, Option<T>),
    (file_key, file): (&str, Option<T>),
) -> Result<Option<T>, String> {
    let given: Vec<(&str, T)> = [(key, value), (env_key, env), (file_key, file)]
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key, value)))
        .collect();
    match given.as_slice() {
        [(first, _), (second, _)] => Err(format!("give `{first}` or `{second}`, not both")),
        [_, _, _] => Err(format!(
            "give one of `{key}`, `{env_key}` and `{file_key}`, not several"
        )),
        _ => Ok(given.into_iter().next().map(|(_, value)| value)),
    }
}
