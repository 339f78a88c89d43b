//! [`Session`]: a conversation's session webhook, and a reply posted through it.
//!
//! The session webhook takes the webhook robot's JSON (any [`DingMessage`]) without a
//! signature and answers DingTalk's `errcode`, so a reply is a [`Payload`] posted once
//! and read with the robot's errcode table. It is not paced by the robot's window
//! (that rule is the custom robot's) and not retried: a reply is an answer to a person,
//! better missing than repeated late.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::client::{Sent, tls};
use crate::error::Error;
use crate::message::DingMessage;
use crate::payload::Payload;
use crate::redacted::Redacted;

/// How long a reply may take.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// A conversation's session webhook and its expiry, from
/// [`IncomingMessage::session`](super::IncomingMessage::session): kept, it lets a
/// program answer later (until it expires).
#[derive(Clone, Debug)]
pub struct Session {
    webhook: Redacted,
    expires_at_ms: i64,
}

#[derive(serde::Deserialize)]
struct Answer {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl Session {
    /// A session from its webhook URL and its expiry (milliseconds since the Unix epoch).
    pub fn new(webhook: impl Into<Redacted>, expires_at_ms: i64) -> Session {
        Session {
            webhook: webhook.into(),
            expires_at_ms,
        }
    }

    /// When the session webhook stops working, in milliseconds since the Unix epoch.
    pub fn expires_at_ms(&self) -> i64 {
        self.expires_at_ms
    }

    /// Whether the session has expired at `now_ms` (milliseconds since the Unix epoch).
    pub fn is_expired_at(&self, now_ms: i64) -> bool {
        now_ms >= self.expires_at_ms
    }

    /// Posts `msg` into the conversation: any message type, a `#[derive(DingMessage)]`
    /// struct included.
    ///
    /// # Errors
    /// [`Error::SessionExpired`] when the session has expired (nothing is sent), the
    /// message's own errors ([`Error::InvalidMessage`], [`Error::MessageTooLarge`]),
    /// and DingTalk's answer or the transport's as for [`Robot::send`](crate::Robot::send).
    pub async fn reply<M: DingMessage + ?Sized>(&self, msg: &M) -> Result<Sent, Error> {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        if self.is_expired_at(now_ms) {
            return Err(Error::session_expired(self.expires_at_ms, now_ms));
        }
        let payload = Payload::new(msg)?;
        let url = self.webhook.expose();
        if url.is_empty() {
            return Err(Error::InvalidWebhook {
                reason: "the message carries no session webhook".to_owned(),
            });
        }
        let response = http()?
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(payload.shared_body())
            .send()
            .await
            .map_err(Error::from_reqwest)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        if !(200..300).contains(&status) {
            return Err(Error::HttpStatus { status });
        }
        let answer: Answer = serde_json::from_slice(&body).map_err(|_| Error::InvalidResponse {
            status,
            snippet: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
        })?;
        match Error::from_api(answer.errcode, answer.errmsg) {
            None => Ok(Sent {
                msg_uuid: payload.msg_uuid().to_owned(),
                attempts: 1,
            }),
            Some(err) => Err(err),
        }
    }
}

impl super::IncomingMessage {
    /// Replies into the conversation through the message's session webhook; see
    /// [`Session::reply`].
    ///
    /// # Errors
    /// As [`Session::reply`]: [`Error::SessionExpired`] before any request when the
    /// session has expired.
    pub async fn reply<M: DingMessage + ?Sized>(&self, msg: &M) -> Result<Sent, Error> {
        self.session().reply(msg).await
    }
}

/// The HTTP client replies share, with the robots' TLS config.
fn http() -> Result<&'static reqwest::Client, Error> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls::client_config()?)
        .timeout(REPLY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("dingbot/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(Error::from_reqwest)?;
    Ok(CLIENT.get_or_init(|| client))
}
