//! One Redis-paced send's wait: its deadline ([`Pacing::WaitAtMost`]), and a warning
//! each minute saying what it still waits for, so that no wait goes on silently.

use std::time::{Duration, Instant};

use super::super::pacing::Pacing;
use crate::clock::later;

/// How often a waiting send says what it waits for.
pub(super) const REPORT_EVERY: Duration = Duration::from_secs(60);

/// Why a send has no slot yet: what a fail-fast send would return, what to say in the
/// minute's warning, and how long until it is worth asking again.
pub(super) struct Refusal {
    pub(super) error: crate::error::Error,
    pub(super) waiting_for: String,
    pub(super) nap: Duration,
}

/// The wait of one send, from its first ask.
pub(super) struct Waiting {
    started: Instant,
    deadline: Option<Instant>,
    every: Duration,
    next_report: Instant,
}

impl Waiting {
    /// A wait under `policy`, reporting every `every`.
    pub(super) fn new(policy: Pacing, every: Duration) -> Waiting {
        let started = Instant::now();
        Waiting {
            started,
            deadline: policy.wait_limit().map(|limit| later(started, limit)),
            every,
            next_report: later(started, every),
        }
    }

    /// When the send gives up, if it ever does.
    pub(super) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the send must give up now.
    pub(super) fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Logs what the send waits for, when a report is due.
    pub(super) fn report(&mut self, redis: &str, waiting_for: &str) {
        let now = Instant::now();
        if now < self.next_report {
            return;
        }
        self.next_report = later(now, self.every);
        tracing::warn!(
            redis,
            waited_secs = now.duration_since(self.started).as_secs(),
            "dingbot: a send has waited {:.0?} for a slot from Redis pacing; waiting for {waiting_for}",
            now.duration_since(self.started)
        );
    }

    /// When to wake from a nap of `nap`: at its end, the next report or the deadline,
    /// whichever comes first.
    pub(super) fn wake(&self, nap: Duration) -> Instant {
        let end = later(Instant::now(), nap).min(self.next_report);
        self.deadline.map_or(end, |d| end.min(d))
    }
}
