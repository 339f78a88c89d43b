//! Pacing: staying under DingTalk's 20 messages a minute, and sitting out its throttle.
//!
//! Two windows behind one interface ([`Pacer`]):
//!
//! - [`local::Local`] (the default): every robot in this process for one access token
//!   shares one sliding window of its last sends. The token decides, not the URL that
//!   reaches it, except that on a loopback address the port counts too (each port there
//!   is an emulator of its own).
//! - `redis::Fleet` (feature `redis`, [`RobotBuilder::redis_pacing`]): the window and
//!   the throttle flag live in Redis, so every robot for the token in every process
//!   shares them.
//!
//! Rules both keep:
//!
//! - A send takes a slot before it goes on the network; the slot counts from the moment
//!   DingTalk's **answer arrives** (not from when the request left), so however long a
//!   request is in flight, DingTalk never sees more than the limit inside its window. A
//!   send whose outcome is unknown (a timeout) counts like one that was answered. A
//!   margin (default 2 s) is added to the window for clock differences with DingTalk.
//! - It is a sliding **log** of sends, not a token bucket. A GCRA or token bucket with a
//!   burst of 20 refills continuously: after a burst of 20 at t = 0 it grants one more
//!   every 3 s, so the minute after the burst holds 20 + 19 = 39 sends — DingTalk counts
//!   any 60 s window and throttles at the 21st. A log admits a send only when fewer
//!   than 20 lie in the last window.
//! - When DingTalk throttles the robot anyway (errcode 130101/410100), the window is
//!   marked throttled for 10 minutes, and sends wait (or fail fast) without touching the
//!   network until the throttle ends.
//! - Robots for one token with a different rate, margin or clock are refused
//!   ([`Error::PacingConflict`]): they could not count the same sends.
//!
//! [`RobotBuilder::redis_pacing`]: crate::RobotBuilder::redis_pacing

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use crate::clock::Clock;
use crate::error::Error;
use crate::rate::Rate;

pub(crate) mod local;
mod pacing;
#[cfg(feature = "redis")]
pub(crate) mod redis;

pub use pacing::Pacing;

/// Added to the window, for clock differences between this machine and DingTalk.
pub(crate) const DEFAULT_MARGIN: Duration = Duration::from_secs(2);

/// The window a robot paces by: its process's, or its fleet's in Redis.
#[derive(Clone)]
pub(crate) enum Pacer {
    Local(Arc<local::Local>),
    #[cfg(feature = "redis")]
    Redis(Arc<redis::Fleet>),
}

impl fmt::Debug for Pacer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pacer::Local(_) => f.write_str("in-process"),
            #[cfg(feature = "redis")]
            Pacer::Redis(fleet) => write!(f, "Redis at {}", fleet.address()),
        }
    }
}

/// What a robot asks of its window.
pub(crate) struct Settings<'a> {
    /// The robot: a hash of its access token (and, on loopback, the port).
    pub(crate) key: String,
    pub(crate) rate: Rate,
    /// The rate's window plus the margin.
    pub(crate) window: Duration,
    /// The longest an attempt may wait for its answer.
    #[cfg_attr(
        not(feature = "redis"),
        expect(dead_code, reason = "only a shared window needs it")
    )]
    pub(crate) timeout: Duration,
    pub(crate) clock: &'a Clock,
    #[cfg(feature = "redis")]
    pub(crate) redis: Option<&'a redis::Url>,
}

impl Settings<'_> {
    #[cfg(feature = "redis")]
    fn redis_url(&self) -> Option<&redis::Url> {
        self.redis
    }

    #[cfg(not(feature = "redis"))]
    fn redis_url(&self) -> Option<std::convert::Infallible> {
        None
    }
}

/// A registered window, not kept alive by the registry.
enum Registered {
    Local(Weak<local::Local>),
    #[cfg(feature = "redis")]
    Redis(Weak<redis::Fleet>),
}

impl Registered {
    fn upgrade(&self) -> Option<Pacer> {
        match self {
            Registered::Local(weak) => weak.upgrade().map(Pacer::Local),
            #[cfg(feature = "redis")]
            Registered::Redis(weak) => weak.upgrade().map(Pacer::Redis),
        }
    }
}

impl Pacer {
    /// The window shared by every robot in this process for the robot `settings.key`.
    ///
    /// A robot for a token that a live robot in this process paces by another window —
    /// another rate, margin or clock, or through Redis where the other does not (or
    /// through another Redis) — is refused ([`Error::PacingConflict`]): the two could
    /// not count the same sends, and each would believe it had the whole of DingTalk's
    /// limit.
    pub(crate) fn shared(settings: Settings<'_>) -> Result<Pacer, Error> {
        static REGISTRY: OnceLock<Mutex<HashMap<String, Registered>>> = OnceLock::new();
        let registry = REGISTRY.get_or_init(Default::default);
        let mut map = registry.lock().unwrap_or_else(|e| e.into_inner());
        let limit = settings.rate.limit();
        if let Some(existing) = map.get(&settings.key).and_then(Registered::upgrade) {
            let same = match (&existing, settings.redis_url()) {
                (Pacer::Local(local), None) => {
                    local.counts(limit as usize, settings.window, settings.clock)
                }
                #[cfg(feature = "redis")]
                (Pacer::Redis(fleet), Some(url)) => {
                    let same = fleet.counts(url, limit, settings.window);
                    if same {
                        fleet.covers(settings.timeout);
                    }
                    same
                }
                #[cfg(feature = "redis")]
                _ => false,
            };
            if same {
                return Ok(existing);
            }
            return Err(Error::PacingConflict {
                message: format!(
                    "another robot in this process for this access token {}, and this one asks \
                     for {limit} per {:?}{}: robots for one token must share one window to stay \
                     under DingTalk's limit together; give them the same rate_limit, \
                     pacing_margin, clock and redis_pacing (or build this one once the other is \
                     dropped)",
                    existing.describe(),
                    settings.window,
                    match settings.redis_url() {
                        None => " in this process",
                        Some(_) => " through Redis",
                    },
                ),
            });
        }
        map.retain(|_, registered| registered.upgrade().is_some());
        let (pacer, registered) = match settings.redis_url() {
            None => {
                let local = Arc::new(local::Local::new(
                    limit as usize,
                    settings.window,
                    settings.clock.clone(),
                ));
                let weak = Arc::downgrade(&local);
                (Pacer::Local(local), Registered::Local(weak))
            }
            #[cfg(feature = "redis")]
            Some(url) => {
                let fleet = Arc::new(redis::Fleet::new(
                    url,
                    &settings.key,
                    settings.rate,
                    settings.window,
                    settings.timeout,
                    settings.clock,
                )?);
                let weak = Arc::downgrade(&fleet);
                (Pacer::Redis(fleet), Registered::Redis(weak))
            }
        };
        map.insert(settings.key, registered);
        Ok(pacer)
    }

    fn describe(&self) -> String {
        match self {
            Pacer::Local(local) => local.describe(),
            #[cfg(feature = "redis")]
            Pacer::Redis(fleet) => fleet.describe(),
        }
    }

    /// Whether the window records a name for each send (so a caller spends nothing on
    /// one otherwise).
    pub(crate) fn names_sends(&self) -> bool {
        !matches!(self, Pacer::Local(_))
    }

    /// Takes a slot for one send, waiting or failing per `policy`. `label` names the
    /// send (its `msgUuid` and attempt) where the window records names; without one, a
    /// random name is made.
    pub(crate) async fn acquire(
        &self,
        policy: Pacing,
        label: Option<String>,
    ) -> Result<Permit, Error> {
        match self {
            Pacer::Local(local) => {
                let _ = label;
                let free_slots = local.acquire(policy).await?;
                Ok(Permit {
                    slot: Slot::Local(Arc::clone(local)),
                    free_slots,
                })
            }
            #[cfg(feature = "redis")]
            Pacer::Redis(fleet) => {
                let (held, free_slots) = fleet.acquire(policy, label).await?;
                Ok(Permit {
                    slot: Slot::Redis(held),
                    free_slots,
                })
            }
        }
    }

    /// Resolves when this process sees the window change (a slot released, a throttle
    /// marked); for a caller waiting on several windows at once. Enable it before
    /// looking at the window, so no change in between is missed.
    pub(crate) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        match self {
            Pacer::Local(local) => local.changed(),
            #[cfg(feature = "redis")]
            Pacer::Redis(fleet) => fleet.changed(),
        }
    }

    /// Marks the robot throttled by DingTalk for `duration` from now: for this process,
    /// and for the fleet when the window is in Redis.
    pub(crate) async fn mark_throttled(&self, duration: Duration) {
        match self {
            Pacer::Local(local) => local.mark_throttled(duration),
            #[cfg(feature = "redis")]
            Pacer::Redis(fleet) => fleet.mark_throttled(duration).await,
        }
    }
}

/// A slot held by one send; dropping it (once the answer has arrived, or the attempt
/// failed) starts the slot's time in the window.
#[must_use = "the slot is released when the permit is dropped"]
pub(crate) struct Permit {
    slot: Slot,
    free_slots: usize,
}

enum Slot {
    None,
    Local(Arc<local::Local>),
    #[cfg(feature = "redis")]
    Redis(redis::Held),
}

impl Permit {
    /// A permit that holds no slot (pacing off): nothing limits the sends after it.
    pub(crate) fn none() -> Permit {
        Permit {
            slot: Slot::None,
            free_slots: usize::MAX,
        }
    }

    /// How many more sends could go out at once when this permit was granted, besides
    /// its own, so a caller planning several sends learns it in the same call.
    pub(crate) fn free_slots(&self) -> usize {
        self.free_slots
    }
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Permit")
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.slot, Slot::None) {
            Slot::None => {}
            Slot::Local(local) => local.release(),
            #[cfg(feature = "redis")]
            Slot::Redis(held) => held.release(),
        }
    }
}
