//! What the Stream routes and sockets share.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

/// The most tickets, sessions and unacknowledged messages kept (the oldest go first).
const MAX_KEPT: usize = 10_000;

/// The app's settings.
#[derive(Clone, Debug)]
pub(crate) struct StreamApp {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) ping_every: Duration,
    pub(crate) ticket_ttl: Duration,
    pub(crate) session_ttl: Duration,
    /// Where what is said is posted as a signed Outgoing callback, instead of a Stream
    /// frame.
    pub(crate) outgoing: Option<String>,
}

/// What a socket's task is told.
#[derive(Debug)]
pub(crate) enum Command {
    /// Send this frame.
    Send(String),
    /// Close abruptly, without a close frame.
    Drop,
    /// Send the `disconnect` system frame, then close.
    Disconnect,
    /// Stop pinging and reading (acknowledgements included).
    Mute,
}

/// Counters of the Stream side, from
/// [`MockServer::stream_stats`](crate::mock::MockServer::stream_stats).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamStats {
    /// Tickets issued by `/v1.0/gateway/connections/open`.
    pub tickets: u64,
    /// WebSocket connections accepted.
    pub connections: u64,
    /// Sockets open now.
    pub open: usize,
    /// Robot-message frames sent, first deliveries and re-deliveries.
    pub delivered: u64,
    /// Of those, frames sent again on a new connection because they were not
    /// acknowledged.
    pub redelivered: u64,
    /// Robot messages acknowledged.
    pub acked: u64,
    /// Robot messages not acknowledged yet.
    pub pending: usize,
    /// `ping` frames sent.
    pub pings: u64,
    /// `ping` frames answered.
    pub pongs: u64,
}

struct Socket {
    id: u64,
    tx: mpsc::UnboundedSender<Command>,
    muted: bool,
}

#[derive(Default)]
struct State {
    tickets: HashMap<String, Instant>,
    sockets: Vec<Socket>,
    /// Upgrades accepted whose socket is not registered yet.
    reserved: usize,
    next_socket: u64,
    next_pick: usize,
    /// Robot messages sent and not acknowledged: messageId, frame.
    unacked: VecDeque<(String, String)>,
    /// Ping frames not answered yet.
    pings: VecDeque<String>,
    /// Session token → expiry in ms since the epoch.
    sessions: HashMap<String, i64>,
    sessions_order: VecDeque<String>,
    stats: StreamStats,
}

/// The Stream side's state.
pub(crate) struct Hub {
    pub(crate) app: StreamApp,
    state: Mutex<State>,
}

impl Hub {
    pub(crate) fn new(app: StreamApp) -> Hub {
        Hub {
            app,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new single-use ticket.
    pub(crate) fn issue_ticket(&self, now: Instant) -> String {
        let ticket = uuid::Uuid::new_v4().simple().to_string();
        let mut state = self.lock();
        state.tickets.retain(|_, expiry| *expiry > now);
        if state.tickets.len() >= MAX_KEPT {
            state.tickets.clear();
        }
        state
            .tickets
            .insert(ticket.clone(), now + self.app.ticket_ttl);
        state.stats.tickets += 1;
        ticket
    }

    /// Uses a ticket up: whether it was valid.
    pub(crate) fn take_ticket(&self, ticket: &str, now: Instant) -> bool {
        self.lock()
            .tickets
            .remove(ticket)
            .is_some_and(|expiry| expiry > now)
    }

    /// A new socket: its id, its commands, and the frames it must get first (those not
    /// acknowledged on earlier connections).
    pub(crate) fn register(&self) -> (u64, mpsc::UnboundedReceiver<Command>, Vec<String>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut state = self.lock();
        state.reserved = state.reserved.saturating_sub(1);
        state.next_socket += 1;
        let id = state.next_socket;
        state.sockets.push(Socket {
            id,
            tx,
            muted: false,
        });
        state.stats.connections += 1;
        let backlog: Vec<String> = state.unacked.iter().map(|(_, f)| f.clone()).collect();
        state.stats.delivered += backlog.len() as u64;
        state.stats.redelivered += backlog.len() as u64;
        (id, rx, backlog)
    }

    /// Holds a place for a socket about to be upgraded, unless `max` are open or about
    /// to be.
    pub(crate) fn try_reserve(&self, max: usize) -> bool {
        let mut state = self.lock();
        if state.sockets.len() + state.reserved >= max {
            return false;
        }
        state.reserved += 1;
        true
    }

    /// Gives back a place held for an upgrade that did not happen.
    pub(crate) fn release(&self) {
        let mut state = self.lock();
        state.reserved = state.reserved.saturating_sub(1);
    }

    pub(crate) fn unregister(&self, id: u64) {
        self.lock().sockets.retain(|s| s.id != id);
    }

    /// Sends a robot message to one socket (an unmuted one first, in turn); kept until
    /// acknowledged. How many sockets it was sent to (0 or 1).
    pub(crate) fn deliver(&self, message_id: String, frame: String) -> usize {
        let mut state = self.lock();
        if state.unacked.len() >= MAX_KEPT {
            state.unacked.pop_front();
        }
        state.unacked.push_back((message_id, frame.clone()));
        let n = state.sockets.len();
        if n == 0 {
            return 0;
        }
        let start = state.next_pick;
        state.next_pick = state.next_pick.wrapping_add(1);
        let pick = (0..n)
            .map(|i| (start + i) % n)
            .find(|&i| !state.sockets[i].muted)
            .unwrap_or(start % n);
        if state.sockets[pick].tx.send(Command::Send(frame)).is_ok() {
            state.stats.delivered += 1;
            1
        } else {
            0
        }
    }

    /// A frame was acknowledged.
    pub(crate) fn acked(&self, message_id: &str) {
        let mut state = self.lock();
        if let Some(at) = state.unacked.iter().position(|(id, _)| id == message_id) {
            state.unacked.remove(at);
            state.stats.acked += 1;
        } else if let Some(at) = state.pings.iter().position(|id| id == message_id) {
            state.pings.remove(at);
            state.stats.pongs += 1;
        }
    }

    /// A ping was sent.
    pub(crate) fn pinged(&self, message_id: String) {
        let mut state = self.lock();
        if state.pings.len() >= MAX_KEPT {
            state.pings.pop_front();
        }
        state.pings.push_back(message_id);
        state.stats.pings += 1;
    }

    /// Tells every open socket; how many were told.
    pub(crate) fn tell_all(&self, command: fn() -> Command) -> usize {
        let mut state = self.lock();
        let mut told = 0;
        for socket in &mut state.sockets {
            let cmd = command();
            if matches!(cmd, Command::Mute) {
                socket.muted = true;
            }
            if socket.tx.send(cmd).is_ok() {
                told += 1;
            }
        }
        told
    }

    /// A new session webhook token valid until `expiry_ms`.
    pub(crate) fn new_session(&self, expiry_ms: i64) -> String {
        let session = uuid::Uuid::new_v4().simple().to_string();
        let mut state = self.lock();
        if state.sessions_order.len() >= MAX_KEPT {
            if let Some(old) = state.sessions_order.pop_front() {
                state.sessions.remove(&old);
            }
        }
        state.sessions.insert(session.clone(), expiry_ms);
        state.sessions_order.push_back(session.clone());
        session
    }

    /// A session's expiry, if the emulator issued it.
    pub(crate) fn session_expiry(&self, session: &str) -> Option<i64> {
        self.lock().sessions.get(session).copied()
    }

    pub(crate) fn stats(&self) -> StreamStats {
        let state = self.lock();
        StreamStats {
            open: state.sockets.len(),
            pending: state.unacked.len(),
            ..state.stats
        }
    }
}
