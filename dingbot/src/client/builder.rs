//! [`RobotBuilder`]: a robot's settings, from code or from the environment.

use std::sync::Arc;
use std::time::Duration;

use super::{Inner, Robot, proxy, tls};
use crate::clock::Clock;
use crate::error::Error;
use crate::keywords::Keywords;
use crate::pace::{DEFAULT_MARGIN, Pacer, Pacing, Settings};
use crate::rate::Rate;
use crate::redacted::Redacted;
use crate::retry::RetryPolicy;
use crate::webhook::Webhook;

/// The default time limit for one HTTP attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds a [`Robot`]; see [`Robot::builder`] and [`RobotBuilder::from_env`].
#[derive(Debug)]
#[must_use]
pub struct RobotBuilder {
    webhook: Result<Webhook, Error>,
    secret: Option<Redacted>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    clock: Clock,
    pacing: Pacing,
    rate: Rate,
    margin: Duration,
    #[cfg(feature = "redis")]
    redis: Option<crate::pace::redis::Url>,
    keywords: Vec<String>,
    ensure_keyword: bool,
    proxy: Option<Redacted>,
}

impl RobotBuilder {
    /// A builder for this webhook (the full URL DingTalk shows, or the bare access
    /// token), with every other setting at its default. An unusable webhook is reported
    /// by [`build`](Self::build).
    pub(crate) fn new(webhook: &str) -> RobotBuilder {
        RobotBuilder {
            webhook: Webhook::parse(webhook),
            secret: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            clock: Clock::system(),
            pacing: Pacing::default(),
            rate: Rate::DINGTALK,
            margin: DEFAULT_MARGIN,
            #[cfg(feature = "redis")]
            redis: None,
            keywords: Vec::new(),
            ensure_keyword: false,
            proxy: None,
        }
    }

    /// A builder from the environment: `DINGTALK_WEBHOOK` (URL or token, required) and
    /// `DINGTALK_SECRET` (optional; empty means none), to adjust further before
    /// building. [`Robot::from_env`] is this, built at once.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let robot = dingbot::RobotBuilder::from_env()?
    ///     .timeout(Duration::from_secs(3))
    ///     .build()?;
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn from_env() -> Result<RobotBuilder, Error> {
        let webhook = std::env::var("DINGTALK_WEBHOOK")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .ok_or(Error::MissingEnv {
                name: "DINGTALK_WEBHOOK",
            })?;
        let builder = RobotBuilder::new(&webhook);
        Ok(match std::env::var("DINGTALK_SECRET") {
            Ok(secret) if !secret.trim().is_empty() => builder.secret(secret),
            _ => builder,
        })
    }

    /// Signs every request with this secret (`SEC...`, from the robot's security settings).
    pub fn secret(mut self, secret: impl AsRef<str>) -> Self {
        self.secret = Some(Redacted::new(secret.as_ref()));
        self
    }

    /// The time limit for one HTTP attempt (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time limit for opening a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed sends are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock for signatures and back-off (default the system clock). Tests share a
    /// [`Clock::manual`] with the emulator to make minutes pass in milliseconds.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// What a send does when the robot may not send now: wait (the default), wait for
    /// at most a while ([`Pacing::WaitAtMost`]), fail fast, or no pacing at all (see
    /// [`Pacing`]).
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// The rate to pace at (default [`Rate::DINGTALK`], 20 per 60 s). A margin is added
    /// to the window (see [`pacing_margin`](Self::pacing_margin)).
    ///
    /// Every robot for one access token shares one window — in this process, or in
    /// the fleet with [`redis_pacing`](Self::redis_pacing) — so they must agree on it:
    /// [`build`](Self::build) refuses a robot whose rate, margin or clock differs from
    /// that of a live robot for the same token in this process
    /// ([`Error::PacingConflict`]), and a Redis-paced send is refused the same way while
    /// the fleet's window holds sends counted at another rate. A rate that allows
    /// nothing is refused by `build` ([`Error::InvalidRate`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dingbot::{Error, Rate, Robot};
    ///
    /// let slow = Robot::builder("token-a").rate_limit(Rate::new(10, Duration::from_secs(60))).build()?;
    /// let same = Robot::builder("token-a").rate_limit("10/1m".parse()?).build()?;
    /// let other = Robot::builder("token-a").rate_limit(Rate::DINGTALK).build();
    /// assert!(matches!(other, Err(Error::PacingConflict { .. })));
    /// # drop((slow, same));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn rate_limit(mut self, rate: Rate) -> Self {
        self.rate = rate;
        self
    }

    /// Shares the robot's pacing window and DingTalk's throttle flag with every robot,
    /// in any process on any host, that uses the same Redis (or Valkey) and the same
    /// access token (feature `redis`). The URL is redis-rs': `redis://[user:password@]host[:port][/db]`,
    /// or `redis+unix:///path?pass=...`. It is not contacted until the first send; an
    /// unusable URL is reported by [`build`](Self::build) ([`Error::Redis`]).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), dingbot::Error> {
    /// use dingbot::{Robot, Text};
    ///
    /// let robot = Robot::builder(std::env::var("DINGTALK_WEBHOOK").unwrap_or_default())
    ///     .redis_pacing("redis://:password@redis.internal:6379")
    ///     .build()?;
    /// robot.send(&Text::new("deploy 42 finished")).await?; // a slot in the fleet's window
    /// # Ok(()) }
    /// ```
    ///
    /// # Running many replicas
    ///
    /// DingTalk's limit — 20 messages a minute, then 10 minutes of refusals — is per
    /// robot, not per process. Without Redis, each process paces only itself: four
    /// replicas that each keep to 20 a minute send 80, and the robot is throttled,
    /// typically in the middle of the incident that produced the alerts. Once DingTalk
    /// reports the throttle, each process does stop touching the network until it ends,
    /// but it has happened. **A fleet that shares a token should share its window.**
    ///
    /// With `redis_pacing`, every robot for the token keeps its own connection but takes
    /// its slots from one window in Redis:
    ///
    /// - **Configuration.** Give every process the same Redis URL, the same
    ///   [`rate_limit`](Self::rate_limit) and the same [`pacing_margin`](Self::pacing_margin)
    ///   (the defaults are right for DingTalk). A process whose rate differs from the
    ///   one the window's current sends were counted at is refused with
    ///   [`Error::PacingConflict`] until those sends have left the window, rather than
    ///   pace at a rate of its own. Redis-paced robots use the system clock (a
    ///   [`Clock::manual`] is refused): time comes from Redis' `TIME`, never from the
    ///   hosts, whose clocks disagree. The blocking robot and [`Digest`](crate::Digest)s
    ///   work unchanged.
    /// - **What is stored.** Three small keys per robot, named by a SHA-256 of the token
    ///   (Redis is not a place for secrets, so never the token itself), under one hash
    ///   tag: `dingbot:{hash}:sends` (a sorted set of the last window's sends, with an
    ///   expiry), `dingbot:{hash}:throttle` (while DingTalk throttles the robot; it
    ///   expires with the throttle) and `dingbot:{hash}:robot` (the rate, a few bytes).
    ///   Each send takes its slot with one atomic Lua script, one round trip
    ///   (EVALSHA); the answers of the process' earlier sends ride along with it
    ///   instead of costing scripts of their own.
    /// - **Semantics.** As in one process: a slot counts from when DingTalk's answer
    ///   arrives, a send whose outcome is unknown (a timeout, a process that died mid-send)
    ///   counts too, the 2 s margin is kept, and a throttle reported to any process
    ///   stops every process before it touches the network. Waiting processes sleep
    ///   until the moment Redis says a slot frees (plus jitter); in each process only one
    ///   waiter per robot asks Redis at a time, so hundreds of waiters do not hammer it.
    /// - **When Redis is unreachable: fail closed.** No send goes out without a slot
    ///   from the shared window, so a blink of Redis can never let the fleet exceed the
    ///   limit. A [`Pacing::Wait`] send (the default) waits and asks again with capped
    ///   back-off (100 ms doubling to 5 s, with jitter) while the connection reconnects
    ///   by itself, and says in a warning each minute what it waits for (Redis, the
    ///   window, the fence or the throttle); a [`Pacing::WaitAtMost`] send waits up to
    ///   its bound, then fails as a fail-fast send would; a [`Pacing::FailFast`] send
    ///   fails at once with [`Error::Redis`], which names the server (password masked)
    ///   and what failed. A `Digest` keeps holding its events and delivers them when
    ///   Redis is back: nothing is lost. Each Redis command has 1 s to answer. A reply
    ///   the script never gives (a server that only looks like Redis) fails the send
    ///   with `Error::Redis` whatever the policy, rather than be taken for a full
    ///   window.
    /// - **Credentials Redis refuses** (a wrong password or user — `WRONGPASS`; none
    ///   where one is required — `NOAUTH`; a user not allowed to run scripts —
    ///   `NOPERM`) are not an outage: the send fails at once with [`Error::Redis`]
    ///   whatever the policy, saying the credentials were refused, the URL masked.
    /// - **Restarts, failover, lost keys.** Whenever Redis' record of the last window
    ///   may be incomplete, no slot is granted for one whole window (62 s by default):
    ///   when Redis has been up for less than the window (plus the robot's timeout) and
    ///   has no record of the robot (a restart, with or without persistence: an RDB or
    ///   AOF file may be older than the last sends); when the record was written by
    ///   another server — told apart by the server's `run_id` (a restart from a file,
    ///   or a failover: a replica may lag); and when the last slot was granted within
    ///   the window but the sends key is gone. A Redis up for longer than that which has
    ///   never seen the robot grants its first slot at once: a fresh deploy's first
    ///   message goes out in one round trip. Redis must not evict the keys on its own:
    ///   use `maxmemory-policy noeviction`, or a database or server that nothing else
    ///   fills. The `robot` key never expires (a few bytes per token). With
    ///   **Sentinel** or a managed primary/replica service, point the URL at an address
    ///   that always reaches the current primary (the service's primary endpoint, or a
    ///   Sentinel-aware proxy); the connection follows it on reconnect. A replica is
    ///   read-only and cannot take slots.
    /// - **Bad state heals.** A value in the robot's keys that no run of dingbot could
    ///   have written is repaired by the script and logged as a warning naming the key
    ///   (never the token or password): a key of the wrong type is deleted, a fence or
    ///   a send's score beyond now + the window + the robot's timeout is brought back
    ///   (the fence to one window, the send to "in flight now"), a throttle longer than
    ///   DingTalk's 10 minutes is cut to 10 minutes. A backward step of Redis' clock
    ///   leaves such values, so it costs a window (at most a throttle), never years.
    ///   Give the fleet's processes timeouts within a window of each other.
    /// - **Redis Cluster.** One robot's keys share a hash tag, so they live in one slot
    ///   and the script is valid in a cluster; this client connects to one endpoint, so
    ///   use the cluster through an endpoint that routes by slot (a cluster proxy, or a
    ///   managed service's single endpoint), or a plain primary: the keys are tiny and a
    ///   robot makes at most a few requests a second.
    ///
    /// The client is redis-rs (crate `redis`), with its Tokio `ConnectionManager`:
    /// the most widely used Redis client for Rust, maintained by the Redis and Valkey
    /// communities, whose `Script` type does the EVALSHA-then-EVAL dance and whose
    /// manager reconnects with back-off on its own; the features used add a handful
    /// of small crates.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis_pacing(mut self, url: impl AsRef<str>) -> Self {
        self.redis = Some(crate::pace::redis::Url::new(url.as_ref()));
        self
    }

    /// Added to the pacing window for clock differences with DingTalk (default 2 s).
    pub fn pacing_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The robot's keywords (DingTalk's 自定义关键词 setting, at most 10). A message
    /// whose visible text holds none of them (the text DingTalk searches: a text's
    /// content; the title and text of a markdown message, a link or an action card,
    /// and an action card's button titles; a feed card's titles) then fails at once
    /// with [`Error::KeywordsMissing`], listing them: no pacing slot is spent and no
    /// request is made. Adds to the keywords set before.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dingbot::{Error, Robot, Text, mock::MockServer};
    ///
    /// let server = MockServer::builder().keyword("告警").start().await?;
    /// let robot = Robot::builder(server.webhook_url()).keywords(["告警"]).build()?;
    /// let err = robot.send(&Text::new("disk full")).await.unwrap_err();
    /// assert!(matches!(err, Error::KeywordsMissing { .. }));
    /// assert!(server.requests().is_empty());
    /// robot.send(&Text::new("告警: disk full")).await?;
    /// # Ok(()) }
    /// ```
    pub fn keywords<I, S>(mut self, keywords: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.keywords
            .extend(keywords.into_iter().map(|k| k.as_ref().to_owned()));
        self
    }

    /// Makes every message carry a keyword instead of failing without one: the first
    /// keyword is put before the title (before a text message's content, before a feed
    /// card's first title) of a message that holds none. Off by default. A
    /// [`Digest`](crate::Digest)'s summaries always carry one when the robot has
    /// keywords.
    pub fn ensure_keyword(mut self, ensure: bool) -> Self {
        self.ensure_keyword = ensure;
        self
    }

    /// Sends every request through this HTTP proxy (`http://[user:password@]host:port`,
    /// or `https://` for a proxy reached over TLS); requests to DingTalk's HTTPS
    /// endpoint go through it as a `CONNECT` tunnel, so the proxy never sees the token.
    ///
    /// Without it, the robot honours the environment as curl does: `HTTPS_PROXY` (or
    /// `https_proxy`) for DingTalk's HTTPS endpoint, `HTTP_PROXY` for a plain `http://`
    /// webhook (an emulator), `ALL_PROXY` for both, and `NO_PROXY` (hosts, domains,
    /// IP addresses or CIDR ranges, comma-separated) for the hosts reached directly. A
    /// proxy set here wins over the environment, `NO_PROXY` included. The URL is never
    /// shown (it may hold a password); one [`build`](Self::build) cannot use is
    /// reported as [`Error::InvalidProxy`].
    ///
    /// ```
    /// let robot = dingbot::Robot::builder("https://oapi.dingtalk.com/robot/send?access_token=t")
    ///     .proxy("http://proxy.internal:3128")
    ///     .build()?;
    /// # drop(robot);
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn proxy(mut self, url: impl AsRef<str>) -> Self {
        self.proxy = Some(Redacted::new(url.as_ref()));
        self
    }

    /// Builds the robot.
    ///
    /// Its HTTPS client is rustls with the `ring` crypto provider, verifying DingTalk's
    /// certificate against the operating system's trust store (on Linux the system bundle,
    /// or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set), no OpenSSL. The TLS config is its
    /// own: a process-wide default provider installed by the program does not change it.
    pub fn build(self) -> Result<Robot, Error> {
        let keywords = Keywords::new(&self.keywords, self.ensure_keyword)?;
        let mut webhook = self.webhook?;
        if let Some(secret) = &self.secret {
            webhook = webhook.with_secret(secret.expose())?;
        }
        let mut http = reqwest::Client::builder();
        if let Some(proxy) = &self.proxy {
            http = http.proxy(proxy::checked(proxy.expose())?);
        }
        let http = http
            .tls_backend_preconfigured(tls::client_config()?)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dingbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::from_reqwest)?;
        self.rate.check()?;
        let pacer = Pacer::shared(Settings {
            key: webhook.pacing_key(),
            rate: self.rate,
            window: self.rate.per().saturating_add(self.margin),
            timeout: self.timeout,
            clock: &self.clock,
            #[cfg(feature = "redis")]
            redis: self.redis.as_ref(),
        })?;
        Ok(Robot {
            inner: Arc::new(Inner {
                webhook,
                http,
                timeout: self.timeout,
                retry: self.retry,
                clock: self.clock,
                pacing: self.pacing,
                pacer,
                keywords,
            }),
        })
    }
}
