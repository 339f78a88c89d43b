//! [`Clock`]: the time a robot and the emulator live by, real or controlled by a test.
//!
//! DingTalk's rules are minutes long (20 messages a minute, a 10-minute throttle, a
//! 1-hour signature window). A [`Clock::manual`] clock, shared by a
//! [`Robot`](crate::Robot) and a [`MockServer`](crate::mock::MockServer), makes them
//! testable in milliseconds: waiting on it moves it forward at once instead of sleeping,
//! while the HTTP traffic stays real.
//!
//! ```
//! use std::time::Duration;
//! use dingbot::clock::Clock;
//!
//! let clock = Clock::manual();
//! let start = clock.now();
//! clock.advance(Duration::from_secs(600));
//! assert_eq!(clock.now() - start, Duration::from_secs(600));
//! ```

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A source of time: the system's, or a manual one that tests move forward.
///
/// Cloning a manual clock shares it.
#[derive(Clone, Default)]
pub struct Clock {
    manual: Option<Arc<Manual>>,
}

struct Manual {
    start: Instant,
    start_unix: Duration,
    /// Nanoseconds the clock has been moved forward.
    offset_nanos: AtomicU64,
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.manual {
            None => f.write_str("Clock::System"),
            Some(m) => write!(
                f,
                "Clock::Manual(+{:?})",
                Duration::from_nanos(m.offset_nanos.load(Ordering::Relaxed))
            ),
        }
    }
}

impl Clock {
    /// The system's clock: real time, real sleeps. The default.
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that moves only when [`advance`](Self::advance)d, or when something
    /// waits on it (the wait moves it forward at once). It starts at the current time.
    pub fn manual() -> Clock {
        let start_unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Clock {
            manual: Some(Arc::new(Manual {
                start: Instant::now(),
                start_unix,
                offset_nanos: AtomicU64::new(0),
            })),
        }
    }

    /// Identifies the clock: the same for clones of one manual clock, and for the system
    /// clock.
    pub(crate) fn identity(&self) -> usize {
        self.manual.as_ref().map_or(0, |m| Arc::as_ptr(m) as usize)
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// A monotonic instant. A manual clock's instants start at its creation and move
    /// only when it is advanced.
    pub fn now(&self) -> Instant {
        match &self.manual {
            None => Instant::now(),
            Some(m) => m.start + Duration::from_nanos(m.offset_nanos.load(Ordering::Acquire)),
        }
    }

    /// Milliseconds since the Unix epoch (what DingTalk's `timestamp` holds).
    pub fn unix_ms(&self) -> i64 {
        let since_epoch = match &self.manual {
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
            Some(m) => m.start_unix + Duration::from_nanos(m.offset_nanos.load(Ordering::Acquire)),
        };
        i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(m) = &self.manual {
            let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
            // Saturating: a manual clock never wraps around into the past.
            let _ = m
                .offset_nanos
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
                    Some(v.saturating_add(nanos))
                });
        }
    }

    /// Moves a manual clock forward to `deadline`, if it is not there yet.
    fn advance_to(&self, deadline: Instant) {
        if let Some(m) = &self.manual {
            let target = u64::try_from(deadline.saturating_duration_since(m.start).as_nanos())
                .unwrap_or(u64::MAX);
            m.offset_nanos.fetch_max(target, Ordering::AcqRel);
        }
    }

    /// Waits until `deadline`: a real sleep on the system clock; on a manual clock, moves
    /// it forward to `deadline` and yields.
    pub async fn sleep_until(&self, deadline: Instant) {
        if self.manual.is_some() {
            self.advance_to(deadline);
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep_until(deadline.into()).await;
        }
    }

    /// Waits for `duration` (see [`sleep_until`](Self::sleep_until)).
    pub async fn sleep(&self, duration: Duration) {
        self.sleep_until(later(self.now(), duration)).await;
    }

    /// Blocks the thread until `deadline` (for the blocking robot); a manual clock moves
    /// forward at once.
    pub fn sleep_until_blocking(&self, deadline: Instant) {
        if self.manual.is_some() {
            self.advance_to(deadline);
        } else {
            let now = Instant::now();
            if deadline > now {
                std::thread::sleep(deadline - now);
            }
        }
    }
}

/// `t + d`, saturating: a duration too long to add (a user's `Duration::MAX`, say)
/// means "a century from now", never a panic.
pub(crate) fn later(t: Instant, d: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    t.checked_add(d.min(CENTURY)).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn manual_sleep_moves_forward_without_waiting() {
        let clock = Clock::manual();
        let t0 = clock.now();
        let real = Instant::now();
        clock.sleep(Duration::from_secs(3600)).await;
        assert!(clock.now() - t0 >= Duration::from_secs(3600));
        assert!(real.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn advance_to_never_goes_back() {
        let clock = Clock::manual();
        let t0 = clock.now();
        clock.advance(Duration::from_secs(10));
        clock.sleep_until_blocking(t0 + Duration::from_secs(5));
        assert_eq!(clock.now() - t0, Duration::from_secs(10));
        let ms = clock.unix_ms();
        clock.advance(Duration::from_millis(1500));
        assert_eq!(clock.unix_ms() - ms, 1500);
    }
}
