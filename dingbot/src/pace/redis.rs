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
//! by `settle.lua` 5 ms later). A process that dies mid-send leaves the pessimistic
//! score, so its send still counts.
//!
//! **Off the hot path.** While more than half the window is free and sends come in a
//! burst (another acquire of this process under way, or one within 50 ms), the process
//! takes up to 16 slots ahead (no more than the burst seen) in one script, in the
//! background, for its next sends — granted only
//! while at least half the window stays free — scored as if those sends left 50 ms
//! later, used only within those 50 ms, given back (removed) otherwise. A steady stream
//! of sends then waits for Redis only when the window is half full. A process that
//! exits or dies holding slots taken ahead cannot give them back: they count until
//! their score (now plus the timeout and 50 ms) has left the window; a process that
//! sends once (a cron job, a CI step) takes none.
//!
//! **Fail closed.** No slot, no send: when Redis cannot be reached a
//! [`Pacing::Wait`] send waits, asking again with capped exponential back-off and
//! jitter, while redis-rs' `ConnectionManager` reconnects; a [`Pacing::FailFast`] send
//! fails with [`Error::Redis`]. When Redis' record of a robot may be incomplete, sends
//! of the last window may have gone unrecorded, so the script fences the robot off for
//! one window before it grants a slot: when the `robot` hash is missing (first use, or a
//! server that never had it), when the server's `run_id` differs from the one that last
//! granted a slot (a restart — with or without an RDB/AOF file, which may be older than
//! the last sends — or a failover to a replica, which may lag), and when the last grant
//! lies within the window but the `sends` key is gone (evicted, or lost otherwise).
//! Redis must not evict these keys on its own: give it `maxmemory-policy noeviction`
//! (or a database of its own that nothing else fills); the `robot` hash never expires
//! (a few fields per access token).
//!
//! **No polling storms.** In each process one waiter per robot asks Redis at a time
//! (the others queue on a local lock, in order); it sleeps until the moment the script
//! says a slot frees, plus jitter, or until a send of its own process is answered.

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, RedisError, Script};
use tokio::sync::{Notify, OnceCell};

use super::{Permit, Slot};
use crate::client::Pacing;
use crate::clock::{Clock, later};
use crate::dingtalk;
use crate::error::Error;
use crate::rate::Rate;

/// How long one Redis command or connection attempt may take before it counts as failed.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);
/// The first and the longest pause between asks while Redis cannot be reached.
const BACKOFF_MIN: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// While every slot is held by a send in flight in another process, how often to look
/// again (their answers move the window, and only this process' own are announced).
const IN_FLIGHT_RECHECK: Duration = Duration::from_millis(200);
/// A slot taken ahead for this process' next send is used within this long, or given
/// back; it is scored as if its send left at the end of it.
const SPARE_LIFETIME: Duration = Duration::from_millis(50);
/// How many slots one script takes ahead at most (the script grants them only while at
/// least half the window stays free).
const SPARES: usize = 16;
/// How long answered sends wait to ride along with the next ask before they are
/// settled on their own.
const SETTLE_DELAY: Duration = Duration::from_millis(5);

/// A Redis URL as given to `redis_pacing`: kept whole to connect, shown and written into
/// errors with its password masked.
pub(crate) struct Url {
    full: String,
}

impl Url {
    pub(crate) fn new(url: &str) -> Url {
        Url {
            full: url.trim().to_owned(),
        }
    }

    /// The URL with its password (and any `pass`/`password` query value) masked.
    fn masked(&self) -> String {
        let Ok(mut url) = url::Url::parse(&self.full) else {
            return "(a URL that cannot be parsed)".to_owned();
        };
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        let secret_query = url
            .query_pairs()
            .any(|(k, _)| k == "pass" || k == "password");
        if secret_query {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "pass" || k == "password" {
                        "***".to_owned()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string().replace("%2A%2A%2A", "***")
    }

    /// The password's forms (as written, and decoded), to mask wherever they appear.
    fn secrets(&self) -> Vec<String> {
        let Ok(url) = url::Url::parse(&self.full) else {
            return vec![self.full.clone()];
        };
        let mut secrets: Vec<String> = url.password().map(str::to_owned).into_iter().collect();
        secrets.extend(
            url.query_pairs()
                .filter(|(k, _)| k == "pass" || k == "password")
                .map(|(_, v)| v.into_owned()),
        );
        let decoded: Vec<String> = secrets
            .iter()
            .filter_map(|s| percent_encoding::percent_decode_str(s).decode_utf8().ok())
            .map(|s| s.into_owned())
            .collect();
        secrets.extend(decoded);
        secrets.retain(|s| !s.is_empty());
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The scripts, hashed once per process.
struct Scripts {
    acquire: Script,
    settle: Script,
    throttle: Script,
}

fn scripts() -> &'static Scripts {
    static SCRIPTS: OnceLock<Scripts> = OnceLock::new();
    SCRIPTS.get_or_init(|| Scripts {
        acquire: Script::new(include_str!("redis/acquire.lua")),
        settle: Script::new(include_str!("redis/settle.lua")),
        throttle: Script::new(include_str!("redis/throttle.lua")),
    })
}

/// One robot's window in Redis, shared by every robot in this process for the same
/// Redis and token.
pub(crate) struct Fleet {
    url: String,
    address: String,
    secrets: Vec<String>,
    client: Client,
    connection: OnceCell<ConnectionManager>,
    sends: String,
    throttle: String,
    robot: String,
    rate: Rate,
    window: Duration,
    /// How long after its slot a send's answer may arrive at the latest, in ms: the
    /// longest timeout of the robots sharing this window (a send of any of them may
    /// take that long).
    in_flight: std::sync::atomic::AtomicU64,
    /// One waiter per process asks Redis at a time.
    turn: tokio::sync::Mutex<()>,
    /// Woken when a send of this process is answered.
    answered: Notify,
    /// A throttle this process knows of, honoured without asking Redis.
    throttled_until: Mutex<Option<Instant>>,
    /// Whether the last ask failed (to log an outage once, and its end).
    unreachable: Mutex<bool>,
    /// Sends settled but not yet told to Redis, and a slot taken ahead.
    ahead: Mutex<Ahead>,
}

/// What this process holds back from Redis to save round trips.
#[derive(Default)]
struct Ahead {
    /// Answered sends, to be scored at their answer by the next script.
    answered: Vec<String>,
    /// Slots taken ahead and never used, to be removed by the next script.
    unused: Vec<String>,
    /// Slots taken ahead for the next sends, oldest first.
    spares: std::collections::VecDeque<Spare>,
    /// Whether a slot is being taken ahead.
    fetching: bool,
    /// Whether a settle script is due.
    settle_due: bool,
    /// Acquires of this process under way (waiting for a slot, or asking).
    waiting: usize,
    /// When the last acquire began, and how many began in a row, each within
    /// [`SPARE_LIFETIME`] of the one before: the burst seen.
    last_acquire: Option<Instant>,
    burst: usize,
}

impl Ahead {
    /// How many slots to take ahead: none until demand is proven (another acquire of
    /// this process under way, or one that began within [`SPARE_LIFETIME`]), then as
    /// many as the burst seen, at most [`SPARES`].
    fn demand(&self) -> usize {
        let seen = self.burst.max(self.waiting);
        if seen < 2 { 0 } else { seen.min(SPARES) }
    }
}

/// One acquire under way, counted in [`Ahead::waiting`] until dropped.
struct Waiting<'a>(&'a Fleet);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut ahead = self.0.ahead();
        ahead.waiting = ahead.waiting.saturating_sub(1);
    }
}

struct Spare {
    member: String,
    /// When it was asked for (before Redis granted it).
    asked: Instant,
    free: usize,
}

/// What one acquire script answered.
enum Answer {
    Granted { free: usize, granted: usize },
    Throttled(Duration),
    Full { wait: Duration, all_in_flight: bool },
    OtherRate { limit: u64, window: Duration },
    Fenced(Duration),
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
        if clock.is_manual() {
            return Err(config_error(
                url,
                "Redis pacing counts time by Redis' own clock, which a manual clock cannot move; \
                 build a Redis-paced robot with the system clock",
            ));
        }
        let client = Client::open(url.full.as_str()).map_err(|e| {
            let text = redact(&url.secrets(), &e.to_string());
            config_error(url, &format!("the Redis URL cannot be used: {text}"))
        })?;
        let tag = format!("dingbot:{{{key}}}");
        Ok(Fleet {
            url: url.full.clone(),
            address: url.masked(),
            secrets: url.secrets(),
            client,
            connection: OnceCell::new(),
            sends: format!("{tag}:sends"),
            throttle: format!("{tag}:throttle"),
            robot: format!("{tag}:robot"),
            rate,
            window,
            in_flight: std::sync::atomic::AtomicU64::new(in_flight_ms(timeout)),
            turn: tokio::sync::Mutex::new(()),
            answered: Notify::new(),
            throttled_until: Mutex::new(None),
            unreachable: Mutex::new(false),
            ahead: Mutex::new(Ahead::default()),
        })
    }

    /// Whether this window is the one in the Redis at `url`, counted at `limit` per
    /// `window`.
    pub(super) fn counts(&self, url: &Url, limit: u32, window: Duration) -> bool {
        self.url == url.full && self.rate.limit() == limit && self.window == window
    }

    /// Another robot with this window sends with `timeout`: its sends are scored as in
    /// flight for that long (the longest timeout of the robots sharing the window wins,
    /// which only makes the window stricter).
    pub(super) fn covers(&self, timeout: Duration) {
        self.in_flight
            .fetch_max(in_flight_ms(timeout), std::sync::atomic::Ordering::Relaxed);
    }

    /// How it paces, for an error that compares two robots.
    pub(super) fn describe(&self) -> String {
        format!(
            "paces through Redis at {} at {} per {:?} (margin included)",
            self.address,
            self.rate.limit(),
            self.window
        )
    }

    /// The Redis server, password masked.
    pub(crate) fn address(&self) -> &str {
        &self.address
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

    fn ahead(&self) -> std::sync::MutexGuard<'_, Ahead> {
        self.ahead.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The settled sends not yet told to Redis (answered, unused).
    fn take_settled(&self) -> (Vec<String>, Vec<String>) {
        let mut ahead = self.ahead();
        (
            std::mem::take(&mut ahead.answered),
            std::mem::take(&mut ahead.unused),
        )
    }

    /// Puts back settled sends a script could not deliver.
    fn restore_settled(&self, answered: Vec<String>, unused: Vec<String>) {
        let mut ahead = self.ahead();
        ahead.answered.extend(answered);
        ahead.unused.extend(unused);
    }

    /// One acquire script for `members` (one send now, or slots taken ahead), carrying
    /// the settled sends.
    async fn ask(&self, members: &[String], ahead: bool) -> Result<Answer, RedisError> {
        let (answered, unused) = self.take_settled();
        // Put back if the script fails, or if this future is dropped before it answers
        // (a send cancelled while it waits for a slot).
        let mut carried = Carried {
            fleet: self,
            answered,
            unused,
        };
        let result = self
            .ask_carrying(members, ahead, &carried.answered, &carried.unused)
            .await;
        if result.is_ok() {
            carried.answered.clear();
            carried.unused.clear();
        }
        result
    }

    async fn ask_carrying(
        &self,
        members: &[String],
        ahead: bool,
        answered: &[String],
        unused: &[String],
    ) -> Result<Answer, RedisError> {
        let in_flight = self.in_flight.load(std::sync::atomic::Ordering::Relaxed);
        let in_flight = match ahead {
            true => in_flight.saturating_add(millis(SPARE_LIFETIME)),
            false => in_flight,
        };
        let mut connection = self.connection().await?;
        let reply: Vec<i64> = scripts()
            .acquire
            .key(&self.sends)
            .key(&self.throttle)
            .key(&self.robot)
            .arg(self.rate.limit())
            .arg(millis(self.window))
            .arg(in_flight)
            .arg(if ahead { 0 } else { 1 })
            .arg(members.len())
            .arg(members)
            .arg(answered.len())
            .arg(answered)
            .arg(unused)
            .invoke_async(&mut connection)
            .await?;
        let at = |i: usize| reply.get(i).copied().unwrap_or(0).max(0) as u64;
        Ok(match reply.first() {
            Some(0) => Answer::Granted {
                free: usize::try_from(at(1)).unwrap_or(usize::MAX),
                granted: usize::try_from(at(2)).unwrap_or(0),
            },
            Some(1) => Answer::Throttled(Duration::from_millis(at(1))),
            Some(3) => Answer::OtherRate {
                limit: at(1),
                window: Duration::from_millis(at(2)),
            },
            Some(4) => Answer::Fenced(Duration::from_millis(at(1))),
            _ => Answer::Full {
                wait: Duration::from_millis(at(1)),
                all_in_flight: at(2) == 1,
            },
        })
    }

    /// A throttle this process knows of, if it has not ended.
    fn known_throttle(&self) -> Option<Instant> {
        let mut until = self
            .throttled_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match *until {
            Some(t) if t > Instant::now() => Some(t),
            _ => {
                *until = None;
                None
            }
        }
    }

    fn note_throttle(&self, duration: Duration) {
        let until = later(Instant::now(), duration);
        let mut known = self
            .throttled_until
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *known = Some(known.map_or(until, |t| t.max(until)));
    }

    /// Records whether Redis answered, logging an outage when it starts and ends.
    fn reachable(&self, answered: bool, err: Option<&Error>) {
        let mut unreachable = self.unreachable.lock().unwrap_or_else(|e| e.into_inner());
        if *unreachable != answered {
            return;
        }
        *unreachable = !answered;
        match err {
            Some(err) => tracing::warn!(
                error = %err,
                "dingbot: Redis pacing cannot reach Redis; holding sends (none goes out without a slot) \
                 and asking again with back-off"
            ),
            None => {
                tracing::info!(redis = %self.address, "dingbot: Redis pacing reaches Redis again")
            }
        }
    }

    fn failure(&self, what: &str, err: &RedisError) -> Error {
        let text = redact(&self.secrets, &err.to_string());
        Error::Redis {
            message: format!(
                "pacing through Redis at {}: {what}: {text}; nothing was sent (a send never goes \
                 out without a slot; with Pacing::Wait it waits and asks again)",
                self.address
            ),
            source: Box::new(Cause(text)),
        }
    }

    /// Counts an acquire that begins (for [`Ahead::demand`]) until the guard is dropped.
    fn begin_acquire(&self) -> Waiting<'_> {
        let mut ahead = self.ahead();
        let now = Instant::now();
        ahead.burst = match ahead.last_acquire {
            Some(last) if now.saturating_duration_since(last) < SPARE_LIFETIME => {
                ahead.burst.saturating_add(1)
            }
            _ => 1,
        };
        ahead.last_acquire = Some(now);
        ahead.waiting += 1;
        Waiting(self)
    }

    /// A slot taken ahead, if one is fresh enough to use (stale ones are given back).
    fn take_spare(self: &Arc<Self>) -> Option<(String, usize)> {
        let mut ahead = self.ahead();
        let mut stale = false;
        while let Some(spare) = ahead.spares.pop_front() {
            if spare.asked.elapsed() < SPARE_LIFETIME {
                let left = ahead.spares.len();
                drop(ahead);
                if stale {
                    self.settle_soon();
                }
                return Some((spare.member, spare.free.saturating_add(left)));
            }
            ahead.unused.push(spare.member);
            stale = true;
        }
        drop(ahead);
        if stale {
            self.settle_soon();
        }
        None
    }

    /// Takes slots ahead, in the background, for this process' next sends — granted
    /// only while at least half the window stays free, so that they never hold back
    /// another process.
    ///
    /// Only once demand is proven ([`Ahead::demand`]): a process that sends once (a cron
    /// job, a CI step) takes none, as slots taken ahead by a process that then exits or
    /// dies count in the window until their latest possible answer (now plus the
    /// timeout and 50 ms) has left it.
    fn fetch_spares(self: &Arc<Self>) {
        let wanted = {
            let ahead = self.ahead();
            let wanted = ahead.demand();
            // Refilled at half, so that a stream of sends does not run dry.
            if wanted == 0 || ahead.fetching || ahead.spares.len() * 2 > wanted {
                return;
            }
            wanted
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let fleet = Arc::clone(self);
        self.ahead().fetching = true;
        // Reset when the task is done asking, or dropped unrun (a runtime shutting down).
        let fetching = Flag {
            fleet: Arc::clone(self),
            flag: |ahead| &mut ahead.fetching,
        };
        runtime.spawn(async move {
            let members: Vec<String> = (0..wanted)
                .map(|_| uuid::Uuid::new_v4().simple().to_string())
                .collect();
            let asked = Instant::now();
            let answer = fleet.ask(&members, true).await;
            drop(fetching);
            let taken: Vec<String> = {
                let mut ahead = fleet.ahead();
                let Ok(Answer::Granted { free, granted }) = answer else {
                    return;
                };
                let taken: Vec<String> = members.into_iter().take(granted).collect();
                ahead.spares.extend(taken.iter().map(|member| Spare {
                    member: member.clone(),
                    asked,
                    free,
                }));
                taken
            };
            if taken.is_empty() {
                return;
            }
            // Given back if no send has used them in time.
            tokio::time::sleep(SPARE_LIFETIME).await;
            let stale = {
                let mut ahead = fleet.ahead();
                let (stale, kept): (Vec<Spare>, Vec<Spare>) = ahead
                    .spares
                    .drain(..)
                    .partition(|s| taken.contains(&s.member));
                ahead.spares = kept.into();
                let any = !stale.is_empty();
                ahead.unused.extend(stale.into_iter().map(|s| s.member));
                any
            };
            if stale {
                fleet.settle().await;
            }
        });
    }

    /// Settles what is held back in a moment, unless an ask carries it first.
    fn settle_soon(self: &Arc<Self>) {
        if self.ahead().settle_due {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let fleet = Arc::clone(self);
        self.ahead().settle_due = true;
        // Due until this task runs, or is dropped unrun (a runtime shutting down).
        let due = Flag {
            fleet: Arc::clone(self),
            flag: |ahead| &mut ahead.settle_due,
        };
        runtime.spawn(async move {
            tokio::time::sleep(SETTLE_DELAY).await;
            drop(due);
            fleet.settle().await;
        });
    }

    /// Tells Redis what this process has settled; what it cannot tell keeps its
    /// pessimistic score, which only makes the window stricter.
    async fn settle(&self) {
        let (answered, unused) = {
            let mut ahead = self.ahead();
            ahead.settle_due = false;
            (
                std::mem::take(&mut ahead.answered),
                std::mem::take(&mut ahead.unused),
            )
        };
        if answered.is_empty() && unused.is_empty() {
            return;
        }
        let result = async {
            let mut connection = self.connection().await?;
            scripts()
                .settle
                .key(&self.sends)
                .key(&self.robot)
                .arg(answered.len())
                .arg(&answered)
                .arg(&unused)
                .invoke_async::<()>(&mut connection)
                .await
        }
        .await;
        if let Err(err) = result {
            let err = self.failure("answered sends could not be settled", &err);
            tracing::debug!(error = %err, "dingbot: their slots keep counting until their latest possible answer");
            self.restore_settled(answered, unused);
        }
    }

    /// Takes a slot for one send in the fleet's window.
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        policy: Pacing,
        label: Option<String>,
    ) -> Result<Permit, Error> {
        let _waiting = self.begin_acquire();
        if self.known_throttle().is_none() {
            if let Some((member, free)) = self.take_spare() {
                self.fetch_spares();
                return Ok(self.permit(member, free));
            }
        }
        let member = match label {
            Some(label) => format!("{label}-{:08x}", fastrand::u32(..)),
            None => uuid::Uuid::new_v4().simple().to_string(),
        };
        let _turn = match policy {
            Pacing::FailFast => None,
            _ => Some(self.turn.lock().await),
        };
        let mut backoff = BACKOFF_MIN;
        let mut fence_logged = false;
        loop {
            if let Some(until) = self.known_throttle() {
                let wait = until.saturating_duration_since(Instant::now());
                if policy == Pacing::FailFast {
                    return Err(Error::RateLimited {
                        retry_after: wait,
                        throttled: true,
                    });
                }
                tokio::time::sleep_until(until.into()).await;
                continue;
            }
            let answered = self.answered.notified();
            let (wait, throttled, recheck) = match self
                .ask(std::slice::from_ref(&member), false)
                .await
            {
                Ok(answer) => {
                    self.reachable(true, None);
                    backoff = BACKOFF_MIN;
                    match answer {
                        Answer::Granted { free, .. } => {
                            if free.saturating_mul(2) > self.rate.limit() as usize {
                                self.fetch_spares();
                            }
                            return Ok(self.permit(member, free));
                        }
                        Answer::Throttled(wait) => {
                            self.note_throttle(wait);
                            (wait, true, false)
                        }
                        Answer::Full {
                            wait,
                            all_in_flight,
                        } => (wait, false, all_in_flight),
                        Answer::Fenced(wait) => {
                            if !fence_logged {
                                fence_logged = true;
                                tracing::warn!(
                                    wait_ms = millis(wait),
                                    "dingbot: Redis has no record of this robot's recent sends (its first use, \
                                     or Redis restarted or failed over); granting no slot for one window"
                                );
                            }
                            (wait, false, false)
                        }
                        Answer::OtherRate { limit, window } => {
                            return Err(Error::PacingConflict {
                                message: format!(
                                    "the fleet's window in Redis at {} holds sends counted at {limit} per \
                                     {window:?} (margin included), and this robot paces at {} per {:?}: \
                                     robots for one token must share one rate to stay under DingTalk's limit \
                                     together; give every process the same rate_limit and pacing_margin \
                                     (a new rate takes over once the old one's sends have left the window)",
                                    self.address,
                                    self.rate.limit(),
                                    self.window
                                ),
                            });
                        }
                    }
                }
                Err(err) => {
                    let err = self.failure("asking Redis for a slot failed", &err);
                    if policy == Pacing::FailFast {
                        return Err(err);
                    }
                    self.reachable(false, Some(&err));
                    let pause = backoff;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                    tokio::time::sleep(pause + jitter(pause)).await;
                    continue;
                }
            };
            if policy == Pacing::FailFast {
                return Err(Error::RateLimited {
                    retry_after: wait,
                    throttled,
                });
            }
            let nap = if recheck {
                wait.min(IN_FLIGHT_RECHECK)
            } else {
                wait
            };
            tracing::debug!(
                wait_ms = millis(nap),
                throttled,
                "dingbot: waiting for a slot in the fleet's window"
            );
            tokio::select! {
                () = tokio::time::sleep(nap + jitter(nap)) => {}
                () = answered => {}
            }
        }
    }

    fn permit(self: &Arc<Self>, member: String, free: usize) -> Permit {
        Permit {
            slot: Slot::Redis(Held {
                fleet: Arc::clone(self),
                member,
            }),
            free_slots: free,
        }
    }

    /// Marks the robot throttled for the whole fleet (and for this process at once, in
    /// case Redis cannot be reached).
    pub(crate) async fn mark_throttled(&self, duration: Duration) {
        self.note_throttle(duration);
        {
            let mut ahead = self.ahead();
            let spares: Vec<String> = ahead.spares.drain(..).map(|s| s.member).collect();
            ahead.unused.extend(spares);
        }
        tracing::warn!(
            throttle_secs = duration.as_secs(),
            "dingbot: DingTalk throttled the robot; holding the fleet's sends until the throttle ends"
        );
        let result = async {
            let mut connection = self.connection().await?;
            scripts()
                .throttle
                .key(&self.throttle)
                .arg(millis(duration).max(1))
                .arg(dingtalk::errcode::SEND_TOO_FAST)
                .invoke_async::<()>(&mut connection)
                .await
        }
        .await;
        if let Err(err) = result {
            let err = self.failure("the throttle could not be shared", &err);
            tracing::warn!(error = %err, "dingbot: only this process knows of DingTalk's throttle");
        }
    }
}

/// Settled sends carried by one script, put back for the next one unless it answered.
struct Carried<'a> {
    fleet: &'a Fleet,
    answered: Vec<String>,
    unused: Vec<String>,
}

impl Drop for Carried<'_> {
    fn drop(&mut self) {
        if !self.answered.is_empty() || !self.unused.is_empty() {
            self.fleet.restore_settled(
                std::mem::take(&mut self.answered),
                std::mem::take(&mut self.unused),
            );
        }
    }
}

/// One of [`Ahead`]'s flags, reset when dropped (however the task that holds it ends).
struct Flag {
    fleet: Arc<Fleet>,
    flag: fn(&mut Ahead) -> &mut bool,
}

impl Drop for Flag {
    fn drop(&mut self) {
        *(self.flag)(&mut self.fleet.ahead()) = false;
    }
}

/// A slot in the fleet's window, released (scored at its answer) when dropped.
pub(crate) struct Held {
    fleet: Arc<Fleet>,
    member: String,
}

impl Held {
    /// The send was answered (or failed): its slot counts from now. Told to Redis with
    /// this process' next script, or on its own a moment later.
    pub(super) fn release(self) {
        let Held { fleet, member } = self;
        fleet.ahead().answered.push(member);
        fleet.settle_soon();
        fleet.answered.notify_waiters();
    }
}

/// Redis' error text, password masked, as an error's cause.
#[derive(Debug)]
struct Cause(String);

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

fn config_error(url: &Url, what: &str) -> Error {
    Error::Redis {
        message: format!("pacing through Redis at {}: {what}", url.masked()),
        source: Box::new(Cause(what.to_owned())),
    }
}

fn redact(secrets: &[String], text: &str) -> String {
    secrets.iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret.as_str(), "***")
    })
}

/// A send's longest time in flight, in ms: its timeout, capped only where Redis' scores
/// (doubles) and expiries stop being exact — far beyond any real timeout.
fn in_flight_ms(timeout: Duration) -> u64 {
    const LONGEST: u64 = 1 << 50;
    millis(timeout).min(LONGEST)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Up to a tenth of `d` (at most 50 ms) and at least 1 ms, at random: waiters in
/// several processes that learnt the same free moment do not ask at the same instant.
fn jitter(d: Duration) -> Duration {
    let cap = (millis(d) / 10).clamp(1, 50);
    Duration::from_millis(fastrand::u64(1..=cap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_never_show_the_password() {
        let url = Url::new("redis://app:s3cr%40t@cache.internal:6380/2");
        assert_eq!(url.masked(), "redis://app:***@cache.internal:6380/2");
        assert!(url.secrets().contains(&"s3cr@t".to_owned()));
        assert_eq!(
            redact(&url.secrets(), "auth failed for s3cr@t (s3cr%40t)"),
            "auth failed for *** (***)"
        );
        let unix = Url::new("redis+unix:///run/redis.sock?db=1&pass=hunter2");
        assert!(!unix.masked().contains("hunter2"), "{}", unix.masked());
        assert!(!format!("{unix:?}").contains("hunter2"));
        assert!(!Url::new("not a url hunter2").masked().contains("hunter2"));
    }

    #[test]
    fn a_manual_clock_is_refused() {
        let err = Fleet::new(
            &Url::new("redis://:pw@127.0.0.1:1"),
            "k",
            Rate::DINGTALK,
            Duration::from_secs(62),
            Duration::from_secs(10),
            &Clock::manual(),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("system clock"), "{err}");
        assert!(!format!("{err:?}").contains("pw@"), "{err:?}");
    }
}
