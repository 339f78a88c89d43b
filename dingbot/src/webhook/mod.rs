//! The webhook: URL and access token parsing, per-request signing, the pacing key;
//! what DingTalk echoes is redacted by `redact.rs`.

use std::fmt;
use std::net::IpAddr;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::utf8_percent_encode;
use sha2::Sha256;
use url::Url;

use crate::dingtalk::DEFAULT_ENDPOINT;
use crate::error::Error;
use crate::markdown::url::COMPONENT;
use crate::redacted::Redacted;

mod redact;

/// Computes DingTalk's signature for `timestamp_ms`:
/// `base64(hmac_sha256(key = secret, msg = timestamp_ms + "\n" + secret))`.
///
/// The result is plain base64, **not** URL-encoded; [`Webhook::signed_url`] encodes it
/// exactly once. The same function verifies the `sign` header of app-robot callbacks.
///
/// ```
/// let sig = dingbot::sign("SEC000000000000000000000", 1_700_000_000_000);
/// assert_eq!(sig, "1zJ/w34EOSVAYr7cu7Vo8LnebmK2/GrCgegtr8mQrqM=");
/// ```
pub fn sign(secret: &str, timestamp_ms: i64) -> String {
    // An HMAC key may have any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        unreachable!("HMAC accepts keys of any length")
    };
    mac.update(timestamp_ms.to_string().as_bytes());
    mac.update(b"\n");
    mac.update(secret.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A robot's webhook: where to send, with which access token, signed with which secret.
///
/// Parse it from the full webhook URL DingTalk shows
/// (`https://oapi.dingtalk.com/robot/send?access_token=...`) or from the bare access
/// token. The URL must be `https`, except on a loopback address (the emulator).
/// `Debug` never shows the token or the secret.
///
/// ```
/// use dingbot::Webhook;
///
/// let hook = Webhook::parse("https://oapi.dingtalk.com/robot/send?access_token=abc123")?
///     .with_secret("SECabc")?;
/// assert_eq!(format!("{hook:?}"), r#"Webhook { endpoint: "https://oapi.dingtalk.com/robot/send", access_token: "***", secret: Some("***") }"#);
///
/// let url = hook.signed_url(1_700_000_000_000);
/// assert!(url.starts_with("https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1700000000000&sign="));
/// # Ok::<(), dingbot::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    endpoint: String,
    token: Redacted,
    secret: Option<Redacted>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("endpoint", &self.endpoint)
            .field("access_token", &self.token)
            .field("secret", &self.secret)
            .finish()
    }
}

/// The longest webhook accepted: a robot's webhook URL is about 120 bytes (a 64-character
/// access token); 4 KiB leaves room for any proxy in front of DingTalk.
const MAX_WEBHOOK_BYTES: usize = 4096;

impl Webhook {
    /// Parses a full webhook URL or a bare access token.
    ///
    /// Errors ([`Error::InvalidWebhook`]) for an empty input, a URL that is not `https`
    /// (plain `http` is allowed on loopback addresses only), a URL without an
    /// `access_token`, an access token with characters a token never has, or an input
    /// over 4 KiB (a webhook is about 120 bytes: a longer one is a paste gone wrong, and
    /// sending it would only fail, again and again, at DingTalk's gateway). Signing
    /// parameters (`timestamp`, `sign`) pasted along with the URL are dropped: they are
    /// computed fresh for every request.
    pub fn parse(webhook: &str) -> Result<Webhook, Error> {
        let webhook = webhook.trim();
        if webhook.is_empty() {
            return Err(invalid("the webhook URL or access token is empty"));
        }
        if webhook.len() > MAX_WEBHOOK_BYTES {
            return Err(invalid(format!(
                "it is {} bytes long; a robot's webhook is about 120 (at most {MAX_WEBHOOK_BYTES} are taken)",
                webhook.len()
            )));
        }
        if !webhook.contains("://") {
            check_token(webhook)?;
            return Ok(Webhook {
                endpoint: DEFAULT_ENDPOINT.to_owned(),
                token: Redacted::new(webhook),
                secret: None,
            });
        }
        let url = Url::parse(webhook).map_err(|e| invalid(format!("not a valid URL ({e})")))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(invalid(
                    "plain http is allowed only on loopback addresses; use the https webhook URL",
                ));
            }
            other => return Err(invalid(format!("unsupported scheme `{other}`; use https"))),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("the URL has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // Never echoed: a password there is a secret pasted in the wrong place.
            return Err(invalid(
                "the URL holds a user name or password (`user:pass@host`); DingTalk's webhook has none, remove it",
            ));
        }
        let mut token = None;
        for (key, value) in url.query_pairs() {
            if key == "access_token" {
                if token.is_some() {
                    return Err(invalid("the URL has access_token twice"));
                }
                token = Some(value.into_owned());
            }
        }
        let token = token.ok_or_else(|| invalid("the URL has no access_token parameter"))?;
        check_token(&token)?;
        let mut endpoint = url.clone();
        endpoint.set_query(None);
        endpoint.set_fragment(None);
        Ok(Webhook {
            endpoint: endpoint.into(),
            token: Redacted::new(token),
            secret: None,
        })
    }

    /// Adds the signing secret (the `SEC...` string from the robot's security settings).
    pub fn with_secret(mut self, secret: &str) -> Result<Webhook, Error> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(Error::InvalidSecret {
                reason: "the secret is empty".into(),
            });
        }
        if !secret.starts_with("SEC") {
            return Err(Error::InvalidSecret {
                reason: "a DingTalk signing secret starts with `SEC`".into(),
            });
        }
        if secret.len() < 4 || secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::InvalidSecret {
                reason: "the secret is too short or contains whitespace".into(),
            });
        }
        self.secret = Some(Redacted::new(secret));
        Ok(self)
    }

    /// The URL requests are posted to, without the token (safe to log).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Whether requests are signed.
    pub fn is_signed(&self) -> bool {
        self.secret.is_some()
    }

    /// The URL for one request at `timestamp_ms`: the endpoint, the access token and,
    /// when a secret is set, `timestamp` and the URL-encoded `sign`.
    ///
    /// Built fresh on every call; it contains the access token, so do not log it.
    pub fn signed_url(&self, timestamp_ms: i64) -> String {
        let token = utf8_percent_encode(self.token.expose(), COMPONENT);
        let mut url = String::with_capacity(self.endpoint.len() + 128);
        url.push_str(&self.endpoint);
        url.push_str("?access_token=");
        url.extend(token);
        if let Some(secret) = &self.secret {
            let sig = sign(secret.expose(), timestamp_ms);
            url.push_str("&timestamp=");
            url.push_str(&timestamp_ms.to_string());
            url.push_str("&sign=");
            url.extend(utf8_percent_encode(&sig, COMPONENT));
        }
        url
    }

    /// [`signed_url`](Self::signed_url) for the current time.
    pub fn signed_url_now(&self) -> String {
        self.signed_url(crate::clock::Clock::system().unix_ms())
    }

    /// Identifies the robot for pacing: DingTalk's limit is per robot, that is per
    /// access token, whatever URL reaches it (another host name for the same address,
    /// a trailing slash). A SHA-256, so the key can be stored and shown safely.
    ///
    /// On a loopback address the port is part of the key: there, each port is an
    /// emulator of its own (tests start many, all with the same default token), not
    /// DingTalk.
    pub(crate) fn pacing_key(&self) -> String {
        use sha2::Digest as _;
        let mut hash = Sha256::new();
        hash.update(self.token.expose().as_bytes());
        if let Some(port) = Url::parse(&self.endpoint)
            .ok()
            .filter(is_loopback)
            .and_then(|url| url.port_or_known_default())
        {
            hash.update(b"\n");
            hash.update(port.to_string().as_bytes());
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Replaces the token, the secret and any request signature in `text` with `***`
    /// (for DingTalk's `errmsg` and anything else that might echo them): the values of
    /// `access_token=`, `sign=` and `timestamp=`, and anything shaped like a signature
    /// (44 characters of base64, plain or URL-encoded).
    pub(crate) fn redact(&self, text: String) -> String {
        let mut text = text;
        for s in [Some(&self.token), self.secret.as_ref()]
            .into_iter()
            .flatten()
        {
            if !s.expose().is_empty() && text.contains(s.expose()) {
                text = text.replace(s.expose(), "***");
            }
        }
        redact::signatures(&text)
    }
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidWebhook {
        reason: reason.into(),
    }
}

fn check_token(token: &str) -> Result<(), Error> {
    if token.is_empty() {
        return Err(invalid("the access token is empty"));
    }
    if !token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(invalid(
            "the access token may contain only letters, digits, `-`, `_` and `.`",
        ));
    }
    Ok(())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_token_uses_the_default_endpoint() {
        let hook = Webhook::parse("  abc_123  ").unwrap();
        assert_eq!(
            hook.signed_url(0),
            "https://oapi.dingtalk.com/robot/send?access_token=abc_123"
        );
    }

    #[test]
    fn pasted_signature_is_dropped() {
        let hook = Webhook::parse(
            "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1&sign=abc%3D",
        )
        .unwrap()
        .with_secret("SECx")
        .unwrap();
        let url = hook.signed_url(5);
        assert_eq!(url.matches("timestamp=").count(), 1);
        assert_eq!(url.matches("sign=").count(), 1);
        assert!(url.contains("timestamp=5&"));
    }

    #[test]
    fn loopback_http_only() {
        assert!(Webhook::parse("http://127.0.0.1:8080/robot/send?access_token=t").is_ok());
        assert!(Webhook::parse("http://[::1]:8080/robot/send?access_token=t").is_ok());
        assert!(Webhook::parse("http://localhost/robot/send?access_token=t").is_ok());
        assert!(Webhook::parse("http://oapi.dingtalk.com/robot/send?access_token=t").is_err());
        assert!(Webhook::parse("http://10.0.0.1/robot/send?access_token=t").is_err());
    }

    #[test]
    fn userinfo_is_refused_and_never_shown() {
        let err =
            Webhook::parse("https://bob:SECpassword@oapi.dingtalk.com/robot/send?access_token=t")
                .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("SECpassword"), "{err:?}");
        assert!(Webhook::parse("https://bob@oapi.dingtalk.com/robot/send?access_token=t").is_err());
    }

    #[test]
    fn pacing_is_keyed_by_the_token_alone() {
        let a = Webhook::parse("http://127.0.0.1:1/robot/send?access_token=tok").unwrap();
        let b = Webhook::parse("http://localhost:1//robot/send/?access_token=tok").unwrap();
        let c = Webhook::parse("http://127.0.0.1:1/robot/send?access_token=other").unwrap();
        let other_emulator = Webhook::parse("http://127.0.0.1:2/robot/send?access_token=tok");
        assert_eq!(a.pacing_key(), b.pacing_key());
        assert_ne!(a.pacing_key(), c.pacing_key());
        assert_ne!(a.pacing_key(), other_emulator.unwrap().pacing_key());
        let real = Webhook::parse("https://oapi.dingtalk.com/robot/send?access_token=tok");
        let proxied =
            Webhook::parse("https://dingtalk-proxy.example.com/robot/send?access_token=tok");
        assert_eq!(real.unwrap().pacing_key(), proxied.unwrap().pacing_key());
        assert!(!a.pacing_key().contains("tok"));
    }

    #[test]
    fn echoed_signatures_are_redacted() {
        let hook = Webhook::parse("tok123")
            .unwrap()
            .with_secret("SECsecret")
            .unwrap();
        let sig = sign("SECsecret", 1_700_000_000_000);
        let encoded: String = utf8_percent_encode(&sig, COMPONENT).collect();
        for echoed in [
            format!("sign not match: sign={encoded}&timestamp=1700000000000"),
            format!("bad signature {sig} for ts 1700000000000"),
            format!("bad signature \"{encoded}\""),
        ] {
            let shown = hook.redact(echoed.clone());
            assert!(
                !shown.contains(&sig) && !shown.contains(&encoded),
                "{echoed} -> {shown}"
            );
        }
        assert_eq!(hook.redact("timestamp=17&x=1".into()), "timestamp=***&x=1");
        assert_eq!(hook.redact("plain words stay".into()), "plain words stay");
        // Not valid UTF-8 once decoded, and multi-byte: kept, never a panic.
        let odd = format!("{}%FF%FE=", "a".repeat(40));
        assert_eq!(hook.redact(odd.clone()), odd);
    }

    #[test]
    fn redact_hides_token_and_secret() {
        let hook = Webhook::parse("tok123")
            .unwrap()
            .with_secret("SECsecret")
            .unwrap();
        assert_eq!(hook.redact("a tok123 b SECsecret".into()), "a *** b ***");
    }
}
