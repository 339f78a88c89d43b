//! DingTalk's JSON, out (borrowing from a message) and in (any request DingTalk
//! accepts, leniently).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::action_card::flag;
use super::{
    ActionCard, At, Button, FeedCard, FeedLink, Link, Markdown, Message, MessageRef, Orientation,
    Text,
};

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

/// Any request DingTalk accepts; fields it does not know (like `msgUuid`) are ignored.
#[derive(Deserialize)]
pub(crate) struct WireIn {
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
    pub(crate) fn into_message(self) -> Result<Message, String> {
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
                    "unknown msgtype `{other}`, expected one of `{}`",
                    crate::dingtalk::MSGTYPES.join("`, `")
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

// The exact JSON of each message type, and of `Message` (any type, by `msgtype`).
macro_rules! wire_serde {
    ($($ty:ident => $tag:literal),* $(,)?) => {$(
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

wire_serde!(Text => "text", Link => "link", Markdown => "markdown", ActionCard => "actionCard", FeedCard => "feedCard");

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
