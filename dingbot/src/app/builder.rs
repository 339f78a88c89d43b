//! [`AppRobotBuilder`]: an app robot's settings.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest as _, Sha256};

use super::facts::{APP_QPS, DEFAULT_OPENAPI};
use super::token::Tokens;
use super::{AppRobot, Inner};
use crate::client::DEFAULT_TIMEOUT;
use crate::clock::Clock;
use crate::error::Error;
use crate::pace::{Pacer, Pacing, Settings};
use crate::rate::Rate;
use crate::redacted::Redacted;
use crate::retry::RetryPolicy;

/// Builds an [`AppRobot`]; see [`AppRobot::builder`].
#[derive(Debug)]
#[must_use]
pub struct AppRobotBuilder {
    app_key: String,
    app_secret: Redacted,
    robot_code: String,
    openapi: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    clock: Clock,
    pacing: Pacing,
    rate: Rate,
    #[cfg(feature = "redis")]
    redis: Option<crate::pace::redis::Url>,
}

impl AppRobotBuilder {
    pub(crate) fn new(app_key: &str, app_secret: &str, robot_code: &str) -> AppRobotBuilder {
        AppRobotBuilder {
            app_key: app_key.trim().to_owned(),
            app_secret: Redacted::new(app_secret.trim()),
            robot_code: robot_code.trim().to_owned(),
            openapi: DEFAULT_OPENAPI.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            clock: Clock::system(),
            pacing: Pacing::default(),
            rate: Rate::new(APP_QPS, Duration::from_secs(1)),
            #[cfg(feature = "redis")]
            redis: None,
        }
    }

    /// A builder from the environment: `DINGTALK_APP_KEY`, `DINGTALK_APP_SECRET` and
    /// `DINGTALK_ROBOT_CODE` (all required), and `DINGTALK_OPENAPI_ENDPOINT` (optional,
    /// the base URL, as DingTalk's Python SDK reads it).
    pub fn from_env() -> Result<AppRobotBuilder, Error> {
        let var = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .ok_or(Error::MissingEnv { name })
        };
        let builder = AppRobotBuilder::new(
            &var("DINGTALK_APP_KEY")?,
            &var("DINGTALK_APP_SECRET")?,
            &var("DINGTALK_ROBOT_CODE")?,
        );
        Ok(match var("DINGTALK_OPENAPI_ENDPOINT") {
            Ok(url) => builder.openapi_url(url),
            Err(_) => builder,
        })
    }

    /// The OpenAPI's base URL (default `https://api.dingtalk.com`); an emulator's
    /// [`base_url`](crate::mock::MockServer::base_url) in tests.
    pub fn openapi_url(mut self, url: impl AsRef<str>) -> Self {
        self.openapi = url.as_ref().trim().trim_end_matches('/').to_owned();
        self
    }

    /// The time limit for one HTTP attempt (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time limit for making a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failures that posted nothing are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock the robot paces and keeps its token by (default [`Clock::system`]);
    /// share a [`Clock::manual`] with the emulator to let a token expire in a test.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// What a send does when the app's window is full (default [`Pacing::Wait`]).
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// The app's rate on the OpenAPI (default 20 per second, the standard edition's
    /// QPS). Every `AppRobot` for one app key in this process shares one window.
    pub fn rate_limit(mut self, rate: Rate) -> Self {
        self.rate = rate;
        self
    }

    /// Shares the app's window with every process through Redis, as
    /// [`RobotBuilder::redis_pacing`](crate::RobotBuilder::redis_pacing) does for a
    /// webhook robot (its guide holds for apps too); the keys are named by a SHA-256 of
    /// the app key.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis_pacing(mut self, url: impl AsRef<str>) -> Self {
        self.redis = Some(crate::pace::redis::Url::new(url.as_ref()));
        self
    }

    /// Builds the robot; fails for an empty app key, secret or robot code, an OpenAPI
    /// URL that is not http(s), or a rate that allows nothing.
    pub fn build(self) -> Result<AppRobot, Error> {
        let invalid = |reason: &str| Error::InvalidAppRequest {
            reason: reason.to_owned(),
        };
        if self.app_key.is_empty() {
            return Err(invalid("the app key is empty"));
        }
        if self.app_secret.expose().is_empty() {
            return Err(invalid("the app secret is empty"));
        }
        if self.robot_code.is_empty() {
            return Err(invalid("the robot code is empty"));
        }
        let base = url::Url::parse(&self.openapi)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| invalid("the OpenAPI URL must be an http(s) URL"))?;
        self.rate.check()?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(crate::client::tls::client_config()?)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dingbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::from_reqwest)?;
        let pacer = Pacer::shared(Settings {
            key: pacing_key(&self.app_key, &base),
            rate: self.rate,
            window: self.rate.per(),
            timeout: self.timeout,
            clock: &self.clock,
            #[cfg(feature = "redis")]
            redis: self.redis.as_ref(),
        })?;
        Ok(AppRobot {
            inner: Arc::new(Inner {
                tokens: Tokens::new(&self.openapi, self.app_key.clone(), self.app_secret),
                app_key: self.app_key,
                robot_code: self.robot_code,
                openapi: self.openapi,
                http,
                retry: self.retry,
                clock: self.clock,
                pacing: self.pacing,
                pacer,
            }),
        })
    }
}

/// The app's window: a hash of its app key (and, on loopback, the port: each port there
/// is an emulator of its own).
fn pacing_key(app_key: &str, base: &url::Url) -> String {
    let mut hash = Sha256::new();
    hash.update(b"app\n");
    hash.update(app_key.as_bytes());
    let loopback = match base.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    if let Some(port) = base.port_or_known_default().filter(|_| loopback) {
        hash.update(format!("\n{port}").as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
