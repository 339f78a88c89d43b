//! The [`Guard`] that keeps the worker running and shuts it down, and the
//! [`AlertStats`] it reports.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, mpsc as std_mpsc};
use std::time::Duration;

use tokio::sync::mpsc;

use super::queue::Counters;
use crate::digest::DigestStats;

/// What the layer has done so far ([`Guard::stats`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AlertStats {
    /// Events the layer took (passed its filters).
    pub events: u64,
    /// Events dropped because the queue was full; each drop is reported in a message.
    pub dropped: u64,
    /// Events the worker has taken from the queue.
    pub processed: u64,
    /// Messages pushed into the digest.
    pub messages: u64,
    /// Events counted into another event's message instead of sent themselves
    /// (identical events: same callsite and message).
    pub counted: u64,
    /// Messages the digest refused (it was full); their events are lost and counted here.
    pub refused: u64,
    /// The digest's own statistics: what was delivered, merged, failed.
    pub digest: DigestStats,
}

pub(super) enum Control {
    Flush(std_mpsc::Sender<AlertStats>),
    Shutdown(std_mpsc::Sender<AlertStats>),
}

/// Keeps the worker running; dropping it delivers what is queued, waiting at most the
/// [`shutdown_timeout`](super::LayerBuilder::shutdown_timeout) (plus a second), and
/// writes to stderr how many events were left if that runs out.
///
/// ```
/// use tracing_subscriber::prelude::*;
///
/// # fn main() -> Result<(), dingbot::Error> {
/// let robot = dingbot::Robot::new("https://oapi.dingtalk.com/robot/send?access_token=abc")?;
/// let (layer, guard) = dingbot::tracing::layer(robot);
/// let _subscriber = tracing_subscriber::registry().with(layer);
/// let stats = guard.shutdown(); // or drop(guard)
/// assert_eq!(stats.messages, 0);
/// # Ok(()) }
/// ```
#[must_use = "dropping the guard shuts the layer down"]
pub struct Guard {
    pub(super) control: Option<mpsc::UnboundedSender<Control>>,
    pub(super) counters: Arc<Counters>,
    pub(super) shared: Arc<Mutex<AlertStats>>,
    pub(super) timeout: Duration,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Guard {
    /// What the layer has done so far (the digest's part as of the worker's last look,
    /// at most a fraction of a second old).
    pub fn stats(&self) -> AlertStats {
        let mut stats = self
            .shared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        stats.events = self.counters.events.load(Ordering::Relaxed);
        stats.dropped = self.counters.dropped.load(Ordering::Relaxed);
        stats
    }

    /// Sends everything queued and waits until the digest has delivered it, at most the
    /// shutdown timeout; returns the stats then. Blocks the calling thread.
    pub fn flush(&self) -> AlertStats {
        self.ask(Control::Flush)
    }

    /// Delivers what is queued and stops the worker, like dropping the guard, and returns
    /// the final stats.
    pub fn shutdown(mut self) -> AlertStats {
        let stats = self.ask(Control::Shutdown);
        self.control = None;
        stats
    }

    fn ask(&self, control: fn(std_mpsc::Sender<AlertStats>) -> Control) -> AlertStats {
        let Some(tx) = &self.control else {
            return self.stats();
        };
        let (reply, answer) = std_mpsc::channel();
        if tx.send(control(reply)).is_err() {
            return self.stats();
        }
        match answer.recv_timeout(self.timeout + Duration::from_secs(1)) {
            Ok(stats) => {
                let mut stats = stats;
                stats.events = self.counters.events.load(Ordering::Relaxed);
                stats.dropped = self.counters.dropped.load(Ordering::Relaxed);
                stats
            }
            Err(_) => {
                let stats = self.stats();
                let left = stats
                    .events
                    .saturating_sub(stats.dropped)
                    .saturating_sub(stats.processed);
                eprintln!(
                    "dingbot tracing: gave up waiting after {:?}; {} event(s) still queued, {} held by the digest",
                    self.timeout, left, stats.digest.held
                );
                stats
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.control.is_some() {
            let stats = self.ask(Control::Shutdown);
            if stats.digest.undelivered > 0 {
                eprintln!(
                    "dingbot tracing: {} event(s) not delivered at shutdown",
                    stats.digest.undelivered
                );
            }
        }
    }
}
