//! The message types generated code builds, and the keyword it carries.

pub use crate::message::{ActionCard, Button, DingMessage, Markdown, Message, Orientation, Text};
pub use crate::message::{ButtonList, MentionList};

/// The message of a type with `#[ding(keyword = "...")]`: carrying the keyword where
/// DingTalk looks for it.
pub fn carry_keyword(msg: Message, keyword: &str) -> Message {
    crate::keywords::carry(msg, keyword)
}
