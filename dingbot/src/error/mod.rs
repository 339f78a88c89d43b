//! [`Error`]: everything that can go wrong, and DingTalk's errcode table.
//!
//! DingTalk reports failures as HTTP 200 with a non-zero `errcode` in the body. Every
//! errcode dingbot knows is mapped here, in [`Error::from_api`], by the errcode table of
//! `crate::dingtalk`; an unknown code becomes [`Error::Api`] with its number and message,
//! never a success.

use std::fmt;
use std::time::Duration;

mod api;
mod classify;
mod openapi;
mod session;

#[cfg(feature = "redis")]
mod permanent;
#[cfg(feature = "redis")]
pub(crate) use permanent::Permanent;

/// A boxed error cause, as kept by [`Error::Transport`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when building or sending a DingTalk message.
///
/// No variant ever contains the access token or the signing secret: the errors that
/// come from the HTTP client have their URL stripped, and DingTalk's `errmsg` is
/// redacted before it is stored.
///
/// ```
/// use dingbot::Error;
///
/// let err = Error::from_api(310000, "sign not match").unwrap();
/// assert!(matches!(err, Error::SignatureMismatch { .. }));
/// assert_eq!(err.errcode(), Some(310000));
/// assert!(!err.is_retryable());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ----- configuration and input, found before anything is sent -----
    /// The webhook URL or access token could not be used.
    #[error("invalid webhook: {reason}")]
    InvalidWebhook {
        /// What is wrong with it (never the token itself).
        reason: String,
    },
    /// The signing secret could not be used (it must start with `SEC`).
    #[error("invalid signing secret: {reason}")]
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: String,
    },
    /// A message that DingTalk would reject or render wrongly.
    #[error("invalid message: {field} {reason}")]
    InvalidMessage {
        /// The JSON path of the offending part, e.g. `actionCard.btns[1].actionURL`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The request body exceeds DingTalk's limit; shrink the message or split it.
    #[error(
        "message too large: the request body is {size} bytes, DingTalk accepts at most {limit}"
    )]
    MessageTooLarge {
        /// Size of the JSON request body in bytes.
        size: usize,
        /// The limit, [`MAX_BODY_BYTES`](crate::MAX_BODY_BYTES).
        limit: usize,
    },
    /// The robot's keywords could not be used (more than DingTalk allows, or an empty
    /// one).
    #[error("invalid keywords: {reason}")]
    InvalidKeywords {
        /// What is wrong with them.
        reason: String,
    },
    /// The proxy given to [`RobotBuilder::proxy`](crate::RobotBuilder::proxy) could not
    /// be used.
    #[error("invalid proxy: {reason}")]
    InvalidProxy {
        /// What is wrong with it (never the URL, which may hold a password).
        reason: String,
    },
    /// A [`Rate`](crate::Rate) could not be used: it allows no message, or its text
    /// is not of the form `20/60s`.
    #[error("invalid rate: {reason}")]
    InvalidRate {
        /// What is wrong with it.
        reason: String,
    },
    /// Another robot for the same access token paces at another rate (or by another
    /// clock): the two would count their sends in different windows and could together
    /// exceed DingTalk's limit, so this one is refused. Give every robot for one token the
    /// same [`rate_limit`](crate::RobotBuilder::rate_limit),
    /// [`pacing_margin`](crate::RobotBuilder::pacing_margin) and clock.
    #[error("{message}")]
    PacingConflict {
        /// Which rates disagree, and what to do.
        message: String,
    },
    /// A required environment variable is missing or not valid Unicode.
    #[error("environment variable {name} is not set")]
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },

    // ----- DingTalk's answers (errcode in an HTTP 200 body) -----
    /// errcode 310000: the signature did not match (wrong secret, or signed twice).
    #[error("DingTalk rejected the signature (errcode 310000): {errmsg}")]
    SignatureMismatch {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000: the timestamp is more than an hour away from DingTalk's clock.
    #[error(
        "DingTalk rejected the timestamp; check this machine's clock (errcode 310000): {errmsg}"
    )]
    InvalidTimestamp {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000: the message contains none of the robot's keywords — answered by
    /// DingTalk, or found before sending by a robot that knows its keywords
    /// ([`RobotBuilder::keywords`](crate::RobotBuilder::keywords)), whose `errmsg` then
    /// lists them.
    #[error("the message contains none of the robot's keywords (errcode 310000): {errmsg}")]
    KeywordsMissing {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000: this machine's address is not on the robot's IP allow-list.
    #[error("this address is not on the robot's IP allow-list (errcode 310000): {errmsg}")]
    IpNotAllowed {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 310000 with a message dingbot does not recognise.
    #[error("DingTalk's security check failed (errcode 310000): {errmsg}")]
    SecurityCheckFailed {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 130101 or 410100: more than 20 messages a minute; the robot is throttled
    /// for 10 minutes.
    #[error("sending too fast, the robot is throttled (errcode {code}): {errmsg}")]
    SendTooFast {
        /// 130101 or 410100.
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 300001, 400101 or 400106: the access token or robot does not exist.
    #[error("the access token or robot does not exist (errcode {code}): {errmsg}")]
    TokenNotFound {
        /// 300001, 400101 or 400106.
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 400102: the robot has been disabled.
    #[error("the robot is disabled (errcode 400102): {errmsg}")]
    RobotDisabled {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 400013: the group has been dissolved.
    #[error("the group has been dissolved (errcode 400013): {errmsg}")]
    GroupDissolved {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 400105: DingTalk does not support this msgtype.
    #[error("unsupported msgtype (errcode 400105): {errmsg}")]
    UnsupportedMessageType {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 430101..=430104: DingTalk judged a link, text, image or content unsafe.
    #[error("DingTalk judged the content unsafe (errcode {code}): {errmsg}")]
    UnsafeContent {
        /// 430101 (link), 430102 (text), 430103 (image) or 430104 (content).
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode 460101: DingTalk found the body too large.
    #[error("DingTalk rejected the body size (errcode 460101): {errmsg}")]
    BodyTooLarge {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// errcode -1: DingTalk is busy; retrying later may succeed.
    #[error("DingTalk is busy (errcode -1): {errmsg}")]
    SystemBusy {
        /// DingTalk's `errmsg`.
        errmsg: String,
    },
    /// Any other non-zero errcode.
    #[error("DingTalk answered errcode {code}: {errmsg}")]
    Api {
        /// The errcode.
        code: i64,
        /// DingTalk's `errmsg`.
        errmsg: String,
    },

    // ----- the app robot (OpenAPI: HTTP 4xx/5xx with a JSON `code` and `message`) -----
    /// An [`AppRobot`](crate::AppRobot)'s settings or a call's arguments could not be
    /// used (an empty app key, no user, more than 20 users, ...).
    #[error("invalid app robot call: {reason}")]
    InvalidAppRequest {
        /// What is wrong (never the app secret).
        reason: String,
    },
    /// This message has no OpenAPI template (`msgKey`) to be sent through; the message
    /// type is named, with what to send instead.
    #[error("a {message_type} cannot be sent through the OpenAPI: {reason}")]
    NoAppTemplate {
        /// The message type, e.g. `FeedCard`.
        message_type: &'static str,
        /// Why, and what to send instead.
        reason: String,
    },
    /// The message's `msgParam` (its template parameters as a JSON string) is larger
    /// than the OpenAPI takes; found before sending.
    #[error("msgParam is {size} bytes, the OpenAPI takes at most {limit}")]
    MsgParamTooLarge {
        /// Size of the `msgParam` string in bytes.
        size: usize,
        /// The limit, 15,000.
        limit: usize,
    },
    /// The OpenAPI refused the app's credentials or access token: a wrong app key or
    /// secret, or a token still refused after it was fetched anew once.
    #[error("the OpenAPI refused the app's credentials (HTTP {status}, {code}): {message}")]
    AppAuthentication {
        /// The HTTP status.
        status: u16,
        /// DingTalk's `code`, e.g. `InvalidAuthentication`.
        code: String,
        /// DingTalk's `message`.
        message: String,
    },
    /// The app may not do this: a permission it lacks (`qyapi_robot_sendmsg`), a robot
    /// or group it does not own (`Forbidden.AccessDenied...`).
    #[error("the app is not allowed to do this (HTTP {status}, {code}): {message}")]
    AppForbidden {
        /// The HTTP status.
        status: u16,
        /// DingTalk's `code`.
        code: String,
        /// DingTalk's `message`.
        message: String,
    },
    /// The OpenAPI's flow control: the app calls faster than its QPS allows.
    #[error("the OpenAPI's flow control refused the call (HTTP {status}, {code}): {message}")]
    AppFlowControlled {
        /// The HTTP status (429, or 403 with a `...QpsLimit...` code).
        status: u16,
        /// DingTalk's `code`.
        code: String,
        /// DingTalk's `message`.
        message: String,
    },
    /// A parameter the OpenAPI refused (`param.invalid`, `invalidParameter...`).
    #[error("the OpenAPI refused a parameter (HTTP {status}, {code}): {message}")]
    AppBadParameter {
        /// The HTTP status (400).
        status: u16,
        /// DingTalk's `code`.
        code: String,
        /// DingTalk's `message`.
        message: String,
    },
    /// Any other OpenAPI failure with a JSON `code` (HTTP 5xx included).
    #[error("the OpenAPI answered HTTP {status} ({code}): {message}")]
    AppApi {
        /// The HTTP status.
        status: u16,
        /// DingTalk's `code`.
        code: String,
        /// DingTalk's `message`.
        message: String,
    },
    /// A one-to-one send reached some users but not all: DingTalk answered HTTP 200 with
    /// users it did not know or would not message (`invalidStaffIdList`) or flow-controlled
    /// (`flowControlledStaffIdList`). The others got the message, under
    /// `process_query_key` (recall it with that key). Not retried: sending again would
    /// reach the others twice.
    #[error(
        "the message did not reach every user: {} unknown or refused, {} flow-controlled",
        invalid_user_ids.len(),
        flow_controlled_user_ids.len()
    )]
    UsersNotReached {
        /// The key of what was sent to the others.
        process_query_key: String,
        /// DingTalk's `invalidStaffIdList`.
        invalid_user_ids: Vec<String>,
        /// DingTalk's `flowControlledStaffIdList`.
        flow_controlled_user_ids: Vec<String>,
    },
    /// A reply through a conversation's session webhook after it expired; nothing was
    /// sent (send through the OpenAPI instead).
    #[error("the conversation's session webhook expired {ago_ms} ms ago")]
    SessionExpired {
        /// When it expired, in milliseconds since the Unix epoch.
        expired_at_ms: i64,
        /// How long ago, in milliseconds.
        ago_ms: i64,
    },

    // ----- transport -----
    /// The request did not complete in time.
    #[error("the request to DingTalk timed out")]
    Timeout,
    /// The request could not be sent or its answer not read (connection refused, reset,
    /// TLS failure, ...). Neither the message nor the cause contains the webhook URL.
    #[error("HTTP transport failed: {message}")]
    Transport {
        /// What failed, from the HTTP client, with the URL removed.
        message: String,
        /// The HTTP client's error, with its own causes (`source()`), URL removed.
        #[source]
        source: BoxError,
    },
    /// DingTalk (or a gateway in front of it) answered with a non-success HTTP status.
    #[error("DingTalk answered HTTP {status}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
    },
    /// The answer was not DingTalk's JSON (a gateway's HTML page, say).
    #[error("DingTalk's answer is not valid JSON (HTTP {status}): {snippet:?}")]
    InvalidResponse {
        /// The HTTP status code.
        status: u16,
        /// The first bytes of the body, lossily decoded.
        snippet: String,
    },
    /// Every attempt failed; the last error is the reason, and each attempt's error is kept.
    #[error("gave up after {} attempts: {}", attempts.len(), AttemptList(attempts))]
    RetriesExhausted {
        /// Each attempt's error, in order.
        attempts: Vec<Error>,
    },
    /// The robot is throttled (or its pacing window is full, or Redis pacing fences
    /// it) and the send policy is to fail fast, or a bounded wait
    /// ([`Pacing::WaitAtMost`](crate::Pacing::WaitAtMost)) ran out: a slot frees after
    /// `retry_after`.
    #[error("the robot cannot send now; a slot frees in {:.1}s", retry_after.as_secs_f64())]
    RateLimited {
        /// How long until a send may go out.
        retry_after: Duration,
        /// Whether DingTalk itself throttled the robot (true) or dingbot's own pacing
        /// held the send back (false).
        throttled: bool,
    },
    /// Pacing through Redis ([`RobotBuilder::redis_pacing`](crate::RobotBuilder::redis_pacing))
    /// could not get an answer from Redis, and the robot's policy is to fail fast
    /// ([`Pacing::FailFast`](crate::Pacing::FailFast)) or its bounded wait ran out
    /// ([`Pacing::WaitAtMost`](crate::Pacing::WaitAtMost)); with
    /// [`Pacing::Wait`](crate::Pacing::Wait) the send waits and asks Redis again
    /// instead. Also, whatever the policy, when Redis refused the credentials in the
    /// URL (the message says so; not [retryable](Error::is_retryable): fix the URL), and
    /// when Redis' answer was not one its script gives (the message says it was not
    /// understood). Nothing was sent: a robot never sends without a slot from the
    /// shared window. Neither the message nor the cause contains the Redis password.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    #[error("{message}")]
    Redis {
        /// What failed, with the Redis server's address (password masked).
        message: String,
        /// Redis' error, its text with the password masked.
        #[source]
        source: BoxError,
    },
    /// A [`Digest`](crate::Digest) already holds as many events as it may; this one was
    /// refused, counted, and will be reported in the next summary.
    #[error("the digest already holds {held} events; this one was dropped (and will be reported)")]
    DigestFull {
        /// How many events are waiting.
        held: usize,
    },
    /// The [`Digest`](crate::Digest) has been closed.
    #[error("the digest is closed")]
    DigestClosed,
    /// A runtime problem: something that needs a Tokio runtime was called outside one,
    /// the blocking robot was called from inside one, or its runtime could not start.
    #[error("{message}")]
    Runtime {
        /// What went wrong.
        message: String,
    },
}

struct AttemptList<'a>(&'a [Error]);

impl fmt::Display for AttemptList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, err) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "#{}: {}", i + 1, err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
