//! Keeping connections in bounds: what each one is doing and since when
//! ([`Activity`]), the socket that tells it ([`Tracked`]), and the open connections,
//! of which the one that has waited longest for a request is closed to make room
//! ([`Connections`]).
//!
//! A connection waits for a request's first byte at most the idle timeout (a new one
//! too), for the rest of its head at most the header-read timeout, and for each next
//! piece of its body at most the idle timeout again; while the emulator answers (an
//! injected delay, say), nothing is timed. The times are real ones, never the
//! emulator's [`Clock`](crate::clock::Clock): a manual clock must not close sockets.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

use super::limits::Limits;

/// What a connection is doing.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Waiting for the first byte of a request, since then (new, or kept alive).
    Idle(Instant),
    /// A request's head is arriving; its first byte came then.
    Head(Instant),
    /// A request's body is arriving; its last byte came then.
    Body(Instant),
    /// The request is read; the emulator is answering it.
    Answering,
}

/// One connection's phase, told by its socket and its requests, read by its watchdog
/// and by [`Connections::make_room`].
#[derive(Debug)]
pub(crate) struct Activity {
    phase: Mutex<Phase>,
    /// Set when the connection is to be closed to make room for another.
    evicted: AtomicBool,
    /// Woken when the deadline may have moved earlier, or on eviction.
    changed: Notify,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            phase: Mutex::new(Phase::Idle(Instant::now())),
            evicted: AtomicBool::new(false),
            changed: Notify::new(),
        }
    }

    fn with_phase<T>(&self, f: impl FnOnce(&mut Phase) -> T) -> T {
        f(&mut self.phase.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Bytes arrived.
    fn read(&self) {
        let started = self.with_phase(|phase| match *phase {
            Phase::Idle(_) => {
                *phase = Phase::Head(Instant::now());
                true
            }
            Phase::Body(_) => {
                *phase = Phase::Body(Instant::now());
                false
            }
            Phase::Head(_) | Phase::Answering => false,
        });
        if started {
            self.changed.notify_one();
        }
    }

    /// A request's head is read; its body follows.
    pub(crate) fn request_started(&self) {
        self.with_phase(|phase| *phase = Phase::Body(Instant::now()));
        self.changed.notify_one();
    }

    /// The request's body is read; the emulator answers.
    pub(crate) fn body_read(&self) {
        self.with_phase(|phase| *phase = Phase::Answering);
    }

    /// The answer is made; the connection waits for the next request.
    pub(crate) fn answered(&self) {
        self.with_phase(|phase| *phase = Phase::Idle(Instant::now()));
        self.changed.notify_one();
    }

    /// When the connection is to be closed for saying nothing, if it is waiting for it.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        match self.with_phase(|phase| *phase) {
            Phase::Idle(since) | Phase::Body(since) => since.checked_add(limits.idle_timeout),
            Phase::Head(since) => since.checked_add(limits.header_read_timeout),
            Phase::Answering => None,
        }
    }

    /// Since when the connection has waited for a request, if it is: idle, or with a
    /// head only partly sent.
    fn waiting_since(&self) -> Option<Instant> {
        match self.with_phase(|phase| *phase) {
            Phase::Idle(since) | Phase::Head(since) => Some(since),
            Phase::Body(_) | Phase::Answering => None,
        }
    }

    fn evict(&self) {
        self.evicted.store(true, Ordering::Relaxed);
        self.changed.notify_one();
    }

    fn is_evicted(&self) -> bool {
        self.evicted.load(Ordering::Relaxed)
    }

    /// Resolves when the connection is to be closed: it has said nothing for too long,
    /// or it was evicted to make room. Checked again whenever it may have changed, and
    /// at least once a minute.
    pub(crate) async fn expired(&self, limits: &Limits) {
        const RECHECK: Duration = Duration::from_secs(60);
        loop {
            if self.is_evicted() {
                return;
            }
            let now = Instant::now();
            let wait = match self.deadline(limits) {
                Some(deadline) if deadline <= now => return,
                Some(deadline) => (deadline - now).min(RECHECK),
                None => RECHECK,
            };
            tokio::select! {
                () = self.changed.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// A connection's socket, telling its [`Activity`] when bytes arrive.
pub(crate) struct Tracked<S> {
    stream: S,
    activity: Arc<Activity>,
}

impl<S> Tracked<S> {
    pub(crate) fn new(stream: S, activity: Arc<Activity>) -> Tracked<S> {
        Tracked { stream, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.read();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The open connections, as the accepting loop sees them.
#[derive(Default)]
pub(crate) struct Connections {
    /// Gone once the connection's task ends.
    open: Vec<Weak<Activity>>,
}

impl Connections {
    /// A new connection's activity, counted as open until it is dropped.
    pub(crate) fn add(&mut self) -> Arc<Activity> {
        let activity = Arc::new(Activity::new());
        self.open.push(Arc::downgrade(&activity));
        activity
    }

    /// The connections open and not being closed to make room.
    fn live(&mut self) -> impl Iterator<Item = Arc<Activity>> + '_ {
        self.open.retain(|weak| weak.strong_count() > 0);
        self.open
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|activity| !activity.is_evicted())
    }

    /// How many connections are open (and not being closed).
    pub(crate) fn count(&mut self) -> usize {
        self.live().count()
    }

    /// Whether a connection waits for a request and could be closed to make room.
    pub(crate) fn any_waiting(&mut self) -> bool {
        self.live()
            .any(|activity| activity.waiting_since().is_some())
    }

    /// Closes the connection that has waited longest for a request (idle, or with a
    /// head half sent) to make room for a new one; `false` when every one is in the
    /// middle of a request.
    pub(crate) fn make_room(&mut self) -> bool {
        let longest = self
            .live()
            .filter_map(|activity| activity.waiting_since().map(|since| (since, activity)))
            .min_by_key(|(since, _)| *since);
        match longest {
            Some((_, activity)) => {
                activity.evict();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_waiting_connection_makes_room_and_busy_ones_never_do() {
        let mut connections = Connections::default();
        let first = connections.add();
        let second = connections.add();
        second.read();
        second.request_started();
        assert_eq!(connections.count(), 2);
        assert!(connections.make_room());
        assert!(first.is_evicted() && !second.is_evicted());
        assert_eq!(connections.count(), 1);
        assert!(
            !connections.any_waiting(),
            "the other one is reading a body"
        );
        assert!(!connections.make_room());
        drop(first);
        second.body_read();
        second.answered();
        assert!(connections.any_waiting());
    }

    #[tokio::test]
    async fn a_head_is_timed_from_its_first_byte_and_nothing_while_answering() {
        let limits = Limits {
            header_read_timeout: Duration::from_millis(20),
            idle_timeout: Duration::from_secs(3600),
            ..Limits::default()
        };
        let activity = Activity::new();
        assert!(activity.deadline(&limits).unwrap() > Instant::now() + Duration::from_secs(60));
        activity.read();
        tokio::time::timeout(Duration::from_secs(5), activity.expired(&limits))
            .await
            .expect("the head timed out");
        activity.request_started();
        activity.body_read();
        assert_eq!(activity.deadline(&limits), None);
    }
}
