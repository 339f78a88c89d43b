//! What the serving tasks and every handle to an emulator share: the settings, the
//! state behind one lock, the signal that wakes subscribers.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use http::{Request, Response};
use tokio::sync::watch;

use super::limits::Limits;
use super::record::RecordedRequest;
use super::rules::Config;
use super::state::State;

/// The robot endpoint's path.
pub(crate) const ENDPOINT_PATH: &str = "/robot/send";

/// The application's routes beside the robot's endpoint
/// ([`MockServerBuilder::fallback`](super::MockServerBuilder::fallback)), bound to the
/// server: asked for every request to another path.
pub(crate) type Fallback = Arc<dyn Fn(&Request<Bytes>) -> Option<Response<Bytes>> + Send + Sync>;

/// What the server and every handle to it share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) limits: Limits,
    pub(crate) addr: SocketAddr,
    /// When the emulator started, on its clock.
    pub(crate) started: Instant,
    state: Mutex<State>,
    /// How many requests were recorded since the start; subscribers wait on it.
    pub(crate) recorded: watch::Sender<u64>,
    /// The app robot's OpenAPI, when the emulator serves one (set once, at start).
    pub(crate) openapi: std::sync::OnceLock<super::openapi::Emulator>,
    /// The app robot in Stream mode, when configured.
    pub(crate) stream: Option<super::stream::Hub>,
}

impl Shared {
    pub(crate) fn new(
        config: Config,
        limits: Limits,
        addr: SocketAddr,
        stream: Option<super::stream::Hub>,
    ) -> Shared {
        Shared {
            started: config.clock.now(),
            config,
            addr,
            state: Mutex::new(State::new(limits.keep)),
            limits,
            recorded: watch::Sender::new(0),
            openapi: std::sync::OnceLock::new(),
            stream,
        }
    }

    /// The state; a panic elsewhere while it was locked does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request and wakes the subscribers.
    pub(crate) fn record(&self, request: RecordedRequest) {
        let total = self.lock().push_request(request);
        self.recorded.send_replace(total);
    }
}

/// Resolves once `shutdown` is true, or once its sender is gone.
pub(crate) async fn shutdown_signal(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}
