//! What the attributes mean: a message's [`Kind`], its buttons' [`Orientation`] and a
//! field's [`Role`], each tied to the key that gives it.

use std::fmt;

use crate::keys::{self, Key};

/// The three kinds of message the derive can produce.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Markdown,
    ActionCard,
    Text,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Markdown, Kind::ActionCard, Kind::Text];

    pub fn key(self) -> &'static Key {
        match self {
            Kind::Markdown => &keys::MARKDOWN,
            Kind::ActionCard => &keys::ACTION_CARD,
            Kind::Text => &keys::TEXT,
        }
    }

    /// The kind `key` asks for, if it is a kind.
    pub fn named_by(key: &Key) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.key() == key)
    }
}

/// `orientation = "horizontal" | "vertical"`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Orientation {
    Horizontal,
    Vertical,
}

impl Orientation {
    pub const ALL: [Orientation; 2] = [Orientation::Horizontal, Orientation::Vertical];

    /// The value as written in `orientation = "..."`.
    pub fn name(self) -> &'static str {
        match self {
            Orientation::Horizontal => "horizontal",
            Orientation::Vertical => "vertical",
        }
    }

    pub fn parse(name: &str) -> Option<Orientation> {
        Orientation::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// `open = "side_panel" | "browser"`: where DingTalk opens a button's or link's URL.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Open {
    SidePanel,
    Browser,
}

impl Open {
    pub const ALL: [Open; 2] = [Open::SidePanel, Open::Browser];

    /// The value as written in `open = "..."`.
    pub fn name(self) -> &'static str {
        match self {
            Open::SidePanel => "side_panel",
            Open::Browser => "browser",
        }
    }

    pub fn parse(name: &str) -> Option<Open> {
        Open::ALL.into_iter().find(|o| o.name() == name)
    }

    /// DingTalk's `pc_slide`: true for the side panel.
    pub fn pc_slide(self) -> bool {
        self == Open::SidePanel
    }
}

/// What a field is for. A field has at most one role; without one it is a `Plain` field,
/// shown as a `**Label**: value` line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Role {
    Plain,
    Title,
    Skip,
    /// With the button's text.
    Button(String),
    /// With the button's text.
    SingleButton(String),
    Buttons,
    AtMobiles,
    AtUserIds,
    AtAll,
    Image,
    /// Its items (or a map's entries), as a markdown list.
    List,
    /// A `DingMessage` whose lines join this message's body.
    Flatten,
}

impl Role {
    /// The key that gives the role; `None` for `Plain`, which no key gives.
    pub fn key(&self) -> Option<&'static Key> {
        Some(match self {
            Role::Plain => return None,
            Role::Title => &keys::TITLE,
            Role::Skip => &keys::SKIP,
            Role::Button(_) => &keys::BUTTON,
            Role::SingleButton(_) => &keys::SINGLE_BUTTON,
            Role::Buttons => &keys::BUTTONS,
            Role::AtMobiles => &keys::AT_MOBILES,
            Role::AtUserIds => &keys::AT_USER_IDS,
            Role::AtAll => &keys::AT_ALL,
            Role::Image => &keys::IMAGE,
            Role::List => &keys::LIST,
            Role::Flatten => &keys::FLATTEN,
        })
    }

    /// The role `key` gives a field; `text` is the string after the key, for the keys
    /// that take one (a button's text).
    pub fn given_by(key: &Key, text: Option<String>) -> Option<Role> {
        Some(match (key, text) {
            (&keys::TITLE, None) => Role::Title,
            (&keys::SKIP, None) => Role::Skip,
            (&keys::BUTTON, Some(text)) => Role::Button(text),
            (&keys::SINGLE_BUTTON, Some(text)) => Role::SingleButton(text),
            (&keys::BUTTONS, None) => Role::Buttons,
            (&keys::AT_MOBILES, None) => Role::AtMobiles,
            (&keys::AT_USER_IDS, None) => Role::AtUserIds,
            (&keys::AT_ALL, None) => Role::AtAll,
            (&keys::IMAGE, None) => Role::Image,
            (&keys::LIST, None) => Role::List,
            (&keys::FLATTEN, None) => Role::Flatten,
            _ => return None,
        })
    }

    /// Which role a field gets when it is given several (the others are errors): `skip`
    /// first, as a skipped field is not used whatever else it says, then table order.
    pub fn precedence(&self) -> (bool, usize) {
        (*self != Role::Skip, self.key().map_or(0, Key::rank))
    }

    pub fn is_mention(&self) -> bool {
        matches!(self, Role::AtMobiles | Role::AtUserIds | Role::AtAll)
    }

    pub fn is_button(&self) -> bool {
        matches!(
            self,
            Role::Button(_) | Role::SingleButton(_) | Role::Buttons
        )
    }
}

/// The key that gives the role, as written (`plain` for a field without one).
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key() {
            Some(key) => key.fmt(f),
            None => f.write_str("plain"),
        }
    }
}
