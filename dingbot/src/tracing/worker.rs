//! The worker thread: its own current-thread Tokio runtime and a [`Digest`], taking
//! records from the queue, counting identical events, pushing messages, and answering
//! the [`Guard`].

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::guard::{AlertStats, Control, Guard};
use super::queue::{Counters, Queue, mark_worker_thread};
use super::record::{Record, Settings};
use super::render::{self, Counts};
use super::repeats::Repeats;
use crate::client::Robot;
use crate::digest::{Digest, DigestStats};

/// How often the worker looks at its digest: to send the counts of repeated events when
/// the digest has nothing held, and to notice failures.
const TICK: Duration = Duration::from_millis(200);
/// How long a quiet kind of event is remembered: after it, the same event is sent at
/// once again rather than counted.
const FORGET_AFTER: Duration = Duration::from_secs(120);
/// The most kinds of event counted at once; past it, their counts are sent and the
/// kinds forgotten.
const MAX_GROUPS: usize = 1_024;

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

/// Identical events: the one to render, how many wait to be reported, and the values
/// those carried.
struct Group {
    latest: Record,
    pending: u64,
    values: Repeats,
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
            group.values.add(&record.fields);
            group.latest = record;
            group.last_seen = now;
            self.stats.counted += 1;
            return;
        }
        if self.groups.len() >= MAX_GROUPS {
            self.report_repeats();
            self.groups.clear();
        }
        self.push(&record, 1, None);
        self.groups.insert(
            key,
            Group {
                latest: record,
                pending: 0,
                values: Repeats::default(),
                last_seen: now,
            },
        );
    }

    fn push(&mut self, record: &Record, occurrences: u64, repeats: Option<&Repeats>) {
        let dropped = self.counters.unreported_drops.swap(0, Ordering::Relaxed);
        let msg = render::message(
            &self.settings,
            record,
            Counts {
                occurrences,
                dropped,
            },
            repeats,
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
        let mut repeated: Vec<(u64, Record, Repeats)> = Vec::new();
        for group in self.groups.values_mut() {
            if group.pending > 0 {
                let pending = std::mem::take(&mut group.pending);
                let values = std::mem::take(&mut group.values);
                repeated.push((pending, group.latest.clone(), values));
            }
        }
        for (pending, record, values) in &repeated {
            self.push(record, *pending, Some(values));
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
