//! [`Text`]: a plain text message.

use super::{At, check_text};
use crate::error::Error;

/// A plain text message (`msgtype: "text"`), which may mention people.
///
/// ```
/// use dingbot::{Message, Text};
///
/// let msg: Message = Text::new("Disk almost full on db-1").at_mobiles(["13800000000"]).into();
/// let json = serde_json::to_value(&msg).unwrap();
/// assert_eq!(json["text"]["content"], "Disk almost full on db-1");
/// assert_eq!(json["at"]["atMobiles"][0], "13800000000");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub(crate) content: String,
    pub(crate) at: At,
}

impl Text {
    /// A text message with this content.
    pub fn new(content: impl Into<String>) -> Self {
        Text {
            content: content.into(),
            at: At::default(),
        }
    }

    /// The text.
    pub fn content(&self) -> &str {
        &self.content
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("text.content", &self.content)?;
        super::check_mentions(&self.at)
    }
}

super::at::mention_builders!(Text, content, " ", "\"db-1: disk full\"");
