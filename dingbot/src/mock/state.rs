//! What the emulator remembers between requests, and DingTalk's rules that depend on it:
//! the throttle, duplicate `msgUuid`s, the rate window.

use std::collections::{HashSet, VecDeque};
use std::time::Instant;

use super::errmsg::Rejection;
use super::faults::Fault;
use super::parse::Valid;
use super::record::RecordedRequest;
use super::rules::Config;
use crate::message::Message;

/// What the emulator remembers between requests.
#[derive(Default)]
pub(crate) struct State {
    /// Accepted messages, in order.
    pub(crate) received: Vec<Message>,
    /// Every request, in order.
    pub(crate) requests: Vec<RecordedRequest>,
    /// Faults waiting for the next requests.
    pub(crate) faults: VecDeque<Fault>,
    /// Until when the robot is throttled.
    pub(crate) throttled_until: Option<Instant>,
    /// When each message in the current rate window was accepted.
    window: VecDeque<Instant>,
    /// The `msgUuid`s of accepted messages.
    seen: HashSet<String>,
    /// How many requests were recorded since the start, including those a reset forgot.
    pub(crate) total: u64,
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
        self.received.push(valid.message);
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

    /// Forgets everything.
    pub(crate) fn reset(&mut self) {
        *self = State {
            total: self.total,
            ..State::default()
        };
    }

    /// Records a request; returns how many were recorded since the start.
    pub(crate) fn push_request(&mut self, request: RecordedRequest) -> u64 {
        self.requests.push(request);
        self.total += 1;
        self.total
    }

    /// The requests recorded after the first `seen` since the start (those a reset
    /// forgot are skipped).
    pub(crate) fn requests_after(&self, seen: u64) -> &[RecordedRequest] {
        let first_kept = self.total - self.requests.len() as u64;
        let skip = seen
            .saturating_sub(first_kept)
            .min(self.requests.len() as u64);
        &self.requests[skip as usize..]
    }

    /// The index since the start of the first request still kept.
    pub(crate) fn first_kept(&self) -> u64 {
        self.total - self.requests.len() as u64
    }
}
