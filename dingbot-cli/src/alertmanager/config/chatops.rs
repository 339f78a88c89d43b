//! `chatops:` — the app robot that answers in the group, and the Alertmanager it acts on:
//!
//! ```yaml
//! chatops:
//!   client_id_env: DINGTALK_APP_KEY        # the app's key (Stream mode's clientId)
//!   client_secret_env: DINGTALK_APP_SECRET
//!   alertmanager_url: http://127.0.0.1:9093
//!   allowed: [manager4220, staff1337]      # staff ids, or `everyone`
//!   openapi_url: https://api.dingtalk.com  # optional
//! ```

use std::collections::BTreeSet;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::values::{FromEnv, Secret, Text};
use crate::alertmanager::chatops::Allowed;

/// `chatops` as written.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "chatops: a mapping of client_id_env, client_secret_env, alertmanager_url and allowed"
)]
pub struct ChatOpsKeys {
    client_id_env: FromEnv<Text>,
    client_secret_env: FromEnv<Text>,
    alertmanager_url: Text,
    allowed: AllowedKeys,
    #[serde(default)]
    openapi_url: Option<Text>,
}

/// What the bridge answers the group with.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatOpsSettings {
    /// The app's key: Stream mode's `clientId`.
    pub client_id: String,
    /// The app's secret.
    pub client_secret: Secret,
    /// Where Alertmanager's API v2 is.
    pub alertmanager_url: String,
    /// Who may act.
    pub allowed: Allowed,
    /// DingTalk's OpenAPI (another for a test or a proxy).
    pub openapi_url: Option<String>,
}

impl TryFrom<ChatOpsKeys> for ChatOpsSettings {
    type Error = String;

    fn try_from(keys: ChatOpsKeys) -> Result<ChatOpsSettings, String> {
        let url = keys.alertmanager_url.0;
        match url::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => {
                return Err(format!(
                    "chatops.alertmanager_url: {url:?} is not an http(s) URL"
                ));
            }
        }
        if let Some(Text(openapi)) = &keys.openapi_url
            && !matches!(
                url::Url::parse(openapi)
                    .map(|u| u.scheme().to_owned())
                    .as_deref(),
                Ok("http" | "https")
            )
        {
            return Err(format!(
                "chatops.openapi_url: {openapi:?} is not an http(s) URL"
            ));
        }
        Ok(ChatOpsSettings {
            client_id: keys.client_id_env.0.0,
            client_secret: Secret::new(keys.client_secret_env.0.0),
            alertmanager_url: url,
            allowed: keys.allowed.0,
            openapi_url: keys.openapi_url.map(|t| t.0),
        })
    }
}

/// `allowed: everyone`, or a list of staff ids.
struct AllowedKeys(Allowed);

impl<'de> Deserialize<'de> for AllowedKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Reading;
        impl<'de> Visitor<'de> for Reading {
            type Value = AllowedKeys;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`everyone`, or a list of staff ids")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<AllowedKeys, E> {
                if v == "everyone" {
                    Ok(AllowedKeys(Allowed::Everyone))
                } else {
                    Err(E::custom(format!(
                        "{v:?}: write `everyone`, or a list of staff ids such as [manager4220]"
                    )))
                }
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AllowedKeys, A::Error> {
                let mut ids = BTreeSet::new();
                while let Some(id) = seq.next_element::<Text>()? {
                    let id = id.0.trim().to_owned();
                    if id.is_empty() {
                        return Err(de::Error::custom("an empty staff id"));
                    }
                    ids.insert(id);
                }
                if ids.is_empty() {
                    return Err(de::Error::custom(
                        "no staff id: list who may act, or write `everyone`",
                    ));
                }
                Ok(AllowedKeys(Allowed::StaffIds(ids)))
            }
        }
        deserializer.deserialize_any(Reading)
    }
}
