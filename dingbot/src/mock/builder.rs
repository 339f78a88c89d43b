//! [`MockServerBuilder`]: the emulated robot's settings, and the application's routes
//! beside it. Starting it is in `start.rs`.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};

use super::errmsg::ErrmsgStyle;
use super::handle::MockServer;
use super::limits::Limits;
use super::stream::StreamApp;
use crate::clock::Clock;
use crate::dingtalk;
use crate::rate::Rate;

/// The access token the emulator accepts unless [`MockServerBuilder::token`] sets another.
pub const DEFAULT_TOKEN: &str = "6d6f636b2d746f6b656e2d6e6f742d612d7265616c2d64696e6774616c6b2d31";

/// DingTalk lets a robot have at most this many keywords.
pub const MAX_KEYWORDS: usize = dingtalk::MAX_KEYWORDS;

/// The application's routes as the builder keeps them
/// ([`MockServerBuilder::fallback`]).
pub(super) type AppRoutes =
    Arc<dyn Fn(&MockServer, &Request<Bytes>) -> Option<Response<Bytes>> + Send + Sync>;

/// Settings for a [`MockServer`]: which token it accepts and which of DingTalk's security
/// settings and limits it enforces. Made by [`MockServer::builder`].
///
/// By default the emulated robot has no security setting (DingTalk requires one, but a
/// test may not care), allows 20 messages per 60 seconds, throttles for 10 minutes
/// beyond that, lives by the system clock and answers [`ErrmsgStyle::Legacy`] texts.
///
/// The emulator itself stays bounded however long it runs and whatever it is sent: it
/// keeps the last [`keep`](Self::keep) requests (1,000), each with at most
/// [`MAX_RECORDED_BODY`](super::MAX_RECORDED_BODY) of its body; it closes a connection
/// whose request head takes longer than [`header_read_timeout`](Self::header_read_timeout)
/// (10 s) or that says nothing for [`idle_timeout`](Self::idle_timeout) (60 s); and it
/// serves at most [`max_connections`](Self::max_connections) at once (256).
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
    pub(super) token: String,
    pub(super) secret: Option<String>,
    pub(super) keywords: Vec<String>,
    pub(super) allowed_ips: Vec<IpAddr>,
    pub(super) rate_limit: Option<Rate>,
    pub(super) throttle_for: Duration,
    pub(super) clock: Clock,
    pub(super) style: ErrmsgStyle,
    pub(super) listen: SocketAddr,
    pub(super) fallback: Option<AppRoutes>,
    pub(super) limits: Limits,
    pub(super) app: Option<super::openapi::AppSettings>,
    pub(super) stream: Option<StreamApp>,
}

impl fmt::Debug for MockServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("token", &"***")
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("keywords", &self.keywords)
            .field("allowed_ips", &self.allowed_ips)
            .field("rate_limit", &self.rate_limit)
            .field("throttle_for", &self.throttle_for)
            .field("clock", &self.clock)
            .field("errmsg_style", &self.style)
            .field("listen", &self.listen)
            .field("fallback", &self.fallback.is_some())
            .field("keep", &self.limits.keep)
            .field("header_read_timeout", &self.limits.header_read_timeout)
            .field("idle_timeout", &self.limits.idle_timeout)
            .field("max_connections", &self.limits.max_connections)
            .field(
                "app",
                &self
                    .app
                    .as_ref()
                    .map(|a| (&a.app_key, "***", &a.robot_code)),
            )
            .field(
                "stream_app",
                &self.stream.as_ref().map(|app| &app.client_id),
            )
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
            rate_limit: Some(Rate::DINGTALK),
            throttle_for: dingtalk::THROTTLE,
            clock: Clock::system(),
            style: ErrmsgStyle::default(),
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            fallback: None,
            limits: Limits::default(),
            app: None,
            stream: None,
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
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
        self.rate_limit = Some(rate);
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

    /// Lets the application serve routes of its own on the emulator's port: `handler` is
    /// asked about every request to a path other than the robot's endpoint
    /// (`/robot/send`), before the emulator answers 404. What it answers (`Some`) is sent
    /// as it is and not recorded as a request to the robot; `None` leaves the request to
    /// the emulator, which records it and answers 404, as DingTalk does. The robot's
    /// endpoint and its rules stay as they are. A second call replaces the handler.
    ///
    /// The handler gets a handle to the server (its [`requests`](MockServer::requests),
    /// [`check`](MockServer::check), settings) and the request, its body read whole (up
    /// to its first MiB). It runs on the emulator's thread while the request waits:
    /// answer at once. Do not keep the handle beyond the call: a handle keeps the
    /// emulator running.
    ///
    /// A plain function of the `http` crate's types rather than a router: the emulator
    /// serves connections with hyper itself and needs no web framework, the application
    /// builds its answers with whatever it likes, and one address serves both the robot
    /// and the application's pages. `dingbot mock --ui` serves its preview page this way.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use bytes::Bytes;
    /// use dingbot::mock::MockServer;
    /// # // reqwest here has no TLS provider of its own (dingbot brings ring, not a default).
    /// # let _ = rustls::crypto::ring::default_provider().install_default();
    ///
    /// let server = MockServer::builder()
    ///     .fallback(|server, request| {
    ///         (request.uri().path() == "/count").then(|| {
    ///             http::Response::new(Bytes::from(server.requests().len().to_string()))
    ///         })
    ///     })
    ///     .start()
    ///     .await?;
    /// let count = reqwest::get(format!("{}count", server.base_url())).await?;
    /// assert_eq!(count.text().await?, "0");
    /// let other = reqwest::get(format!("{}other", server.base_url())).await?;
    /// assert_eq!(other.status(), 404);
    /// assert_eq!(server.requests().len(), 1, "only the 404 is a request to the robot");
    /// # Ok(())
    /// # }
    /// ```
    pub fn fallback<F>(mut self, handler: F) -> Self
    where
        F: Fn(&MockServer, &Request<Bytes>) -> Option<Response<Bytes>> + Send + Sync + 'static,
    {
        self.fallback = Some(Arc::new(handler));
        self
    }
}

impl MockServerBuilder {
    /// How many requests the emulator keeps (default [`DEFAULT_KEEP`](super::DEFAULT_KEEP),
    /// 1,000; at least 1): a ring of the last `n`, on any path, accepted or not. Each new
    /// one beyond that drops the oldest, which [`MockServer::dropped`] counts. The
    /// accepted messages of [`MockServer::received`] are the last `n` too.
    pub fn keep(mut self, n: usize) -> Self {
        self.limits.keep = n;
        self
    }

    /// How long a request's head may take to arrive, from its first byte (default 10 s):
    /// a connection with a request line or headers still incomplete by then is closed
    /// without an answer.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout;
        self
    }

    /// How long a connection may send nothing while the emulator waits for it (default
    /// 60 s): an idle kept-alive connection (a new one too) before its next request, or
    /// a request whose body stalls. It is then closed. Nothing is timed while the
    /// emulator answers (an injected [`Fault::Delay`](super::Fault::Delay) included).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// How many connections the emulator serves at once (default 256; at least 1).
    /// Beyond that — and whenever the process runs out of file descriptors — the
    /// connection that has waited longest for a request (idle, or with its head half
    /// sent) is closed to make room for the new one; when every connection is in the
    /// middle of a request, new ones wait, unaccepted, until one ends.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.limits.max_connections = n;
        self
    }
}

/// The app robot in Stream mode, the peer of a Stream client.
impl MockServerBuilder {
    /// Serves, on the same port, an app robot in Stream mode with this client id
    /// (`AppKey`) and secret: `POST /v1.0/gateway/connections/open` (single-use tickets,
    /// valid 90 s), the WebSocket at `/connect`, the session webhooks
    /// (`/robot/sendBySession?session=…`), `POST /mock/say` and the faults `POST
    /// /mock/stream/drop`, `/mock/stream/disconnect`, `/mock/stream/mute`.
    pub fn stream_app(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        let previous = self.stream.take();
        self.stream = Some(StreamApp {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            ..previous.unwrap_or_else(default_stream_app)
        });
        self
    }

    /// How often a Stream socket gets a `ping` frame (default 30 s); applies once
    /// [`stream_app`](Self::stream_app) is set.
    pub fn stream_ping_every(mut self, every: Duration) -> Self {
        let app = self.stream.get_or_insert_with(default_stream_app);
        app.ping_every = every.max(Duration::from_millis(10));
        self
    }

    /// Posts what is said ([`MockServer::say`](crate::mock::MockServer::say), `POST
    /// /mock/say`) to `url` as DingTalk's Outgoing callback instead of a Stream frame:
    /// the same robot-message JSON, with the headers `timestamp` and `sign`
    /// (base64 HMAC-SHA256 of `timestamp + "\n" + appSecret` with the app's secret), as
    /// an app robot in HTTP mode receives it. The app replies through the message's
    /// session webhook, recorded like every request. Needs the app's secret
    /// ([`stream_app`](Self::stream_app) or [`app`](Self::app)).
    pub fn outgoing(mut self, url: impl Into<String>) -> Self {
        self.stream.get_or_insert_with(default_stream_app).outgoing = Some(url.into());
        self
    }

    /// How long a session webhook works after the message (default 90 minutes).
    pub fn stream_session_ttl(mut self, ttl: Duration) -> Self {
        self.stream
            .get_or_insert_with(default_stream_app)
            .session_ttl = ttl;
        self
    }
}

fn default_stream_app() -> StreamApp {
    StreamApp {
        client_id: String::new(),
        client_secret: String::new(),
        ping_every: Duration::from_secs(30),
        ticket_ttl: Duration::from_secs(90),
        session_ttl: Duration::from_secs(90 * 60),
        outgoing: None,
    }
}

impl MockServer {
    /// Settings for an emulator: token, security settings, limits, clock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }
}
