//! [`AppMessage`]: a message as the OpenAPI takes it — a template's `msgKey` and its
//! `msgParam`, a JSON **string** — made from the same message types a webhook robot
//! sends, and read back into them (for the emulator and previews).

use std::fmt;

use serde_json::{Map, Value, json};

use super::facts::{self, MAX_MSG_PARAM_BYTES};
use crate::error::Error;
use crate::message::{ActionCard, DingMessage, Link, Markdown, Message, Orientation, Text};

/// A message for an [`AppRobot`](crate::AppRobot): a template (`msgKey`) and its
/// parameters (`msgParam`, a JSON string of at most 15,000 bytes).
///
/// Made from any [`DingMessage`] — the five message types and every
/// `#[derive(DingMessage)]` — by [`AppMessage::from_message`], or from a template of
/// your own choosing by [`AppMessage::new`] (`sampleImageMsg`, `sampleFile`, ...).
///
/// | message | template |
/// |---|---|
/// | [`Text`] | `sampleText {content}` |
/// | [`Markdown`] | `sampleMarkdown {title, text}` |
/// | [`Link`] | `sampleLink {title, text, messageUrl, picUrl}` |
/// | [`ActionCard`] with a single button, or one button | `sampleActionCard {title, text, singleTitle, singleURL}` |
/// | [`ActionCard`] with two buttons side by side ([`Orientation::Horizontal`]) | `sampleActionCard6 {…, buttonTitle1, buttonUrl1, buttonTitle2, buttonUrl2}` |
/// | [`ActionCard`] with 2–5 buttons | `sampleActionCard2`..`5 {…, actionTitleN, actionURLN}` (stacked) |
/// | [`FeedCard`](crate::FeedCard), an action card with 6 or more buttons | none: [`Error::NoAppTemplate`] |
///
/// **Mentions**: the OpenAPI's templates have none (no `atMobiles`, `atUserIds` or
/// `isAtAll`), so a message that mentions someone is refused with
/// [`Error::NoAppTemplate`] rather than sent without notifying; send it through a
/// webhook [`Robot`](crate::Robot), or message the people one to one
/// ([`AppRobot::send_to_users`](crate::AppRobot::send_to_users)). An action card's
/// `hideAvatar` has no template field and is left out.
///
/// ```
/// use dingbot::{AppMessage, Markdown};
///
/// let msg = AppMessage::from_message(&Markdown::new("Deploy", "**api** v42 is live"))?;
/// assert_eq!(msg.msg_key(), "sampleMarkdown");
/// assert_eq!(msg.msg_param(), r#"{"text":"**api** v42 is live","title":"Deploy"}"#);
/// # Ok::<(), dingbot::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AppMessage {
    msg_key: String,
    msg_param: String,
}

impl fmt::Debug for AppMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppMessage")
            .field("msg_key", &self.msg_key)
            .field("msg_param", &self.msg_param)
            .finish()
    }
}

/// What an [`AppRobot`](crate::AppRobot) sends: every [`DingMessage`] (mapped by
/// [`AppMessage::from_message`]) and an [`AppMessage`] itself.
pub trait ToAppMessage {
    /// The message as a template and its parameters, checked.
    fn to_app_message(&self) -> Result<AppMessage, Error>;
}

impl<M: DingMessage + ?Sized> ToAppMessage for M {
    fn to_app_message(&self) -> Result<AppMessage, Error> {
        AppMessage::from_message(self)
    }
}

impl ToAppMessage for AppMessage {
    fn to_app_message(&self) -> Result<AppMessage, Error> {
        Ok(self.clone())
    }
}

impl AppMessage {
    /// A message for a template of your choosing: `msg_key` must be one dingbot knows
    /// (`sampleText`, `sampleMarkdown`, `sampleLink`, `sampleImageMsg`,
    /// `sampleActionCard`..`6`, `sampleAudio`, `sampleFile`, `sampleVideo`) and `params`
    /// must hold its fields; the `msgParam` is checked against the 15,000-byte limit.
    ///
    /// ```
    /// use dingbot::AppMessage;
    ///
    /// let image = AppMessage::new("sampleImageMsg", serde_json::json!({
    ///     "photoURL": "https://example.com/chart.png",
    /// }))?;
    /// assert!(AppMessage::new("sampleNothing", serde_json::json!({})).is_err());
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn new(msg_key: impl Into<String>, params: Value) -> Result<AppMessage, Error> {
        let msg_key = msg_key.into();
        let Some(template) = facts::template(&msg_key) else {
            return Err(Error::InvalidMessage {
                field: "msgKey".into(),
                reason: format!("`{msg_key}` is not a robot message template dingbot knows"),
            });
        };
        let Value::Object(params) = params else {
            return Err(Error::InvalidMessage {
                field: "msgParam".into(),
                reason: "must be a JSON object".into(),
            });
        };
        if let Some(field) = template.missing_field(&params) {
            return Err(Error::InvalidMessage {
                field: format!("msgParam.{}", field.trim_end_matches('?')),
                reason: format!("is required by {msg_key} (a non-empty string)"),
            });
        }
        AppMessage::checked(msg_key, Value::Object(params))
    }

    /// The message mapped to its template (see the table above), validated as a webhook
    /// robot validates it.
    pub fn from_message<M: DingMessage + ?Sized>(msg: &M) -> Result<AppMessage, Error> {
        let message = msg.to_message();
        message.validate()?;
        if message.at().is_some_and(|at| !at.is_empty()) {
            return Err(Error::NoAppTemplate {
                message_type: type_name(&message),
                reason: "the OpenAPI's templates have no mentions (at_mobiles, at_user_ids, \
                         at_all): send it without them, message the people one to one \
                         (send_to_users), or send it through a webhook Robot"
                    .into(),
            });
        }
        let (key, params) = match &message {
            Message::Text(t) => ("sampleText".to_owned(), json!({ "content": t.content() })),
            Message::Markdown(m) => (
                "sampleMarkdown".to_owned(),
                json!({ "title": m.title(), "text": m.text() }),
            ),
            Message::Link(l) => {
                let mut params = json!({
                    "title": l.title(), "text": l.text(), "messageUrl": l.message_url(),
                });
                if let Some(pic) = l.get_pic_url() {
                    params["picUrl"] = json!(pic);
                }
                ("sampleLink".to_owned(), params)
            }
            Message::ActionCard(card) => action_card(card)?,
            Message::FeedCard(_) => {
                return Err(Error::NoAppTemplate {
                    message_type: "FeedCard",
                    reason: "the OpenAPI has no feed-card template: send each link as a Link, \
                             or the links as a Markdown list"
                        .into(),
                });
            }
        };
        AppMessage::checked(key, params)
    }

    fn checked(msg_key: String, params: Value) -> Result<AppMessage, Error> {
        let msg_param = params.to_string();
        if msg_param.len() > MAX_MSG_PARAM_BYTES {
            return Err(Error::MsgParamTooLarge {
                size: msg_param.len(),
                limit: MAX_MSG_PARAM_BYTES,
            });
        }
        Ok(AppMessage { msg_key, msg_param })
    }

    /// The template, e.g. `sampleMarkdown`.
    pub fn msg_key(&self) -> &str {
        &self.msg_key
    }

    /// The template's parameters, a JSON string (as the OpenAPI takes them).
    pub fn msg_param(&self) -> &str {
        &self.msg_param
    }

    /// Reads a `msgKey` and `msgParam` back as the webhook message that shows the same —
    /// `None` for templates that have none (images, files, audio, video) and for
    /// parameters that do not fit the template. What the emulator's preview renders.
    ///
    /// ```
    /// use dingbot::{AppMessage, Message, Text};
    ///
    /// let msg = AppMessage::from_message(&Text::new("disk full"))?;
    /// let back = AppMessage::decode(msg.msg_key(), msg.msg_param());
    /// assert_eq!(back, Some(Message::from(Text::new("disk full"))));
    /// # Ok::<(), dingbot::Error>(())
    /// ```
    pub fn decode(msg_key: &str, msg_param: &str) -> Option<Message> {
        let params: Map<String, Value> = serde_json::from_str(msg_param).ok()?;
        facts::template(msg_key)?
            .missing_field(&params)
            .is_none()
            .then_some(())?;
        let get = |name: &str| -> String {
            params
                .get(name)
                .or_else(|| params.get(&name.replace("Url", "URL")))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (title, text) = (get("title"), get("text"));
        Some(match msg_key {
            "sampleText" => Text::new(get("content")).into(),
            "sampleMarkdown" => Markdown::new(title, text).into(),
            "sampleLink" => {
                let link = Link::new(title, text, get("messageUrl"));
                match get("picUrl") {
                    pic if pic.is_empty() => link.into(),
                    pic => link.pic_url(pic).into(),
                }
            }
            "sampleActionCard" => ActionCard::new(title, text)
                .single_button(get("singleTitle"), get("singleURL"))
                .into(),
            "sampleActionCard6" => ActionCard::new(title, text)
                .button(get("buttonTitle1"), get("buttonUrl1"))
                .button(get("buttonTitle2"), get("buttonUrl2"))
                .orientation(Orientation::Horizontal)
                .into(),
            key => {
                let n: usize = key.strip_prefix("sampleActionCard")?.parse().ok()?;
                (1..=n)
                    .fold(ActionCard::new(title, text), |card, i| {
                        card.button(
                            get(&format!("actionTitle{i}")),
                            get(&format!("actionURL{i}")),
                        )
                    })
                    .into()
            }
        })
    }
}

/// An action card's template: one whole-card button, two side by side, or 2–5 stacked.
fn action_card(card: &ActionCard) -> Result<(String, Value), Error> {
    let mut params = json!({ "title": card.title(), "text": card.text() });
    if let Some(single) = card.get_single_button() {
        params["singleTitle"] = json!(single.title());
        params["singleURL"] = json!(single.action_url());
        return Ok(("sampleActionCard".to_owned(), params));
    }
    let buttons = card.buttons();
    match buttons.len() {
        1 => {
            params["singleTitle"] = json!(buttons[0].title());
            params["singleURL"] = json!(buttons[0].action_url());
            Ok(("sampleActionCard".to_owned(), params))
        }
        2 if card.get_orientation() == Some(Orientation::Horizontal) => {
            for (i, b) in buttons.iter().enumerate() {
                params[format!("buttonTitle{}", i + 1)] = json!(b.title());
                params[format!("buttonUrl{}", i + 1)] = json!(b.action_url());
            }
            Ok(("sampleActionCard6".to_owned(), params))
        }
        n @ 2..=5 => {
            for (i, b) in buttons.iter().enumerate() {
                params[format!("actionTitle{}", i + 1)] = json!(b.title());
                params[format!("actionURL{}", i + 1)] = json!(b.action_url());
            }
            Ok((format!("sampleActionCard{n}"), params))
        }
        n => Err(Error::NoAppTemplate {
            message_type: "ActionCard",
            reason: format!(
                "it has {n} buttons and the OpenAPI's action-card templates hold at most 5 \
                 (sampleActionCard2..5): split it, or link the rest from the text"
            ),
        }),
    }
}

fn type_name(message: &Message) -> &'static str {
    match message {
        Message::Text(_) => "Text",
        Message::Link(_) => "Link",
        Message::Markdown(_) => "Markdown",
        Message::ActionCard(_) => "ActionCard",
        Message::FeedCard(_) => "FeedCard",
    }
}
