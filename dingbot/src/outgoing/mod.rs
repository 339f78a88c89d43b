//! Outgoing callbacks: an app robot in HTTP mode, where DingTalk POSTs each message a
//! person writes to the robot to the app's URL, the same JSON Stream mode delivers
//! ([`IncomingMessage`](crate::IncomingMessage)).
//!
//! DingTalk signs each callback with headers `timestamp` (milliseconds) and `sign` =
//! base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret)), valid for an hour.
//! [`verify_outgoing`] checks them, for any web framework; with the feature
//! `outgoing-axum`, [`axum::Outgoing`] is an extractor that checks them and reads the
//! message.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use dingbot::outgoing::{OutgoingError, verify_outgoing};
//!
//! let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_000_000);
//! let sign = dingbot::sign("app-secret", 1_700_000_000_000);
//! assert_eq!(verify_outgoing("app-secret", "1700000000000", &sign, now), Ok(()));
//! assert_eq!(
//!     verify_outgoing("other-secret", "1700000000000", &sign, now),
//!     Err(OutgoingError::BadSignature)
//! );
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[cfg(feature = "outgoing-axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "outgoing-axum")))]
pub mod axum;

/// How far a callback's `timestamp` may be from now, either way: DingTalk's hour.
pub const MAX_SKEW: Duration = Duration::from_secs(3600);

/// Why an Outgoing callback was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingError {
    /// A header DingTalk always sends is missing (or not text).
    #[error("the `{0}` header is missing")]
    MissingHeader(&'static str),
    /// The `timestamp` header is not milliseconds since the Unix epoch.
    #[error("the `timestamp` header is not a number of milliseconds")]
    BadTimestamp,
    /// The timestamp is more than [`MAX_SKEW`] from now: a replayed or delayed callback.
    #[error("the callback's timestamp is {skew_ms} ms from now, more than an hour")]
    Stale {
        /// How far from now, in milliseconds.
        skew_ms: u64,
    },
    /// The signature is not the app secret's.
    #[error("the callback's signature does not match the app secret")]
    BadSignature,
}

/// Checks an Outgoing callback's `timestamp` and `sign` headers against the app secret at
/// `now`: the signature must be the secret's and the timestamp within an hour of now.
/// The signature is compared in constant time.
///
/// # Errors
/// [`OutgoingError`]: what was wrong (never the secret or the expected signature).
pub fn verify_outgoing(
    app_secret: &str,
    timestamp: &str,
    sign: &str,
    now: SystemTime,
) -> Result<(), OutgoingError> {
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| OutgoingError::BadTimestamp)?;
    let now_ms = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(_) => 0,
    };
    let skew_ms = now_ms.abs_diff(ts);
    if u128::from(skew_ms) > MAX_SKEW.as_millis() {
        return Err(OutgoingError::Stale { skew_ms });
    }
    let expected = crate::sign(app_secret, ts);
    if !same(expected.as_bytes(), sign.trim().as_bytes()) {
        return Err(OutgoingError::BadSignature);
    }
    Ok(())
}

/// Byte strings compared without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn good_bad_and_stale_signatures() {
        let ts = 1_700_000_000_000u64;
        let sign = crate::sign("s3cret", ts as i64);
        let stamp = ts.to_string();
        assert_eq!(
            verify_outgoing("s3cret", &stamp, &sign, at(ts + 59 * 60_000)),
            Ok(())
        );
        assert_eq!(
            verify_outgoing("s3cret", &stamp, &sign, at(ts - 60_000)),
            Ok(())
        );
        assert_eq!(
            verify_outgoing("s3cret", &stamp, &sign, at(ts + 3_600_001)),
            Err(OutgoingError::Stale { skew_ms: 3_600_001 })
        );
        assert_eq!(
            verify_outgoing("wrong", &stamp, &sign, at(ts)),
            Err(OutgoingError::BadSignature)
        );
        assert_eq!(
            verify_outgoing("s3cret", "soon", &sign, at(ts)),
            Err(OutgoingError::BadTimestamp)
        );
        assert_eq!(
            verify_outgoing("s3cret", &(ts + 1).to_string(), &sign, at(ts)),
            Err(OutgoingError::BadSignature)
        );
    }
}
