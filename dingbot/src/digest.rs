//! [`Digest`]: bursts merged into markdown summaries, so an alert storm never gets the
//! robot throttled and no event is lost.
//!
//! A digest accepts any [`DingMessage`] at once, without waiting. While the robot's
//! window has room, events go out as they are. When it is full, they are held, and as
//! soon as a slot frees they go out merged into one markdown summary — "12 events: 9 ×
//! Order failed, 3 × Deploy", then each event's title and body in order — split into
//! several messages when one would exceed DingTalk's 20000 bytes. Everyone a merged
//! event mentions is mentioned by the summary.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), dingbot::Error> {
//! use dingbot::{DigestConfig, Robot, Text, clock::Clock, mock::MockServer};
//!
//! let clock = Clock::manual(); // minutes pass in milliseconds
//! let server = MockServer::builder().clock(clock.clone()).start().await?;
//! let robot = Robot::builder(&server.webhook_url()).clock(clock).build()?;
//!
//! let digest = robot.digest(DigestConfig::default())?;
//! for i in 0..200 {
//!     digest.push(&Text::new(format!("order {i} failed")))?;
//! }
//! let stats = digest.close().await;
//! assert_eq!(stats.events, 200);
//! assert!(stats.messages <= 20, "{stats:?}");
//! assert!(server.requests().iter().all(|r| r.errcode == Some(0)));
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

use crate::markdown::{Inline, Writer};
use crate::pace::Pacing;
use crate::{At, DingMessage, Error, MAX_BODY_BYTES, Markdown, Message, Payload, Robot};

/// How a [`Digest`] behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigestConfig {
    max_held: usize,
    max_title_groups: usize,
}

impl Default for DigestConfig {
    /// Holds up to 10,000 events; names up to 3 kinds of event in a summary's title.
    fn default() -> Self {
        DigestConfig {
            max_held: 10_000,
            max_title_groups: 3,
        }
    }
}

impl DigestConfig {
    /// The most events held while waiting for a slot (at least 1). Events beyond it are
    /// refused with [`Error::DigestFull`], counted, and reported in the next summary.
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
}

/// What a [`Digest`] has done so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DigestStats {
    /// Events accepted by [`Digest::push`].
    pub events: u64,
    /// Events sent as they were, one message each.
    pub sent_alone: u64,
    /// Events delivered inside a summary.
    pub merged: u64,
    /// Summary messages sent.
    pub summaries: u64,
    /// Messages sent in all (`sent_alone + summaries`).
    pub messages: u64,
    /// Events refused because `max_held` were already waiting.
    pub dropped: u64,
    /// Events whose message DingTalk refused for good (see `last_error`).
    pub failed: u64,
    /// Events waiting now.
    pub held: usize,
    /// The last delivery error, if any.
    pub last_error: Option<String>,
}

/// Merges bursts of events into summaries; see the [module docs](self).
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
    /// Woken when nothing is held and nothing is being sent.
    idle: Notify,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Message>,
    busy: bool,
    closed: bool,
    /// Dropped events not yet reported in a summary.
    unreported_drops: u64,
    stats: DigestStats,
}

/// Something the delivery task keeps alive until it ends.
pub(crate) type Keepalive = Arc<dyn std::any::Any + Send + Sync>;

/// Closes the digest when the last handle goes.
struct Open(Arc<Shared>);

impl Drop for Open {
    fn drop(&mut self) {
        let held = {
            let mut state = self.0.lock();
            state.closed = true;
            state.queue.len()
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

impl Robot {
    /// A [`Digest`] sending through this robot. Must be called inside a Tokio runtime
    /// (the digest delivers from a background task).
    pub fn digest(&self, config: DigestConfig) -> Result<Digest, Error> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::Runtime {
            message: "Robot::digest must be called inside a Tokio runtime".into(),
        })?;
        Ok(Digest::spawn(self.clone(), config, &runtime, None))
    }
}

impl Digest {
    /// Starts the delivery task on `runtime`; it holds `keepalive` until it ends (the
    /// blocking robot's runtime, so that held events are still delivered when the last
    /// handle is dropped).
    pub(crate) fn spawn(
        robot: Robot,
        config: DigestConfig,
        runtime: &tokio::runtime::Handle,
        keepalive: Option<Keepalive>,
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

    /// Accepts an event without waiting. It is checked as it would be for sending
    /// (validity, size), so a bad event is refused here, not lost later.
    ///
    /// Refused with [`Error::DigestFull`] when `max_held` events are already waiting
    /// (the drop is counted and reported in the next summary), and with
    /// [`Error::DigestClosed`] after [`close`](Self::close).
    pub fn push<M: DingMessage + ?Sized>(&self, event: &M) -> Result<(), Error> {
        let msg = event.to_message();
        // Checked with a msgUuid as long as a real one, so it fits when it is sent.
        Payload::with_msg_uuid(&msg, UUID_PLACEHOLDER)?;
        {
            let mut state = self.shared.lock();
            if state.closed {
                return Err(Error::DigestClosed);
            }
            if state.queue.len() >= self.shared.config.max_held {
                state.stats.dropped += 1;
                state.unreported_drops += 1;
                if state.unreported_drops == 1 {
                    tracing::warn!(
                        held = state.queue.len(),
                        "dingbot digest: full, dropping events (they are counted and reported in the next summary)"
                    );
                }
                return Err(Error::DigestFull {
                    held: state.queue.len(),
                });
            }
            state.queue.push_back(msg);
            state.stats.events += 1;
        }
        self.shared.wake.notify_one();
        Ok(())
    }

    /// What the digest has done so far.
    pub fn stats(&self) -> DigestStats {
        let state = self.shared.lock();
        DigestStats {
            held: state.queue.len(),
            ..state.stats.clone()
        }
    }

    /// Waits until every event pushed so far has been delivered (or has failed for good).
    pub async fn flush(&self) -> DigestStats {
        loop {
            let idle = self.shared.idle.notified();
            {
                let state = self.shared.lock();
                if state.queue.is_empty() && !state.busy {
                    return DigestStats {
                        held: 0,
                        ..state.stats.clone()
                    };
                }
            }
            self.shared.wake.notify_one();
            idle.await;
        }
    }

    /// Delivers everything still held, stops the digest and returns what it did.
    pub async fn close(self) -> DigestStats {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
        let task = self
            .shared
            .task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        match task {
            Some(task) => {
                if let Err(err) = task.await {
                    tracing::error!(error = %err, "dingbot digest: the delivery task failed");
                }
            }
            // Another clone is closing it: wait for what is held all the same.
            None => {
                self.flush().await;
            }
        }
        self.stats()
    }
}

/// How many delivery rounds in a row may fail for passing reasons (DingTalk down, a
/// gateway error, timeouts; each round already retried by the robot) before the events of
/// a failing message are counted as failed.
const TRANSIENT_ROUNDS: u32 = 6;

/// As long as the `msgUuid` every payload carries.
const UUID_PLACEHOLDER: &str = "00000000000000000000000000000000";

/// The delivery task.
async fn run(shared: Arc<Shared>, keepalive: Option<Keepalive>) {
    let mut transient_rounds = 0;
    loop {
        let woken = shared.wake.notified();
        let has_work = {
            let mut state = shared.lock();
            state.busy = !state.queue.is_empty();
            if !state.busy {
                shared.idle.notify_waiters();
                if state.closed {
                    drop(state);
                    drop(keepalive);
                    return;
                }
            }
            state.busy
        };
        if !has_work {
            woken.await;
            continue;
        }

        let pacer = shared.robot.pacer();
        if pacer.free_slots() == 0 {
            let held = shared.lock().queue.len();
            tracing::debug!(
                held,
                throttled = pacer.throttled_until().is_some(),
                "dingbot digest: no send slot free, holding events"
            );
            pacer.ready().await;
        }
        let free = pacer.free_slots().max(1);
        let (events, drops) = {
            let mut state = shared.lock();
            (
                state.queue.drain(..).collect::<Vec<_>>(),
                std::mem::take(&mut state.unreported_drops),
            )
        };
        let chunks = if events.len() <= free && drops == 0 {
            events
                .iter()
                .enumerate()
                .map(|(i, e)| Chunk {
                    msg: e.clone(),
                    range: i..i + 1,
                    summary: false,
                })
                .collect()
        } else {
            let chunks = summarize(&events, drops, &shared.config);
            tracing::info!(
                events = events.len(),
                messages = chunks.len(),
                dropped = drops,
                "dingbot digest: merged a burst into summaries"
            );
            chunks
        };
        for (i, chunk) in chunks.iter().enumerate() {
            let give_up = transient_rounds >= TRANSIENT_ROUNDS;
            match deliver(&shared, chunk, give_up).await {
                Outcome::Done => transient_rounds = 0,
                Outcome::GaveUp => {}
                Outcome::Hold { transient } => {
                    requeue(
                        &shared,
                        &events[chunk.range.start..],
                        if i == 0 { drops } else { 0 },
                    );
                    if transient {
                        transient_rounds += 1;
                        let backoff = Duration::from_secs(1 << transient_rounds.min(6));
                        tracing::warn!(
                            held = events.len() - chunk.range.start,
                            retry_in_secs = backoff.as_secs(),
                            round = transient_rounds,
                            "dingbot digest: delivery failed for a passing reason; holding the events and trying again"
                        );
                        shared.robot.clock().sleep(backoff).await;
                    }
                    break;
                }
            }
        }
    }
}

/// One message of a delivery round: an event as it is, or a summary of several.
struct Chunk {
    msg: Message,
    range: std::ops::Range<usize>,
    summary: bool,
}

enum Outcome {
    /// Delivered, or refused for good (counted as failed).
    Done,
    /// Counted as failed after too many passing failures in a row.
    GaveUp,
    /// Not delivered; hold the events again (`transient`: back off first).
    Hold { transient: bool },
}

/// Sends one message of a round. `give_up`: count a passing failure as final.
async fn deliver(shared: &Shared, chunk: &Chunk, give_up: bool) -> Outcome {
    let count = chunk.range.len() as u64;
    let result = match Payload::new(&chunk.msg) {
        Ok(payload) => shared
            .robot
            .send_paced(&payload, Pacing::Wait)
            .await
            .map(|_| ()),
        Err(err) => Err(err),
    };
    let mut state = shared.lock();
    let err = match result {
        Ok(()) => {
            state.stats.messages += 1;
            if chunk.summary {
                state.stats.summaries += 1;
                state.stats.merged += count;
            } else {
                state.stats.sent_alone += count;
            }
            return Outcome::Done;
        }
        Err(err) => err,
    };
    if err.is_throttled() {
        tracing::warn!(
            events = count,
            "dingbot digest: DingTalk throttled the robot; holding the events until it ends"
        );
        return Outcome::Hold { transient: false };
    }
    if err.is_retryable() && !give_up {
        return Outcome::Hold { transient: true };
    }
    tracing::error!(events = count, error = %err, "dingbot digest: delivery failed; the events are counted as failed");
    state.stats.failed += count;
    state.stats.last_error = Some(err.to_string());
    if err.is_retryable() {
        Outcome::GaveUp
    } else {
        Outcome::Done
    }
}

/// Puts events back at the front of the queue, in order.
fn requeue(shared: &Shared, events: &[Message], drops: u64) {
    let mut state = shared.lock();
    for event in events.iter().rev() {
        state.queue.push_front(event.clone());
    }
    state.unreported_drops += drops;
}

/// Room for a summary's markdown text, leaving space for the title, the mentions, the
/// `msgUuid` and the JSON around them.
const TEXT_BUDGET: usize = MAX_BODY_BYTES - 1_500;

/// The summaries for a burst, each with the range of events it carries.
fn summarize(events: &[Message], drops: u64, config: &DigestConfig) -> Vec<Chunk> {
    let sections: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, e)| section(i + 1, e))
        .collect();
    // Greedy grouping on an estimate: the section's JSON size, plus each mention twice
    // (in `atMobiles`/`atUserIds` and as `@id` in the body).
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, (text, event)) in sections.iter().zip(events).enumerate() {
        let mentions: usize = event.at().map_or(0, |at| {
            at.mobiles()
                .iter()
                .chain(at.user_ids())
                .map(|id| 2 * json_len(id) + 6)
                .sum()
        });
        let cost = json_len(text) + 4 + mentions;
        if i > start && size + cost > TEXT_BUDGET {
            ranges.push(start..i);
            start = i;
            size = 0;
        }
        size += cost;
    }
    ranges.push(start..sections.len());

    // Check each summary as it will be sent (with the longest part number it could get);
    // halve any that does not fit. An event that does not fit even alone in a summary
    // (it was checked to fit as itself when pushed) is sent as it is.
    let mut fitted: Vec<(std::ops::Range<usize>, bool)> = Vec::with_capacity(ranges.len());
    let mut pending: VecDeque<std::ops::Range<usize>> = ranges.into();
    while let Some(range) = pending.pop_front() {
        let summary = build_summary(events, &sections, range.clone(), drops, config, (999, 999));
        let fits = Payload::with_msg_uuid(&Message::Markdown(summary), UUID_PLACEHOLDER).is_ok();
        if fits {
            fitted.push((range, true));
        } else if range.len() == 1 {
            fitted.push((range, false));
        } else {
            let mid = range.start + range.len() / 2;
            pending.push_front(mid..range.end);
            pending.push_front(range.start..mid);
        }
    }
    let total = fitted.iter().filter(|(_, summary)| *summary).count();
    let mut part = 0;
    fitted
        .into_iter()
        .map(|(range, summary)| {
            if !summary {
                return Chunk {
                    msg: events[range.start].clone(),
                    range,
                    summary,
                };
            }
            part += 1;
            let msg = Message::Markdown(build_summary(
                events,
                &sections,
                range.clone(),
                drops,
                config,
                (part, total),
            ));
            Chunk {
                msg,
                range,
                summary,
            }
        })
        .collect()
}

/// One summary message for `events[range]`; `part` is (this part, of how many).
fn build_summary(
    events: &[Message],
    sections: &[String],
    range: std::ops::Range<usize>,
    drops: u64,
    config: &DigestConfig,
    part: (usize, usize),
) -> Markdown {
    let title = summary_title(
        &events[range.clone()],
        config.max_title_groups,
        part.0,
        part.1,
    );
    let mut md = Writer::new().heading(4, title.as_str());
    if drops > 0 && part.0 == 1 {
        md = md.quote(format!(
            "{drops} more event(s) were dropped: more than {} were waiting for a send slot.",
            config.max_held
        ));
    }
    for s in &sections[range.clone()] {
        md = md.raw(s);
    }
    let mut at = At::default();
    for event in &events[range] {
        if let Some(a) = event.at() {
            at.merge(a);
        }
    }
    let mut summary = Markdown::new(title, md.finish());
    summary.at = at;
    summary
}

/// Bytes a string takes inside a JSON string literal.
fn json_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

/// A name for an event: its title, or the first line of a text message.
fn event_title(event: &Message) -> String {
    let raw = match event.title() {
        Some(t) => t,
        None => event
            .body()
            .unwrap_or("")
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("Message"),
    };
    truncate(raw.trim(), 60)
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// The kind of an event, for counting in a summary's title: its title without the
/// words that hold digits (ids, counts, versions), so "Order 1842 failed" and "Order 77
/// failed" are both "Order failed".
fn event_kind(title: &str) -> String {
    let kind: Vec<&str> = title
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    if kind.is_empty() {
        title.to_owned()
    } else {
        kind.join(" ")
    }
}

/// "12 events: 9 × Order failed, 3 × Deploy" (and " (2/3)" for a split summary).
fn summary_title(events: &[Message], max_groups: usize, part: usize, parts: usize) -> String {
    let mut groups: Vec<(String, usize)> = Vec::new();
    for event in events {
        let title = event_kind(&event_title(event));
        match groups.iter_mut().find(|(t, _)| *t == title) {
            Some((_, n)) => *n += 1,
            None => groups.push((title, 1)),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    let mut title = format!(
        "{} event{}: ",
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    );
    for (i, (name, n)) in groups.iter().take(max_groups).enumerate() {
        if i > 0 {
            title.push_str(", ");
        }
        title.push_str(&format!("{n} × {name}"));
    }
    if groups.len() > max_groups {
        title.push_str(", …");
    }
    if parts > 1 {
        title.push_str(&format!(" ({part}/{parts})"));
    }
    title
}

/// One event inside a summary: a numbered heading and its body.
fn section(n: usize, event: &Message) -> String {
    let title = event_title(event);
    let mut md = Writer::new().heading(5, Inline::raw(format!("{n}. ")) + title.as_str());
    md = match event {
        Message::Text(t) => md.paragraph(t.content()),
        Message::Markdown(m) => md.raw(&strip_leading_heading(m.text(), m.title())),
        Message::Link(l) => {
            md.paragraph(Inline::text(l.text()) + " " + Inline::link("Open", l.message_url()))
        }
        Message::ActionCard(c) => {
            let mut links = Inline::default();
            let buttons: Vec<_> = c.single().into_iter().chain(c.buttons()).collect();
            for (i, b) in buttons.iter().enumerate() {
                if i > 0 {
                    links += " · ";
                }
                links += Inline::link(b.title(), b.action_url());
            }
            md.raw(&strip_leading_heading(c.text(), c.title()))
                .paragraph(links)
        }
        Message::FeedCard(f) => md.list(
            f.links()
                .iter()
                .map(|l| Inline::link(l.title(), l.message_url())),
        ),
    };
    let text = md.finish();
    // One event never takes more than a whole summary.
    if json_len(&text) > TEXT_BUDGET / 2 {
        let mut cut = TEXT_BUDGET / 4;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        return format!(
            "{}\n\n*(truncated: {} bytes more)*",
            &text[..cut],
            text.len() - cut
        );
    }
    text
}

/// A markdown body without its first line when that line is a heading repeating the
/// title (the summary gives every event its own heading).
fn strip_leading_heading(text: &str, title: &str) -> String {
    let trimmed = text.trim_start();
    if let Some(first) = trimmed.lines().next() {
        let heading = first.trim_start_matches('#');
        if first.starts_with('#') && heading.trim() == title.trim() {
            return trimmed[first.len()..].trim_start().to_owned();
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Text;

    #[test]
    fn title_counts_kinds() {
        let mut events: Vec<Message> = (0..9)
            .map(|_| Markdown::new("Order failed", "x").into())
            .collect();
        events.extend((0..3).map(|_| Message::from(Markdown::new("Deploy", "y"))));
        assert_eq!(
            summary_title(&events, 3, 1, 1),
            "12 events: 9 × Order failed, 3 × Deploy"
        );
        assert_eq!(
            summary_title(&events, 1, 2, 3),
            "12 events: 9 × Order failed, … (2/3)"
        );
    }

    #[test]
    fn kinds_ignore_ids() {
        assert_eq!(event_kind("Order 1842 failed"), "Order failed");
        assert_eq!(event_kind("Disk full #5"), "Disk full");
        assert_eq!(event_kind("Deploy api v2.4"), "Deploy api");
        assert_eq!(event_kind("42"), "42");
        let events: Vec<Message> = (0..5)
            .map(|i| Message::from(Markdown::new(format!("Order {i} failed"), "x")))
            .collect();
        assert_eq!(
            summary_title(&events, 3, 1, 1),
            "5 events: 5 × Order failed"
        );
    }

    #[test]
    fn big_bursts_split_under_the_limit_and_keep_mentions() {
        let events: Vec<Message> = (0..400)
            .map(|i| {
                Text::new(format!("event {i}: {}", "x".repeat(200)))
                    .at_mobiles([format!("1380000{i:04}")])
                    .into()
            })
            .collect();
        let chunks = summarize(&events, 0, &DigestConfig::default());
        assert!(chunks.len() > 1);
        let mut covered = 0;
        for chunk in &chunks {
            assert_eq!(chunk.range.start, covered);
            covered = chunk.range.end;
            let payload = Payload::new(&chunk.msg).unwrap();
            assert!(payload.len() <= MAX_BODY_BYTES);
            assert_eq!(chunk.msg.at().unwrap().mobiles().len(), chunk.range.len());
        }
        assert_eq!(covered, 400);
    }

    #[test]
    fn a_huge_event_is_truncated_not_lost() {
        let events = vec![Message::from(Markdown::new("huge", "y".repeat(19_000)))];
        let chunks = summarize(&events, 0, &DigestConfig::default());
        assert_eq!(chunks.len(), 1);
        assert!(Payload::new(&chunks[0].msg).is_ok());
        assert!(chunks[0].msg.body().unwrap().contains("truncated"));
    }

    #[test]
    fn repeated_heading_is_not_shown_twice() {
        assert_eq!(
            strip_leading_heading("#### Order failed\n\n**id**: 1", "Order failed"),
            "**id**: 1"
        );
        assert_eq!(
            strip_leading_heading("#### Other\n\nx", "Order failed"),
            "#### Other\n\nx"
        );
    }
}
