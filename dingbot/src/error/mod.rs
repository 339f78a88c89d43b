//! [`Error`]: everything that can go wrong, and DingTalk's errcode table.
//!
//! DingTalk reports failures as HTTP 200 with a non-zero `errcode` in the body. Every
//! errcode dingbot knows is mapped here, in [`Error::from_api`], by the errcode table of
//! `crate::dingtalk`; an unknown code becomes [`Error::Api`] with its number and message,
//! never a success.

use std::fmt;
use std::time::Duration;

use crate::dingtalk::{self, Meaning, Retry, errcode};

mod api;
mod session;

#[cfg(feature = "redis")]
mod permanent;
#[cfg(feature = "redis")]
pub(crate) use permanent::Permanent;

/// A boxed error cause, as kept by [`Error::Transport`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when building or sending a DingTalk message.
///
/// No variant ever contains the access token or the signing secret: the errors that
/// come from the HTTP client have their URL stripped, and DingTalk's `errmsg` is
/// redacted before it is stored.
///
/// ```
/// use dingbot::Error;
///
/// let err = Error::from_api(310000, "sign not match").unwrap();
/// assert!(matches!(err, Error::SignatureMismatch { .. }));
/// assert_eq!(err.errcode(), Some(310000));
/// assert!(!err.is_retryable());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- configuration and input, found before anything is sent -----
    /// The webhook URL or access token could not be used.
    #[error("invalid webhook: {reason}")]
    InvalidWebhook {
        /// What is wrong with it (never the token itself).
        reason: String,
    },
    /// The signing secret could not be used (it must start with `SEC`).
    #[error("invalid signing secret: {reason}")]
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: String,
    },
    /// A message that DingTalk would reject or render wrongly.
    #[error("invalid message: {field} {reason}")]
    InvalidMessage {
        /// The JSON path of the offending part, e.g. `actionCard.btns[1].actionURL`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request body exceeds DingTalk's limit; shrink the message or split it.
    #[error(
        "message too large: the request body is {size} bytes, DingTalk accepts at most {limit}"
    )]
    MessageTooLarge {
        /// Size of the JSON request body in bytes.
        size: usize,
        /// The limit, [`MAX_BODY_BYTES`](crate::MAX_BODY_BYTES).
        limit: usize,
    },
    /// The robot's keywords could not be used (more than DingTalk allows, or an empty
    /// one).
    #[error("invalid keywords: {reason}")]
    InvalidKeywords {
        /// What is wrong with them.
        reason: String,
    },
    /// A [`Rate`](crate::Rate) could not be used: it allows no message, or its text
    /// is not of the form `20/60s`.
    #[error("invalid rate: {reason}")]
    InvalidRate {
        /// What is wrong with it.
        reason: String,
    },
    /// Another robot for the same access token paces at another rate (or by another
    /// clock): the two would count their sends in different windows and could together
    /// exceed DingTalk's limit, so this one is refused. Give every robot for one token the
    /// same [`rate_limit`](crate::RobotBuilder::rate_limit),
    /// [`pacing_margin`](crate::RobotBuilder::pacing_margin) and clock.
    #[error("{message}")]
    PacingConflict {
        /// Which rates disagree, and what to do.
        message: String,
    },
    /// A required environment variable is missing or not valid Unicode.
    #[error("environment variable {name} is not set")]
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },

    // ----- DingTalk's answers (errcode in an HTTP 200 body) -----
    /// errcode 310000: the signature did not match (wrong secret, or signed twice).
    #[error("DingTalk rejected the signature (errcode 310000): {errmsg}")]
    SignatureMismatch {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000: the timestamp is more than an hour away from DingTalk's clock.
    #[error(
        "DingTalk rejected the timestamp; check this machine's clock (errcode 310000): {errmsg}"
    )]
    InvalidTimestamp {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000: the message contains none of the robot's keywords — answered by
    /// DingTalk, or found before sending by a robot that knows its keywords
    /// ([`RobotBuilder::keywords`](crate::RobotBuilder::keywords)), whose `errmsg` then
    /// lists them.
    #[error("the message contains none of the robot's keywords (errcode 310000): {errmsg}")]
    KeywordsMissing {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000: this machine's address is not on the robot's IP allow-list.
    #[error("this address is not on the robot's IP allow-list (errcode 310000): {errmsg}")]
    IpNotAllowed {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000 with a message dingbot does not recognise.
    #[error("DingTalk's security check failed (errcode 310000): {errmsg}")]
    SecurityCheckFailed {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 130101 or 410100: more than 20 messages a minute; the robot is throttled
    /// for 10 minutes.
    #[error("sending too fast, the robot is throttled (errcode {code}): {errmsg}")]
    SendTooFast {
        /// 130101 or 410100.
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 300001, 400101 or 400106: the access token or robot does not exist.
    #[error("the access token or robot does not exist (errcode {code}): {errmsg}")]
    TokenNotFound {
        /// 300001, 400101 or 400106.
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 400102: the robot has been disabled.
    #[error("the robot is disabled (errcode 400102): {errmsg}")]
    RobotDisabled {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 400013: the group has been dissolved.
    #[error("the group has been dissolved (errcode 400013): {errmsg}")]
    GroupDissolved {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 400105: DingTalk does not support this msgtype.
    #[error("unsupported msgtype (errcode 400105): {errmsg}")]
    UnsupportedMessageType {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 430101..=430104: DingTalk judged a link, text, image or content unsafe.
    #[error("DingTalk judged the content unsafe (errcode {code}): {errmsg}")]
    UnsafeContent {
        /// 430101 (link), 430102 (text), 430103 (image) or 430104 (content).
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 460101: DingTalk found the body too large.
    #[error("DingTalk rejected the body size (errcode 460101): {errmsg}")]
    BodyTooLarge {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode -1: DingTalk is busy; retrying later may succeed.
    #[error("DingTalk is busy (errcode -1): {errmsg}")]
    SystemBusy {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// Any other non-zero errcode.
    #[error("DingTalk answered errcode {code}: {errmsg}")]
    Api {
        /// The errcode.
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },

    /// A reply through a conversation's session webhook after it expired; nothing was
    /// sent (send through the OpenAPI instead).
    #[error("the conversation's session webhook expired {ago_ms} ms ago")]
    SessionExpired {
        /// When it expired, in milliseconds since the Unix epoch.
        expired_at_ms: i64,
        /// How long ago, in milliseconds.
        ago_ms: i64,
    },

    // ----- transport -----
    /// The request did not complete in time.
    #[error("the request to DingTalk timed out")]
    Timeout,
    /// The request could not be sent or its answer not read (connection refused, reset,
    /// TLS failure, ...). Neither the message nor the cause contains the webhook URL.
    #[error("HTTP transport failed: {message}")]
    Transport {
        /// What failed, from the HTTP client, with the URL removed.
        message: String,
        /// The HTTP client's error, with its own causes (`source()`), URL removed.
        #[source]
        source: BoxError,
    },
    /// DingTalk (or a gateway in front of it) answered with a non-success HTTP status.
    #[error("DingTalk answered HTTP {status}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
    },
    /// The answer was not DingTalk's JSON (a gateway's HTML page, say).
    #[error("DingTalk's answer is not valid JSON (HTTP {status}): {snippet:?}")]
    InvalidResponse {
        /// The HTTP status code.
        status: u16,
        /// The first bytes of the body, lossily decoded.
        snippet: String,
    },
    /// Every attempt failed; the last error is the reason, and each attempt's error is kept.
    #[error("gave up after {} attempts: {}", attempts.len(), AttemptList(attempts))]
    RetriesExhausted {
        /// Each attempt's error, in order.
        attempts: Vec<Error>,
    },
    /// The robot is throttled (or its pacing window is full, or Redis pacing fences
    /// it) and the send policy is to fail fast, or a bounded wait
    /// ([`Pacing::WaitAtMost`](crate::Pacing::WaitAtMost)) ran out: a slot frees after
    /// `retry_after`.
    #[error("the robot cannot send now; a slot frees in {:.1}s", retry_after.as_secs_f64())]
    RateLimited {
        /// How long until a send may go out.
        retry_after: Duration,
        /// Whether DingTalk itself throttled the robot (true) or dingbot's own pacing
        /// held the send back (false).
        throttled: bool,
    },
    /// Pacing through Redis ([`RobotBuilder::redis_pacing`](crate::RobotBuilder::redis_pacing))
    /// could not get an answer from Redis, and the robot's policy is to fail fast
    /// ([`Pacing::FailFast`](crate::Pacing::FailFast)) or its bounded wait ran out
    /// ([`Pacing::WaitAtMost`](crate::Pacing::WaitAtMost)); with
    /// [`Pacing::Wait`](crate::Pacing::Wait) the send waits and asks Redis again
    /// instead. Also, whatever the policy, when Redis refused the credentials in the
    /// URL (the message says so; not [retryable](Error::is_retryable): fix the URL), and
    /// when Redis' answer was not one its script gives (the message says it was not
    /// understood). Nothing was sent: a robot never sends without a slot from the
    /// shared window. Neither the message nor the cause contains the Redis password.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    #[error("{message}")]
    Redis {
        /// What failed, with the Redis server's address (password masked).
        message: String,
        /// Redis' error, its text with the password masked.
        #[source]
        source: BoxError,
    },
    /// A [`Digest`](crate::Digest) already holds as many events as it may; this one was
    /// refused, counted, and will be reported in the next summary.
    #[error("the digest already holds {held} events; this one was dropped (and will be reported)")]
    DigestFull {
        /// How many events are waiting.
        held: usize,
    },
    /// The [`Digest`](crate::Digest) has been closed.
    #[error("the digest is closed")]
    DigestClosed,
    /// A runtime problem: something that needs a Tokio runtime was called outside one,
    /// the blocking robot was called from inside one, or its runtime could not start.
    #[error("{message}")]
    Runtime {
        /// What went wrong.
        message: String,
    },
}

struct AttemptList<'a>(&'a [Error]);

impl fmt::Display for AttemptList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, err) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "#{}: {}", i + 1, err)?;
        }
        Ok(())
    }
}

impl Error {
    /// DingTalk's errcode, for errors that came from DingTalk's answer.
    pub fn errcode(&self) -> Option<i64> {
        let meaning = match self {
            Error::SignatureMismatch { .. }
            | Error::InvalidTimestamp { .. }
            | Error::KeywordsMissing { .. }
            | Error::IpNotAllowed { .. }
            | Error::SecurityCheckFailed { .. } => return Some(errcode::SECURITY),
            Error::SendTooFast { code, .. }
            | Error::TokenNotFound { code, .. }
            | Error::UnsafeContent { code, .. }
            | Error::Api { code, .. } => return Some(*code),
            Error::RetriesExhausted { attempts } => return attempts.last()?.errcode(),
            Error::RobotDisabled { .. } => Meaning::RobotDisabled,
            Error::GroupDissolved { .. } => Meaning::GroupDissolved,
            Error::UnsupportedMessageType { .. } => Meaning::UnsupportedMessageType,
            Error::BodyTooLarge { .. } => Meaning::BodyTooLarge,
            Error::SystemBusy { .. } => Meaning::SystemBusy,
            _ => return None,
        };
        dingtalk::code_of(meaning)
    }

    /// Whether sending the same message again may succeed without changing anything.
    ///
    /// True for transport failures, timeouts, HTTP 5xx, 3xx (a gateway redirect), 429 and
    /// 408, non-JSON answers, errcode -1
    /// (system busy) and an invalid timestamp (a fresh signature may fix it; retry that
    /// once); also for pacing that could not get a slot for a passing reason (Redis
    /// unreachable, another rate still in the window; not Redis refusing the
    /// credentials). False for everything else: a wrong signature, missing keywords, an IP not
    /// allowed, a missing token, unsafe content, an oversized body, and "send too fast"
    /// (the throttle lasts 10 minutes; pacing handles it, not a retry).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::HttpStatus { status } => matches!(status, 300..=399 | 408 | 429 | 500..=599),
            // After retrying, what matters is how the last attempt failed.
            Error::RetriesExhausted { attempts } => {
                attempts.last().is_some_and(Error::is_retryable)
            }
            // Unless Redis refused the credentials: asking again will not help.
            #[cfg(feature = "redis")]
            Error::Redis { source, .. } => !source.is::<Permanent>(),
            // It passes once the other robot's sends have left the window.
            Error::PacingConflict { .. } => true,
            Error::Timeout
            | Error::Transport { .. }
            | Error::InvalidResponse { .. }
            | Error::InvalidTimestamp { .. } => true,
            _ => self
                .errcode()
                .is_some_and(|code| dingtalk::classify(code).1 == Retry::Backoff),
        }
    }

    /// Whether DingTalk said the robot sends too fast (130101 / 410100).
    pub fn is_throttled(&self) -> bool {
        match self {
            Error::SendTooFast { .. } => true,
            Error::RetriesExhausted { attempts } => {
                attempts.last().is_some_and(Error::is_throttled)
            }
            _ => false,
        }
    }

    /// An error from the HTTP client, with the URL (which holds the token) removed.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
        if err.is_timeout() {
            return Error::Timeout;
        }
        let err = err.without_url();
        Error::Transport {
            message: err.to_string(),
            source: Box::new(err),
        }
    }
}

#[cfg(test)]
mod tests;
