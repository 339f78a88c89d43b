//! Starting an emulator: the settings checked, the port bound, the serving thread
//! spawned.

use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};

use super::builder::{AppRoutes, MAX_KEYWORDS, MockServerBuilder};
use super::error::MockError;
use super::handle::{Inner, MockServer};
use super::limits::Limits;
use super::rules::Config;
use super::server::serve;
use super::shared::{Fallback, Shared};

/// Longer throttles are cut to this, so that `Instant` arithmetic cannot overflow.
const MAX_THROTTLE: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

impl MockServer {
    /// Starts an emulator with the default settings ([`MockServerBuilder`]) on the current
    /// tokio runtime.
    pub async fn start() -> Result<MockServer, MockError> {
        MockServer::builder().start().await
    }

    /// Starts an emulator with the default settings on a background thread with its own
    /// runtime ([`MockServerBuilder::start_blocking`]).
    pub fn start_blocking() -> Result<MockServer, MockError> {
        MockServer::builder().start_blocking()
    }
}

impl MockServerBuilder {
    /// Checks the settings as [`start`](Self::start) does, without starting anything:
    /// an error here is a setting to change, not a failure of the machine.
    ///
    /// ```
    /// use dingbot::mock::MockServer;
    ///
    /// assert!(MockServer::builder().keyword("deploy").check().is_ok());
    /// assert!(MockServer::builder().keyword(" ").check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), MockError> {
        self.checked_limits()?;
        self.clone().into_config().map(drop)
    }

    /// Starts the emulator, on `127.0.0.1` at a free port unless
    /// [`listen`](Self::listen) says otherwise.
    ///
    /// It serves from a thread of its own with its own runtime, so it works whatever
    /// runtime the caller has: multi-thread or current-thread, with or without IO and
    /// timers enabled, time paused or not.
    ///
    /// Errors with [`MockError::InvalidSetting`] for invalid settings (more than
    /// [`MAX_KEYWORDS`] keywords, an empty keyword, token or secret, a token with
    /// characters a URL would need to escape, a zero rate limit), [`MockError::Listen`]
    /// when the address cannot be bound.
    pub async fn start(self) -> Result<MockServer, MockError> {
        let (ready_tx, ready) = oneshot::channel();
        let server = self.spawn(move |result| {
            let _ = ready_tx.send(result);
        })?;
        match ready.await {
            Ok(result) => result.map(|()| server),
            Err(_) => Err(MockError::ThreadEnded),
        }
    }

    /// [`start`](Self::start) for blocking code (and for tests that block the thread
    /// they run on): no `.await`, no runtime needed.
    pub fn start_blocking(self) -> Result<MockServer, MockError> {
        let (ready_tx, ready) = std::sync::mpsc::sync_channel(1);
        let server = self.spawn(move |result| {
            let _ = ready_tx.send(result);
        })?;
        match ready.recv() {
            Ok(result) => result.map(|()| server),
            Err(_) => Err(MockError::ThreadEnded),
        }
    }

    /// Binds the port and starts the serving thread, which calls `ready` once it serves
    /// (or could not).
    fn spawn(
        self,
        ready: impl FnOnce(Result<(), MockError>) + Send + 'static,
    ) -> Result<MockServer, MockError> {
        let listen = self.listen;
        let app_routes = self.fallback.clone();
        let limits = self.checked_limits()?;
        let app = self.app.clone();
        let stream = self.stream.clone().map(super::stream::Hub::new);
        let config = self.into_config()?;
        let std_listener = bind(listen)?;
        let addr = std_listener
            .local_addr()
            .map_err(|e| MockError::system("cannot read the bound address", e))?;
        let (server, shared, shutdown, stopped) =
            MockServer::assemble(config, limits, addr, stream);
        if let Some(app) = app {
            let _ = shared.openapi.set(super::openapi::Emulator::new(app));
        }
        let fallback = app_routes.map(|routes| bind_routes(routes, Arc::downgrade(&server.inner)));
        std::thread::Builder::new()
            .name(format!("dingbot-mock-{}", addr.port()))
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        ready(Err(MockError::system("cannot build a runtime", e)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match TcpListener::from_std(std_listener) {
                        Ok(listener) => {
                            ready(Ok(()));
                            serve(listener, shared, fallback, shutdown, stopped).await;
                        }
                        Err(e) => {
                            ready(Err(MockError::system("cannot listen", e)));
                        }
                    }
                });
            })
            .map_err(|e| MockError::system("cannot spawn the server thread", e))?;
        Ok(server)
    }

    /// The bounds, checked: none may be zero.
    fn checked_limits(&self) -> Result<Limits, MockError> {
        let limits = self.limits;
        if limits.keep == 0 {
            return Err(MockError::setting(
                "keep must be at least 1: the emulator's log and preview read the requests it keeps",
            ));
        }
        if limits.max_connections == 0 {
            return Err(MockError::setting("max_connections must be at least 1"));
        }
        if limits.header_read_timeout.is_zero() || limits.idle_timeout.is_zero() {
            return Err(MockError::setting(
                "the header-read and idle timeouts must be above zero",
            ));
        }
        Ok(limits)
    }

    fn into_config(self) -> Result<Config, MockError> {
        if let Some(app) = &self.app {
            app.check()?;
        }
        if self.token.is_empty()
            || !self
                .token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(MockError::setting(
                "the token must be non-empty and contain only letters, digits, `-`, `_` and `.`",
            ));
        }
        if self.secret.as_deref().is_some_and(str::is_empty) {
            return Err(MockError::setting("the secret is empty"));
        }
        if self.keywords.len() > MAX_KEYWORDS {
            return Err(MockError::setting(format!(
                "DingTalk allows at most {MAX_KEYWORDS} keywords, {} were given",
                self.keywords.len()
            )));
        }
        if self.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err(MockError::setting("a keyword is empty"));
        }
        if let Some(rate) = self.rate_limit {
            if rate.limit() == 0 || rate.per().is_zero() {
                return Err(MockError::setting(
                    "the rate limit must allow at least one message in a non-zero window; \
                     use no_rate_limit() to switch it off",
                ));
            }
        }
        Ok(Config {
            token: self.token,
            secret: self.secret,
            keywords: self.keywords,
            allowed_ips: self.allowed_ips,
            rate_limit: self.rate_limit,
            throttle_for: self.throttle_for.min(MAX_THROTTLE),
            clock: self.clock,
            style: self.style,
        })
    }
}

impl MockServer {
    /// The handle, and what the serving loop needs.
    fn assemble(
        config: Config,
        limits: Limits,
        addr: std::net::SocketAddr,
        stream: Option<super::stream::Hub>,
    ) -> (
        MockServer,
        Arc<Shared>,
        watch::Receiver<bool>,
        watch::Sender<bool>,
    ) {
        let shared = Arc::new(Shared::new(config, limits, addr, stream));
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let (stopped_tx, stopped_rx) = watch::channel(false);
        let server = MockServer {
            inner: Arc::new(Inner {
                shared: Arc::clone(&shared),
                shutdown: shutdown_tx,
                stopped: stopped_rx,
            }),
        };
        (server, shared, shutdown_rx, stopped_tx)
    }
}

/// The application's routes bound to the server they serve beside. They hold it weakly:
/// the serving tasks must not keep the emulator alive once the last handle is dropped.
fn bind_routes(routes: AppRoutes, server: Weak<Inner>) -> Fallback {
    Arc::new(move |request| {
        let server = MockServer {
            inner: server.upgrade()?,
        };
        routes(&server, request)
    })
}

fn bind(addr: std::net::SocketAddr) -> Result<std::net::TcpListener, MockError> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| MockError::Listen { addr, source })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| MockError::system("cannot make the socket non-blocking", e))?;
    Ok(listener)
}
