//! What a digest's handles and its delivery task share: the events held, the round
//! under way, the stats.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::config::{DigestConfig, DigestStats, Settled};
use super::event::{Chunk, Event};
use crate::group::RobotGroup;

pub(super) struct Shared {
    /// The robot, or robots, it sends through.
    pub(super) robot: RobotGroup,
    pub(super) config: DigestConfig,
    pub(super) state: Mutex<State>,
    /// Woken when events arrive or the digest closes.
    pub(super) wake: Notify,
    /// Woken when nothing is held.
    pub(super) idle: Notify,
    pub(super) task: Mutex<Option<JoinHandle<()>>>,
    /// Told of every message's events once delivered or failed for good.
    pub(super) on_settled: Mutex<Option<SettledHook>>,
}

/// What [`Digest::on_settled`](crate::Digest::on_settled) installs.
pub(super) type SettledHook = std::sync::Arc<dyn Fn(&Settled) + Send + Sync>;

#[derive(Default)]
pub(super) struct State {
    /// Events pushed and not yet in a round.
    pub(super) queue: VecDeque<Event>,
    /// Events taken for a round whose messages are being made.
    pub(super) planning: usize,
    /// The round's messages not yet delivered or refused for good, in order.
    pub(super) round: VecDeque<Chunk>,
    pub(super) closed: bool,
    /// Whether a flush waits: events are not gathered until nothing is held.
    pub(super) hurry: bool,
    /// When (the robot's clock) the last round ended: events pushed within
    /// [`DigestConfig::gather`] of it are gathered for the next.
    pub(super) last_round: Option<std::time::Instant>,
    /// Dropped events not yet reported in a summary.
    pub(super) unreported_drops: u64,
    /// The number the next accepted event gets.
    pub(super) next_event: u64,
    /// Since when (the robot's clock) deliveries have failed for passing reasons.
    pub(super) failing_since: Option<std::time::Instant>,
    pub(super) stats: DigestStats,
}

impl State {
    pub(super) fn held(&self) -> usize {
        let in_round: u64 = self.round.iter().map(|c| c.events).sum();
        self.queue.len() + self.planning + usize::try_from(in_round).unwrap_or(usize::MAX)
    }

    pub(super) fn stats(&self) -> DigestStats {
        DigestStats {
            held: self.held(),
            ..self.stats.clone()
        }
    }
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tells the hook, if any, that `settled` is settled. Called without the state lock.
    pub(super) fn settled(&self, settled: &Settled) {
        let hook = self
            .on_settled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(hook) = hook {
            hook(settled);
        }
    }
}
