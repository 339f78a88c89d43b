//! Redis pacing's failures in words: errors that name the server with its password
//! masked (in the text and in the cause), credentials Redis refuses told apart from an
//! outage, and an outage logged once when it starts and once when it ends.

use std::fmt;
use std::sync::Mutex;

use redis::{ErrorKind, RedisError, ServerErrorKind};

use super::url::{Secrets, Url};
use crate::error::{Error, Permanent};

/// What a fleet's errors say about its server.
pub(super) struct Failures {
    address: String,
    secrets: Secrets,
    /// Whether the last ask failed.
    unreachable: Mutex<bool>,
}

impl Failures {
    pub(super) fn new(url: &Url) -> Failures {
        Failures {
            address: url.masked(),
            secrets: url.secrets(),
            unreachable: Mutex::new(false),
        }
    }

    /// The Redis server, password masked.
    pub(super) fn address(&self) -> &str {
        &self.address
    }

    /// The Redis URL cannot be used as it is.
    pub(super) fn config(&self, what: &str) -> Error {
        Error::Redis {
            message: format!("pacing through Redis at {}: {what}", self.address),
            source: Box::new(Cause(what.to_owned())),
        }
    }

    /// `text` with the password masked.
    pub(super) fn redact(&self, text: &str) -> String {
        self.secrets.redact(text)
    }

    /// Asking Redis failed (`what`, with Redis' own error).
    pub(super) fn redis(&self, what: &str, err: &RedisError) -> Error {
        let text = self.redact(&err.to_string());
        Error::Redis {
            message: format!(
                "pacing through Redis at {}: {what}: {text}; nothing was sent (a send never goes \
                 out without a slot; with Pacing::Wait it waits and asks again)",
                self.address
            ),
            source: Box::new(Cause(text)),
        }
    }

    /// Redis refused the URL's credentials (`err` is one that [`refused`] tells).
    pub(super) fn refused(&self, err: &RedisError) -> Error {
        let text = self.redact(&err.to_string());
        Error::Redis {
            message: format!(
                "pacing through Redis at {}: Redis refused the credentials in the URL ({text}): \
                 check the user and password in the Redis URL; nothing was sent, and waiting \
                 would not help (whatever the pacing policy, this fails at once)",
                self.address
            ),
            source: Box::new(Permanent(text)),
        }
    }

    /// The acquire script answered `reply`, which is none of its replies.
    pub(super) fn not_understood(&self, reply: &str) -> Error {
        let what = format!(
            "the acquire script's reply was not understood ({reply}): the server answers as \
             neither Redis nor Valkey would; nothing was sent"
        );
        Error::Redis {
            message: format!("pacing through Redis at {}: {what}", self.address),
            source: Box::new(Cause(what)),
        }
    }

    /// Records whether Redis answered, logging an outage when it starts and ends.
    pub(super) fn reachable(&self, answered: bool, err: Option<&Error>) {
        let mut unreachable = self.unreachable.lock().unwrap_or_else(|e| e.into_inner());
        if *unreachable != answered {
            return;
        }
        *unreachable = !answered;
        match err {
            Some(err) => tracing::warn!(
                error = %err,
                "dingbot: Redis pacing cannot reach Redis; holding sends (none goes out without a slot) \
                 and asking again with back-off"
            ),
            None => {
                tracing::info!(redis = %self.address, "dingbot: Redis pacing reaches Redis again")
            }
        }
    }
}

/// Whether `err` is Redis refusing the credentials (a wrong password or user, none
/// given where one is required, a user not allowed to run the scripts): asking again
/// will not help. Without a password where one is required, Redis answers a script
/// (a long command) with "Protocol error: unauthenticated multibulk length" and drops
/// the connection rather than with NOAUTH.
pub(super) fn refused(err: &RedisError) -> bool {
    let unauthenticated = err.kind() == ErrorKind::Server(ServerErrorKind::ResponseError)
        && err.detail().is_some_and(|d| d.contains("unauthenticated"));
    unauthenticated
        || matches!(
            err.kind(),
            ErrorKind::AuthenticationFailed | ErrorKind::Server(ServerErrorKind::NoPerm)
        )
        || matches!(err.code(), Some("NOAUTH" | "WRONGPASS" | "NOPERM"))
}

/// Redis' error text, password masked, as an error's cause.
#[derive(Debug)]
struct Cause(String);

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_reply_is_a_redis_error_without_the_password() {
        let failures = Failures::new(&Url::new("redis://:pw@127.0.0.1:1"));
        let err = failures.not_understood("[9]");
        assert!(matches!(err, Error::Redis { .. }), "{err:?}");
        assert!(err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("not understood"), "{text}");
        assert!(text.contains("nothing was sent"), "{text}");
        assert!(!format!("{text} {err:?}").contains("pw@"), "{err:?}");
    }

    #[test]
    fn refused_credentials_are_told_from_an_outage() {
        let auth = RedisError::from((
            ErrorKind::AuthenticationFailed,
            "Password authentication failed",
        ));
        assert!(refused(&auth));
        let io = RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!refused(&io));
        let failures = Failures::new(&Url::new("redis://:pw@127.0.0.1:1"));
        let err = failures.refused(&auth);
        assert!(!err.is_retryable(), "{err:?}");
        assert!(failures.redis("asking failed", &io).is_retryable());
        let text = err.to_string();
        assert!(text.contains("refused the credentials"), "{text}");
        assert!(text.contains(":***@"), "{text}");
        assert!(!text.contains("pw@"), "{text}");
    }
}
