//! The fleet's window, in Redis: [`Fleet`] (feature `redis`; the guide is on
//! [`RobotBuilder::redis_pacing`](crate::RobotBuilder::redis_pacing)).
//!
//! Three keys per robot, under one hash tag so that they share a Redis Cluster slot,
//! named by a SHA-256 of the access token (never the token):
//!
//! - `dingbot:{<hash>}:sends`, a sorted set of the sends of the last window: one member
//!   per attempt (its `msgUuid`, attempt number and a random suffix), scored by when its
//!   answer arrived; it expires one window after its newest entry;
//! - `dingbot:{<hash>}:throttle`, set for 10 minutes when DingTalk throttles the robot;
//! - `dingbot:{<hash>}:robot`, a hash that never expires: the rate the window is counted
//!   at, the fence, the `run_id` of the Redis server that last granted a slot and when it
//!   did.
//!
//! Each acquire is one Lua script (`acquire.lua`, sent as EVALSHA, as EVAL when the
//! server has not cached it), atomic, reading the time from Redis' `TIME`: hosts'
//! clocks disagree, Redis' is one. A send takes its slot scored at the latest moment its
//! answer may arrive (now plus the robot's timeout); once the answer has arrived, the
//! score moves back to when Redis hears of it (carried by the process' next script, or
//! by `settle.lua` 5 ms later: `settle.rs`). A process that dies mid-send leaves the
//! pessimistic score, so its send still counts. The scripts' arguments and replies are
//! `script.rs`'s; the URL and its masked password `url.rs`'s.
//!
//! **Fail closed.** No slot, no send: when Redis cannot be reached a
//! [`Pacing::Wait`](crate::Pacing::Wait) send waits, asking again with capped
//! exponential back-off and jitter, while redis-rs' `ConnectionManager` reconnects; a
//! [`Pacing::FailFast`](crate::Pacing::FailFast) send fails with [`Error::Redis`]; a
//! [`Pacing::WaitAtMost`](crate::Pacing::WaitAtMost) send waits up to its bound, then
//! fails as a fail-fast send would. A waiting send says in a warning each minute what
//! it waits for (`wait.rs`), so a wait never goes on silently. Two failures are not
//! waited on, whatever the policy: a reply the script should never give, and
//! credentials Redis refuses (a wrong password or user, none where one is required, a
//! user not allowed to run scripts: `failure.rs`) — both [`Error::Redis`] at once, the
//! URL masked. The loop is `acquire.rs`'s.
//!
//! **The fence, only when a record may really be lost.** When Redis' record of a
//! robot may be incomplete, sends of the last window may have gone unrecorded, so the
//! script fences the robot off for one window before it grants a slot. It reads the
//! server's `run_id` and `uptime_in_seconds` from `INFO server` inside the script (as
//! it reads `TIME`: Redis 5 and later, and Valkey, replicate a script's effects, so
//! both may be called before its writes; no extra round trip, nothing for the client
//! to keep in step across reconnects). It fences:
//!
//! - when the `robot` hash is missing and the server has been up for less than the
//!   window plus the longest time in flight: a restart (with or without an RDB/AOF
//!   file, which may be older than the last sends) may have lost the record;
//! - when the server's `run_id` differs from the one recorded with the robot (a
//!   restart, a restore, or a failover to a replica, which may lag);
//! - when the last grant lies within the window but the `sends` key is gone (evicted,
//!   or lost otherwise).
//!
//! A server up for longer than that with no record of the robot never granted it a
//! slot within the window (a restart within it would show in the uptime, a copy from
//! another server in the `run_id`), so the robot's first slot is granted at once: a
//! fresh deploy on a long-running Redis sends its first message in one round trip.
//! Not covered: a failover to a long-running replica that never received a robot's
//! very first record (written within the replication lag, milliseconds). Redis must
//! not evict these keys on its own: give it `maxmemory-policy noeviction` (or a
//! database of its own that nothing else fills); the `robot` hash never expires (a few
//! fields per access token).
//!
//! **Bad state heals.** Before it reads anything, the acquire script repairs what no
//! run of dingbot could have stored, and reports each repair, which is logged as a
//! warning naming the key (a hash of the token; never the token or the password):
//! a key of the wrong type is deleted (a lost `sends` key then fences for a window);
//! a `robot` field that is not a number deletes the hash; a fence, or a `last` grant,
//! beyond now + window + the time in flight is set to one window ahead (to now); a
//! `sends` score beyond it is scored as in flight now; a throttle longer than
//! DingTalk's 10 minutes, or without an expiry, is cut to 10 minutes. A backward step
//! of Redis' clock leaves exactly such values, so it holds the robot for a window (or
//! a throttle for 10 minutes), never for years. "The time in flight" is this
//! process' longest robot timeout: give the fleet's processes timeouts within a
//! window of each other, or the shorter one cuts the longer one's in-flight scores.
//!
//! **No polling storms.** In each process one waiter per robot asks Redis at a time
//! (the others queue on a local lock, in order); it sleeps until the moment the script
//! says a slot frees, plus jitter, or until a send of its own process is answered.

mod acquire;
mod failure;
mod script;
mod settle;
#[cfg(test)]
mod tests;
mod throttle;
mod url;
mod wait;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, RedisError};
use tokio::sync::{Notify, OnceCell};

use crate::clock::Clock;
use crate::error::Error;
use crate::rate::Rate;
use failure::Failures;
use script::{Ask, Failed, Keys, Reply, millis};
use settle::{SETTLE_DELAY, Unsettled};
use throttle::KnownThrottle;
pub(crate) use url::Url;
use wait::REPORT_EVERY;

/// How long one Redis command or connection attempt may take before it counts as failed.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);
/// The first and the longest pause between asks while Redis cannot be reached.
const BACKOFF_MIN: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// While every slot is held by a send in flight in another process, how often to look
/// again (their answers move the window, and only this process' own are announced).
const IN_FLIGHT_RECHECK: Duration = Duration::from_millis(200);

/// One robot's window in Redis, shared by every robot in this process for the same
/// Redis and token.
pub(crate) struct Fleet {
    url: Url,
    /// The server in errors and logs, password masked.
    failures: Failures,
    client: Client,
    connection: OnceCell<ConnectionManager>,
    keys: Keys,
    rate: Rate,
    window: Duration,
    /// How long after its slot a send's answer may arrive at the latest, in ms: the
    /// longest timeout of the robots sharing this window (a send of any of them may
    /// take that long).
    in_flight: AtomicU64,
    /// One waiter per process asks Redis at a time.
    turn: tokio::sync::Mutex<()>,
    /// Woken when a send of this process is answered.
    answered: Notify,
    /// A throttle this process knows of, honoured without asking Redis.
    throttle: KnownThrottle,
    /// Answered sends not yet told to Redis.
    unsettled: Arc<Unsettled>,
    /// How often a waiting send says what it waits for.
    report_every: Duration,
}

impl Fleet {
    /// The window for the robot `key` (a hash of its token) in the Redis at `url`.
    pub(super) fn new(
        url: &Url,
        key: &str,
        rate: Rate,
        window: Duration,
        timeout: Duration,
        clock: &Clock,
    ) -> Result<Fleet, Error> {
        let failures = Failures::new(url);
        if clock.is_manual() {
            return Err(failures.config(
                "Redis pacing counts time by Redis' own clock, which a manual clock cannot move; \
                 build a Redis-paced robot with the system clock",
            ));
        }
        let client = Client::open(url.expose()).map_err(|e| {
            let text = failures.redact(&e.to_string());
            failures.config(&format!("the Redis URL cannot be used: {text}"))
        })?;
        Ok(Fleet {
            url: url.clone(),
            failures,
            client,
            connection: OnceCell::new(),
            keys: Keys::new(key),
            rate,
            window,
            in_flight: AtomicU64::new(in_flight_ms(timeout)),
            turn: tokio::sync::Mutex::new(()),
            answered: Notify::new(),
            throttle: KnownThrottle::default(),
            unsettled: Arc::default(),
            report_every: REPORT_EVERY,
        })
    }

    /// Whether this window is the one in the Redis at `url`, counted at `limit` per
    /// `window`.
    pub(super) fn counts(&self, url: &Url, limit: u32, window: Duration) -> bool {
        self.url == *url && self.rate.limit() == limit && self.window == window
    }

    /// Another robot with this window sends with `timeout`: its sends are scored as in
    /// flight for that long (the longest timeout of the robots sharing the window wins,
    /// which only makes the window stricter).
    pub(super) fn covers(&self, timeout: Duration) {
        self.in_flight
            .fetch_max(in_flight_ms(timeout), Ordering::Relaxed);
    }

    /// How it paces, for an error that compares two robots.
    pub(super) fn describe(&self) -> String {
        format!(
            "paces through Redis at {} at {} per {:?} (margin included)",
            self.failures.address(),
            self.rate.limit(),
            self.window
        )
    }

    /// The Redis server, password masked.
    pub(crate) fn address(&self) -> &str {
        self.failures.address()
    }

    async fn connection(&self) -> Result<ConnectionManager, RedisError> {
        // The manager reconnects once per failure, at once; waiting longer between asks
        // is the acquire loop's business, so that a fail-fast send fails within a second.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(BACKOFF_MIN);
        self.connection
            .get_or_try_init(|| ConnectionManager::new_with_config(self.client.clone(), config))
            .await
            .cloned()
    }

    /// One acquire script for `member`, carrying the answered sends held back (put
    /// back if the script fails, or if this future is dropped before it answers).
    async fn ask(&self, member: &str) -> Result<Reply, Failed> {
        let carried = self.unsettled.carry();
        let mut connection = self.connection().await?;
        let ask = Ask {
            limit: self.rate.limit(),
            window: self.window,
            in_flight: Duration::from_millis(self.in_flight.load(Ordering::Relaxed)),
            member,
            answered: carried.members(),
        };
        let answer = script::acquire(&mut connection, &self.keys, &ask).await?;
        carried.delivered();
        Ok(answer)
    }

    /// Marks the robot throttled for the whole fleet (and for this process at once, in
    /// case Redis cannot be reached).
    pub(crate) async fn mark_throttled(&self, duration: Duration) {
        self.throttle.note(duration);
        tracing::warn!(
            throttle_secs = duration.as_secs(),
            "dingbot: DingTalk throttled the robot; holding the fleet's sends until the throttle ends"
        );
        let result = async {
            let mut connection = self.connection().await?;
            script::throttle(&mut connection, &self.keys, duration).await
        }
        .await;
        if let Err(err) = result {
            let err = self
                .failures
                .redis("the throttle could not be shared", &err);
            tracing::warn!(error = %err, "dingbot: only this process knows of DingTalk's throttle");
        }
    }

    /// Settles the answered sends held back in a moment, unless an acquire carries
    /// them first.
    fn settle_soon(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let Some(due) = self.unsettled.schedule() else {
            return;
        };
        let fleet = Arc::clone(self);
        runtime.spawn(async move {
            tokio::time::sleep(SETTLE_DELAY).await;
            drop(due);
            fleet.settle().await;
        });
    }

    /// Tells Redis which sends of this process were answered; what it cannot tell
    /// keeps its pessimistic score, which only makes the window stricter.
    async fn settle(&self) {
        let carried = self.unsettled.carry();
        if carried.members().is_empty() {
            return;
        }
        let result = async {
            let mut connection = self.connection().await?;
            script::settle(&mut connection, &self.keys, carried.members()).await
        }
        .await;
        match result {
            Ok(()) => carried.delivered(),
            Err(err) => {
                let err = self
                    .failures
                    .redis("answered sends could not be settled", &err);
                tracing::debug!(error = %err, "dingbot: their slots keep counting until their latest possible answer");
            }
        }
    }
}

/// A slot in the fleet's window, released (scored at its answer) when dropped.
pub(crate) struct Held {
    fleet: Arc<Fleet>,
    member: String,
}

impl Fleet {
    /// Resolves when a send of this process is answered (other processes' answers are
    /// not announced here).
    pub(super) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.answered.notified()
    }
}

impl Held {
    /// The send was answered (or failed): its slot counts from now. Told to Redis with
    /// this process' next script, or on its own a moment later.
    pub(super) fn release(self) {
        let Held { fleet, member } = self;
        fleet.unsettled.push(member);
        fleet.settle_soon();
        fleet.answered.notify_waiters();
    }
}

/// A send's longest time in flight, in ms: its timeout, capped only where Redis' scores
/// (doubles) and expiries stop being exact — far beyond any real timeout.
fn in_flight_ms(timeout: Duration) -> u64 {
    const LONGEST: u64 = 1 << 50;
    millis(timeout).min(LONGEST)
}
