//! [`AppRobot`]: a robot that belongs to an enterprise app (企业内部应用机器人), sending
//! through DingTalk's OpenAPI with an app key, secret and access token — to groups, to
//! people one to one, and recalling what it sent.
//!
//! | file | owns |
//! |---|---|
//! | `facts.rs` | the OpenAPI's paths, header, limits and message templates, written once (the emulator reads them too) |
//! | `message.rs` | [`AppMessage`]: a message as a template and its `msgParam`, both ways |
//! | `token.rs` | the access token: cached, renewed early, one fetch at a time |
//! | `wire.rs` | one answer read: JSON, or DingTalk's error with whether to ask again |
//! | `call.rs` | one call: pace, token, post, refresh once on an invalid token, retry |
//! | `builder.rs` | [`AppRobotBuilder`] |

use std::fmt;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::clock::Clock;
use crate::error::Error;
use crate::pace::{Pacer, Pacing};
use crate::retry::RetryPolicy;

mod builder;
mod call;
pub(crate) mod facts;
mod message;
mod token;
mod wire;

pub use builder::AppRobotBuilder;
pub use facts::{DEFAULT_OPENAPI, MAX_MSG_PARAM_BYTES, MAX_USER_IDS};
pub use message::{AppMessage, ToAppMessage};

/// A robot of an enterprise app, sending through DingTalk's OpenAPI.
///
/// It fetches the app's access token (`/v1.0/oauth2/accessToken`) and keeps it until
/// shortly before it expires, one fetch at a time for all its clones; a token the
/// OpenAPI refuses is fetched anew once. Messages are the webhook robot's — [`Text`](crate::Text),
/// [`Markdown`](crate::Markdown), [`Link`](crate::Link), [`ActionCard`](crate::ActionCard)
/// and every `#[derive(DingMessage)]` — mapped to the OpenAPI's templates by
/// [`AppMessage`] (which says what cannot be mapped). Sends are paced per app
/// ([`AppRobotBuilder::rate_limit`], 20 a second by default). The OpenAPI has no
/// idempotency key, so only failures that posted nothing are retried: no connection,
/// flow control, a gateway's 502/503/504 (see [`RetryPolicy`]).
///
/// Cheap to clone, `Send + Sync`; its `Debug` never shows the secret or the token.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use dingbot::{AppRobot, Markdown, Text, mock::MockServer};
///
/// let server = MockServer::builder().app("ding-key", "app-secret", "ding-robot").start().await?;
/// let robot = AppRobot::builder("ding-key", "app-secret", "ding-robot")
///     .openapi_url(server.base_url())
///     .build()?;
/// let sent = robot.send_to_group("cid-ops", &Markdown::new("Deploy", "**api** v42")).await?;
/// robot.send_to_users(["user-1", "user-2"], &Text::new("your deploy is live")).await?;
/// robot.recall(&sent).await?;
/// assert_eq!(server.app_messages().len(), 2);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct AppRobot {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) app_key: String,
    pub(crate) robot_code: String,
    pub(crate) openapi: String,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: token::Tokens,
    pub(crate) retry: RetryPolicy,
    pub(crate) clock: Clock,
    pub(crate) pacing: Pacing,
    pub(crate) pacer: Pacer,
}

impl fmt::Debug for AppRobot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppRobot")
            .field("app_key", &self.inner.app_key)
            .field("app_secret", &"***")
            .field("robot_code", &self.inner.robot_code)
            .field("openapi", &self.inner.openapi)
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.pacing)
            .field("window", &self.inner.pacer)
            .finish_non_exhaustive()
    }
}

/// Where a message went.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AppTarget {
    /// A group, by its `openConversationId`.
    Group(String),
    /// Users, one to one, by their user ids (staff ids).
    Users(Vec<String>),
}

/// What a successful app send returns: the key DingTalk gave it, to recall it by.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppSent {
    /// DingTalk's `processQueryKey`.
    pub process_query_key: String,
    /// Where it went.
    pub target: AppTarget,
    /// How many attempts it took.
    pub attempts: u32,
}

impl AppRobot {
    /// A builder for this app's robot: the app key (AppKey / Client ID), the app secret,
    /// and the robot code (the robot's `robotCode`, often the app key itself).
    pub fn builder(
        app_key: impl AsRef<str>,
        app_secret: impl AsRef<str>,
        robot_code: impl AsRef<str>,
    ) -> AppRobotBuilder {
        AppRobotBuilder::new(app_key.as_ref(), app_secret.as_ref(), robot_code.as_ref())
    }

    /// A robot from `DINGTALK_APP_KEY`, `DINGTALK_APP_SECRET`, `DINGTALK_ROBOT_CODE` (and
    /// `DINGTALK_OPENAPI_ENDPOINT` if set); see [`AppRobotBuilder::from_env`].
    pub fn from_env() -> Result<AppRobot, Error> {
        AppRobotBuilder::from_env()?.build()
    }

    /// The robot code messages are sent as.
    pub fn robot_code(&self) -> &str {
        &self.inner.robot_code
    }

    /// Sends a message to a group (`POST /v1.0/robot/groupMessages/send`), by the
    /// group's `openConversationId`; the robot must be in the group.
    pub async fn send_to_group<M: ToAppMessage + ?Sized>(
        &self,
        open_conversation_id: &str,
        msg: &M,
    ) -> Result<AppSent, Error> {
        crate::client::runtime::check_async("AppRobot::send_to_group")?;
        if open_conversation_id.trim().is_empty() {
            return Err(Error::InvalidAppRequest {
                reason: "the openConversationId is empty".into(),
            });
        }
        let msg = msg.to_app_message()?;
        let body = json!({
            "robotCode": self.inner.robot_code,
            "openConversationId": open_conversation_id,
            "msgKey": msg.msg_key(),
            "msgParam": msg.msg_param(),
        });
        let (answer, attempts) = self.call(facts::GROUP_SEND_PATH, &body).await?;
        Ok(AppSent {
            process_query_key: query_key(&answer)?,
            target: AppTarget::Group(open_conversation_id.to_owned()),
            attempts,
        })
    }

    /// Sends a message to each of `user_ids` one to one
    /// (`POST /v1.0/robot/oToMessages/batchSend`): at most [`MAX_USER_IDS`] (20) a
    /// call — more is an [`Error::InvalidAppRequest`], not split, so one call is one
    /// `processQueryKey` to recall. When DingTalk answers that some users were unknown
    /// or flow-controlled, the others got it and the call fails with
    /// [`Error::UsersNotReached`], which lists them.
    pub async fn send_to_users<I, S, M>(&self, user_ids: I, msg: &M) -> Result<AppSent, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        M: ToAppMessage + ?Sized,
    {
        crate::client::runtime::check_async("AppRobot::send_to_users")?;
        let users: Vec<String> = user_ids
            .into_iter()
            .map(|s| s.as_ref().to_owned())
            .collect();
        if users.is_empty() || users.len() > MAX_USER_IDS {
            return Err(Error::InvalidAppRequest {
                reason: format!(
                    "a one-to-one send names 1 to {MAX_USER_IDS} users, this one {}: send in \
                     batches of {MAX_USER_IDS}",
                    users.len()
                ),
            });
        }
        if users.iter().any(|u| u.trim().is_empty()) {
            return Err(Error::InvalidAppRequest {
                reason: "a user id is empty".into(),
            });
        }
        let msg = msg.to_app_message()?;
        let body = json!({
            "robotCode": self.inner.robot_code,
            "userIds": users,
            "msgKey": msg.msg_key(),
            "msgParam": msg.msg_param(),
        });
        let (answer, attempts) = self.call(facts::USERS_SEND_PATH, &body).await?;
        let process_query_key = query_key(&answer)?;
        let list = |name: &str| -> Vec<String> {
            answer[name]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (invalid, flow) = (
            list("invalidStaffIdList"),
            list("flowControlledStaffIdList"),
        );
        if !invalid.is_empty() || !flow.is_empty() {
            return Err(Error::UsersNotReached {
                process_query_key,
                invalid_user_ids: invalid,
                flow_controlled_user_ids: flow,
            });
        }
        Ok(AppSent {
            process_query_key,
            target: AppTarget::Users(users),
            attempts,
        })
    }

    /// Recalls a message this robot sent (`groupMessages/recall` for a group,
    /// `otoMessages/batchRecall` one to one). A key DingTalk could not recall is an
    /// [`Error::AppApi`] naming it.
    pub async fn recall(&self, sent: &AppSent) -> Result<(), Error> {
        crate::client::runtime::check_async("AppRobot::recall")?;
        let keys = [sent.process_query_key.as_str()];
        let (path, body) = match &sent.target {
            AppTarget::Group(cid) => (
                facts::GROUP_RECALL_PATH,
                json!({ "robotCode": self.inner.robot_code, "openConversationId": cid,
                        "processQueryKeys": keys }),
            ),
            AppTarget::Users(_) => (
                facts::USERS_RECALL_PATH,
                json!({ "robotCode": self.inner.robot_code, "processQueryKeys": keys }),
            ),
        };
        let (answer, _) = self.call(path, &body).await?;
        match answer.get("failedResult").and_then(Value::as_object) {
            Some(failed) if !failed.is_empty() => Err(Error::AppApi {
                status: 200,
                code: "recall.failed".into(),
                message: failed
                    .iter()
                    .map(|(key, why)| format!("{key}: {}", why.as_str().unwrap_or("refused")))
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
            _ => Ok(()),
        }
    }
}

fn query_key(answer: &Value) -> Result<String, Error> {
    answer["processQueryKey"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::InvalidResponse {
            status: 200,
            snippet: "the answer has no processQueryKey".into(),
        })
}
