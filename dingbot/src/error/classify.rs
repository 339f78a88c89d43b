//! What an [`Error`] says about itself: DingTalk's errcode, whether sending again may
//! help, whether the robot is throttled; and errors made from the HTTP client's.

use super::Error;
#[cfg(feature = "redis")]
use super::Permanent;
use crate::dingtalk::{self, Meaning, Retry, errcode};

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
    /// once); the OpenAPI's flow control and its HTTP 5xx answers; also for pacing that could not get a slot for a passing reason (Redis
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
            // The OpenAPI's flow control counts per second; its server errors pass.
            Error::AppFlowControlled { .. } => true,
            Error::AppApi { status, .. } => (500..=599).contains(status),
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
