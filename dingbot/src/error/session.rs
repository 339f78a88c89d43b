//! The errors of an app robot's conversation: a session webhook used after it expired.

use super::Error;

impl Error {
    /// The session webhook expired at `expired_at_ms`; it is `now_ms`.
    pub(crate) fn session_expired(expired_at_ms: i64, now_ms: i64) -> Error {
        Error::SessionExpired {
            expired_at_ms,
            ago_ms: now_ms.saturating_sub(expired_at_ms),
        }
    }
}
