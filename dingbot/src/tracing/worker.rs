//! The delivery side: the bounded queue the layer offers records to, the worker thread
//! (its own current-thread Tokio runtime and a [`Digest`]) that counts identical events
//! and pushes messages, and the [`Guard`] that shuts it down.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc as std_mpsc};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::builder::Settings;
use super::layer::Record;
use super::render::{self, Counts};
use crate::client::Robot;
use crate::digest::{Digest, DigestStats};

thread_local! {
    /// Set on the worker's threads: nothing logged there becomes a message.
    static ON_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is one of the worker's.
pub(super) fn on_worker_thread() -> bool {
    ON_WORKER.with(Cell::get)
}

fn mark_worker_thread() {
    ON_WORKER.with(|w| w.set(true));
}

/// How often the worker looks at its digest: to send the counts of repeated events when
/// the digest has nothing held, and to notice failures.
const TICK: Duration = Duration::from_millis(200);
/// How long a quiet kind of event is remembered: after it, the same event is sent at
/// once again rather than counted.
const FORGET_AFTER: Duration = Duration::from_secs(120);
/// The most kinds of event counted at once; past it, their counts are sent and the
/// kinds forgotten.
const MAX_GROUPS: usize = 1_024;

/// Counted on the callers' threads, read by everyone.
#[derive(Default)]
struct Counters {
    events: AtomicU64,
    dropped: AtomicU64,
    /// Drops not yet written into a message.
    unreported_drops: AtomicU64,
}

/// The layer's end of the queue.
pub(super) struct Queue {
    tx: Option<mpsc::Sender<Record>>,
    counters: Arc<Counters>,
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

enum Control {
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
    control: Option<mpsc::UnboundedSender<Control>>,
    counters: Arc<Counters>,
    shared: Arc<Mutex<AlertStats>>,
    timeout: Duration,
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

/// Starts the worker thread; the layer's queue and the guard.
pub(super) fn start(robot: Robot, settings: Arc<Settings>) -> (Queue, Guard) {
    let counters = Arc::new(Counters::default());
    let shared = Arc::new(Mutex::new(AlertStats::default()));
    let (tx, rx) = mpsc::channel(settings.queue);
    let (control_tx, control_rx) = mpsc::unbounded_channel();
    let timeout = settings.shutdown_timeout;
    let worker_counters = Arc::clone(&counters);
    let worker_shared = Arc::clone(&shared);
    let spawned = std::thread::Builder::new()
        .name("dingbot-tracing".into())
        .spawn(move || {
            mark_worker_thread();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .on_thread_start(mark_worker_thread)
                .build();
            match runtime {
                Ok(runtime) => runtime.block_on(async move {
                    match robot.digest(settings.digest.clone()) {
                        Ok(digest) => {
                            let worker = Worker {
                                settings,
                                digest,
                                counters: worker_counters,
                                shared: worker_shared,
                                groups: HashMap::new(),
                                stats: AlertStats::default(),
                                failure_reported: false,
                            };
                            worker.run(rx, control_rx).await;
                        }
                        Err(err) => {
                            eprintln!("dingbot tracing: no digest, nothing will be sent: {err}")
                        }
                    }
                }),
                Err(err) => eprintln!("dingbot tracing: no runtime, nothing will be sent: {err}"),
            }
        });
    let (tx, control) = match spawned {
        Ok(_) => (Some(tx), Some(control_tx)),
        Err(err) => {
            eprintln!("dingbot tracing: no worker thread, nothing will be sent: {err}");
            (None, None)
        }
    };
    let queue = Queue {
        tx,
        counters: Arc::clone(&counters),
    };
    let guard = Guard {
        control,
        counters,
        shared,
        timeout,
    };
    (queue, guard)
}

/// Identical events: the one to render, and how many wait to be reported.
struct Group {
    latest: Record,
    pending: u64,
    last_seen: Instant,
}

struct Worker {
    settings: Arc<Settings>,
    digest: Digest,
    counters: Arc<Counters>,
    shared: Arc<Mutex<AlertStats>>,
    groups: HashMap<(::tracing::callsite::Identifier, String), Group>,
    stats: AlertStats,
    failure_reported: bool,
}

impl Worker {
    async fn run(
        mut self,
        mut rx: mpsc::Receiver<Record>,
        mut control: mpsc::UnboundedReceiver<Control>,
    ) {
        let mut next_tick = Instant::now() + TICK;
        loop {
            tokio::select! {
                record = rx.recv() => match record {
                    Some(record) => self.accept(record),
                    // Every layer is gone; the guard may still ask for a flush.
                    None => {
                        match control.recv().await {
                            Some(Control::Flush(reply)) => { self.flush().await; let _ = reply.send(self.snapshot()); }
                            Some(Control::Shutdown(reply)) => { self.close(&mut rx).await; let _ = reply.send(self.snapshot()); }
                            None => { self.close(&mut rx).await; }
                        }
                        return;
                    }
                },
                command = control.recv() => match command {
                    Some(Control::Flush(reply)) => {
                        self.drain(&mut rx);
                        self.flush().await;
                        let _ = reply.send(self.snapshot());
                    }
                    Some(Control::Shutdown(reply)) => {
                        self.close(&mut rx).await;
                        let _ = reply.send(self.snapshot());
                        return;
                    }
                    None => {
                        self.close(&mut rx).await;
                        return;
                    }
                },
                () = tokio::time::sleep_until(next_tick.into()) => {}
            }
            if Instant::now() >= next_tick {
                self.tick();
                next_tick = Instant::now() + TICK;
            }
        }
    }

    /// Takes what is queued now.
    fn drain(&mut self, rx: &mut mpsc::Receiver<Record>) {
        while let Ok(record) = rx.try_recv() {
            self.accept(record);
        }
    }

    /// A new kind of event is sent at once; a repeat is counted.
    fn accept(&mut self, record: Record) {
        self.stats.processed += 1;
        let now = Instant::now();
        let key = (record.callsite.clone(), record.message.clone());
        if let Some(group) = self.groups.get_mut(&key) {
            group.pending += 1;
            group.latest = record;
            group.last_seen = now;
            self.stats.counted += 1;
            return;
        }
        if self.groups.len() >= MAX_GROUPS {
            self.report_repeats();
            self.groups.clear();
        }
        self.push(&record, 1);
        self.groups.insert(
            key,
            Group {
                latest: record,
                pending: 0,
                last_seen: now,
            },
        );
    }

    fn push(&mut self, record: &Record, occurrences: u64) {
        let dropped = self.counters.unreported_drops.swap(0, Ordering::Relaxed);
        let msg = render::message(
            &self.settings,
            record,
            Counts {
                occurrences,
                dropped,
            },
        );
        match self.digest.push(&msg) {
            Ok(()) => self.stats.messages += 1,
            Err(err) => {
                self.stats.refused += 1;
                self.counters
                    .unreported_drops
                    .fetch_add(dropped, Ordering::Relaxed);
                self.failure(&format!("a message was refused: {err}"));
            }
        }
    }

    /// Sends the counts of repeated events, and the drops no message has reported yet.
    fn report_repeats(&mut self) {
        let mut repeated: Vec<(u64, Record)> = Vec::new();
        for group in self.groups.values_mut() {
            if group.pending > 0 {
                let pending = std::mem::take(&mut group.pending);
                repeated.push((pending, group.latest.clone()));
            }
        }
        for (pending, record) in &repeated {
            self.push(record, *pending);
        }
        let dropped = self.counters.unreported_drops.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            match self.digest.push(&render::dropped(&self.settings, dropped)) {
                Ok(()) => self.stats.messages += 1,
                Err(err) => {
                    self.counters
                        .unreported_drops
                        .fetch_add(dropped, Ordering::Relaxed);
                    self.failure(&format!("a message was refused: {err}"));
                }
            }
        }
    }

    fn tick(&mut self) {
        let digest = self.digest.stats();
        if digest.held == 0 {
            self.report_repeats();
        }
        let now = Instant::now();
        self.groups
            .retain(|_, g| g.pending > 0 || now.duration_since(g.last_seen) < FORGET_AFTER);
        self.record_digest(digest);
    }

    /// Keeps the digest's stats, and reports its first failure.
    fn record_digest(&mut self, digest: DigestStats) {
        if digest.failed > 0 || digest.undelivered > 0 {
            let why = digest.last_error.clone().unwrap_or_default();
            self.failure(&format!(
                "{} event(s) not delivered: {why}",
                digest.failed + digest.undelivered
            ));
        }
        self.stats.digest = digest;
        self.publish();
    }

    async fn flush(&mut self) {
        self.report_repeats();
        let digest = self.digest.flush().await;
        self.record_digest(digest);
    }

    async fn close(&mut self, rx: &mut mpsc::Receiver<Record>) {
        rx.close();
        self.drain(rx);
        self.report_repeats();
        let digest = self.digest.clone().close().await;
        self.record_digest(digest);
    }

    fn snapshot(&self) -> AlertStats {
        self.stats.clone()
    }

    fn publish(&self) {
        *self.shared.lock().unwrap_or_else(|e| e.into_inner()) = self.stats.clone();
    }

    /// Reports the first delivery failure: to the hook, else to stderr. Never through
    /// `tracing`.
    fn failure(&mut self, what: &str) {
        if self.failure_reported {
            return;
        }
        self.failure_reported = true;
        match &self.settings.on_failure {
            Some(hook) => hook(what),
            None => eprintln!(
                "dingbot tracing: delivery failed: {what} (further failures are counted in Guard::stats)"
            ),
        }
    }
}
