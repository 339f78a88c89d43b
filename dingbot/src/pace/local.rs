//! The in-process window: every robot in this process for one access token shares one
//! [`Local`] window (the default; see the module above for the rules it keeps).

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::pacing::Pacing;
use crate::clock::{Clock, later};
use crate::error::Error;

/// The window of recent sends of one robot, shared by every `Robot` for its token in
/// this process.
pub(crate) struct Local {
    limit: usize,
    window: Duration,
    clock: Clock,
    state: Mutex<State>,
    /// Woken when a slot is released (an answer arrived) or the throttle changes.
    changed: Notify,
}

#[derive(Default)]
struct State {
    /// When the answers of recent sends arrived, oldest first.
    done: VecDeque<Instant>,
    /// Sends holding a slot whose answer has not arrived yet.
    in_flight: usize,
    throttled_until: Option<Instant>,
}

impl fmt::Debug for Local {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Local")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

/// Where a send may go now, or when it may.
enum Verdict {
    Go,
    Throttled(Instant),
    FreeAt(Instant),
    AllInFlight,
}

impl Local {
    /// A window allowing `limit` sends per `window` (the margin already added).
    pub(crate) fn new(limit: usize, window: Duration, clock: Clock) -> Local {
        Local {
            limit: limit.max(1),
            window,
            clock,
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    /// Whether this window counts at `limit` per `window` by `clock`.
    pub(super) fn counts(&self, limit: usize, window: Duration, clock: &Clock) -> bool {
        self.limit == limit.max(1)
            && self.window == window
            && self.clock.identity() == clock.identity()
    }

    /// How it paces, for an error that compares two robots.
    pub(super) fn describe(&self) -> String {
        let clock = if self.clock.is_manual() {
            "a manual clock"
        } else {
            "the system clock"
        };
        format!(
            "paces in this process at {} per {:?} (margin included) by {clock}",
            self.limit, self.window
        )
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn verdict(&self, state: &mut State, now: Instant) -> Verdict {
        if let Some(until) = state.throttled_until {
            if until > now {
                return Verdict::Throttled(until);
            }
            state.throttled_until = None;
        }
        while state
            .done
            .front()
            .is_some_and(|&t| later(t, self.window) <= now)
        {
            state.done.pop_front();
        }
        if state.done.len() + state.in_flight < self.limit {
            return Verdict::Go;
        }
        match state.done.front() {
            Some(&oldest) => Verdict::FreeAt(later(oldest, self.window)),
            None => Verdict::AllInFlight,
        }
    }

    /// How many sends could go out right now without waiting.
    #[cfg(test)]
    fn free_slots(&self) -> usize {
        let now = self.clock.now();
        let mut state = self.lock();
        match self.verdict(&mut state, now) {
            Verdict::Throttled(_) => 0,
            _ => self
                .limit
                .saturating_sub(state.done.len() + state.in_flight),
        }
    }

    /// When DingTalk's throttle ends, if the robot is throttled now.
    #[cfg(test)]
    fn throttled_until(&self) -> Option<Instant> {
        let now = self.clock.now();
        self.lock().throttled_until.filter(|&until| until > now)
    }

    /// Marks the robot throttled by DingTalk for `duration` from now.
    pub(crate) fn mark_throttled(&self, duration: Duration) {
        let until = later(self.clock.now(), duration);
        {
            let mut state = self.lock();
            state.throttled_until = Some(state.throttled_until.map_or(until, |t| t.max(until)));
        }
        tracing::warn!(
            throttle_secs = duration.as_secs(),
            "dingbot: DingTalk throttled the robot; holding sends until the throttle ends"
        );
        self.changed.notify_waiters();
    }

    /// Takes a slot for one send, waiting or failing per `policy`; it is held until
    /// [`release`](Self::release) (when the answer has arrived), and counts from then.
    ///
    /// Returns how many more slots were free when it was granted, so a caller planning
    /// several sends learns in the same call, without looking at the window again, how
    /// many may follow at once.
    pub(crate) async fn acquire(&self, policy: Pacing) -> Result<usize, Error> {
        // Past it, the send fails as a fail-fast send would.
        let deadline = policy
            .wait_limit()
            .map(|limit| later(self.clock.now(), limit));
        loop {
            // Register for wake-ups before looking, so none is missed in between.
            let changed = self.changed.notified();
            let now = self.clock.now();
            let verdict = {
                let mut state = self.lock();
                let verdict = self.verdict(&mut state, now);
                if let Verdict::Go = verdict {
                    state.in_flight += 1;
                    let free_slots = self
                        .limit
                        .saturating_sub(state.done.len() + state.in_flight);
                    return Ok(free_slots);
                }
                verdict
            };
            let (wake_at, throttled) = match verdict {
                Verdict::Go => continue,
                Verdict::Throttled(until) => (Some(until), true),
                Verdict::FreeAt(at) => (Some(at), false),
                Verdict::AllInFlight => (None, false),
            };
            if deadline.is_some_and(|deadline| now >= deadline) {
                let retry_after =
                    wake_at.map_or(self.window, |at| at.saturating_duration_since(now));
                return Err(Error::RateLimited {
                    retry_after,
                    throttled,
                });
            }
            if let Some(at) = wake_at {
                tracing::debug!(
                    wait_ms = at.saturating_duration_since(now).as_millis() as u64,
                    throttled,
                    "dingbot: waiting for a send slot"
                );
            }
            // Until the slot frees, or the deadline, whichever comes first.
            let until = match (wake_at, deadline) {
                (Some(at), Some(deadline)) => Some(at.min(deadline)),
                (at, deadline) => at.or(deadline),
            };
            match until {
                Some(at) => {
                    tokio::select! {
                        () = self.clock.sleep_until(at) => {}
                        () = changed => {}
                    }
                }
                None => changed.await,
            }
        }
    }

    /// Resolves when a slot is released or the throttle changes (register it before
    /// looking at the window, so no change in between is missed).
    pub(super) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.changed.notified()
    }

    pub(super) fn release(&self) {
        let now = self.clock.now();
        {
            let mut state = self.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
            state.done.push_back(now);
        }
        self.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_flight_sends_hold_their_slot() {
        let clock = Clock::manual();
        let pacer = Local::new(2, Duration::from_secs(60), clock.clone());
        pacer.acquire(Pacing::Wait).await.unwrap();
        pacer.acquire(Pacing::Wait).await.unwrap();
        assert_eq!(pacer.free_slots(), 0);
        assert!(
            matches!(pacer.acquire(Pacing::FailFast).await, Err(Error::RateLimited { retry_after, .. }) if retry_after == Duration::from_secs(60))
        );
        clock.advance(Duration::from_secs(30));
        pacer.release(); // the first answer arrived at +30 s: its slot frees at +90 s
        let start = clock.now();
        pacer.acquire(Pacing::Wait).await.unwrap();
        assert_eq!(clock.now() - start, Duration::from_secs(60));
    }

    #[tokio::test]
    async fn throttle_blocks_until_it_ends() {
        let clock = Clock::manual();
        let pacer = Local::new(20, Duration::from_secs(60), clock.clone());
        pacer.mark_throttled(Duration::from_secs(600));
        assert_eq!(pacer.free_slots(), 0);
        match pacer.acquire(Pacing::FailFast).await {
            Err(Error::RateLimited {
                retry_after,
                throttled: true,
            }) => assert_eq!(retry_after, Duration::from_secs(600)),
            other => panic!("{other:?}"),
        }
        let start = clock.now();
        pacer.acquire(Pacing::Wait).await.unwrap();
        pacer.release();
        assert_eq!(clock.now() - start, Duration::from_secs(600));
        assert!(pacer.throttled_until().is_none());
    }

    #[tokio::test]
    async fn a_bounded_wait_fails_as_fail_fast_at_its_deadline() {
        let clock = Clock::manual();
        let pacer = Local::new(1, Duration::from_secs(60), clock.clone());
        pacer.acquire(Pacing::Wait).await.unwrap();
        pacer.release();
        let start = clock.now();
        let bounded = Pacing::WaitAtMost(Duration::from_secs(20));
        match pacer.acquire(bounded).await {
            Err(Error::RateLimited {
                retry_after,
                throttled: false,
            }) => assert_eq!(retry_after, Duration::from_secs(40)),
            other => panic!("{other:?}"),
        }
        assert_eq!(clock.now() - start, Duration::from_secs(20));
        // Within its bound, it waits for the slot like `Wait`.
        pacer
            .acquire(Pacing::WaitAtMost(Duration::from_secs(60)))
            .await
            .unwrap();
        assert_eq!(clock.now() - start, Duration::from_secs(60));
    }

    #[tokio::test]
    async fn an_endless_throttle_never_panics() {
        let pacer = Local::new(20, Duration::from_secs(60), Clock::manual());
        pacer.mark_throttled(Duration::MAX);
        assert!(matches!(
            pacer.acquire(Pacing::FailFast).await,
            Err(Error::RateLimited {
                throttled: true,
                ..
            })
        ));
    }
}
