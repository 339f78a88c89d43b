//! Pacing: staying under DingTalk's 20 messages a minute, and sitting out its throttle.
//!
//! Every [`Robot`](crate::Robot) for the same access token in a process shares one
//! [`Pacer`]: a sliding window of the last sends. The token decides, not the URL that
//! reaches it (`127.0.0.1` or `localhost`, a trailing slash), except that on a loopback
//! address the port counts too (each port there is an emulator of its own). Robots for
//! one token that pace at another rate or by another clock keep windows of their own,
//! with a warning. A send takes a slot before it goes on
//! the network; the slot counts from the moment DingTalk's **answer arrives** (not from
//! when the request left), so however long a request is in flight, DingTalk can never
//! see more than the limit inside its window. A small margin is added to the window for
//! clock differences.
//!
//! When DingTalk throttles the robot anyway (errcode 130101/410100 — another process
//! shares the token, say), the pacer marks it throttled for 10 minutes, and sends wait
//! (or fail fast) without touching the network until the throttle ends.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::client::Pacing;
use crate::clock::{Clock, later};
use crate::error::Error;

/// DingTalk's limit: messages per window.
pub const DINGTALK_LIMIT: usize = crate::dingtalk::RATE_LIMIT;
/// DingTalk's window.
pub const DINGTALK_WINDOW: Duration = crate::dingtalk::RATE_WINDOW;
/// How long DingTalk throttles a robot that sent too fast.
pub const DINGTALK_THROTTLE: Duration = crate::dingtalk::THROTTLE;
/// Added to the window, for clock differences between this machine and DingTalk.
pub const DEFAULT_MARGIN: Duration = Duration::from_secs(2);

/// The window of recent sends of one robot, shared by every `Robot` for its token.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// use dingbot::clock::Clock;
/// use dingbot::Pacing;
/// use dingbot::pace::Pacer;
///
/// let clock = Clock::manual();
/// let pacer = Pacer::new(2, Duration::from_secs(60), clock.clone());
/// drop(pacer.acquire(Pacing::Wait).await.unwrap());
/// drop(pacer.acquire(Pacing::Wait).await.unwrap());
/// let err = pacer.acquire(Pacing::FailFast).await.unwrap_err();
/// assert!(matches!(err, dingbot::Error::RateLimited { throttled: false, .. }));
/// // Waiting moves the manual clock to when the oldest slot frees.
/// let before = clock.now();
/// drop(pacer.acquire(Pacing::Wait).await.unwrap());
/// assert_eq!(clock.now() - before, Duration::from_secs(60));
/// # }
/// ```
pub struct Pacer {
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

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacer")
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

impl Pacer {
    /// A pacer allowing `limit` sends per `window` (add your own margin to `window`).
    pub fn new(limit: usize, window: Duration, clock: Clock) -> Pacer {
        Pacer {
            limit: limit.max(1),
            window,
            clock,
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    /// The pacer shared by every robot for the robot `key` (a hash of its access token)
    /// that paces at the same rate by the same clock.
    ///
    /// Robots for one token with a different rate or clock get a window of their own
    /// (they cannot count the same sends), and a warning says so: they no longer keep
    /// each other under DingTalk's limit.
    pub(crate) fn shared(key: &str, limit: usize, window: Duration, clock: &Clock) -> Arc<Pacer> {
        type Registry = HashMap<(String, usize, Duration, usize), Weak<Pacer>>;
        static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
        let registry = REGISTRY.get_or_init(Default::default);
        let mut map = registry.lock().unwrap_or_else(|e| e.into_inner());
        let full_key = (key.to_owned(), limit, window, clock.identity());
        if let Some(pacer) = map.get(&full_key).and_then(Weak::upgrade) {
            return pacer;
        }
        map.retain(|_, weak| weak.strong_count() > 0);
        if map.keys().any(|(other, ..)| other == key) {
            tracing::warn!(
                limit,
                window_ms = window.as_millis() as u64,
                "dingbot: another robot for this access token paces at another rate or by another clock; \
                 the two keep separate windows and do not keep each other under DingTalk's limit"
            );
        }
        let pacer = Arc::new(Pacer::new(limit, window, clock.clone()));
        map.insert(full_key, Arc::downgrade(&pacer));
        pacer
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The limit per window.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The window (with its margin).
    pub fn window(&self) -> Duration {
        self.window
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
    pub fn free_slots(&self) -> usize {
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
    pub fn throttled_until(&self) -> Option<Instant> {
        let now = self.clock.now();
        self.lock().throttled_until.filter(|&until| until > now)
    }

    /// Marks the robot throttled by DingTalk for `duration` from now.
    pub fn mark_throttled(&self, duration: Duration) {
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

    /// Takes a slot for one send, waiting or failing per `policy`. The slot counts
    /// from when the returned [`Permit`] is dropped (when the answer has arrived).
    ///
    /// The permit also tells how many more slots were free when it was granted
    /// ([`Permit::free_slots`]), so a caller planning several sends learns in the same
    /// call, without looking at the window again, how many may follow at once.
    pub async fn acquire(&self, policy: Pacing) -> Result<Permit<'_>, Error> {
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
                    return Ok(Permit {
                        pacer: Some(self),
                        free_slots,
                    });
                }
                verdict
            };
            let (wake_at, throttled) = match verdict {
                Verdict::Go => continue,
                Verdict::Throttled(until) => (Some(until), true),
                Verdict::FreeAt(at) => (Some(at), false),
                Verdict::AllInFlight => (None, false),
            };
            if policy == Pacing::FailFast {
                let retry_after =
                    wake_at.map_or(self.window, |at| at.saturating_duration_since(now));
                return Err(Error::RateLimited {
                    retry_after,
                    throttled,
                });
            }
            match wake_at {
                Some(at) => {
                    tracing::debug!(
                        wait_ms = at.saturating_duration_since(now).as_millis() as u64,
                        throttled,
                        "dingbot: waiting for a send slot"
                    );
                    tokio::select! {
                        () = self.clock.sleep_until(at) => {}
                        () = changed => {}
                    }
                }
                None => changed.await,
            }
        }
    }

    /// Waits until at least one send could go out, without taking a slot. Another send
    /// may take that slot first: to send, [`acquire`](Self::acquire) one instead.
    pub async fn ready(&self) {
        loop {
            let changed = self.changed.notified();
            let now = self.clock.now();
            let verdict = self.verdict(&mut self.lock(), now);
            match verdict {
                Verdict::Go => return,
                Verdict::Throttled(at) | Verdict::FreeAt(at) => {
                    tokio::select! {
                        () = self.clock.sleep_until(at) => {}
                        () = changed => {}
                    }
                }
                Verdict::AllInFlight => changed.await,
            }
        }
    }

    fn release(&self) {
        let now = self.clock.now();
        {
            let mut state = self.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
            state.done.push_back(now);
        }
        self.changed.notify_waiters();
    }
}

/// A slot held by one send; dropping it (once the answer has arrived, or the attempt
/// failed) starts the slot's time in the window.
#[must_use = "the slot is released when the permit is dropped"]
pub struct Permit<'a> {
    pacer: Option<&'a Pacer>,
    free_slots: usize,
}

impl Permit<'_> {
    /// A permit that holds no slot (pacing off): nothing limits the sends after it.
    pub(crate) fn none() -> Permit<'static> {
        Permit {
            pacer: None,
            free_slots: usize::MAX,
        }
    }

    /// How many more sends could go out at once when this permit was granted, besides
    /// its own.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    /// use dingbot::{Pacing, clock::Clock, pace::Pacer};
    ///
    /// let pacer = Pacer::new(3, Duration::from_secs(60), Clock::manual());
    /// let first = pacer.acquire(Pacing::Wait).await.unwrap();
    /// assert_eq!(first.free_slots(), 2);
    /// let second = pacer.acquire(Pacing::Wait).await.unwrap();
    /// assert_eq!(second.free_slots(), 1);
    /// # }
    /// ```
    pub fn free_slots(&self) -> usize {
        self.free_slots
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Permit")
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Some(pacer) = self.pacer {
            pacer.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_flight_sends_hold_their_slot() {
        let clock = Clock::manual();
        let pacer = Pacer::new(2, Duration::from_secs(60), clock.clone());
        let a = pacer.acquire(Pacing::Wait).await.unwrap();
        let _b = pacer.acquire(Pacing::Wait).await.unwrap();
        assert_eq!(pacer.free_slots(), 0);
        assert!(
            matches!(pacer.acquire(Pacing::FailFast).await, Err(Error::RateLimited { retry_after, .. }) if retry_after == Duration::from_secs(60))
        );
        clock.advance(Duration::from_secs(30));
        drop(a); // its answer arrived at +30 s: the slot frees at +90 s
        let start = clock.now();
        let _c = pacer.acquire(Pacing::Wait).await.unwrap();
        assert_eq!(clock.now() - start, Duration::from_secs(60));
    }

    #[tokio::test]
    async fn throttle_blocks_until_it_ends() {
        let clock = Clock::manual();
        let pacer = Pacer::new(20, Duration::from_secs(60), clock.clone());
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
        drop(pacer.acquire(Pacing::Wait).await.unwrap());
        assert_eq!(clock.now() - start, Duration::from_secs(600));
        assert!(pacer.throttled_until().is_none());
    }

    #[test]
    fn robots_for_one_token_share_a_pacer() {
        let clock = Clock::system();
        let a = Pacer::shared("k1", 20, Duration::from_secs(62), &clock);
        let b = Pacer::shared("k1", 20, Duration::from_secs(62), &clock);
        let c = Pacer::shared("k2", 20, Duration::from_secs(62), &clock);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
