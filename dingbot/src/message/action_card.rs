//! [`ActionCard`]: a card with one whole-card button or several buttons.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{check_text, check_url};
use crate::error::Error;

/// How an [`ActionCard`]'s buttons are laid out (`btnOrientation`, sent as `"0"`/`"1"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Orientation {
    /// Buttons stacked one above the other (`"0"`, DingTalk's default).
    #[default]
    Vertical,
    /// Buttons side by side (`"1"`).
    Horizontal,
}

impl Serialize for Orientation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Orientation::Vertical => "0",
            Orientation::Horizontal => "1",
        })
    }
}

impl<'de> Deserialize<'de> for Orientation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(if flag(d)? {
            Orientation::Horizontal
        } else {
            Orientation::Vertical
        })
    }
}

/// Reads `"0"`/`"1"`, and leniently `0`/`1` and `false`/`true` as other SDKs send them.
pub(super) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
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

/// One button of an [`ActionCard`]: `{"title": ..., "actionURL": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    title: String,
    #[serde(rename = "actionURL")]
    action_url: String,
}

impl Button {
    /// A button with this label, opening this URL (trimmed of surrounding whitespace).
    pub fn new(title: impl Into<String>, action_url: impl Into<String>) -> Self {
        Button {
            title: title.into(),
            action_url: super::trimmed(action_url),
        }
    }

    /// The label.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The URL it opens.
    pub fn action_url(&self) -> &str {
        &self.action_url
    }
}

impl<T: Into<String>, U: Into<String>> From<(T, U)> for Button {
    fn from((title, url): (T, U)) -> Self {
        Button::new(title, url)
    }
}

/// A card with a markdown body and buttons (`msgtype: "actionCard"`).
///
/// Either one whole-card button ([`single_button`](Self::single_button), sent as
/// `singleTitle`/`singleURL`) or several independent ones ([`button`](Self::button), sent
/// as `btns`). A card with neither, or with both (DingTalk would silently drop the
/// `btns`), is refused before sending.
///
/// ```
/// use dingbot::{ActionCard, Orientation};
///
/// let card = ActionCard::new("Deploy api v2.4?", "#### Deploy api v2.4?\n\nBy **alice**")
///     .button("Approve", "https://ci.example.com/approve/17")
///     .button("Reject", "https://ci.example.com/reject/17")
///     .orientation(Orientation::Horizontal);
/// assert_eq!(card.buttons().len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionCard {
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) single: Option<Button>,
    pub(crate) buttons: Vec<Button>,
    pub(crate) orientation: Option<Orientation>,
    pub(crate) hide_avatar: Option<bool>,
}

impl ActionCard {
    /// A card with a title (for notifications) and a markdown body; add buttons next.
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        ActionCard {
            title: title.into(),
            text: text.into(),
            single: None,
            buttons: Vec::new(),
            orientation: None,
            hide_avatar: None,
        }
    }

    /// Makes the whole card one button (`singleTitle`, `singleURL`).
    #[must_use]
    pub fn single_button(mut self, title: impl Into<String>, url: impl Into<String>) -> Self {
        self.single = Some(Button::new(title, url));
        self
    }

    /// Adds one of several independent buttons (`btns`).
    #[must_use]
    pub fn button(mut self, title: impl Into<String>, url: impl Into<String>) -> Self {
        self.buttons.push(Button::new(title, url));
        self
    }

    /// Adds several buttons at once.
    #[must_use]
    pub fn buttons_from<I, B>(mut self, buttons: I) -> Self
    where
        I: IntoIterator<Item = B>,
        B: Into<Button>,
    {
        self.buttons.extend(buttons.into_iter().map(Into::into));
        self
    }

    /// Lays the buttons out vertically or horizontally.
    #[must_use]
    pub fn orientation(mut self, orientation: Orientation) -> Self {
        self.orientation = Some(orientation);
        self
    }

    /// Hides (true) or shows (false) the robot's avatar (`hideAvatar`).
    #[must_use]
    pub fn hide_avatar(mut self, hide: bool) -> Self {
        self.hide_avatar = Some(hide);
        self
    }

    /// The title shown in notifications.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The markdown body.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The whole-card button, if set (by [`single_button`](Self::single_button)).
    pub fn get_single_button(&self) -> Option<&Button> {
        self.single.as_ref()
    }

    /// The whole-card button, if set.
    #[deprecated(
        since = "0.2.0",
        note = "renamed to `get_single_button`, after its setter"
    )]
    pub fn single(&self) -> Option<&Button> {
        self.get_single_button()
    }

    /// The independent buttons.
    pub fn buttons(&self) -> &[Button] {
        &self.buttons
    }

    /// The button layout, if set (by [`orientation`](Self::orientation)).
    pub fn get_orientation(&self) -> Option<Orientation> {
        self.orientation
    }

    /// Whether the avatar is hidden, if set (by [`hide_avatar`](Self::hide_avatar)).
    pub fn get_hide_avatar(&self) -> Option<bool> {
        self.hide_avatar
    }

    /// The button layout, if set.
    #[deprecated(
        since = "0.2.0",
        note = "renamed to `get_orientation`, after its setter"
    )]
    pub fn btn_orientation(&self) -> Option<Orientation> {
        self.get_orientation()
    }

    /// Whether the avatar is hidden, if set.
    #[deprecated(
        since = "0.2.0",
        note = "renamed to `get_hide_avatar`, after its setter"
    )]
    pub fn avatar_hidden(&self) -> Option<bool> {
        self.get_hide_avatar()
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("actionCard.title", &self.title)?;
        check_text("actionCard.text", &self.text)?;
        match (&self.single, self.buttons.is_empty()) {
            (None, true) => Err(Error::InvalidMessage {
                field: "actionCard".into(),
                reason: "has no button: add single_button(..) or button(..)".into(),
            }),
            (Some(_), false) => Err(Error::InvalidMessage {
                field: "actionCard".into(),
                reason:
                    "has both a single button and several buttons; DingTalk would drop the buttons"
                        .into(),
            }),
            (Some(single), true) => {
                check_text("actionCard.singleTitle", &single.title)?;
                check_url("actionCard.singleURL", &single.action_url)
            }
            (None, false) => {
                for (i, b) in self.buttons.iter().enumerate() {
                    check_text(&format!("actionCard.btns[{i}].title"), &b.title)?;
                    check_url(&format!("actionCard.btns[{i}].actionURL"), &b.action_url)?;
                }
                Ok(())
            }
        }
    }
}
