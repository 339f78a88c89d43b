//! The task that delivers what a [`Digest`](crate::Digest) holds.
//!
//! It works in rounds. The first event after a quiet spell goes out at once, as it was
//! pushed, in a round of its own. Events pushed within [`DigestConfig::gather`] of a
//! round wait until that time is up (or a flush or close hurries them); then a round
//! takes every event waiting: one goes out as it was pushed, more as summaries. A round
//! waits for a pacing slot and sends its messages in order. When one fails
//! for a passing reason, the rest of the round — that message included — is kept as it
//! is, and the next round sends exactly those payloads again before anything pushed
//! since — after a back-off, for up to [`DigestConfig::give_up_after`] of failures in a
//! row, then the failing message's events count as failed.
//!
//! [`DigestConfig::give_up_after`]: crate::DigestConfig::give_up_after
//! [`DigestConfig::gather`]: crate::DigestConfig::gather

use std::sync::Arc;
use std::time::Duration;

use super::config::Settled;
use super::event::{Chunk, Event};
use super::state::Shared;
use super::summary::summarize;
use crate::client::Sent;
use crate::clock::later;
use crate::error::Error;
use crate::group::Slot;
use crate::pace::Pacing;

/// How often a slot the delivery task cannot get is logged while it lasts.
const CONFLICT_LOG_EVERY: Duration = Duration::from_secs(60);

/// How often gathering looks at a manual clock, which the test moves on.
const MANUAL_CLOCK_POLL: Duration = Duration::from_millis(2);

/// The delivery task. It holds `keepalive` — whatever its spawner needs kept alive while
/// it runs (a blocking robot's private runtime) — until it ends, never looking into it.
pub(super) async fn run(shared: Arc<Shared>, keepalive: Option<Box<dyn Send>>) {
    let mut failing_rounds = 0;
    // When a failed acquire was last logged: it repeats every second while it lasts.
    let mut logged: Option<std::time::Instant> = None;
    // Whether the events waiting were gathered (kept when the slot must be asked again).
    let mut gathered = false;
    loop {
        let woken = shared.wake.notified();
        let (has_work, closed, resending, last_round) = {
            let state = shared.lock();
            (
                !state.round.is_empty() || !state.queue.is_empty(),
                state.closed,
                !state.round.is_empty(),
                state.last_round,
            )
        };
        if !has_work {
            shared.lock().hurry = false;
            shared.idle.notify_waiters();
            if closed {
                break;
            }
            woken.await;
            continue;
        }
        // Within `gather` of the last round a storm is under way: gather what comes. A
        // round being sent again takes nothing new.
        let gather = shared.config.gather;
        let storm = last_round
            .map(|at| later(at, gather))
            .filter(|&end| !resending && !gathered && shared.robot.clock().now() < end);
        if let Some(end) = storm {
            gather_until(&shared, end).await;
            gathered = true;
        }
        let permit = match shared.robot.acquire(Pacing::Wait, None).await {
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
            plan_round(&shared, gathered, permit.free_slots());
            gathered = false;
        }
        failing_rounds = send_round(&shared, permit, failing_rounds).await;
        // Gathering counts from the end of a round: what came while it was being sent
        // (answers slow, DingTalk down) is gathered too.
        shared.lock().last_round = Some(shared.robot.clock().now());
    }
    drop(keepalive);
}

/// Waits until `deadline` on the robot's clock, or until a flush or close hurries the
/// events. A manual clock is not moved forward: it is looked at until the test has
/// moved it on.
async fn gather_until(shared: &Shared, deadline: std::time::Instant) {
    let clock = shared.robot.clock();
    loop {
        let woken = shared.wake.notified();
        {
            let state = shared.lock();
            if state.closed || state.hurry || clock.now() >= deadline {
                return;
            }
        }
        if clock.is_manual() {
            tokio::select! {
                () = woken => {}
                () = tokio::time::sleep(MANUAL_CLOCK_POLL) => {}
            }
        } else {
            tokio::select! {
                () = woken => {}
                () = clock.sleep_until(deadline) => {}
            }
        }
    }
}

/// Makes a round: with `take_all`, of every waiting event — one alone, more merged into
/// summaries; else (a storm begins) of the first alone, the rest gathered for the next.
/// Every waiting event goes in too when the window has no room for them all (`free`
/// slots besides the one held): they would wait for it anyway. Dropped events not yet
/// reported always go into a summary.
fn plan_round(shared: &Shared, take_all: bool, free: usize) {
    let (events, drops) = {
        let mut state = shared.lock();
        let drops = std::mem::take(&mut state.unreported_drops);
        let no_room = state.queue.len() > free.saturating_add(1);
        let take = if take_all || no_room || drops > 0 {
            state.queue.len()
        } else {
            state.queue.len().min(1)
        };
        let events: Vec<Event> = state.queue.drain(..take).collect();
        state.planning = events.len();
        (events, drops)
    };
    let chunks = if drops == 0 && events.len() <= 1 {
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
async fn send_round(shared: &Shared, permit: Slot, mut failing_rounds: u32) -> u32 {
    let mut permit = Some(permit);
    loop {
        let Some(payload) = shared.lock().round.front().map(|c| c.payload.clone()) else {
            return failing_rounds;
        };
        let result = match permit.take() {
            Some(permit) => shared.robot.send_with_slot(&payload, permit).await,
            None => shared.robot.send_paced(&payload, Pacing::Wait).await,
        };
        match settle(shared, result) {
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

/// Records how the round's first message fared, and tells the settled hook.
fn settle(shared: &Shared, result: Result<Sent, Error>) -> Outcome {
    let (outcome, settled) = record(shared, result);
    if let Some(settled) = settled {
        shared.settled(&settled);
    }
    outcome
}

/// Records how the round's first message fared: the outcome, and the events settled.
fn record(shared: &Shared, result: Result<Sent, Error>) -> (Outcome, Option<Settled>) {
    let mut state = shared.lock();
    let err = match result {
        Ok(_) => {
            state.failing_since = None;
            state.stats.failing = false;
            let Some(chunk) = state.round.pop_front() else {
                return (Outcome::Done, None);
            };
            state.stats.messages += 1;
            if chunk.summary {
                state.stats.summaries += 1;
                state.stats.merged += chunk.events;
                state.stats.counted += chunk.counted;
            } else {
                state.stats.sent_alone += chunk.events;
            }
            let settled = Settled {
                events: chunk.numbers,
                delivered: true,
            };
            return (Outcome::Done, Some(settled));
        }
        Err(err) => err,
    };
    if matches!(err, Error::PacingConflict { .. }) {
        // Robots for the token disagree on the rate until the other rate's sends have left
        // the window: a wait, like a throttle, not a failed round (the delivery loop's
        // next acquire says so, at most once a minute).
        return (Outcome::Hold { transient: false }, None);
    }
    if err.is_throttled() {
        tracing::warn!(
            events = state.held(),
            "dingbot digest: DingTalk throttled the robot; holding the events until it ends"
        );
        return (Outcome::Hold { transient: false }, None);
    }
    if err.is_retryable() {
        let now = shared.robot.clock().now();
        let since = *state.failing_since.get_or_insert(now);
        state.stats.failing = true;
        state.stats.last_error = Some(err.to_string());
        if now.saturating_duration_since(since) < shared.config.give_up_after {
            return (Outcome::Hold { transient: true }, None);
        }
        // Given up on this message: the next one starts a streak of its own.
        state.failing_since = None;
    }
    let Some(chunk) = state.round.pop_front() else {
        return (Outcome::Done, None);
    };
    tracing::error!(events = chunk.events, error = %err, "dingbot digest: delivery failed; the events are counted as failed");
    state.stats.failed += chunk.events;
    state.stats.last_error = Some(err.to_string());
    // The drops it would have reported go into the next summary.
    state.unreported_drops += chunk.drops;
    let settled = Settled {
        events: chunk.numbers,
        delivered: false,
    };
    let outcome = if err.is_retryable() {
        Outcome::GaveUp
    } else {
        Outcome::Done
    };
    (outcome, Some(settled))
}
