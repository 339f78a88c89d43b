//! [`DigestConfig`], how a digest behaves, and [`DigestStats`], what it has done.

use std::time::Duration;

/// How a [`Digest`](crate::Digest) behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestConfig {
    pub(super) max_held: usize,
    pub(super) max_title_groups: usize,
    pub(super) close_timeout: Duration,
    pub(super) give_up_after: Duration,
    pub(super) detail: Detail,
    pub(super) max_messages_per_round: usize,
    pub(super) gather: Duration,
    pub(super) utc_offset_minutes: i32,
}

/// How much of each event a [`Digest`](crate::Digest)'s summary shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detail {
    /// Events grouped by kind, each kind under one header with its count, one line per
    /// event: the time it happened (when the events are not all of one second) and its
    /// [`summary`](crate::DingMessage::summary). The default.
    #[default]
    Lines,
    /// Each event in full, in order: a numbered heading and its body.
    Full,
    /// Only the kinds, with their counts.
    Counts,
}

impl Default for DigestConfig {
    /// Holds up to 10,000 events; names up to 3 kinds of event in a summary's title;
    /// closing waits up to 30 s; a message failing for passing reasons is sent again for
    /// up to 10 minutes; summaries show one line per event ([`Detail::Lines`]) in at most
    /// 3 messages a round, gathered for 10 s, with times at UTC+8 (China Standard Time).
    fn default() -> Self {
        DigestConfig {
            max_held: 10_000,
            max_title_groups: 3,
            close_timeout: Duration::from_secs(30),
            give_up_after: Duration::from_secs(600),
            detail: Detail::Lines,
            max_messages_per_round: 3,
            gather: Duration::from_secs(10),
            utc_offset_minutes: 8 * 60,
        }
    }
}

impl DigestConfig {
    /// The most events held while waiting for a slot (at least 1). Events beyond it are
    /// refused with [`Error::DigestFull`](crate::Error::DigestFull), counted, and reported in the next summary.
    #[must_use]
    pub fn max_held(mut self, events: usize) -> Self {
        self.max_held = events.max(1);
        self
    }

    /// How many kinds of event a summary's title names before "…" (at least 1).
    #[must_use]
    pub fn max_title_groups(mut self, groups: usize) -> Self {
        self.max_title_groups = groups.max(1);
        self
    }

    /// How long [`Digest::close`](crate::Digest::close) waits for what is held to be delivered (default 30 s),
    /// in real time even when the robot has a [manual clock](crate::clock::Clock::manual).
    ///
    /// When it is up, close stops delivering and reports the events it gave up on in
    /// [`DigestStats::undelivered`]. Waiting includes waiting for a pacing slot (up to
    /// a minute when the window is full) and for DingTalk's throttle to end (up to ten):
    /// a deadline shorter than those gives up on events DingTalk would still have
    /// taken.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dingbot::DigestConfig;
    ///
    /// let quick = DigestConfig::default().close_timeout(Duration::from_secs(5));
    /// assert_ne!(quick, DigestConfig::default());
    /// ```
    #[must_use]
    pub fn close_timeout(mut self, timeout: Duration) -> Self {
        self.close_timeout = timeout;
        self
    }

    /// How long a message that keeps failing for passing reasons (DingTalk down, a
    /// gateway error, timeouts) is sent again before its events are counted as
    /// [`failed`](DigestStats::failed) and the digest moves on (default 10 minutes).
    ///
    /// The time runs on the robot's clock from the message's first failure; a delivery
    /// resets it, and each message that fails after one given up on gets the whole time
    /// again. Between attempts the digest backs off, doubling from 2 s to
    /// at most 64 s. A throttle (DingTalk's ten minutes) is waited out and never counts
    /// towards this; a refusal for good (a bad token, a keyword missing) fails the
    /// message at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dingbot::DigestConfig;
    ///
    /// // Hold through an outage of up to an hour.
    /// let patient = DigestConfig::default().give_up_after(Duration::from_secs(3600));
    /// assert_ne!(patient, DigestConfig::default());
    /// ```
    #[must_use]
    pub fn give_up_after(mut self, limit: Duration) -> Self {
        self.give_up_after = limit;
        self
    }
}

impl DigestConfig {
    /// How much of each event a summary shows (default [`Detail::Lines`]).
    ///
    /// ```
    /// use dingbot::{Detail, DigestConfig};
    ///
    /// // Every event in full, as in a digest of few, long events.
    /// let full = DigestConfig::default().detail(Detail::Full);
    /// assert_ne!(full, DigestConfig::default());
    /// ```
    #[must_use]
    pub fn detail(mut self, detail: Detail) -> Self {
        self.detail = detail;
        self
    }

    /// The most messages the summary of one round takes with [`Detail::Lines`] (at
    /// least 1, default 3). When its lines would need more, each kind keeps as many
    /// lines as fit, its first events, and the rest of it is counted ("… and 312
    /// more") and in [`DigestStats::counted`]: no event is left out silently.
    #[must_use]
    pub fn max_messages_per_round(mut self, messages: usize) -> Self {
        self.max_messages_per_round = messages.max(1);
        self
    }

    /// How long events that follow a message are gathered before the next (default
    /// 10 s, on the robot's clock).
    ///
    /// The first event after a quiet spell goes out at once, as it is. Events pushed
    /// within `gather` of a message wait until it is up, and then go out together: one
    /// event as it is, more as a summary. A storm so takes a message every `gather` at
    /// most, rather than a window of messages each holding a few events.
    /// [`flush`](crate::Digest::flush) and [`close`](crate::Digest::close) end the wait.
    /// On a [manual clock](crate::clock::Clock::manual) this wait does not move the clock
    /// forward: the events it gathers come with time passing, which the test moves on.
    #[must_use]
    pub fn gather(mut self, gather: Duration) -> Self {
        self.gather = gather;
        self
    }

    /// The time zone of the times in summaries, as minutes east of UTC (default 480:
    /// UTC+8, China Standard Time). Clamped to ±18 hours.
    #[must_use]
    pub fn utc_offset_minutes(mut self, minutes: i32) -> Self {
        self.utc_offset_minutes = minutes.clamp(-18 * 60, 18 * 60);
        self
    }
}

/// What a [`Digest`](crate::Digest) has done so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DigestStats {
    /// Events accepted by [`Digest::push`](crate::Digest::push).
    pub events: u64,
    /// Events sent as they were, one message each.
    pub sent_alone: u64,
    /// Events delivered inside a summary.
    pub merged: u64,
    /// Summary messages sent.
    pub summaries: u64,
    /// Events of [`merged`](Self::merged) that a summary only counted, without a line
    /// of their own: with [`Detail::Lines`], the rest of a kind ("… and 312 more") left
    /// out to keep a round within
    /// [`max_messages_per_round`](DigestConfig::max_messages_per_round); with
    /// [`Detail::Counts`], all of them.
    pub counted: u64,
    /// Messages sent in all (`sent_alone + summaries`): what the group received.
    pub messages: u64,
    /// Events refused because `max_held` were already waiting.
    pub dropped: u64,
    /// Events whose message DingTalk refused for good, or that kept failing for passing
    /// reasons for longer than [`give_up_after`](DigestConfig::give_up_after) (see
    /// `last_error`).
    pub failed: u64,
    /// Events [`Digest::close`](crate::Digest::close) gave up on when its
    /// [`close_timeout`](DigestConfig::close_timeout) was up: still waiting, or sent
    /// without an answer (DingTalk may have posted those).
    pub undelivered: u64,
    /// Events waiting now, to be sent or sent again.
    pub held: usize,
    /// Whether the last delivery attempt failed for a passing reason (DingTalk down,
    /// timing out): true until a message is delivered again.
    pub failing: bool,
    /// The last delivery error, if any.
    pub last_error: Option<String>,
}

/// Events whose fate is settled: what [`Digest::on_settled`](crate::Digest::on_settled)
/// is told.
///
/// Events are numbered from 0 in the order the digest accepted them (the number
/// [`Digest::push_with_msg_uuid`](crate::Digest::push_with_msg_uuid) returns). They are
/// settled in that order, a message at a time: a summary settles the consecutive events
/// it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    /// The numbers of the events, first to last (`end` excluded).
    pub events: std::ops::Range<u64>,
    /// True when DingTalk accepted their message; false when it was refused for good or
    /// kept failing past [`give_up_after`](DigestConfig::give_up_after).
    pub delivered: bool,
}
