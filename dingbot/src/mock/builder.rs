//! [`MockServerBuilder`]: the emulated robot's settings, and starting it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};

use super::errmsg::ErrmsgStyle;
use super::rules::{Config, RateLimit};
use super::server::{Shared, serve};
use super::{Inner, MockServer};
use crate::clock::Clock;
use crate::dingtalk;
use crate::error::Error;
use crate::rate::Rate;

/// The access token the emulator accepts unless [`MockServerBuilder::token`] sets another.
pub const DEFAULT_TOKEN: &str = "6d6f636b2d746f6b656e2d6e6f742d612d7265616c2d64696e6774616c6b2d31";

/// DingTalk lets a robot have at most this many keywords.
pub const MAX_KEYWORDS: usize = dingtalk::MAX_KEYWORDS;

/// Longer throttles are cut to this, so that `Instant` arithmetic cannot overflow.
const MAX_THROTTLE: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// Settings for a [`MockServer`]: which token it accepts and which of DingTalk's security
/// settings and limits it enforces. Made by [`MockServer::builder`].
///
/// By default the emulated robot has no security setting (DingTalk requires one, but a
/// test may not care), allows 20 messages per 60 seconds, throttles for 10 minutes
/// beyond that, lives by the system clock and answers [`ErrmsgStyle::Legacy`] texts.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use dingbot::clock::Clock;
/// use dingbot::mock::{ErrmsgStyle, MockServer};
/// use dingbot::{Robot, Text};
///
/// let clock = Clock::manual();
/// let server = MockServer::builder()
///     .token("ops-alerts")
///     .secret("SEC0123456789abcdef")
///     .keyword("告警")
///     .rate_limit(dingbot::Rate::new(20, Duration::from_secs(60)))
///     .throttle_for(Duration::from_secs(600))
///     .clock(clock.clone())
///     .errmsg_style(ErrmsgStyle::Current)
///     .start()
///     .await?;
///
/// let robot = Robot::builder(&server.webhook_url())
///     .secret("SEC0123456789abcdef")
///     .clock(clock.clone())
///     .build()?;
/// robot.send(&Text::new("告警: disk full")).await?;
///
/// let err = robot.send(&Text::new("no keyword here")).await.unwrap_err();
/// assert!(matches!(err, dingbot::Error::KeywordsMissing { .. }));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until `start` is called"]
pub struct MockServerBuilder {
    token: String,
    secret: Option<String>,
    keywords: Vec<String>,
    allowed_ips: Vec<IpAddr>,
    rate_limit: Option<RateLimit>,
    throttle_for: Duration,
    clock: Clock,
    style: ErrmsgStyle,
    listen: SocketAddr,
    preview: bool,
}

impl fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("token", &"***")
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("keywords", &self.keywords)
            .field("allowed_ips", &self.allowed_ips)
            .field("rate_limit", &self.rate_limit.map(|r| (r.max, r.per)))
            .field("throttle_for", &self.throttle_for)
            .field("clock", &self.clock)
            .field("errmsg_style", &self.style)
            .field("listen", &self.listen)
            .field("preview", &self.preview)
            .finish()
    }
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            token: DEFAULT_TOKEN.to_owned(),
            secret: None,
            keywords: Vec::new(),
            allowed_ips: Vec::new(),
            rate_limit: Some(RateLimit {
                max: dingtalk::RATE_LIMIT as u32,
                per: dingtalk::RATE_WINDOW,
            }),
            throttle_for: dingtalk::THROTTLE,
            clock: Clock::system(),
            style: ErrmsgStyle::default(),
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            preview: false,
        }
    }
}

impl MockServerBuilder {
    /// The access token the robot accepts (default [`DEFAULT_TOKEN`]). Letters, digits,
    /// `-`, `_` and `.` only.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Requires requests signed with this secret (DingTalk's 加签 setting).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Requires messages to contain at least one of the keywords (DingTalk's 自定义关键词
    /// setting). Adds to the keywords set before; at most [`MAX_KEYWORDS`].
    pub fn keyword(mut self, keyword: impl Into<String>) -> Self {
        self.keywords.push(keyword.into());
        self
    }

    /// [`keyword`](Self::keyword) for each of `keywords`.
    pub fn keywords<I, S>(mut self, keywords: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.keywords.extend(keywords.into_iter().map(Into::into));
        self
    }

    /// Accepts requests from this address only (DingTalk's IP 地址(段) setting); may be
    /// called several times. Requests to the emulator come from `127.0.0.1`, so allowing
    /// any other address makes them fail.
    pub fn allow_ip(mut self, ip: IpAddr) -> Self {
        self.allowed_ips.push(ip);
        self
    }

    /// [`allow_ip`](Self::allow_ip) for each of `ips`.
    pub fn allow_ips(mut self, ips: impl IntoIterator<Item = IpAddr>) -> Self {
        self.allowed_ips.extend(ips);
        self
    }

    /// Accepts at most `rate` messages in any window (default [`Rate::DINGTALK`],
    /// 20 per 60 s); the next one is answered errcode 130101 and throttles the robot.
    /// The same [`Rate`] a robot paces at, so a test scales both with one value:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), dingbot::Error> {
    /// use std::time::Duration;
    /// use dingbot::{Rate, Robot, mock::MockServer};
    ///
    /// let fast = Rate::new(20, Duration::from_secs(3));
    /// let server = MockServer::builder().rate_limit(fast).start().await?;
    /// let robot = Robot::builder(server.webhook_url()).rate_limit(fast).build()?;
    /// # drop(robot);
    /// # Ok(()) }
    /// ```
    pub fn rate_limit(mut self, rate: Rate) -> Self {
        self.rate_limit = Some(RateLimit {
            max: rate.limit(),
            per: rate.per(),
        });
        self
    }

    /// Switches the rate limit off (for throughput benchmarks).
    /// [`MockServer::throttle_now`] still throttles.
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// How long the robot stays throttled after exceeding the rate (default 10 minutes).
    pub fn throttle_for(mut self, duration: Duration) -> Self {
        self.throttle_for = duration;
        self
    }

    /// The clock every time rule uses: rate window, throttle, timestamp validity
    /// (default [`Clock::system`]). Share a [`Clock::manual`] with the robot under test
    /// to make minutes pass in milliseconds.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Which `errmsg` texts to answer with (default [`ErrmsgStyle::Legacy`]).
    pub fn errmsg_style(mut self, style: ErrmsgStyle) -> Self {
        self.style = style;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`: loopback, a free port). Port 0
    /// picks a free port; [`MockServer::addr`] tells which. Listening beyond loopback
    /// (`0.0.0.0:8080`, say) lets other machines and containers reach the emulator.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Serves the preview page at `/` (default off): every request in arrival order,
    /// shown as a DingTalk group shows it, updated live, with the reason for each
    /// rejection and a box to render any pasted payload. [`MockServer::preview_url`]
    /// is its address.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), dingbot::Error> {
    /// use dingbot::mock::MockServer;
    ///
    /// let server = MockServer::builder().preview(true).start().await?;
    /// println!("open {} in a browser", server.preview_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn preview(mut self, on: bool) -> Self {
        self.preview = on;
        self
    }

    /// Checks the settings as [`start`](Self::start) does, without starting anything:
    /// an error here is a setting to change, not a failure of the machine.
    ///
    /// ```
    /// use dingbot::mock::MockServer;
    ///
    /// assert!(MockServer::builder().keyword("deploy").check().is_ok());
    /// assert!(MockServer::builder().keyword(" ").check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        self.clone().into_config().map(drop)
    }

    /// Starts the emulator, on `127.0.0.1` at a free port unless
    /// [`listen`](Self::listen) says otherwise.
    ///
    /// It serves from a thread of its own with its own runtime, so it works whatever
    /// runtime the caller has: multi-thread or current-thread, with or without IO and
    /// timers enabled, time paused or not.
    ///
    /// Errors ([`Error::Mock`]) for invalid settings (more than [`MAX_KEYWORDS`]
    /// keywords, an empty keyword, token or secret, a token with characters a URL would
    /// need to escape, a zero rate limit), or when the address cannot be bound.
    pub async fn start(self) -> Result<MockServer, Error> {
        let (ready_tx, ready) = oneshot::channel();
        let server = self.spawn(move |result| {
            let _ = ready_tx.send(result);
        })?;
        match ready.await {
            Ok(Ok(())) => Ok(server),
            Ok(Err(message)) => Err(mock_error(message)),
            Err(_) => Err(mock_error("the server thread ended before it was ready")),
        }
    }

    /// [`start`](Self::start) for blocking code (and for tests that block the thread
    /// they run on): no `.await`, no runtime needed.
    pub fn start_blocking(self) -> Result<MockServer, Error> {
        let (ready_tx, ready) = std::sync::mpsc::sync_channel(1);
        let server = self.spawn(move |result| {
            let _ = ready_tx.send(result);
        })?;
        match ready.recv() {
            Ok(Ok(())) => Ok(server),
            Ok(Err(message)) => Err(mock_error(message)),
            Err(_) => Err(mock_error("the server thread ended before it was ready")),
        }
    }

    /// Binds the port and starts the serving thread, which calls `ready` once it serves
    /// (or could not).
    fn spawn(
        self,
        ready: impl FnOnce(Result<(), String>) + Send + 'static,
    ) -> Result<MockServer, Error> {
        let listen = self.listen;
        let config = self.into_config()?;
        let std_listener = bind(listen)?;
        let addr = std_listener
            .local_addr()
            .map_err(|e| mock_error(format!("cannot read the bound address: {e}")))?;
        let (server, shared, shutdown, stopped) = MockServer::assemble(config, addr);
        std::thread::Builder::new()
            .name(format!("dingbot-mock-{}", addr.port()))
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        ready(Err(format!("cannot build a runtime: {e}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match TcpListener::from_std(std_listener) {
                        Ok(listener) => {
                            ready(Ok(()));
                            serve(listener, shared, shutdown, stopped).await;
                        }
                        Err(e) => {
                            ready(Err(format!("cannot listen: {e}")));
                        }
                    }
                });
            })
            .map_err(|e| mock_error(format!("cannot spawn the server thread: {e}")))?;
        Ok(server)
    }

    fn into_config(self) -> Result<Config, Error> {
        if self.token.is_empty()
            || !self
                .token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(mock_error(
                "the token must be non-empty and contain only letters, digits, `-`, `_` and `.`",
            ));
        }
        if self.secret.as_deref().is_some_and(str::is_empty) {
            return Err(mock_error("the secret is empty"));
        }
        if self.keywords.len() > MAX_KEYWORDS {
            return Err(mock_error(format!(
                "DingTalk allows at most {MAX_KEYWORDS} keywords, {} were given",
                self.keywords.len()
            )));
        }
        if self.keywords.iter().any(|k| k.trim().is_empty()) {
            return Err(mock_error("a keyword is empty"));
        }
        if let Some(rate) = self.rate_limit {
            if rate.max == 0 || rate.per.is_zero() {
                return Err(mock_error(
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
            preview: self.preview,
        })
    }
}

impl MockServer {
    /// The handle, and what the serving loop needs.
    fn assemble(
        config: Config,
        addr: SocketAddr,
    ) -> (
        MockServer,
        Arc<Shared>,
        watch::Receiver<bool>,
        watch::Sender<bool>,
    ) {
        let shared = Arc::new(Shared::new(config, addr));
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

fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, Error> {
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        mock_error(format!(
            "cannot listen on {addr}: {e} (pick another address or port; port 0 picks a free one)"
        ))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| mock_error(format!("cannot make the socket non-blocking: {e}")))?;
    Ok(listener)
}

fn mock_error(message: impl Into<String>) -> Error {
    Error::Mock {
        message: message.into(),
    }
}
