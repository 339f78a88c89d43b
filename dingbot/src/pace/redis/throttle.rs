//! DingTalk's throttle as this process knows it: honoured without asking Redis, so
//! that sends stop at once even when Redis cannot be reached.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::clock::later;

/// When the throttle this process knows of ends.
#[derive(Default)]
pub(super) struct KnownThrottle(Mutex<Option<Instant>>);

impl KnownThrottle {
    fn lock(&self) -> MutexGuard<'_, Option<Instant>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// When the throttle ends, if it has not ended.
    pub(super) fn until(&self) -> Option<Instant> {
        let mut until = self.lock();
        match *until {
            Some(t) if t > Instant::now() => Some(t),
            _ => {
                *until = None;
                None
            }
        }
    }

    /// The robot is throttled for `duration` from now (a longer throttle known is kept).
    pub(super) fn note(&self, duration: Duration) {
        let until = later(Instant::now(), duration);
        let mut known = self.lock();
        *known = Some(known.map_or(until, |t| t.max(until)));
    }
}
