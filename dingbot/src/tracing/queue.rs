//! The bounded queue between the layer and its worker: the layer's end ([`Queue`],
//! which never waits), the counts both sides read, and which threads are the worker's.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use super::record::Record;

thread_local! {
    /// Set on the worker's threads: nothing logged there becomes a message.
    static ON_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is one of the worker's.
pub(super) fn on_worker_thread() -> bool {
    ON_WORKER.with(Cell::get)
}

pub(super) fn mark_worker_thread() {
    ON_WORKER.with(|w| w.set(true));
}

/// Counted on the callers' threads, read by everyone.
#[derive(Default)]
pub(super) struct Counters {
    pub(super) events: AtomicU64,
    pub(super) dropped: AtomicU64,
    /// Drops not yet written into a message.
    pub(super) unreported_drops: AtomicU64,
}

/// The layer's end of the queue.
pub(super) struct Queue {
    pub(super) tx: Option<mpsc::Sender<Record>>,
    pub(super) counters: Arc<Counters>,
}

impl Queue {
    /// Offers a record without waiting; a full (or closed) queue counts it as dropped.
    pub(super) fn offer(&self, record: Record) {
        self.counters.events.fetch_add(1, Ordering::Relaxed);
        let queued = self
            .tx
            .as_ref()
            .is_some_and(|tx| tx.try_send(record).is_ok());
        if !queued {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            self.counters
                .unreported_drops
                .fetch_add(1, Ordering::Relaxed);
        }
    }
}
