//! The [`Digest`] handle, and the task that delivers what it holds.
//!
//! The task works in rounds. A round waits for a pacing slot, takes every event
//! waiting, and turns them into messages: each event as it was pushed when the window
//! has room for all of them, else summaries. It sends those in order. When one fails
//! for a passing reason, the rest of the round — that message included — is kept as it
//! is, and the next round sends exactly those payloads again before anything pushed
//! since.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::summary::{Chunk, Event, summarize};
use super::{DigestConfig, DigestStats, Keepalive};
use crate::client::{Robot, Sent};
use crate::error::Error;
use crate::message::DingMessage;
use crate::pace::{Pacing, Permit};

/// [`Digest`]: bursts merged into markdown summaries, so an alert storm never gets the
/// robot throttled and no event is lost.
///
/// A digest accepts any [`DingMessage`](crate::DingMessage) at once, without waiting. While the robot's
/// window has room, events go out as they are. When it is full, they are held, and as
/// soon as a slot frees they go out merged into one markdown summary — "12 events: 9 ×
/// Order failed, 3 × Deploy", then each event's title and body in order — split into
/// several messages when one would exceed DingTalk's 20000 bytes. Everyone a merged
/// event mentions is mentioned by the summary.
///
/// Each message keeps the `msgUuid` it was first sent with until DingTalk has taken it
/// or refused it for good: a message whose answer never came (a timeout) is sent again,
/// byte for byte, so DingTalk never posts it twice. Closing waits for delivery at most
/// [`DigestConfig::close_timeout`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), dingbot::Error> {
/// use dingbot::{DigestConfig, Robot, Text, clock::Clock, mock::MockServer};
///
/// let clock = Clock::manual(); // minutes pass in milliseconds
/// let server = MockServer::builder().clock(clock.clone()).start().await?;
/// let robot = Robot::builder(server.webhook_url()).clock(clock).build()?;
///
/// let digest = robot.digest(DigestConfig::default())?;
/// for i in 0..200 {
///     digest.push(&Text::new(format!("order {i} failed")))?;
/// }
/// let stats = digest.close().await;
/// assert_eq!(stats.events, 200);
/// assert!(stats.messages <= 20, "{stats:?}");
/// assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
/// # Ok(()) }
/// ```
///
/// Cheap to clone; clones feed the same digest. When the last clone is dropped, what is
/// still held is delivered in the background; [`close`](Self::close) does the same and
/// waits for it.
#[derive(Clone)]
pub struct Digest {
    shared: Arc<Shared>,
    _open: Arc<Open>,
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Digest")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

struct Shared {
    robot: Robot,
    config: DigestConfig,
    state: Mutex<State>,
    /// Woken when events arrive or the digest closes.
    wake: Notify,
    /// Woken when nothing is held.
    idle: Notify,
    task: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Default)]
struct State {
    /// Events pushed and not yet in a round.
    queue: VecDeque<Event>,
    /// Events taken for a round whose messages are being made.
    planning: usize,
    /// The round's messages not yet delivered or refused for good, in order.
    round: VecDeque<Chunk>,
    closed: bool,
    /// Dropped events not yet reported in a summary.
    unreported_drops: u64,
    stats: DigestStats,
}

impl State {
    fn held(&self) -> usize {
        let in_round: u64 = self.round.iter().map(|c| c.events).sum();
        self.queue.len() + self.planning + usize::try_from(in_round).unwrap_or(usize::MAX)
    }

    fn stats(&self) -> DigestStats {
        DigestStats {
            held: self.held(),
            ..self.stats.clone()
        }
    }
}

/// Closes the digest when the last handle goes.
struct Open(Arc<Shared>);

impl Drop for Open {
    fn drop(&mut self) {
        let held = {
            let mut state = self.0.lock();
            state.closed = true;
            state.held()
        };
        if held > 0 {
            tracing::warn!(
                held,
                "dingbot digest: dropped without close(); delivering the held events in the background \
                 (they are lost if the program exits first: await close() to wait for them)"
            );
        }
        self.0.wake.notify_one();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Digest {
    /// Starts the delivery task on `runtime`; it holds `keepalive` until it ends.
    pub(crate) fn spawn(
        robot: Robot,
        config: DigestConfig,
        runtime: &tokio::runtime::Handle,
        keepalive: Keepalive,
    ) -> Digest {
        let shared = Arc::new(Shared {
            robot,
            config,
            state: Mutex::new(State::default()),
            wake: Notify::new(),
            idle: Notify::new(),
            task: Mutex::new(None),
        });
        let task = runtime.spawn(run(Arc::clone(&shared), keepalive));
        *shared.task.lock().unwrap_or_else(|e| e.into_inner()) = Some(task);
        Digest {
            _open: Arc::new(Open(Arc::clone(&shared))),
            shared,
        }
    }

    /// Accepts an event without waiting. It is checked and encoded as it will be sent
    /// (validity, size, its `msgUuid`), so a bad event is refused here, not lost later.
    ///
    /// Refused with [`Error::DigestFull`] when `max_held` events are already waiting
    /// (the drop is counted and reported in the next summary), and with
    /// [`Error::DigestClosed`] after [`close`](Self::close).
    pub fn push<M: DingMessage + ?Sized>(&self, event: &M) -> Result<(), Error> {
        let event = Event::new(event, self.shared.robot.keyword_rule())?;
        {
            let mut state = self.shared.lock();
            if state.closed {
                return Err(Error::DigestClosed);
            }
            let held = state.queue.len();
            if held >= self.shared.config.max_held {
                state.stats.dropped += 1;
                state.unreported_drops += 1;
                if state.unreported_drops == 1 {
                    tracing::warn!(
                        held,
                        "dingbot digest: full, dropping events (they are counted and reported in the next summary)"
                    );
                }
                return Err(Error::DigestFull { held });
            }
            state.queue.push_back(event);
            state.stats.events += 1;
        }
        self.shared.wake.notify_one();
        Ok(())
    }

    /// What the digest has done so far.
    pub fn stats(&self) -> DigestStats {
        self.shared.lock().stats()
    }

    /// Waits until every event pushed so far has been delivered (or has failed for good).
    pub async fn flush(&self) -> DigestStats {
        loop {
            let idle = self.shared.idle.notified();
            {
                let state = self.shared.lock();
                if state.held() == 0 {
                    return state.stats();
                }
            }
            self.shared.wake.notify_one();
            idle.await;
        }
    }

    /// Delivers everything still held, stops the digest and returns what it did.
    ///
    /// It waits at most the [`close_timeout`](DigestConfig::close_timeout) (real time);
    /// then it stops, counts what it could not deliver in
    /// [`undelivered`](DigestStats::undelivered) and logs it.
    pub async fn close(self) -> DigestStats {
        let shared = &self.shared;
        shared.lock().closed = true;
        shared.wake.notify_one();
        let limit = shared.config.close_timeout;
        let task = shared.task.lock().unwrap_or_else(|e| e.into_inner()).take();
        match task {
            Some(mut task) => {
                let why = match tokio::time::timeout(limit, &mut task).await {
                    // It ends when nothing is held: there is nothing to give up on.
                    Ok(Ok(())) => String::new(),
                    Ok(Err(err)) => format!("the delivery task failed: {err}"),
                    Err(_) => {
                        task.abort();
                        // Only its cancellation is left to wait for.
                        let _ = task.await;
                        format!("close timed out after {limit:?}")
                    }
                };
                give_up_on_held(shared, &why);
            }
            // Another clone is closing it: wait for what is held all the same.
            None => {
                let _ = tokio::time::timeout(limit, self.flush()).await;
            }
        }
        self.stats()
    }
}

/// After the delivery task has ended (`why`, if it had to): counts what is still held
/// as undelivered, and says so once.
fn give_up_on_held(shared: &Shared, why: &str) {
    let undelivered = {
        let mut state = shared.lock();
        let held = state.held() as u64;
        if held > 0 {
            state.queue.clear();
            state.round.clear();
            state.planning = 0;
            state.stats.undelivered += held;
            state.stats.last_error = Some(format!("{why}; {held} event(s) not delivered"));
        }
        held
    };
    if undelivered > 0 {
        tracing::error!(
            undelivered,
            reason = why,
            "dingbot digest: closed with events not delivered (any sent without an answer may have been posted)"
        );
    }
    shared.idle.notify_waiters();
}

/// How many delivery rounds in a row may fail for passing reasons (DingTalk down, a
/// gateway error, timeouts; each round already retried by the robot) before the events of
/// a failing message are counted as failed.
const TRANSIENT_ROUNDS: u32 = 6;

/// How often a slot the delivery task cannot get is logged while it lasts.
const CONFLICT_LOG_EVERY: Duration = Duration::from_secs(60);

/// The delivery task.
async fn run(shared: Arc<Shared>, keepalive: Keepalive) {
    let mut failing_rounds = 0;
    // When a failed acquire was last logged: it repeats every second while it lasts.
    let mut logged: Option<std::time::Instant> = None;
    loop {
        let woken = shared.wake.notified();
        let (has_work, closed) = {
            let state = shared.lock();
            (
                !state.round.is_empty() || !state.queue.is_empty(),
                state.closed,
            )
        };
        if !has_work {
            shared.idle.notify_waiters();
            if closed {
                break;
            }
            woken.await;
            continue;
        }
        let permit = match shared.robot.pacer().acquire(Pacing::Wait, None).await {
            Ok(permit) => permit,
            Err(err) => {
                // Waiting for a slot fails only while robots for the token disagree on
                // the rate (Error::PacingConflict, until the other rate's sends have left
                // the window), or while Redis answers what its script never does: hold
                // the events, ask again each second, say so each minute.
                if logged.is_none_or(|at| at.elapsed() >= CONFLICT_LOG_EVERY) {
                    logged = Some(std::time::Instant::now());
                    tracing::error!(
                        error = %err,
                        events = shared.lock().held(),
                        "dingbot digest: no send slot; holding the events and asking again every second"
                    );
                }
                shared.robot.clock().sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if shared.lock().round.is_empty() {
            plan_round(&shared, permit.free_slots());
        }
        failing_rounds = send_round(&shared, permit, failing_rounds).await;
    }
    drop(keepalive);
}

/// Takes every waiting event into a round: each as it is when the window has room for
/// all (`free` slots besides the one held), else merged into summaries.
fn plan_round(shared: &Shared, free: usize) {
    let (events, drops) = {
        let mut state = shared.lock();
        let events: Vec<Event> = state.queue.drain(..).collect();
        state.planning = events.len();
        (events, std::mem::take(&mut state.unreported_drops))
    };
    let chunks = if drops == 0 && events.len() <= free.saturating_add(1) {
        events.iter().map(Chunk::alone).collect()
    } else {
        let chunks = summarize(&events, drops, &shared.config, shared.robot.keyword_rule());
        tracing::info!(
            events = events.len(),
            messages = chunks.len(),
            dropped = drops,
            "dingbot digest: merged a burst into summaries"
        );
        chunks
    };
    let mut state = shared.lock();
    state.planning = 0;
    state.round.extend(chunks);
}

/// Sends the round's messages in order, the first with `permit`. Returns how many
/// rounds in a row have now failed for passing reasons.
async fn send_round(shared: &Shared, permit: Permit, mut failing_rounds: u32) -> u32 {
    let mut permit = Some(permit);
    loop {
        let Some(payload) = shared.lock().round.front().map(|c| c.payload.clone()) else {
            return failing_rounds;
        };
        let result = match permit.take() {
            Some(permit) => shared.robot.send_with_permit(&payload, permit).await,
            None => shared.robot.send_paced(&payload, Pacing::Wait).await,
        };
        match settle(shared, result, failing_rounds >= TRANSIENT_ROUNDS) {
            Outcome::Done => failing_rounds = 0,
            Outcome::GaveUp => {}
            Outcome::Hold { transient: false } => return failing_rounds,
            Outcome::Hold { transient: true } => {
                failing_rounds += 1;
                let backoff = Duration::from_secs(1 << failing_rounds.min(6));
                tracing::warn!(
                    held = shared.lock().held(),
                    retry_in_secs = backoff.as_secs(),
                    round = failing_rounds,
                    "dingbot digest: delivery failed for a passing reason; holding the events and sending the same messages again"
                );
                shared.robot.clock().sleep(backoff).await;
                return failing_rounds;
            }
        }
    }
}

enum Outcome {
    /// Delivered, or refused for good (counted as failed).
    Done,
    /// Counted as failed after too many passing failures in a row.
    GaveUp,
    /// Not delivered: keep the rest of the round for the next (`transient`: after a
    /// back-off).
    Hold { transient: bool },
}

/// Records how the round's first message fared. `give_up`: count a passing failure as
/// final.
fn settle(shared: &Shared, result: Result<Sent, Error>, give_up: bool) -> Outcome {
    let mut state = shared.lock();
    let err = match result {
        Ok(_) => {
            if let Some(chunk) = state.round.pop_front() {
                state.stats.messages += 1;
                if chunk.summary {
                    state.stats.summaries += 1;
                    state.stats.merged += chunk.events;
                } else {
                    state.stats.sent_alone += chunk.events;
                }
            }
            return Outcome::Done;
        }
        Err(err) => err,
    };
    if matches!(err, Error::PacingConflict { .. }) {
        // Robots for the token disagree on the rate until the other rate's sends have left
        // the window: a wait, like a throttle, not a failed round (the delivery loop's
        // next acquire says so, at most once a minute).
        return Outcome::Hold { transient: false };
    }
    if err.is_throttled() {
        tracing::warn!(
            events = state.held(),
            "dingbot digest: DingTalk throttled the robot; holding the events until it ends"
        );
        return Outcome::Hold { transient: false };
    }
    if err.is_retryable() && !give_up {
        return Outcome::Hold { transient: true };
    }
    let Some(chunk) = state.round.pop_front() else {
        return Outcome::Done;
    };
    tracing::error!(events = chunk.events, error = %err, "dingbot digest: delivery failed; the events are counted as failed");
    state.stats.failed += chunk.events;
    state.stats.last_error = Some(err.to_string());
    // The drops it would have reported go into the next summary.
    state.unreported_drops += chunk.drops;
    if err.is_retryable() {
        Outcome::GaveUp
    } else {
        Outcome::Done
    }
}
