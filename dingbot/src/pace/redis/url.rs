//! The Redis URL: kept whole to connect, shown and written into errors with its
//! password masked.

use std::fmt;

use crate::redacted::Redacted;

/// A Redis URL as given to `redis_pacing`. The URL itself may carry a password, so it
/// is held [`Redacted`]; `Debug` shows it masked.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Url {
    full: Redacted,
}

impl Url {
    pub(crate) fn new(url: &str) -> Url {
        Url {
            full: Redacted::new(url.trim()),
        }
    }

    /// The URL as given, password and all: only to connect, never to show.
    pub(super) fn expose(&self) -> &str {
        self.full.expose()
    }

    /// The URL with its password (and any `pass`/`password` query value) masked.
    pub(super) fn masked(&self) -> String {
        let Ok(mut url) = url::Url::parse(self.expose()) else {
            return "(a URL that cannot be parsed)".to_owned();
        };
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        let secret_query = url.query_pairs().any(|(k, _)| is_secret_key(&k));
        if secret_query {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| {
                    let v = if is_secret_key(&k) {
                        "***".to_owned()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string().replace("%2A%2A%2A", "***")
    }

    /// The password's forms (as written, and decoded), longest first, to mask wherever
    /// they appear.
    pub(super) fn secrets(&self) -> Secrets {
        let Ok(url) = url::Url::parse(self.expose()) else {
            return Secrets(vec![self.full.clone()]);
        };
        let mut secrets: Vec<String> = url.password().map(str::to_owned).into_iter().collect();
        secrets.extend(
            url.query_pairs()
                .filter(|(k, _)| is_secret_key(k))
                .map(|(_, v)| v.into_owned()),
        );
        let decoded: Vec<String> = secrets
            .iter()
            .filter_map(|s| percent_encoding::percent_decode_str(s).decode_utf8().ok())
            .map(|s| s.into_owned())
            .collect();
        secrets.extend(decoded);
        secrets.retain(|s| !s.is_empty());
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Secrets(secrets.into_iter().map(Redacted::new).collect())
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

fn is_secret_key(key: &str) -> bool {
    key == "pass" || key == "password"
}

/// The forms of a Redis password, to mask in Redis' own error texts.
#[derive(Clone, Debug, Default)]
pub(super) struct Secrets(Vec<Redacted>);

impl Secrets {
    /// `text` with every form of the password replaced by `***`.
    pub(super) fn redact(&self, text: &str) -> String {
        self.0.iter().fold(text.to_owned(), |text, secret| {
            text.replace(secret.expose(), "***")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_never_show_the_password() {
        let url = Url::new("redis://app:s3cr%40t@cache.internal:6380/2");
        assert_eq!(url.masked(), "redis://app:***@cache.internal:6380/2");
        assert_eq!(
            url.secrets().redact("auth failed for s3cr@t (s3cr%40t)"),
            "auth failed for *** (***)"
        );
        assert!(!format!("{:?}", url.secrets()).contains("s3cr"));
        let unix = Url::new("redis+unix:///run/redis.sock?db=1&pass=hunter2");
        assert!(!unix.masked().contains("hunter2"), "{}", unix.masked());
        assert!(!format!("{unix:?}").contains("hunter2"));
        assert_eq!(unix.secrets().redact("bad pass hunter2"), "bad pass ***");
        let garbled = Url::new("not a url hunter2");
        assert!(!garbled.masked().contains("hunter2"));
        assert_eq!(garbled.secrets().redact("not a url hunter2"), "***");
    }
}
