//! [`Robot`]: the async sender.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::clock::Clock;
use crate::error::Error;
use crate::keywords::{Keywords, contains_keyword};
use crate::message::DingMessage;
use crate::pace::{Pacer, Pacing, Permit};
use crate::payload::Payload;
use crate::retry::{Decision, RetryPolicy};
use crate::webhook::Webhook;

mod builder;
pub(crate) mod runtime;
pub(crate) mod tls;

pub use builder::{DEFAULT_TIMEOUT, RobotBuilder};

/// A DingTalk group robot: signs, sends and checks every message.
///
/// Each send validates the message, writes missing mentions into its body, checks its
/// size, signs a fresh URL, posts it, and reads the `errcode` DingTalk answers —
/// an HTTP 200 with a non-zero errcode is an [`Error`], always. Failures that may pass
/// are retried per the [`RetryPolicy`].
///
/// `Robot` is cheap to clone (clones share one connection pool) and `Send + Sync`.
/// Its `Debug` never shows the access token or the secret.
///
/// ```no_run
/// use dingbot::{Robot, Text};
///
/// # async fn run() -> Result<(), dingbot::Error> {
/// let robot = Robot::builder("https://oapi.dingtalk.com/robot/send?access_token=...")
///     .secret("SEC...")
///     .build()?;
/// robot.send(&Text::new("Deploy finished")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Robot {
    inner: Arc<Inner>,
}

struct Inner {
    webhook: Webhook,
    http: reqwest::Client,
    timeout: Duration,
    retry: RetryPolicy,
    clock: Clock,
    pacing: Pacing,
    pacer: Pacer,
    keywords: Keywords,
}

impl fmt::Debug for Robot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Robot")
            .field("webhook", &self.inner.webhook)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.pacing)
            .field("window", &self.inner.pacer)
            .finish_non_exhaustive()
    }
}

/// What a successful send returns.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sent {
    /// The idempotency key the message was sent with.
    pub msg_uuid: String,
    /// How many attempts it took (1 when nothing had to be retried).
    pub attempts: u32,
}

/// DingTalk's answer body.
#[derive(Deserialize)]
struct Answer {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl Robot {
    /// A robot for this webhook: the full URL DingTalk shows, or the bare access token
    /// (`&str`, `String`, anything that is `AsRef<str>`).
    ///
    /// ```
    /// let robot = dingbot::Robot::new(String::from("token123"))?;
    /// assert!(!robot.webhook().is_signed());
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn new(webhook: impl AsRef<str>) -> Result<Robot, Error> {
        Robot::builder(webhook).build()
    }

    /// A builder for this webhook, to add a secret, a timeout, a retry policy.
    pub fn builder(webhook: impl AsRef<str>) -> RobotBuilder {
        RobotBuilder::new(webhook.as_ref())
    }

    /// A robot from the environment: `DINGTALK_WEBHOOK` (URL or token, required) and
    /// `DINGTALK_SECRET` (optional; empty means none). To adjust it before building,
    /// start from [`RobotBuilder::from_env`].
    pub fn from_env() -> Result<Robot, Error> {
        RobotBuilder::from_env()?.build()
    }

    /// The webhook this robot sends to.
    pub fn webhook(&self) -> &Webhook {
        &self.inner.webhook
    }

    /// The clock this robot signs and waits by.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The window this robot shares with every robot for its access token.
    pub(crate) fn pacer(&self) -> &Pacer {
        &self.inner.pacer
    }

    /// The robot's keywords, as given to [`RobotBuilder::keywords`](crate::RobotBuilder::keywords)
    /// (trimmed); empty when none are set.
    pub fn keywords(&self) -> &[String] {
        self.inner.keywords.words()
    }

    pub(crate) fn keyword_rule(&self) -> &Keywords {
        &self.inner.keywords
    }

    /// The payload for `msg`: checked for the robot's keywords (one added when the robot
    /// ensures one), validated, encoded. Nothing is sent.
    pub(crate) fn payload_for<M: DingMessage + ?Sized>(&self, msg: &M) -> Result<Payload, Error> {
        if self.inner.keywords.is_empty() {
            return Payload::new(msg);
        }
        Payload::new(&self.inner.keywords.apply(msg.to_message())?)
    }

    /// Checks an already encoded payload for the robot's keywords.
    fn check_payload_keywords(&self, payload: &Payload) -> Result<(), Error> {
        if self.inner.keywords.is_empty() {
            return Ok(());
        }
        let msg: crate::Message =
            serde_json::from_slice(payload.body()).map_err(|e| Error::InvalidMessage {
                field: "payload".into(),
                reason: format!("cannot be read back as a message: {e}"),
            })?;
        match contains_keyword(&msg, self.inner.keywords.words()) {
            true => Ok(()),
            false => Err(self.inner.keywords.missing()),
        }
    }

    /// This robot's pacing policy.
    pub fn pacing(&self) -> Pacing {
        self.inner.pacing
    }

    /// Sends a message: any [`DingMessage`], a [`Message`](crate::Message), one of the
    /// message types, or your own `#[derive(DingMessage)]` event.
    ///
    /// It must run on a Tokio runtime with timers and IO (`enable_all()`); on one
    /// without, it fails with [`Error::Runtime`] naming what is missing.
    pub async fn send<M: DingMessage + ?Sized>(&self, msg: &M) -> Result<Sent, Error> {
        runtime::check_async("Robot::send")?;
        let payload = self.payload_for(msg)?;
        self.send_paced(&payload, self.inner.pacing).await
    }

    /// Sends an already encoded [`Payload`] (its `msgUuid` is reused by every attempt).
    /// Runtime requirements as for [`send`](Self::send).
    pub async fn send_payload(&self, payload: &Payload) -> Result<Sent, Error> {
        runtime::check_async("Robot::send_payload")?;
        self.check_payload_keywords(payload)?;
        self.send_paced(payload, self.inner.pacing).await
    }

    /// Sends with `pacing` instead of the robot's own policy.
    pub(crate) async fn send_paced(
        &self,
        payload: &Payload,
        pacing: Pacing,
    ) -> Result<Sent, Error> {
        self.send_from(payload, pacing, None).await
    }

    /// Sends with a slot already taken from this robot's pacer for the first attempt;
    /// a retry waits for a slot of its own.
    pub(crate) async fn send_with_permit(
        &self,
        payload: &Payload,
        permit: Permit,
    ) -> Result<Sent, Error> {
        self.send_from(payload, Pacing::Wait, Some(permit)).await
    }

    async fn send_from(
        &self,
        payload: &Payload,
        pacing: Pacing,
        mut held: Option<Permit>,
    ) -> Result<Sent, Error> {
        let inner = &*self.inner;
        let mut failures: Vec<Error> = Vec::new();
        let mut timestamp_retries = 0;
        let mut attempt: u32 = 1;
        loop {
            let permit = match (held.take(), pacing) {
                (Some(permit), _) => permit,
                (None, Pacing::Off) => Permit::none(),
                (None, _) => match inner
                    .pacer
                    .acquire(
                        pacing,
                        inner.pacer.names_sends().then(|| label(payload, attempt)),
                    )
                    .await
                {
                    Ok(permit) => permit,
                    Err(err) => {
                        failures.push(err);
                        return Err(give_up(failures));
                    }
                },
            };
            let result = runtime::catch_missing_io(self.attempt(payload)).await;
            drop(permit);
            if let Err(err) = &result {
                if err.is_throttled() && pacing != Pacing::Off {
                    inner.pacer.mark_throttled(crate::dingtalk::THROTTLE).await;
                }
            }
            match result {
                Ok(()) => {
                    if attempt > 1 {
                        tracing::info!(
                            msg_uuid = payload.msg_uuid(),
                            attempt,
                            "dingbot: delivered after retrying"
                        );
                    }
                    return Ok(Sent {
                        msg_uuid: payload.msg_uuid().to_owned(),
                        attempts: attempt,
                    });
                }
                Err(err) => {
                    let decision = inner.retry.decide(attempt, &err, &mut timestamp_retries);
                    tracing::warn!(
                        msg_uuid = payload.msg_uuid(),
                        attempt,
                        errcode = err.errcode(),
                        error = %err,
                        "dingbot: send attempt failed"
                    );
                    failures.push(err);
                    match decision {
                        Decision::GiveUp => return Err(give_up(failures)),
                        Decision::RetryAfter(delay) => {
                            inner.clock.sleep(delay).await;
                            attempt += 1;
                        }
                    }
                }
            }
        }
    }

    /// One signed POST and its answer.
    async fn attempt(&self, payload: &Payload) -> Result<(), Error> {
        let inner = &*self.inner;
        let url = inner.webhook.signed_url(inner.clock.unix_ms());
        let response = inner
            .http
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
            snippet: inner
                .webhook
                .redact(String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned()),
        })?;
        match Error::from_api(answer.errcode, inner.webhook.redact(answer.errmsg)) {
            None => Ok(()),
            Some(err) => Err(err),
        }
    }
}

/// What names one attempt in a window that records sends: the `msgUuid` (the same for
/// every attempt) and the attempt's number.
fn label(payload: &Payload, attempt: u32) -> String {
    format!("{}#{attempt}", payload.msg_uuid())
}

/// The error after the last attempt: itself when there was only one attempt, else all of
/// them.
fn give_up(mut failures: Vec<Error>) -> Error {
    if failures.len() == 1 {
        if let Some(only) = failures.pop() {
            return only;
        }
    }
    Error::RetriesExhausted { attempts: failures }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn robot_is_send_sync_clone() {
        assert_send_sync::<Robot>();
    }

    #[test]
    fn debug_hides_secrets() {
        let robot =
            Robot::builder("https://oapi.dingtalk.com/robot/send?access_token=TOPSECRETTOKEN")
                .secret("SECTOPSECRET")
                .build()
                .unwrap();
        let dbg = format!("{robot:?}");
        assert!(!dbg.contains("TOPSECRET"), "{dbg}");
        assert!(dbg.contains("oapi.dingtalk.com"), "{dbg}");
    }

    #[test]
    fn bad_secret_is_reported() {
        assert!(matches!(
            Robot::builder("tok").secret("nope").build(),
            Err(Error::InvalidSecret { .. })
        ));
        assert!(matches!(
            Robot::builder("http://x.com/robot/send?access_token=t").build(),
            Err(Error::InvalidWebhook { .. })
        ));
    }
}
