//! The Stream protocol's frames: what the server sends, and the acknowledgement each one
//! gets. Shared by the client and the emulator.

use serde::{Deserialize, Serialize};

/// The topic of a robot message.
pub const BOT_MESSAGE_TOPIC: &str = "/v1.0/im/bot/messages/get";

/// A frame from the server: `SYSTEM`, `EVENT` or `CALLBACK`, its headers, its data (a
/// JSON document in a string).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Frame {
    pub(crate) spec_version: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) headers: Headers,
    pub(crate) data: String,
}

/// The headers the client reads; others are ignored.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct Headers {
    pub(crate) topic: String,
    pub(crate) message_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) content_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) time: String,
}

/// The acknowledgement of a frame.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Ack {
    pub(crate) code: u16,
    #[serde(default)]
    pub(crate) headers: AckHeaders,
    #[serde(default)]
    pub(crate) message: String,
    #[serde(default)]
    pub(crate) data: String,
}

/// An acknowledgement's headers.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct AckHeaders {
    pub(crate) message_id: String,
    pub(crate) content_type: String,
}

impl Ack {
    /// `200 OK` for the frame with `message_id`, with `data`.
    #[cfg_attr(not(feature = "stream"), allow(dead_code))]
    pub(crate) fn ok(message_id: &str, data: String) -> Ack {
        Ack {
            code: 200,
            headers: AckHeaders {
                message_id: message_id.to_owned(),
                content_type: "application/json".to_owned(),
            },
            message: "OK".to_owned(),
            data,
        }
    }
}
