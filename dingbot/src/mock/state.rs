//! What the emulator remembers between requests, and DingTalk's rules that depend on it:
//! the throttle, duplicate `msgUuid`s, the rate window. Every memory here is bounded:
//! the requests and messages to the last `keep`, the `msgUuid`s to the last
//! [`REMEMBERED_MSG_UUIDS`].

use std::collections::{HashSet, VecDeque};
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::errmsg::Rejection;
use super::faults::Fault;
use super::limits::{DEFAULT_KEEP, REMEMBERED_MSG_UUIDS};
use super::parse::Valid;
use super::record::RecordedRequest;
use super::rules::Config;
use crate::message::Message;

/// What the emulator remembers between requests.
pub(crate) struct State {
    /// How many requests, and how many accepted messages, are kept.
    keep: usize,
    /// The last `keep` accepted messages, in order.
    pub(crate) received: VecDeque<Message>,
    /// The last `keep` requests, in order.
    pub(crate) requests: VecDeque<RecordedRequest>,
    /// Faults waiting for the next requests.
    pub(crate) faults: VecDeque<Fault>,
    /// Until when the robot is throttled.
    pub(crate) throttled_until: Option<Instant>,
    /// When each message in the current rate window was accepted.
    window: VecDeque<Instant>,
    /// The `msgUuid`s of the last accepted messages.
    seen: SeenUuids,
    /// How many requests were recorded since the start, including those a reset forgot.
    pub(crate) total: u64,
    /// How many requests were dropped from the front of `requests` to keep it at `keep`
    /// since the start (not those a reset forgot).
    pub(crate) dropped: u64,
}

impl Default for State {
    fn default() -> Self {
        State::new(DEFAULT_KEEP)
    }
}

/// How a valid request fared against the robot's history.
pub(crate) enum Admission {
    /// Posted: recorded in `received`.
    Accepted,
    /// Its `msgUuid` was posted before: answered ok, not posted again.
    Duplicate,
}

impl State {
    /// The checks that depend on the robot's history, for a request that passed
    /// [`Config::check`]: throttle, duplicate `msgUuid`, rate window. Records the message
    /// when it is accepted.
    pub(crate) fn admit(
        &mut self,
        config: &Config,
        valid: Valid,
        now: Instant,
    ) -> Result<Admission, Rejection> {
        if self.throttled_at(now).is_some() {
            return Err(config.too_fast());
        }
        if let Some(uuid) = &valid.msg_uuid {
            if self.seen.contains(uuid) {
                return Ok(Admission::Duplicate);
            }
        }
        if let Some(limit) = config.rate_limit {
            while let Some(&first) = self.window.front() {
                if now.saturating_duration_since(first) >= limit.per() {
                    self.window.pop_front();
                } else {
                    break;
                }
            }
            if self.window.len() >= limit.limit() as usize {
                self.throttle(config, now);
                return Err(config.too_fast());
            }
            self.window.push_back(now);
        }
        if let Some(uuid) = valid.msg_uuid {
            self.seen.insert(uuid);
        }
        if self.received.len() >= self.keep {
            self.received.pop_front();
        }
        self.received.push_back(valid.message);
        Ok(Admission::Accepted)
    }

    /// Throttles the robot from `now` for the configured time.
    pub(crate) fn throttle(&mut self, config: &Config, now: Instant) {
        // The builder caps `throttle_for`, so this only fails on an exotic platform.
        self.throttled_until = Some(now.checked_add(config.throttle_for).unwrap_or(now));
    }

    /// Until when the robot is throttled, if it is at `now`.
    pub(crate) fn throttled_at(&mut self, now: Instant) -> Option<Instant> {
        match self.throttled_until {
            Some(until) if now < until => Some(until),
            Some(_) => {
                self.throttled_until = None;
                None
            }
            None => None,
        }
    }

    /// A state that keeps the last `keep` requests and messages (at least one).
    pub(crate) fn new(keep: usize) -> State {
        State {
            keep: keep.max(1),
            received: VecDeque::new(),
            requests: VecDeque::new(),
            faults: VecDeque::new(),
            throttled_until: None,
            window: VecDeque::new(),
            seen: SeenUuids::default(),
            total: 0,
            dropped: 0,
        }
    }

    /// Forgets everything but the counts.
    pub(crate) fn reset(&mut self) {
        *self = State {
            total: self.total,
            dropped: self.dropped,
            ..State::new(self.keep)
        };
    }

    /// Records a request, dropping the oldest one kept when there are `keep` already;
    /// returns how many were recorded since the start.
    pub(crate) fn push_request(&mut self, request: RecordedRequest) -> u64 {
        if self.requests.len() >= self.keep {
            self.requests.pop_front();
            self.dropped += 1;
        }
        self.requests.push_back(request);
        self.total += 1;
        self.total
    }

    /// The requests recorded after the first `seen` since the start (those dropped or
    /// forgotten by a reset are skipped).
    pub(crate) fn requests_after(&self, seen: u64) -> impl Iterator<Item = &RecordedRequest> {
        let skip = seen.saturating_sub(self.first_kept());
        // At most `requests.len()`, which is a usize.
        let skip = usize::try_from(skip).unwrap_or(usize::MAX);
        self.requests.iter().skip(skip)
    }

    /// The index since the start of the first request still kept.
    pub(crate) fn first_kept(&self) -> u64 {
        self.total - self.requests.len() as u64
    }
}

/// The `msgUuid`s of the last [`REMEMBERED_MSG_UUIDS`] accepted messages, each as a
/// 128-bit digest: a `msgUuid` may be as long as a body, the memory of one is 16 bytes.
#[derive(Default)]
struct SeenUuids {
    set: HashSet<u128>,
    order: VecDeque<u128>,
}

impl SeenUuids {
    fn digest(uuid: &str) -> u128 {
        let hash = Sha256::digest(uuid.as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&hash[..16]);
        u128::from_le_bytes(first)
    }

    fn contains(&self, uuid: &str) -> bool {
        self.set.contains(&SeenUuids::digest(uuid))
    }

    /// Remembers `uuid`, forgetting the oldest one beyond the bound.
    fn insert(&mut self, uuid: String) {
        let digest = SeenUuids::digest(&uuid);
        if self.set.insert(digest) {
            self.order.push_back(digest);
            if self.order.len() > REMEMBERED_MSG_UUIDS {
                if let Some(oldest) = self.order.pop_front() {
                    self.set.remove(&oldest);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_msg_uuids_are_forgotten_beyond_the_bound() {
        let mut seen = SeenUuids::default();
        for i in 0..=REMEMBERED_MSG_UUIDS {
            seen.insert(format!("uuid-{i}"));
        }
        assert!(!seen.contains("uuid-0"), "the oldest is forgotten");
        assert!(seen.contains("uuid-1") && seen.contains(&format!("uuid-{REMEMBERED_MSG_UUIDS}")));
        assert_eq!(seen.set.len(), REMEMBERED_MSG_UUIDS);
        // Remembering one again does not make room twice.
        seen.insert("uuid-1".to_owned());
        assert_eq!(seen.order.len(), REMEMBERED_MSG_UUIDS);
    }
}
