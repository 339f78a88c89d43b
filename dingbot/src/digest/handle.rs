//! The [`Digest`] handle: pushing events, flushing, closing; and
//! [`Robot::digest`], which starts one.

use std::fmt;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::config::{DigestConfig, DigestStats, Settled};
use super::delivery::run;
use super::event::Event;
use super::state::{Shared, State};
use crate::client::Robot;
use crate::client::runtime::check_async;
use crate::error::Error;
use crate::group::RobotGroup;
use crate::message::DingMessage;

/// [`Digest`]: bursts merged into markdown summaries, so an alert storm never gets the
/// robot throttled and no event is lost.
///
/// A digest accepts any [`DingMessage`](crate::DingMessage) at once, without waiting. The first
/// event after a quiet spell goes out at once, as it is. Events that follow within
/// [`DigestConfig::gather`] (10 s) are gathered and go out together: one as it is, more
/// in a markdown summary that a person reads at a glance —
///
/// - the events grouped by kind (the title without its ids: "Order SO-2026/7 failed" is
///   "Order failed"), each kind under one header with its count, the most frequent
///   first;
/// - one line per event: the time it was pushed (`HH:MM:SS`, at
///   [`utc_offset_minutes`](DigestConfig::utc_offset_minutes), when the events are not
///   all of one second) and its [`summary`](crate::DingMessage::summary), escaped;
/// - everyone the events mention, once, at the end;
/// - a title that starts with the robot's first [keyword](crate::RobotBuilder::keywords)
///   and gives the round's total and its top kinds.
///
/// A summary larger than DingTalk's 20000 bytes is split into parts, each titled with the
/// round's total and `(i/n)`, at most
/// [`max_messages_per_round`](DigestConfig::max_messages_per_round) (3): beyond them the
/// rest of each kind is counted ("… and 312 more", [`DigestStats::counted`]), never left
/// out silently. [`Detail::Full`](crate::Detail) shows each event in full instead,
/// [`Detail::Counts`](crate::Detail) only the kinds and their counts. When the robot's
/// window has no room for all the events waiting, they go into one round at once.
///
/// 500 failed orders pushed within 10 seconds, each about 1 KB and summarised as
/// "SO-2026/7 Globex: 1,234.00", reach the group as three messages: the first order in
/// full, at once, then this summary in two parts (the second goes on with the same
/// kind, "46 of 499"):
///
/// ```text
/// 告警 499 events: 499 × Order failed (1/2)
///
/// #### 告警 499 events: 499 × Order failed (1/2)
///
/// **Order failed**: 453 of 499
///
/// - 14:15:02 SO-2026/1 Globex: 1,234.00
/// - 14:15:02 SO-2026/2 Globex: 1,234.00
///   … (a line an order)
/// - 14:15:11 SO-2026/453 Globex: 1,234.00
///
/// @13800000000
/// ```
///
/// (the title DingTalk lists, then the body as sent; from `tests/tests/digest_summary.rs`).
///
/// Each message keeps the `msgUuid` it was first sent with until DingTalk has taken it
/// or refused it for good: a message whose answer never came (a timeout) is sent again,
/// byte for byte, so DingTalk never posts it twice. Closing waits for delivery at most
/// [`DigestConfig::close_timeout`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
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

impl Digest {
    /// Starts the delivery task on `runtime`; it holds `keepalive` (whatever the caller
    /// needs alive while it delivers, opaque here) until it ends.
    pub(crate) fn spawn(
        robot: impl Into<RobotGroup>,
        config: DigestConfig,
        runtime: &tokio::runtime::Handle,
        keepalive: Option<Box<dyn Send>>,
    ) -> Digest {
        let shared = Arc::new(Shared {
            robot: robot.into(),
            config,
            state: Mutex::new(State::default()),
            wake: Notify::new(),
            idle: Notify::new(),
            task: Mutex::new(None),
            on_settled: Mutex::new(None),
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
        self.accept(self.event(event, None)?).map(drop)
    }

    /// Like [`push`](Self::push), with the `msgUuid` the event's message carries when it
    /// is sent alone (DingTalk posts a `msgUuid` it has seen only once, so an event pushed
    /// again with the same one — after a restart, from a durable queue — is not posted
    /// twice when it goes out alone). Returns the event's number, which
    /// [`on_settled`](Self::on_settled) reports.
    pub fn push_with_msg_uuid<M: DingMessage + ?Sized>(
        &self,
        event: &M,
        msg_uuid: impl Into<String>,
    ) -> Result<u64, Error> {
        self.accept(self.event(event, Some(msg_uuid.into()))?)
    }

    fn event<M: DingMessage + ?Sized>(
        &self,
        event: &M,
        msg_uuid: Option<String>,
    ) -> Result<Event, Error> {
        let robot = &self.shared.robot;
        Event::new(
            event,
            robot.keyword_rule(),
            msg_uuid,
            robot.clock().unix_ms(),
        )
    }

    fn accept(&self, mut event: Event) -> Result<u64, Error> {
        let number = {
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
            event.number = state.next_event;
            state.next_event += 1;
            state.queue.push_back(event);
            state.stats.events += 1;
            state.next_event - 1
        };
        self.shared.wake.notify_one();
        Ok(number)
    }

    /// Calls `hook` each time a message's events are settled: delivered, or failed for
    /// good (refused, or failing past
    /// [`give_up_after`](DigestConfig::give_up_after)). It replaces an earlier hook. It
    /// runs on the delivery task, so it should be quick.
    ///
    /// Events [`close`](Self::close) gives up on when its time is up are not settled:
    /// they were neither delivered nor refused, and a caller that keeps its own durable
    /// copy (what a restart must not lose) keeps it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::sync::{Arc, Mutex};
    /// use dingbot::{DigestConfig, Robot, Text, mock::MockServer};
    ///
    /// let server = MockServer::start().await?;
    /// let robot = Robot::builder(server.webhook_url()).build()?;
    /// let digest = robot.digest(DigestConfig::default())?;
    /// let done = Arc::new(Mutex::new(Vec::new()));
    /// let seen = Arc::clone(&done);
    /// digest.on_settled(move |s| seen.lock().unwrap().push((s.events.clone(), s.delivered)));
    /// let number = digest.push_with_msg_uuid(&Text::new("disk full"), "disk-full-1")?;
    /// digest.close().await;
    /// assert_eq!(*done.lock().unwrap(), vec![(number..number + 1, true)]);
    /// # Ok(()) }
    /// ```
    pub fn on_settled(&self, hook: impl Fn(&Settled) + Send + Sync + 'static) {
        *self
            .shared
            .on_settled
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(hook));
    }

    /// What the digest has done so far.
    pub fn stats(&self) -> DigestStats {
        self.shared.lock().stats()
    }

    /// Waits until every event pushed so far has been delivered (or has failed for good).
    /// Events being [gathered](DigestConfig::gather) go out at once.
    pub async fn flush(&self) -> DigestStats {
        {
            let mut state = self.shared.lock();
            state.hurry = state.held() > 0;
        }
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

impl Robot {
    /// A [`Digest`] sending through this robot.
    ///
    /// Must be called inside a Tokio runtime with timers and IO (the digest delivers
    /// from a background task on it); fails with [`Error::Runtime`] otherwise.
    pub fn digest(&self, config: DigestConfig) -> Result<Digest, Error> {
        let runtime = check_async("Robot::digest")?;
        Ok(Digest::spawn(self.clone(), config, &runtime, None))
    }
}

impl RobotGroup {
    /// A [`Digest`] sending through the group's robots: each round's messages go out
    /// through whichever robot has room (see [`RobotGroup`]), so a storm's summaries
    /// are carried by all of them.
    ///
    /// Must be called inside a Tokio runtime with timers and IO; fails with
    /// [`Error::Runtime`] otherwise.
    pub fn digest(&self, config: DigestConfig) -> Result<Digest, Error> {
        let runtime = check_async("RobotGroup::digest")?;
        Ok(Digest::spawn(self.clone(), config, &runtime, None))
    }
}
