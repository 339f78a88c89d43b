//! [`ConversationType`]: DingTalk's `"1"` and `"2"`, named.

use serde::{Deserialize, Deserializer};

/// Where a message was written: DingTalk's `conversationType`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConversationType {
    /// `"1"`: a one-to-one chat with the robot.
    OneToOne,
    /// `"2"`: a group.
    #[default]
    Group,
    /// A value DingTalk has not been seen to send, as sent.
    Other(String),
}

impl ConversationType {
    /// DingTalk's code for it: `"1"`, `"2"`, or the unknown value.
    pub fn code(&self) -> &str {
        match self {
            ConversationType::OneToOne => "1",
            ConversationType::Group => "2",
            ConversationType::Other(code) => code,
        }
    }

    /// Whether it is a group.
    pub fn is_group(&self) -> bool {
        *self == ConversationType::Group
    }

    /// Reads DingTalk's code.
    pub fn from_code(code: &str) -> ConversationType {
        match code {
            "1" => ConversationType::OneToOne,
            "2" => ConversationType::Group,
            other => ConversationType::Other(other.to_owned()),
        }
    }
}

impl<'de> Deserialize<'de> for ConversationType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A string as documented; a number is accepted too.
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(match value {
            serde_json::Value::String(code) => ConversationType::from_code(&code),
            other => ConversationType::from_code(&other.to_string()),
        })
    }
}
