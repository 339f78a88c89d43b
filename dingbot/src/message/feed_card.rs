//! [`FeedCard`]: a list of link cards.

use serde::{Deserialize, Serialize};

use super::{check_text, check_url};
use crate::error::Error;

/// One entry of a [`FeedCard`]: `{"title", "messageURL", "picURL"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedLink {
    title: String,
    #[serde(rename = "messageURL")]
    message_url: String,
    #[serde(rename = "picURL")]
    pic_url: String,
}

impl FeedLink {
    /// An entry with a title, the URL it opens and its picture (URLs are trimmed of
    /// surrounding whitespace).
    pub fn new(
        title: impl Into<String>,
        message_url: impl Into<String>,
        pic_url: impl Into<String>,
    ) -> Self {
        FeedLink {
            title: title.into(),
            message_url: super::trimmed(message_url),
            pic_url: super::trimmed(pic_url),
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The URL it opens.
    pub fn message_url(&self) -> &str {
        &self.message_url
    }

    /// The picture's URL.
    pub fn pic_url(&self) -> &str {
        &self.pic_url
    }

    /// Puts `prefix` and a space before the title.
    pub(crate) fn prefix_title(&mut self, prefix: &str) {
        self.title = format!("{prefix} {}", self.title);
    }
}

/// A list of link cards with pictures (`msgtype: "feedCard"`).
///
/// ```
/// use dingbot::FeedCard;
///
/// let feed = FeedCard::new()
///     .link("Q3 report", "https://example.com/q3", "https://example.com/q3.png")
///     .link("Q4 plan", "https://example.com/q4", "https://example.com/q4.png");
/// assert_eq!(feed.links().len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedCard {
    pub(crate) links: Vec<FeedLink>,
}

impl FeedCard {
    /// An empty feed; add at least one [`link`](Self::link).
    pub fn new() -> Self {
        FeedCard::default()
    }

    /// Adds an entry.
    #[must_use]
    pub fn link(
        mut self,
        title: impl Into<String>,
        message_url: impl Into<String>,
        pic_url: impl Into<String>,
    ) -> Self {
        self.links.push(FeedLink::new(title, message_url, pic_url));
        self
    }

    /// The entries.
    pub fn links(&self) -> &[FeedLink] {
        &self.links
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.links.is_empty() {
            return Err(Error::InvalidMessage {
                field: "feedCard.links".into(),
                reason: "is empty".into(),
            });
        }
        for (i, l) in self.links.iter().enumerate() {
            check_text(&format!("feedCard.links[{i}].title"), &l.title)?;
            check_url(&format!("feedCard.links[{i}].messageURL"), &l.message_url)?;
            check_url(&format!("feedCard.links[{i}].picURL"), &l.pic_url)?;
        }
        Ok(())
    }
}
