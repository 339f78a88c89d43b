//! [`Redacted`]: a secret that never prints.

use std::fmt;

use serde::Deserialize;

/// A secret — an access token, a `SEC...` signing secret, a password — that never
/// prints: `Debug` shows `"***"` and `Display` shows `***`, so a secret held in a
/// struct stays out of logs, panics and error messages however that struct is printed.
///
/// Reading the secret is explicit: [`expose`](Self::expose) (or
/// [`into_inner`](Self::into_inner)) at the one place that needs it, such as signing.
/// It deserializes from a plain string (a config file can hold one) but does not
/// serialize: writing a secret back out has to be spelled out with `expose`.
///
/// ```
/// use dingbot::Redacted;
///
/// let secret = Redacted::new("SEC0123456789");
/// assert_eq!(format!("{secret:?}"), r#""***""#);
/// assert_eq!(secret.to_string(), "***");
/// assert_eq!(secret.expose(), "SEC0123456789");
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Config {
///     secret: Redacted,
/// }
/// let config: Config = serde_json::from_str(r#"{"secret": "SEC0123456789"}"#).unwrap();
/// assert_eq!(config.secret, secret);
/// assert_eq!(format!("{config:?}"), r#"Config { secret: "***" }"#);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Redacted(String);

impl Redacted {
    /// Holds `secret`.
    pub fn new(secret: impl Into<String>) -> Redacted {
        Redacted(secret.into())
    }

    /// The secret itself, for the one place that must read it (never print it).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret itself, taken out of its wrapper.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl From<String> for Redacted {
    fn from(secret: String) -> Redacted {
        Redacted(secret)
    }
}

impl From<&str> for Redacted {
    fn from(secret: &str) -> Redacted {
        Redacted(secret.to_owned())
    }
}

impl fmt::Debug for Redacted {
    /// `"***"`, quoted like the string it stands for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl fmt::Display for Redacted {
    /// `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_secret() {
        let secret = Redacted::from("hunter2");
        for shown in [
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{secret}"),
            format!("{:?}", Some(&secret)),
            format!("{:>12}", secret),
        ] {
            assert!(!shown.contains("hunter2"), "{shown}");
        }
        assert_eq!(format!("{:?}", Some(&secret)), r#"Some("***")"#);
        assert_eq!(secret.clone().into_inner(), "hunter2");
        assert_eq!(Redacted::from("hunter2".to_owned()), secret);
        assert_eq!(Redacted::default().expose(), "");
    }

    #[test]
    fn deserializes_from_a_plain_string() {
        let secret: Redacted = serde_json::from_str(r#""SECabc""#).unwrap();
        assert_eq!(secret.expose(), "SECabc");
        assert!(serde_json::from_str::<Redacted>("42").is_err());
    }
}
