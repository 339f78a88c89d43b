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

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use action_card::{ActionCard, Button, Orientation};
pub use at::At;
pub(crate) use at::{is_mention_id, push_unique, write_mentions};
pub use feed_card::{FeedCard, FeedLink};
pub use link::Link;
pub use lists::{ButtonList, MentionList};
pub use markdown::Markdown;
pub use text::Text;

use crate::error::Error;

/// Anything that can be sent as a DingTalk message.
///
/// [`Message`] and each message type implement it; `#[derive(DingMessage)]` implements
/// it for your own event types.
pub trait DingMessage {
    /// The message to send for this value.
    fn to_message(&self) -> Message;
}

impl<T: DingMessage + ?Sized> DingMessage for &T {
    fn to_message(&self) -> Message {
        (**self).to_message()
    }
}

impl<T: DingMessage + ?Sized> DingMessage for Box<T> {
    fn to_message(&self) -> Message {
        (**self).to_message()
    }
}

impl<T: DingMessage + ?Sized> DingMessage for std::sync::Arc<T> {
    fn to_message(&self) -> Message {
        (**self).to_message()
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
    ($($ty:ident => $tag:literal),* $(,)?) => {$(
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

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                Wire::new(MessageRef::$ty(self)).serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                match Message::deserialize(d)? {
                    Message::$ty(m) => Ok(m),
                    other => Err(D::Error::custom(format_args!(
                        "expected msgtype \"{}\", found \"{}\"",
                        $tag,
                        other.msgtype()
                    ))),
                }
            }
        }
    )*};
}

message_type!(Text => "text", Link => "link", Markdown => "markdown", ActionCard => "actionCard", FeedCard => "feedCard");

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
        let (body, at, separator) = match self {
            Message::Text(m) => (&m.content, &m.at, " "),
            Message::Markdown(m) => (&m.text, &m.at, "\n\n"),
            _ => return None,
        };
        let missing = at.missing_in(body);
        if missing.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(body.len() + missing.len() * 14 + 2);
        out.push_str(body);
        if !body.is_empty() && !body.ends_with(char::is_whitespace) {
            out.push_str(separator);
        } else if separator == "\n\n" && !body.is_empty() && !body.ends_with("\n\n") {
            out.push('\n');
        }
        write_mentions(&mut out, missing);
        Some(out)
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

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire::new(self.as_ref()).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WireIn::deserialize(d)?
            .into_message()
            .map_err(D::Error::custom)
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
    fn msgtype(self) -> &'static str {
        match self {
            MessageRef::Text(_) => "text",
            MessageRef::Link(_) => "link",
            MessageRef::Markdown(_) => "markdown",
            MessageRef::ActionCard(_) => "actionCard",
            MessageRef::FeedCard(_) => "feedCard",
        }
    }
}

// ----- the JSON, out -----

#[derive(Serialize, Deserialize)]
struct TextBody<S> {
    content: S,
}

#[derive(Serialize, Deserialize)]
struct MarkdownBody<S> {
    title: S,
    text: S,
}

#[derive(Serialize, Deserialize)]
struct LinkBody<S> {
    title: S,
    text: S,
    #[serde(rename = "messageUrl")]
    message_url: S,
    #[serde(rename = "picUrl", default, skip_serializing_if = "Option::is_none")]
    pic_url: Option<S>,
}

#[derive(Serialize, Deserialize)]
struct ActionCardBody<S, B> {
    title: S,
    text: S,
    #[serde(
        rename = "btnOrientation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    orientation: Option<Orientation>,
    #[serde(
        rename = "hideAvatar",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    hide_avatar: Option<Flag>,
    #[serde(
        rename = "singleTitle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    single_title: Option<S>,
    #[serde(rename = "singleURL", default, skip_serializing_if = "Option::is_none")]
    single_url: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    btns: Option<B>,
}

#[derive(Serialize, Deserialize)]
struct FeedCardBody<L> {
    links: L,
}

/// The request JSON of one message, borrowing from it.
#[derive(Serialize)]
pub(crate) struct Wire<'a> {
    msgtype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<TextBody<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<LinkBody<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<MarkdownBody<&'a str>>,
    #[serde(rename = "actionCard", skip_serializing_if = "Option::is_none")]
    action_card: Option<ActionCardBody<&'a str, &'a [Button]>>,
    #[serde(rename = "feedCard", skip_serializing_if = "Option::is_none")]
    feed_card: Option<FeedCardBody<&'a [FeedLink]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<&'a At>,
    #[serde(rename = "msgUuid", skip_serializing_if = "Option::is_none")]
    msg_uuid: Option<&'a str>,
}

impl<'a> Wire<'a> {
    pub(crate) fn new(msg: MessageRef<'a>) -> Self {
        let mut wire = Wire {
            msgtype: msg.msgtype(),
            text: None,
            link: None,
            markdown: None,
            action_card: None,
            feed_card: None,
            at: None,
            msg_uuid: None,
        };
        let at = |at: &'a At| (!at.is_empty()).then_some(at);
        match msg {
            MessageRef::Text(m) => {
                wire.text = Some(TextBody {
                    content: &m.content,
                });
                wire.at = at(&m.at);
            }
            MessageRef::Link(m) => {
                wire.link = Some(LinkBody {
                    title: &m.title,
                    text: &m.text,
                    message_url: &m.message_url,
                    pic_url: m.pic_url.as_deref(),
                });
            }
            MessageRef::Markdown(m) => {
                wire.markdown = Some(MarkdownBody {
                    title: &m.title,
                    text: &m.text,
                });
                wire.at = at(&m.at);
            }
            MessageRef::ActionCard(m) => {
                wire.action_card = Some(ActionCardBody {
                    title: &m.title,
                    text: &m.text,
                    orientation: m.orientation,
                    hide_avatar: m.hide_avatar.map(Flag),
                    single_title: m.single.as_ref().map(Button::title),
                    single_url: m.single.as_ref().map(Button::action_url),
                    btns: (!m.buttons.is_empty()).then_some(&m.buttons[..]),
                });
            }
            MessageRef::FeedCard(m) => wire.feed_card = Some(FeedCardBody { links: &m.links }),
        }
        wire
    }

    /// Replaces the text or markdown body (used to add the missing mentions).
    pub(crate) fn with_body(mut self, body: &'a str) -> Self {
        if let Some(t) = &mut self.text {
            t.content = body;
        }
        if let Some(m) = &mut self.markdown {
            m.text = body;
        }
        self
    }

    pub(crate) fn with_msg_uuid(mut self, uuid: &'a str) -> Self {
        self.msg_uuid = Some(uuid);
        self
    }
}

// ----- the JSON, in -----

/// Any request DingTalk accepts; fields it does not know (like `msgUuid`) are ignored.
#[derive(Deserialize)]
struct WireIn {
    msgtype: String,
    text: Option<TextBody<String>>,
    link: Option<LinkBody<String>>,
    markdown: Option<MarkdownBody<String>>,
    #[serde(rename = "actionCard")]
    action_card: Option<ActionCardBody<String, Vec<Button>>>,
    #[serde(rename = "feedCard")]
    feed_card: Option<FeedCardBody<Vec<FeedLink>>>,
    at: Option<At>,
}

impl WireIn {
    fn into_message(self) -> Result<Message, String> {
        fn body<T>(body: Option<T>, key: &str) -> Result<T, String> {
            body.ok_or_else(|| format!("missing field `{key}`"))
        }
        let at = self.at.unwrap_or_default();
        Ok(match self.msgtype.as_str() {
            "text" => {
                let b = body(self.text, "text")?;
                Message::Text(Text {
                    content: b.content,
                    at,
                })
            }
            "markdown" => {
                let b = body(self.markdown, "markdown")?;
                Message::Markdown(Markdown {
                    title: b.title,
                    text: b.text,
                    at,
                })
            }
            "link" => {
                let b = body(self.link, "link")?;
                Message::Link(Link {
                    title: b.title,
                    text: b.text,
                    message_url: b.message_url,
                    pic_url: b.pic_url.filter(|p| !p.is_empty()),
                })
            }
            "actionCard" => {
                let b = body(self.action_card, "actionCard")?;
                let single = match (b.single_title, b.single_url) {
                    (Some(t), Some(u)) => Some(Button::new(t, u)),
                    (None, None) => None,
                    (Some(_), None) => return Err("`singleTitle` without `singleURL`".into()),
                    (None, Some(_)) => return Err("`singleURL` without `singleTitle`".into()),
                };
                Message::ActionCard(ActionCard {
                    title: b.title,
                    text: b.text,
                    single,
                    buttons: b.btns.unwrap_or_default(),
                    orientation: b.orientation,
                    hide_avatar: b.hide_avatar.map(|f| f.0),
                })
            }
            "feedCard" => Message::FeedCard(FeedCard {
                links: body(self.feed_card, "feedCard")?.links,
            }),
            other => {
                return Err(format!(
                    "unknown msgtype `{other}`, expected one of `text`, `link`, `markdown`, `actionCard`, `feedCard`"
                ));
            }
        })
    }
}

/// A boolean DingTalk spells `"0"` / `"1"`.
#[derive(Clone, Copy)]
struct Flag(bool);

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if self.0 { "1" } else { "0" })
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        flag(d).map(Flag)
    }
}

/// Reads `"0"`/`"1"`, and leniently `0`/`1` and `false`/`true` as other SDKs send them.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Str(String),
        Int(i64),
        Bool(bool),
    }
    match Raw::deserialize(d)? {
        Raw::Str(s) if s == "0" || s == "false" => Ok(false),
        Raw::Str(s) if s == "1" || s == "true" => Ok(true),
        Raw::Int(0) | Raw::Bool(false) => Ok(false),
        Raw::Int(1) | Raw::Bool(true) => Ok(true),
        _ => Err(D::Error::custom("expected \"0\" or \"1\"")),
    }
}

// ----- validation helpers -----

/// Mobile numbers and user ids are written into the body as `@id`, so each must be an
/// id [`is_mention_id`] accepts.
fn check_mentions(at: &At) -> Result<(), Error> {
    let lists = [
        ("at.atMobiles", at.mobiles()),
        ("at.atUserIds", at.user_ids()),
    ];
    for (key, ids) in lists {
        if let Some(i) = ids.iter().position(|id| !is_mention_id(id)) {
            return Err(Error::InvalidMessage {
                field: format!("{key}[{i}]"),
                reason:
                    "is not a mobile number or user id (letters, digits, `+-_.`, at most 64 bytes)"
                        .into(),
            });
        }
    }
    Ok(())
}

fn check_text(field: &str, value: &str) -> Result<(), Error> {
    if is_blank(value) {
        return Err(Error::InvalidMessage {
            field: field.to_owned(),
            reason: "is empty".into(),
        });
    }
    Ok(())
}

/// Whether a reader would see nothing: only whitespace and invisible format characters
/// (zero-width spaces and joiners, direction marks, the BOM, soft hyphens).
pub(crate) fn is_blank(value: &str) -> bool {
    value.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{AD}'
                    | '\u{34F}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
            )
    })
}

/// A URL as it will be sent: without the whitespace a copy and paste brings along.
pub(crate) fn trimmed(url: impl Into<String>) -> String {
    let url = url.into();
    match url.trim() {
        t if t.len() == url.len() => url,
        t => t.to_owned(),
    }
}

fn check_url(field: &str, value: &str) -> Result<(), Error> {
    check_text(field, value)?;
    let bad = |reason: &str| Error::InvalidMessage {
        field: field.to_owned(),
        reason: reason.to_owned(),
    };
    if value.trim() != value {
        return Err(bad("has leading or trailing whitespace"));
    }
    if url::Url::parse(value).is_err() {
        return Err(bad("is not an absolute URL"));
    }
    if !crate::markdown::is_linkable(value) {
        return Err(bad("must be an http(s):// or dingtalk:// URL"));
    }
    Ok(())
}
