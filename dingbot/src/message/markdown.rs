//! [`Markdown`]: a markdown message.

use super::{At, check_text};
use crate::error::Error;

/// A markdown message (`msgtype: "markdown"`), which may mention people.
///
/// `title` is what the conversation list and the notification show; `text` is the body,
/// in DingTalk's markdown subset. Build bodies with [`crate::markdown::Writer`], which
/// escapes untrusted text.
///
/// ```
/// use dingbot::Markdown;
///
/// let msg = Markdown::new("Deploy done", "#### Deploy done\n\n**service**: api").at_all();
/// assert!(msg.at().is_all());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Markdown {
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) at: At,
}

impl Markdown {
    /// A markdown message with a title (for notifications) and a markdown body.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Markdown {
            title: title.into(),
            text: text.into(),
            at: At::default(),
        }
    }

    /// The title shown in notifications.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The markdown body.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("markdown.title", &self.title)?;
        check_text("markdown.text", &self.text)?;
        super::check_mentions(&self.at)
    }
}

super::at::mention_builders!(Markdown, text, "\n\n", "\"Disk full\", \"**db-1**: 95%\"");
