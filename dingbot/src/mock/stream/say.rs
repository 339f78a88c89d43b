//! [`Say`]: what a group member writes to the robot, made into DingTalk's robot-message
//! frame with a fresh session webhook, and delivered.

use serde::Deserialize;

use super::hub::Hub;
use crate::frame::{BOT_MESSAGE_TOPIC, Frame, Headers};

/// What a group member says to the robot, for
/// [`MockServer::say`](crate::mock::MockServer::say) and `POST /mock/say` (the same
/// fields in JSON: `text`, `senderNick`, `senderStaffId`, `conversationId`,
/// `conversationType`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Say {
    /// What is written.
    pub text: String,
    /// The writer's display name (default `Mock User`).
    pub sender_nick: String,
    /// The writer's staff id (default `mock-staff`).
    pub sender_staff_id: String,
    /// The conversation (default `cid-mock-group`).
    pub conversation_id: String,
    /// `"2"` for a group (default), `"1"` one to one.
    pub conversation_type: String,
}

impl Default for Say {
    fn default() -> Say {
        Say {
            text: String::new(),
            sender_nick: "Mock User".to_owned(),
            sender_staff_id: "mock-staff".to_owned(),
            conversation_id: "cid-mock-group".to_owned(),
            conversation_type: "2".to_owned(),
        }
    }
}

impl Say {
    /// `text`, by the default sender in the default group.
    pub fn new(text: impl Into<String>) -> Say {
        Say {
            text: text.into(),
            ..Say::default()
        }
    }

    /// Said by this person (nick, staff id).
    pub fn by(mut self, nick: impl Into<String>, staff_id: impl Into<String>) -> Say {
        self.sender_nick = nick.into();
        self.sender_staff_id = staff_id.into();
        self
    }

    /// Said in this conversation (`"2"` a group, `"1"` one to one).
    pub fn in_conversation(mut self, id: impl Into<String>, kind: impl Into<String>) -> Say {
        self.conversation_id = id.into();
        self.conversation_type = kind.into();
        self
    }
}

impl From<&str> for Say {
    fn from(text: &str) -> Say {
        Say::new(text)
    }
}

impl From<String> for Say {
    fn from(text: String) -> Say {
        Say::new(text)
    }
}

/// Makes the frame and delivers it; how many sockets got it (0 or 1: it waits for the
/// next connection otherwise).
pub(crate) fn deliver(hub: &Hub, say: &Say, base: &str, now_ms: i64) -> usize {
    let expiry =
        now_ms.saturating_add(i64::try_from(hub.app.session_ttl.as_millis()).unwrap_or(i64::MAX));
    let session = hub.new_session(expiry);
    let robot_user = format!("$:LWCP_v1:$robot-{}", hub.app.client_id);
    let data = serde_json::json!({
        "conversationId": say.conversation_id,
        "conversationType": say.conversation_type,
        "conversationTitle": "mock group",
        "senderNick": say.sender_nick,
        "senderStaffId": say.sender_staff_id,
        "senderId": format!("$:LWCP_v1:${}", say.sender_staff_id),
        "senderCorpId": "ding-mock-corp",
        "chatbotCorpId": "ding-mock-corp",
        "chatbotUserId": robot_user,
        "robotCode": hub.app.client_id,
        "msgtype": "text",
        "text": {"content": say.text},
        "atUsers": [{"dingtalkId": robot_user}],
        "isInAtList": true,
        "isAdmin": false,
        "sessionWebhook": format!("{base}robot/sendBySession?session={session}"),
        "sessionWebhookExpiredTime": expiry,
        "createAt": now_ms,
        "msgId": format!("msg{}", uuid::Uuid::new_v4().simple()),
    });
    if let Some(url) = &hub.app.outgoing {
        return super::outgoing::post(url, &hub.app.client_secret, data.to_string(), now_ms);
    }
    let message_id = uuid::Uuid::new_v4().simple().to_string();
    let frame = Frame {
        spec_version: "1.0".to_owned(),
        kind: "CALLBACK".to_owned(),
        headers: Headers {
            topic: BOT_MESSAGE_TOPIC.to_owned(),
            message_id: message_id.clone(),
            content_type: "application/json".to_owned(),
            time: now_ms.to_string(),
        },
        data: data.to_string(),
    };
    let frame = serde_json::to_string(&frame).unwrap_or_default();
    hub.deliver(message_id, frame)
}
