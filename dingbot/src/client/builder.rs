//! [`RobotBuilder`]: a robot's settings, from code or from the environment.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::Pacing;
use super::{Inner, Robot};
use crate::clock::Clock;
use crate::error::Error;
use crate::keywords::Keywords;
use crate::pace::{DEFAULT_MARGIN, DINGTALK_LIMIT, DINGTALK_WINDOW, Pacer};
use crate::retry::RetryPolicy;
use crate::webhook::Webhook;

/// The default time limit for one HTTP attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds a [`Robot`]; see [`Robot::builder`] and [`RobotBuilder::from_env`].
#[derive(Debug)]
#[must_use]
pub struct RobotBuilder {
    webhook: Result<Webhook, Error>,
    secret: Option<Secret>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    clock: Clock,
    pacing: Pacing,
    limit: usize,
    window: Duration,
    margin: Duration,
    keywords: Vec<String>,
    ensure_keyword: bool,
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
            limit: DINGTALK_LIMIT,
            window: DINGTALK_WINDOW,
            margin: DEFAULT_MARGIN,
            keywords: Vec::new(),
            ensure_keyword: false,
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
        self.secret = Some(Secret(secret.as_ref().to_owned()));
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

    /// What a send does when the robot may not send now: wait (the default), fail fast,
    /// or no pacing at all. See [`crate::pace`].
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// The rate to pace at (default DingTalk's: 20 per 60 s). A margin is added to the
    /// window (see [`pacing_margin`](Self::pacing_margin)).
    ///
    /// Robots for the same access token share one pacer when they pace at the same
    /// rate by the same clock; a robot with another rate keeps a window of its own (and
    /// a warning is logged), since two rates cannot count the same sends.
    pub fn rate_limit(mut self, messages: usize, per: Duration) -> Self {
        self.limit = messages.max(1);
        self.window = per;
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
    /// # async fn main() -> Result<(), dingbot::Error> {
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

    /// Builds the robot.
    pub fn build(self) -> Result<Robot, Error> {
        let keywords = Keywords::new(&self.keywords, self.ensure_keyword)?;
        let mut webhook = self.webhook?;
        if let Some(Secret(secret)) = &self.secret {
            webhook = webhook.with_secret(secret)?;
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dingbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::from_reqwest)?;
        let pacer = Pacer::shared(
            &webhook.pacing_key(),
            self.limit,
            self.window.saturating_add(self.margin),
            &self.clock,
        );
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

/// A secret held by the builder until `build`; never printed.
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
