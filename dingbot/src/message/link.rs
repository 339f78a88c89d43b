//! [`Link`]: a link card.

use super::{check_text, check_url};
use crate::error::Error;

/// A link card (`msgtype: "link"`): title, summary, the page it opens, an optional picture.
///
/// ```
/// use dingbot::Link;
///
/// let card = Link::new("Release 2.4", "What changed this week", "https://example.com/notes")
///     .pic_url("https://example.com/cover.png");
/// assert_eq!(card.get_pic_url(), Some("https://example.com/cover.png"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) message_url: String,
    pub(crate) pic_url: Option<String>,
}

impl Link {
    /// A link card with a title, a summary and the URL it opens (URLs are trimmed of
    /// surrounding whitespace).
    pub fn new(
        title: impl Into<String>,
        text: impl Into<String>,
        message_url: impl Into<String>,
    ) -> Self {
        Link {
            title: title.into(),
            text: text.into(),
            message_url: super::trimmed(message_url),
            pic_url: None,
        }
    }

    /// Shows this picture on the card (a public http(s) URL).
    #[must_use]
    pub fn pic_url(mut self, url: impl Into<String>) -> Self {
        self.pic_url = Some(super::trimmed(url));
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The summary text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The URL the card opens.
    pub fn message_url(&self) -> &str {
        &self.message_url
    }

    /// The picture's URL, if any (set by [`pic_url`](Self::pic_url)).
    pub fn get_pic_url(&self) -> Option<&str> {
        self.pic_url.as_deref()
    }

    /// The picture's URL, if any.
    #[deprecated(since = "0.2.0", note = "renamed to `get_pic_url`, after its setter")]
    pub fn pic(&self) -> Option<&str> {
        self.get_pic_url()
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("link.title", &self.title)?;
        check_text("link.text", &self.text)?;
        check_url("link.messageUrl", &self.message_url)?;
        if let Some(pic) = &self.pic_url {
            check_url("link.picUrl", pic)?;
        }
        Ok(())
    }
}
