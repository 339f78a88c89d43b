//! [`RetryPolicy`]: which failures are retried, how often, and how long to back off.

use std::time::Duration;

use crate::error::Error;

/// How a [`Robot`](crate::Robot) retries a send.
///
/// Retried, with exponential back-off, up to [`max_attempts`](Self::max_attempts) in all:
/// transport failures, timeouts, HTTP 5xx/3xx/429/408, answers that are not JSON, and
/// errcode -1 (system busy). An invalid timestamp is retried **once**, at once, with a
/// fresh signature. Nothing else is retried: a wrong signature, missing keywords, an IP
/// not allowed, an unknown token, unsafe content, an oversized body or "send too fast"
/// would fail the same way again.
///
/// Every attempt is signed afresh and carries the same `msgUuid`, so DingTalk posts the
/// message once even when an earlier attempt did reach it.
///
/// ```
/// use std::time::Duration;
/// use dingbot::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(6)
///     .backoff(Duration::from_millis(200), Duration::from_secs(10));
/// assert_eq!(patient.get_max_attempts(), 6);
/// assert_eq!(RetryPolicy::none().get_max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, backing off 500 ms, 1 s, 2 s (with up to 25% jitter), at most 8 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Never retry: one attempt only.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The most attempts in all, the first included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first back-off, doubled after each failed attempt up to `max`.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The most attempts in all (set by [`max_attempts`](Self::max_attempts)).
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The most attempts in all.
    #[deprecated(
        since = "0.2.0",
        note = "renamed to `get_max_attempts`, after its setter"
    )]
    pub fn attempt_limit(&self) -> u32 {
        self.get_max_attempts()
    }

    /// What to do after attempt number `attempt` (1-based) failed with `err`.
    pub(crate) fn decide(
        &self,
        attempt: u32,
        err: &Error,
        timestamp_retries: &mut u32,
    ) -> Decision {
        if attempt >= self.max_attempts || !err.is_retryable() {
            return Decision::GiveUp;
        }
        if let Error::InvalidTimestamp { .. } = err {
            if *timestamp_retries >= 1 {
                return Decision::GiveUp;
            }
            *timestamp_retries += 1;
            return Decision::RetryAfter(Duration::ZERO);
        }
        let exp = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
        let base = self
            .initial_backoff
            .saturating_mul(exp)
            .min(self.max_backoff);
        // Up to 25% jitter, so that many robots failing together do not retry in step.
        let jitter = base.mul_f64(fastrand::f64() * 0.25);
        Decision::RetryAfter(base.saturating_add(jitter).min(self.max_backoff.max(base)))
    }
}

pub(crate) enum Decision {
    RetryAfter(Duration),
    GiveUp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delay(policy: &RetryPolicy, attempt: u32, err: &Error) -> Option<Duration> {
        match policy.decide(attempt, err, &mut 0) {
            Decision::RetryAfter(d) => Some(d),
            Decision::GiveUp => None,
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default()
            .max_attempts(10)
            .backoff(Duration::from_millis(100), Duration::from_millis(350));
        let busy = Error::from_api(-1, "busy").unwrap();
        let d1 = delay(&p, 1, &busy).unwrap();
        let d3 = delay(&p, 3, &busy).unwrap();
        let d9 = delay(&p, 9, &busy).unwrap();
        assert!(
            d1 >= Duration::from_millis(100) && d1 <= Duration::from_millis(125),
            "{d1:?}"
        );
        assert!(
            d3 >= Duration::from_millis(350) && d3 <= Duration::from_millis(350),
            "{d3:?}"
        );
        assert_eq!(d9, Duration::from_millis(350));
        assert!(delay(&p, 10, &busy).is_none());
    }

    #[test]
    fn never_retries_permanent_failures() {
        let p = RetryPolicy::default();
        for code in [310000, 300001, 130101, 460101, 430102, 400105] {
            assert!(
                delay(&p, 1, &Error::from_api(code, "x").unwrap()).is_none(),
                "{code}"
            );
        }
    }

    #[test]
    fn invalid_timestamp_once() {
        let p = RetryPolicy::default();
        let err = Error::from_api(310000, "invalid timestamp").unwrap();
        let mut ts = 0;
        assert!(matches!(p.decide(1, &err, &mut ts), Decision::RetryAfter(d) if d.is_zero()));
        assert!(matches!(p.decide(2, &err, &mut ts), Decision::GiveUp));
    }
}
