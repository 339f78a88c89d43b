//! [`StreamBuilder`]: the Stream client's settings.

use std::sync::Arc;
use std::time::Duration;

use super::{Settings, StreamClient};
use crate::client::tls;
use crate::error::Error;
use crate::redacted::Redacted;

/// DingTalk's OpenAPI, where a Stream connection is opened.
pub const DEFAULT_OPENAPI: &str = "https://api.dingtalk.com";

/// Settings of a [`StreamClient`], from [`StreamClient::builder`].
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct StreamBuilder {
    pub(super) client_id: String,
    pub(super) client_secret: Redacted,
    pub(super) openapi: String,
    pub(super) request_timeout: Duration,
    pub(super) connect_timeout: Duration,
    pub(super) keepalive: Duration,
    pub(super) idle_timeout: Duration,
    pub(super) backoff_min: Duration,
    pub(super) backoff_max: Duration,
    pub(super) remember: usize,
    pub(super) buffer: usize,
}

impl StreamBuilder {
    pub(super) fn new(client_id: String, client_secret: Redacted) -> StreamBuilder {
        StreamBuilder {
            client_id,
            client_secret,
            openapi: DEFAULT_OPENAPI.to_owned(),
            request_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            keepalive: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(90),
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(60),
            remember: 4096,
            buffer: 64,
        }
    }

    /// The OpenAPI's base URL (default [`DEFAULT_OPENAPI`]); an emulator's
    /// [`base_url`](crate::mock::MockServer::base_url) in tests.
    pub fn openapi(mut self, url: impl Into<String>) -> Self {
        self.openapi = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// How long opening a connection (`/v1.0/gateway/connections/open`) may take
    /// (default 10 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long the WebSocket's TCP, TLS and upgrade may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How often the client pings the server at the WebSocket level (default 30 s).
    pub fn keepalive(mut self, every: Duration) -> Self {
        self.keepalive = every;
        self
    }

    /// After how long without any frame from the server (its pings, messages, the
    /// answers to the client's pings) the socket is taken as dead and a new connection is
    /// opened (default 90 s). Keep it above [`keepalive`](Self::keepalive).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// The back-off between failed connections: from `min`, doubling up to `max`, each
    /// with random jitter (half to all of it); reset once a connection works (default
    /// 0.5 s to 60 s).
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.backoff_min = min;
        self.backoff_max = max.max(min);
        self
    }

    /// How many `messageId`s are remembered to handle a frame delivered twice once
    /// (default 4096).
    pub fn remember(mut self, ids: usize) -> Self {
        self.remember = ids;
        self
    }

    /// How many messages wait for the program before the client stops reading the socket
    /// (default 64).
    pub fn buffer(mut self, messages: usize) -> Self {
        self.buffer = messages;
        self
    }

    /// The client.
    ///
    /// # Errors
    /// [`Error::InvalidWebhook`] for an OpenAPI URL that is not http(s) or empty
    /// credentials; [`Error::Transport`] when TLS cannot be set up.
    pub fn build(self) -> Result<StreamClient, Error> {
        let invalid = |reason: &str| Error::InvalidWebhook {
            reason: reason.to_owned(),
        };
        if self.client_id.is_empty() || self.client_secret.expose().is_empty() {
            return Err(invalid("the Stream client needs a client id and secret"));
        }
        match url::Url::parse(&self.openapi) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {}
            _ => return Err(invalid("the OpenAPI base URL must be an http(s) URL")),
        }
        if self.idle_timeout.is_zero() || self.keepalive.is_zero() {
            return Err(invalid("the keepalive and idle timeout must be above zero"));
        }
        let tls = Arc::new(tls::client_config()?);
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured((*tls).clone())
            .timeout(self.request_timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dingbot/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::from_reqwest)?;
        Ok(StreamClient {
            settings: Arc::new(Settings {
                builder: self,
                http,
                tls,
            }),
        })
    }
}
