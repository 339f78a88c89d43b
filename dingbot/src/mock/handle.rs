//! [`MockServer`]: the handle to a running emulator — its address, what it received,
//! faults, the throttle, stopping it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::watch;

use super::faults::Fault;
use super::record::{RecordedRequest, RequestPage};
use super::shared::{ENDPOINT_PATH, Shared, shutdown_signal};
use super::subscribe::Subscription;
use super::verdict::Verdict;
use crate::clock::Clock;
use crate::message::Message;
use crate::rate::Rate;

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
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A manual clock makes DingTalk's minutes-long rules testable at once:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), dingbot::mock::MockError> {
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
    pub(super) inner: Arc<Inner>,
}

/// Owned by the handles, not by the serving tasks: dropping the last handle stops them.
/// (The application's routes get a handle for the time of one request.)
pub(super) struct Inner {
    pub(super) shared: Arc<Shared>,
    pub(super) shutdown: watch::Sender<bool>,
    pub(super) stopped: watch::Receiver<bool>,
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
            .field("rate_limit", &config.rate_limit)
            .field("throttle_for", &config.throttle_for)
            .field("clock", &config.clock)
            .field("errmsg_style", &config.style)
            .field("limits", &self.inner.shared.limits)
            .finish()
    }
}

impl MockServer {
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

    /// The emulator's root, `http://127.0.0.1:PORT/`, under which the routes of a
    /// [`fallback`](super::MockServerBuilder::fallback) are reached. An emulator listening on
    /// every address (`0.0.0.0`) names loopback here.
    pub fn base_url(&self) -> String {
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

    /// When the emulator started, on its [`clock`](Self::clock): a request's
    /// [`at`](RecordedRequest::at) minus this is its time since the start.
    pub fn started(&self) -> Instant {
        self.inner.shared.started
    }

    /// The keywords a message must contain one of; empty when any message will do.
    pub fn keywords(&self) -> Vec<String> {
        self.inner.shared.config.keywords.clone()
    }

    /// The addresses requests are accepted from; empty when any address is.
    pub fn allowed_ips(&self) -> Vec<IpAddr> {
        self.inner.shared.config.allowed_ips.clone()
    }

    /// The rate beyond which the robot is throttled; `None` when there is no limit
    /// ([`no_rate_limit`](super::MockServerBuilder::no_rate_limit)).
    pub fn rate_limit(&self) -> Option<Rate> {
        self.inner.shared.config.rate_limit
    }

    /// The messages accepted so far, in order — the last
    /// [`keep`](super::MockServerBuilder::keep) of them; a message resent with the
    /// `msgUuid` of one accepted before appears once.
    pub fn received(&self) -> Vec<Message> {
        self.inner.shared.lock().received.iter().cloned().collect()
    }

    /// The requests that reached the emulator so far, accepted or not, on any path, in
    /// order: the last [`keep`](super::MockServerBuilder::keep) of them (1,000 by
    /// default). Older ones are dropped, and counted by [`dropped`](Self::dropped).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.shared.lock().requests.iter().cloned().collect()
    }

    /// How many requests were dropped since the start to keep only the last
    /// [`keep`](super::MockServerBuilder::keep): each request beyond that pushes the
    /// oldest one out of [`requests`](Self::requests), [`requests_from`](Self::requests_from)
    /// and from under a [`Subscription`] that had not read it yet. Requests forgotten by
    /// [`reset`](Self::reset) are not counted.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dingbot::mock::MockServer;
    /// use dingbot::{Robot, Text};
    ///
    /// let server = MockServer::builder().keep(2).start().await?;
    /// let robot = Robot::new(&server.webhook_url())?;
    /// for text in ["one", "two", "three"] {
    ///     robot.send(&Text::new(text)).await?;
    /// }
    /// assert_eq!((server.requests().len(), server.dropped()), (2, 1));
    /// assert!(server.requests()[0].body_text().contains("two"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn dropped(&self) -> u64 {
        self.inner.shared.lock().dropped
    }

    /// How many requests (and accepted messages) the emulator keeps
    /// ([`MockServerBuilder::keep`](super::MockServerBuilder::keep)).
    pub fn keep(&self) -> usize {
        self.inner.shared.limits.keep
    }

    /// At most `max` of the requests numbered `from` on, with the numbers to go on from:
    /// [`requests`](Self::requests) a page at a time, for a view that polls. When `from`
    /// was dropped, the page starts at the oldest request kept.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dingbot::mock::MockServer;
    /// use dingbot::{Robot, Text};
    ///
    /// let server = MockServer::start().await?;
    /// let robot = Robot::new(&server.webhook_url())?;
    /// for text in ["one", "two", "three"] {
    ///     robot.send(&Text::new(text)).await?;
    /// }
    /// let page = server.requests_from(0, 2);
    /// assert_eq!((page.first, page.requests.len(), page.more()), (0, 2, true));
    /// let rest = server.requests_from(page.next(), 2);
    /// assert_eq!((rest.first, rest.requests.len(), rest.more()), (2, 1, false));
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests_from(&self, from: u64, max: usize) -> RequestPage {
        let state = self.inner.shared.lock();
        let from = from.min(state.total);
        RequestPage {
            first: from.max(state.first_kept()),
            requests: state.requests_after(from).take(max).cloned().collect(),
            total: state.total,
            dropped: state.dropped,
        }
    }

    /// How the robot would answer a message payload on its content alone — its size,
    /// JSON, `msgtype`, required fields and keywords — without posting it or recording
    /// a request. The signature, the IP allow-list and the rate are not in a payload and
    /// are not judged.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), dingbot::mock::MockError> {
    /// use dingbot::mock::MockServer;
    ///
    /// let server = MockServer::builder().keyword("alert").start().await?;
    /// let verdict = server.check(br#"{"msgtype":"text","text":{"content":"disk full"}}"#);
    /// assert_eq!(verdict.errcode, 310000);
    /// assert!(verdict.reason.unwrap().contains("keywords"));
    /// assert!(server.check(br#"{"msgtype":"text","text":{"content":"alert: disk full"}}"#)
    ///     .is_accepted());
    /// assert!(server.requests().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn check(&self, body: &[u8]) -> Verdict {
        let config = &self.inner.shared.config;
        match config.check_content(body, false) {
            Ok(_) => Verdict {
                errcode: 0,
                errmsg: "ok".to_owned(),
                reason: None,
            },
            Err(rejection) => Verdict {
                errcode: rejection.errcode(),
                errmsg: rejection.errmsg(config.style),
                reason: Some(rejection.plain_words()),
            },
        }
    }

    /// Every request from now on, as it arrives, for following the emulator's traffic
    /// (its log, a live view). Requests recorded before the call are not included;
    /// [`requests`](Self::requests) has those.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    /// window, the throttle and the `msgUuid`s seen. The settings stay, and so do the
    /// counts (the requests' numbers, [`dropped`](Self::dropped)). An app robot's
    /// messages and flow-control window are forgotten too; its tokens stay valid.
    pub fn reset(&self) {
        self.inner.shared.lock().reset();
        if let Some(app) = self.inner.shared.openapi.get() {
            app.reset();
        }
    }

    /// Stops accepting connections, closes the open ones, and waits until it is done.
    /// Other clones of this handle see a stopped server.
    pub async fn shutdown(&self) {
        self.inner.shutdown.send_replace(true);
        let mut stopped = self.inner.stopped.clone();
        shutdown_signal(&mut stopped).await;
    }
}
