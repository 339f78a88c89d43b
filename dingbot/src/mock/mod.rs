//! A local emulator of DingTalk's custom-robot webhook, for tests.
//!
//! [`MockServer`] listens on `127.0.0.1` (by default) and answers `POST /robot/send` the
//! way DingTalk does — HTTP 200 with `{"errcode":N,"errmsg":"..."}` — enforcing what
//! DingTalk enforces, in DingTalk's order:
//!
//! | check | errcode | legacy errmsg |
//! |---|---|---|
//! | method is POST | 43002 | `需要POST请求` |
//! | `access_token` is the robot's | 300001 | `token is not exist` |
//! | peer address on the IP allow-list, if set | 310000 | `ip 127.0.0.1 not in whitelist` |
//! | `timestamp` and `sign` present, timestamp within 1 hour of the server's clock, if a secret is set | 310000 | `invalid timestamp` |
//! | `sign` matches, if a secret is set | 310000 | `sign not match, more: [...]` |
//! | body at most 20000 bytes | 460101 | `message too big` |
//! | body is JSON with a `msgtype` | 40035 | `缺少参数 json`, `缺少参数 msgtype` |
//! | `msgtype` is one a custom robot supports | 400105 | `不支持的消息类型 image` |
//! | required fields present and valid ([`Message::validate`](crate::Message::validate)) | 40035 | `缺少参数 text.content`, `不合法的参数 ...` |
//! | a keyword in the visible text, if keywords are set | 310000 | `keywords not in content, more: [...]` |
//! | not throttled, and at most 20 messages in any 60 s (then throttled for 10 minutes) | 130101 | `send too fast, exceed 20 times per minute` |
//! | `msgUuid` not seen before (else: errcode 0, not posted again) | 0 | `ok` |
//!
//! [`ErrmsgStyle::Current`] answers the newer `description:...;solution:...;link:...`
//! texts instead. Other paths answer HTTP 404. Every time rule reads the server's
//! [`Clock`], so a test with [`Clock::manual`] lives through a 10-minute throttle in
//! milliseconds. [`Fault`]s make it misbehave like an overloaded DingTalk or gateway.
//!
//! [`MockServer::subscribe`] follows the requests as they arrive, each with the reason
//! for a rejection in plain words ([`RecordedRequest::reason`]).
//! [`MockServerBuilder::preview`] serves a page at `/` that shows them live, as a DingTalk
//! group renders them; [`MockServerBuilder::listen`] picks the address. The `dingbot mock`
//! command (feature `cli`) is this emulator as a standalone server.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), dingbot::Error> {
//! use dingbot::mock::MockServer;
//! use dingbot::{Message, Robot, Text};
//!
//! let server = MockServer::start().await?;
//! let robot = Robot::new(&server.webhook_url())?;
//! robot.send(&Text::new("db-1: disk 95% full")).await?;
//!
//! assert_eq!(server.received(), vec![Message::from(Text::new("db-1: disk 95% full"))]);
//! # Ok(())
//! # }
//! ```

mod answer;
mod builder;
mod errmsg;
mod faults;
mod preview;
mod record;
mod rules;
mod server;
mod subscribe;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::watch;

pub use builder::{DEFAULT_TOKEN, MAX_KEYWORDS, MockServerBuilder};
pub use errmsg::ErrmsgStyle;
pub use faults::Fault;
pub use record::RecordedRequest;
pub use subscribe::Subscription;

use crate::clock::Clock;
use crate::error::Error;
use crate::message::Message;
use server::{ENDPOINT_PATH, Shared, shutdown_signal};

/// A local DingTalk robot endpoint: point a [`Robot`](crate::Robot) at
/// [`webhook_url`](Self::webhook_url), then look at what it [`received`](Self::received).
///
/// Cloning is cheap and shares the server. It stops when [`shutdown`](Self::shutdown) is
/// called or the last clone is dropped. `Debug` never shows the token or the secret.
///
/// [`start`](Self::start) runs it on the current tokio runtime;
/// [`start_blocking`](Self::start_blocking) on a thread of its own, for blocking code:
///
/// ```
/// # #[cfg(feature = "blocking")] {
/// use dingbot::mock::MockServer;
/// use dingbot::{Markdown, blocking::Robot};
///
/// let server = MockServer::builder().keyword("deploy").start_blocking()?;
/// let robot = Robot::new(&server.webhook_url())?;
/// robot.send(&Markdown::new("deploy api v42", "**api** v42 is live"))?;
///
/// assert_eq!(server.received().len(), 1);
/// assert_eq!(server.requests()[0].errcode, Some(0));
/// # }
/// # Ok::<(), dingbot::Error>(())
/// ```
///
/// A manual clock makes DingTalk's minutes-long rules testable at once:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), dingbot::Error> {
/// use std::time::Duration;
/// use dingbot::clock::Clock;
/// use dingbot::mock::MockServer;
///
/// let clock = Clock::manual();
/// let server = MockServer::builder().clock(clock.clone()).start().await?;
/// server.throttle_now();
/// assert!(server.throttled_until().is_some());
/// clock.advance(Duration::from_secs(600));
/// assert_eq!(server.throttled_until(), None);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct MockServer {
    inner: Arc<Inner>,
}

/// Owned by the handles, not by the serving tasks: dropping the last handle stops them.
struct Inner {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    stopped: watch::Receiver<bool>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.shared.config;
        f.debug_struct("MockServer")
            .field("addr", &self.inner.shared.addr)
            .field("token", &"***")
            .field("secret", &config.secret.as_ref().map(|_| "***"))
            .field("keywords", &config.keywords)
            .field("allowed_ips", &config.allowed_ips)
            .field("rate_limit", &config.rate_limit.map(|r| (r.max, r.per)))
            .field("throttle_for", &config.throttle_for)
            .field("clock", &config.clock)
            .field("errmsg_style", &config.style)
            .field("preview", &config.preview)
            .finish()
    }
}

impl MockServer {
    /// Starts an emulator with the default settings ([`MockServerBuilder`]) on the current
    /// tokio runtime.
    pub async fn start() -> Result<MockServer, Error> {
        MockServer::builder().start().await
    }

    /// Starts an emulator with the default settings on a background thread with its own
    /// runtime ([`MockServerBuilder::start_blocking`]).
    pub fn start_blocking() -> Result<MockServer, Error> {
        MockServer::builder().start_blocking()
    }

    /// Settings for an emulator: token, security settings, limits, clock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The robot's webhook: `http://127.0.0.1:PORT/robot/send?access_token=TOKEN`.
    /// An emulator listening on every address (`0.0.0.0`) names loopback here.
    pub fn webhook_url(&self) -> String {
        let shared = &self.inner.shared;
        format!(
            "http://{}{ENDPOINT_PATH}?access_token={}",
            self.reachable_addr(),
            shared.config.token
        )
    }

    /// The preview page's address, `http://127.0.0.1:PORT/`; it answers only when the
    /// emulator was started with [`preview(true)`](MockServerBuilder::preview).
    pub fn preview_url(&self) -> String {
        format!("http://{}/", self.reachable_addr())
    }

    /// The listening address, with an unspecified IP (`0.0.0.0`, `::`) replaced by
    /// loopback, so that it can be connected to.
    fn reachable_addr(&self) -> SocketAddr {
        let mut addr = self.inner.shared.addr;
        match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => addr.set_ip(Ipv4Addr::LOCALHOST.into()),
            IpAddr::V6(ip) if ip.is_unspecified() => addr.set_ip(Ipv6Addr::LOCALHOST.into()),
            _ => {}
        }
        addr
    }

    /// The address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.inner.shared.addr
    }

    /// The signing secret requests must be signed with, if any.
    pub fn secret(&self) -> Option<String> {
        self.inner.shared.config.secret.clone()
    }

    /// The clock the emulator's time rules read.
    pub fn clock(&self) -> Clock {
        self.inner.shared.config.clock.clone()
    }

    /// The messages accepted so far, in order; a message resent with the `msgUuid` of one
    /// already accepted appears once.
    pub fn received(&self) -> Vec<Message> {
        self.inner.shared.lock().received.clone()
    }

    /// Every request that reached the emulator so far, accepted or not, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.shared.lock().requests.clone()
    }

    /// Every request from now on, as it arrives, for following the emulator's traffic
    /// (its log, a live view). Requests recorded before the call are not included;
    /// [`requests`](Self::requests) has those.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), dingbot::Error> {
    /// use dingbot::mock::MockServer;
    /// use dingbot::{Robot, Text};
    ///
    /// let server = MockServer::start().await?;
    /// let mut subscription = server.subscribe();
    /// Robot::new(&server.webhook_url())?.send(&Text::new("hello")).await?;
    ///
    /// let request = subscription.next().await.expect("the server is running");
    /// assert_eq!(request.errcode, Some(0));
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self) -> Subscription {
        Subscription::new(Arc::clone(&self.inner.shared), self.inner.stopped.clone())
    }

    /// Makes the next `times` requests to the robot endpoint meet `fault`, after the
    /// faults already queued. Each request takes one queued fault, before any rule is
    /// checked.
    pub fn inject(&self, fault: Fault, times: usize) {
        let mut state = self.inner.shared.lock();
        state.faults.extend(std::iter::repeat_n(fault, times));
    }

    /// How many injected faults are still waiting for a request.
    pub fn pending_faults(&self) -> usize {
        self.inner.shared.lock().faults.len()
    }

    /// Throttles the robot from now, as if it had exceeded the rate: every valid request
    /// is answered errcode 130101 until the throttle time has passed on the server's clock.
    pub fn throttle_now(&self) {
        let shared = &self.inner.shared;
        let now = shared.config.clock.now();
        shared.lock().throttle(&shared.config, now);
    }

    /// Until when the robot is throttled, if it is now.
    pub fn throttled_until(&self) -> Option<Instant> {
        let shared = &self.inner.shared;
        let now = shared.config.clock.now();
        shared.lock().throttled_at(now)
    }

    /// Forgets the received messages, the recorded requests, the queued faults, the rate
    /// window, the throttle and the `msgUuid`s seen. The settings stay.
    pub fn reset(&self) {
        self.inner.shared.lock().reset();
    }

    /// Stops accepting connections, closes the open ones, and waits until it is done.
    /// Other clones of this handle see a stopped server.
    pub async fn shutdown(&self) {
        self.inner.shutdown.send_replace(true);
        let mut stopped = self.inner.stopped.clone();
        shutdown_signal(&mut stopped).await;
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr};

    use super::MockServer;
    use crate::{Robot, Text};

    #[tokio::test]
    async fn listening_on_every_address_gives_a_reachable_webhook() {
        let server = MockServer::builder()
            .listen(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))
            .start()
            .await
            .unwrap();
        assert!(server.addr().ip().is_unspecified());
        let port = server.addr().port();
        assert!(
            server
                .webhook_url()
                .starts_with(&format!("http://127.0.0.1:{port}/robot/send?access_token="))
        );
        assert_eq!(server.preview_url(), format!("http://127.0.0.1:{port}/"));
        Robot::new(server.webhook_url())
            .unwrap()
            .send(&Text::new("reached"))
            .await
            .unwrap();
        assert_eq!(server.received().len(), 1);
    }

    #[tokio::test]
    async fn an_address_in_use_is_an_error_that_names_it() {
        let first = MockServer::start().await.unwrap();
        let err = MockServer::builder()
            .listen(first.addr())
            .start()
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("cannot listen on {}", first.addr())),
            "{err}"
        );
    }

    #[test]
    fn debug_shows_the_listen_address_and_preview_but_no_secret() {
        let builder = MockServer::builder()
            .secret("SECnever-shown")
            .preview(true)
            .listen(SocketAddr::from((Ipv4Addr::LOCALHOST, 8060)));
        let debug = format!("{builder:?}");
        assert!(debug.contains("listen: 127.0.0.1:8060") && debug.contains("preview: true"));
        assert!(!debug.contains("never-shown"), "{debug}");
    }
}
