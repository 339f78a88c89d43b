//! DingTalk's five message types, with serde that matches DingTalk's JSON exactly.
//!
//! Every type serializes to the **complete** request JSON (`msgtype`, the body under its
//! key, `at` beside it for text and markdown), and deserializes from it. The field
//! names are DingTalk's, casing quirks included (`messageUrl` on a link, `messageURL`
//! on a feed entry, `singleURL`, `actionURL`), and `btnOrientation` / `hideAvatar` are
//! the strings `"0"` / `"1"`. Empty optional parts are left out.
//!
//! ```
//! use dingbot::{Message, Markdown};
//!
//! let msg: Message = Markdown::new("Hangzhou weather", "**Sunny**, 9°C").at_mobiles(["150XXXXXXXX"]).into();
//! assert_eq!(
//!     serde_json::to_string(&msg).unwrap(),
//!     r#"{"msgtype":"markdown","markdown":{"title":"Hangzhou weather","text":"**Sunny**, 9°C"},"at":{"atMobiles":["150XXXXXXXX"],"isAtAll":false}}"#
//! );
//! let back: Message = serde_json::from_str(&serde_json::to_string(&msg).unwrap()).unwrap();
//! assert_eq!(back, msg);
//! ```

mod action_card;
mod at;
mod feed_card;
mod link;
mod lists;
mod markdown;
mod text;
mod validate;
mod wire;

pub use action_card::{ActionCard, Button, Orientation};
pub use at::At;
pub(crate) use at::{is_mention_id, push_unique, write_mentions};
pub use feed_card::{FeedCard, FeedLink};
pub use link::Link;
pub use lists::{ButtonList, MentionList};
pub use markdown::Markdown;
pub use text::Text;
pub(crate) use validate::{check_mentions, check_text, check_url, trimmed};
pub(crate) use wire::Wire;

use crate::error::Error;

/// Anything that can be sent as a DingTalk message.
///
/// [`Message`] and each message type implement it; `#[derive(DingMessage)]` implements
/// it for your own event types.
pub trait DingMessage {
    /// The message to send for this value.
    fn to_message(&self) -> Message;

    /// One line of plain text that stands for this value where many are listed, as in a
    /// [`Digest`](crate::Digest)'s summary of a burst: no line breaks, no markup (whoever
    /// shows it escapes it).
    ///
    /// By default the message's title, or for a text message the first line of its text
    /// (`None` when that is empty too). `#[derive(DingMessage)]` takes it from
    /// `#[ding(summary = "...")]` when given.
    ///
    /// ```
    /// use dingbot::{DingMessage, Markdown, Text};
    ///
    /// assert_eq!(Text::new("disk full\non db-1").summary().as_deref(), Some("disk full"));
    /// assert_eq!(
    ///     Markdown::new("Order 1843 failed", "#### Order 1843 failed").summary().as_deref(),
    ///     Some("Order 1843 failed")
    /// );
    /// ```
    fn summary(&self) -> Option<String> {
        self.to_message().default_summary()
    }
}

impl<T: DingMessage + ?Sized> DingMessage for &T {
    fn to_message(&self) -> Message {
        (**self).to_message()
    }

    fn summary(&self) -> Option<String> {
        (**self).summary()
    }
}

impl<T: DingMessage + ?Sized> DingMessage for Box<T> {
    fn to_message(&self) -> Message {
        (**self).to_message()
    }

    fn summary(&self) -> Option<String> {
        (**self).summary()
    }
}

impl<T: DingMessage + ?Sized> DingMessage for std::sync::Arc<T> {
    fn to_message(&self) -> Message {
        (**self).to_message()
    }

    fn summary(&self) -> Option<String> {
        (**self).summary()
    }
}

/// One DingTalk message of any type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// `msgtype: "text"`
    Text(Text),
    /// `msgtype: "link"`
    Link(Link),
    /// `msgtype: "markdown"`
    Markdown(Markdown),
    /// `msgtype: "actionCard"`
    ActionCard(ActionCard),
    /// `msgtype: "feedCard"`
    FeedCard(FeedCard),
}

impl DingMessage for Message {
    fn to_message(&self) -> Message {
        self.clone()
    }
}

macro_rules! message_type {
    ($($ty:ident),* $(,)?) => {$(
        impl From<$ty> for Message {
            fn from(m: $ty) -> Message {
                Message::$ty(m)
            }
        }

        impl DingMessage for $ty {
            fn to_message(&self) -> Message {
                Message::$ty(self.clone())
            }
        }
    )*};
}

message_type!(Text, Link, Markdown, ActionCard, FeedCard);

impl Message {
    /// DingTalk's `msgtype`: `text`, `link`, `markdown`, `actionCard` or `feedCard`.
    pub fn msgtype(&self) -> &'static str {
        self.as_ref().msgtype()
    }

    /// The title shown in notifications; a text message has none.
    pub fn title(&self) -> Option<&str> {
        match self {
            Message::Text(_) => None,
            Message::Link(m) => Some(&m.title),
            Message::Markdown(m) => Some(&m.title),
            Message::ActionCard(m) => Some(&m.title),
            Message::FeedCard(m) => m.links.first().map(FeedLink::title),
        }
    }

    /// [`DingMessage::summary`]'s default: the title, or a text message's first line,
    /// with whitespace runs (line breaks included) made one space.
    fn default_summary(&self) -> Option<String> {
        let line = match self.title() {
            Some(title) => title,
            None => self.body()?.lines().find(|l| !l.trim().is_empty())?,
        };
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        (!line.is_empty()).then_some(line)
    }

    /// The main text: a text message's content, or the body of a link, markdown or
    /// action card. A feed card has none.
    pub fn body(&self) -> Option<&str> {
        match self {
            Message::Text(m) => Some(&m.content),
            Message::Link(m) => Some(&m.text),
            Message::Markdown(m) => Some(&m.text),
            Message::ActionCard(m) => Some(&m.text),
            Message::FeedCard(_) => None,
        }
    }

    /// Who the message mentions; only text and markdown messages can mention anyone.
    pub fn at(&self) -> Option<&At> {
        match self {
            Message::Text(m) => Some(&m.at),
            Message::Markdown(m) => Some(&m.at),
            _ => None,
        }
    }

    /// Checks what DingTalk would reject or silently mangle: empty text, titles or URLs,
    /// URLs that are not `http(s)://` or `dingtalk://`, an action card without buttons or
    /// with both kinds, an empty feed card.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Message::Text(m) => m.validate(),
            Message::Link(m) => m.validate(),
            Message::Markdown(m) => m.validate(),
            Message::ActionCard(m) => m.validate(),
            Message::FeedCard(m) => m.validate(),
        }
    }

    /// Writes `@<mobile>` / `@<userId>` into the body for every mentioned person whose
    /// mention is not there yet, so that DingTalk actually notifies them.
    ///
    /// [`Payload`](crate::Payload) does this for every message it encodes; call it
    /// yourself only to see the body as it will be sent.
    ///
    /// ```
    /// use dingbot::{Message, Text};
    ///
    /// let mut msg: Message = Text::new("db-1 is down, @13800000000 please look")
    ///     .at_mobiles(["13800000000", "13900000000"])
    ///     .into();
    /// msg.notify_mentions();
    /// assert_eq!(msg.body(), Some("db-1 is down, @13800000000 please look @13900000000"));
    /// ```
    pub fn notify_mentions(&mut self) {
        if let Some(body) = self.body_with_mentions() {
            match self {
                Message::Text(m) => m.content = body,
                Message::Markdown(m) => m.text = body,
                _ => {}
            }
        }
    }

    /// The body with the missing mentions appended, or `None` when none is missing.
    pub(crate) fn body_with_mentions(&self) -> Option<String> {
        match self {
            Message::Text(m) => at::body_with_mentions(&m.content, &m.at, " "),
            Message::Markdown(m) => at::body_with_mentions(&m.text, &m.at, "\n\n"),
            _ => None,
        }
    }

    /// Adds everyone `at` mentions to the message, and writes the `@mobile` / `@userId`
    /// that are not in its body yet into it, so that they are notified: mentions decided
    /// when the message is sent (who is on call, which route), not by the event.
    ///
    /// Only text and markdown messages can mention anyone: for a link, action card or
    /// feed card that `at` would mention someone, this is [`Error::InvalidMessage`]
    /// (with nobody to mention, the message is returned as it is).
    ///
    /// ```
    /// use dingbot::{At, DingMessage, Message, Text};
    ///
    /// let oncall = ["13800000000"];
    /// let msg = Text::new("db-1: disk full").to_message().with_at(At::mobiles(oncall))?;
    /// assert_eq!(msg.body(), Some("db-1: disk full @13800000000"));
    ///
    /// let card = dingbot::ActionCard::new("Deploy", "ready").button("Approve", "https://a.example/ok");
    /// let err = Message::from(card).with_at(At::mobiles(oncall)).unwrap_err();
    /// assert!(err.to_string().contains("cannot mention"), "{err}");
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn with_at(self, at: At) -> Result<Message, Error> {
        match self {
            Message::Text(m) => Ok(Message::Text(m.with_at(at))),
            Message::Markdown(m) => Ok(Message::Markdown(m.with_at(at))),
            other if at.is_empty() => Ok(other),
            other => Err(Error::InvalidMessage {
                field: "at".to_owned(),
                reason: format!(
                    "cannot mention anyone from a {} message: DingTalk delivers mentions only with \
                     text and markdown messages; send a markdown message, or leave the mentions out",
                    other.msgtype()
                ),
            }),
        }
    }

    pub(crate) fn as_ref(&self) -> MessageRef<'_> {
        match self {
            Message::Text(m) => MessageRef::Text(m),
            Message::Link(m) => MessageRef::Link(m),
            Message::Markdown(m) => MessageRef::Markdown(m),
            Message::ActionCard(m) => MessageRef::ActionCard(m),
            Message::FeedCard(m) => MessageRef::FeedCard(m),
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) enum MessageRef<'a> {
    Text(&'a Text),
    Link(&'a Link),
    Markdown(&'a Markdown),
    ActionCard(&'a ActionCard),
    FeedCard(&'a FeedCard),
}

impl MessageRef<'_> {
    pub(super) fn msgtype(self) -> &'static str {
        match self {
            MessageRef::Text(_) => "text",
            MessageRef::Link(_) => "link",
            MessageRef::Markdown(_) => "markdown",
            MessageRef::ActionCard(_) => "actionCard",
            MessageRef::FeedCard(_) => "feedCard",
        }
    }
}
