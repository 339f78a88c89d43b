//! [`IncomingMessage`]: what a person wrote to an app robot, as DingTalk hands it over in
//! Stream mode (the `data` of a `/v1.0/im/bot/messages/get` frame) and in an Outgoing
//! callback's body; and the reply through its session webhook (`reply.rs`).
//!
//! Serde only: usable without the `stream` feature (an Outgoing callback served by any
//! web framework reads the same JSON).

use serde::Deserialize;

use crate::redacted::Redacted;

mod conversation;
mod reply;

pub use conversation::ConversationType;
pub use reply::Session;

/// A message a person wrote to the robot (in a group, with an @-mention; or one to one).
///
/// Read from DingTalk's JSON with serde; fields DingTalk leaves out are empty. The session
/// webhook, which lets anyone holding it post to the conversation until it expires, is
/// never printed.
///
/// ```
/// let msg: dingbot::IncomingMessage = serde_json::from_str(r#"{
///     "msgtype": "text", "text": {"content": " silence HighLatency 2h"},
///     "senderNick": "Li Lei", "senderStaffId": "0101", "conversationId": "cid1",
///     "conversationType": "2", "isInAtList": true, "robotCode": "ding123",
///     "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=abc",
///     "sessionWebhookExpiredTime": 1700000000000, "msgId": "m1", "createAt": 1699999000000
/// }"#).unwrap();
/// assert_eq!(msg.text(), "silence HighLatency 2h");
/// assert!(msg.conversation_type.is_group() && msg.is_in_at_list);
/// assert!(!format!("{msg:?}").contains("session=abc"));
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct IncomingMessage {
    /// DingTalk's id of this message.
    pub msg_id: String,
    /// The message type: `text` for what [`text`](Self::text) reads; `richText`,
    /// `picture`, `audio`, `file` and others carry no text here.
    pub msgtype: String,
    /// The text as DingTalk sends it (`text.content`), when it is a text message.
    #[serde(rename = "text")]
    pub text_content: Option<TextContent>,
    /// The writer's display name in the conversation.
    pub sender_nick: String,
    /// The writer's staff id (`userid`) in the robot's organisation; empty for a person
    /// of another organisation.
    pub sender_staff_id: String,
    /// The writer's DingTalk id (encrypted, per app).
    pub sender_id: String,
    /// Whether the writer is an administrator of the group.
    pub is_admin: bool,
    /// The conversation's id (`openConversationId` for the OpenAPI).
    pub conversation_id: String,
    /// A group or a one-to-one chat.
    pub conversation_type: ConversationType,
    /// The group's title (empty one to one).
    pub conversation_title: String,
    /// The users the message @-mentions, the robot included.
    pub at_users: Vec<AtUser>,
    /// Whether the robot was @-mentioned (always true in a group: a robot only hears
    /// messages that mention it).
    pub is_in_at_list: bool,
    /// The robot's own user id in the conversation (what its @-mention names).
    pub chatbot_user_id: String,
    /// The robot's code (the app's robot code, for the OpenAPI).
    pub robot_code: String,
    /// The URL that posts a reply into the conversation, no signature needed, until
    /// [`session_webhook_expired_time`](Self::session_webhook_expired_time).
    pub session_webhook: Redacted,
    /// When the session webhook stops working, in milliseconds since the Unix epoch.
    pub session_webhook_expired_time: i64,
    /// When the message was written, in milliseconds since the Unix epoch.
    pub create_at: i64,
}

/// The `text` object of a text message.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct TextContent {
    /// The text, as written (the robot's @-mention removed by DingTalk, leading spaces
    /// kept).
    #[serde(default)]
    pub content: String,
}

/// A user @-mentioned in an [`IncomingMessage`].
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AtUser {
    /// The user's DingTalk id (encrypted, per app).
    pub dingtalk_id: String,
    /// The user's staff id, when the user is of the robot's organisation.
    pub staff_id: Option<String>,
}

impl IncomingMessage {
    /// The text, trimmed; empty for a message that is not text.
    pub fn text(&self) -> &str {
        self.text_content
            .as_ref()
            .map_or("", |text| text.content.trim())
    }

    /// Whether the robot was @-mentioned: [`is_in_at_list`](Self::is_in_at_list), or its
    /// user id among [`at_users`](Self::at_users).
    pub fn mentions_robot(&self) -> bool {
        self.is_in_at_list
            || (!self.chatbot_user_id.is_empty()
                && self
                    .at_users
                    .iter()
                    .any(|user| user.dingtalk_id == self.chatbot_user_id))
    }

    /// The conversation's session: where [`reply`](Self::reply) posts, until when.
    pub fn session(&self) -> Session {
        Session::new(
            self.session_webhook.clone(),
            self.session_webhook_expired_time,
        )
    }
}
