//! The `#[ding(...)]` keys, each written once: its name, where it may appear, what
//! follows it, and where it goes when it is misplaced.
//!
//! Parsing, "did you mean", usage notes and error messages all read this table and
//! compare keys (`key == &TITLE`), never their names. Adding a key is one row here, its
//! meaning where `attr` parses it, and one UI case.

use std::fmt;

/// Where a `#[ding(...)]` sits; decides which keys it accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    /// On a struct: a whole message.
    Struct,
    /// On an enum: only settings shared by all variants.
    Enum,
    /// On an enum variant: one message.
    Variant,
    /// On a field.
    Field,
}

/// A set of [`Place`]s.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Places(u8);

impl Places {
    pub const fn of(places: &[Place]) -> Places {
        let mut bits = 0;
        let mut i = 0;
        while i < places.len() {
            bits |= 1 << places[i] as u8;
            i += 1;
        }
        Places(bits)
    }

    pub const fn contains(self, place: Place) -> bool {
        self.0 & (1 << place as u8) != 0
    }
}

/// What follows a key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Value {
    /// Nothing: the key is written alone, as in `skip`.
    Flag,
    /// `key = "..."`; the text says what the string holds, for error messages.
    Str(&'static str),
    /// `key = "..."` on a struct or variant, but alone on a field: `title` is a template
    /// on a message and marks the field that holds the title.
    StrOnMessage(&'static str),
    /// `key = path::to::item` (or the path in a string, as serde takes it); the text
    /// says what the path names.
    Path(&'static str),
    /// `key = "..."` on a field, `key(arg = "...", ...)` on a struct or variant: a
    /// field's `button` holds its URL, a message's `button(...)` builds one from a
    /// template.
    StrOnFieldArgsOnMessage(&'static str),
}

/// One `#[ding(...)]` key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Key {
    pub name: &'static str,
    /// Where it may be written.
    pub places: Places,
    pub value: Value,
    /// For a key that fields take: the field it goes on, as in "put it on the field that
    /// holds ...". Empty for the others.
    pub hint: &'static str,
}

const MESSAGE: Places = Places::of(&[Place::Struct, Place::Variant]);
const FIELD: Places = Places::of(&[Place::Field]);
const MESSAGE_OR_FIELD: Places = Places::of(&[Place::Struct, Place::Variant, Place::Field]);

pub const MARKDOWN: Key = message_flag("markdown");
pub const ACTION_CARD: Key = message_flag("action_card");
pub const TEXT: Key = message_flag("text");
pub const TITLE: Key = Key {
    name: "title",
    places: MESSAGE_OR_FIELD,
    value: Value::StrOnMessage("the title template"),
    hint: "the field that holds the title",
};
pub const BODY: Key = message_str("body", "the body template");
pub const SUMMARY: Key = message_str("summary", "the one-line summary template");
pub const ORIENTATION: Key = message_str("orientation", "\"horizontal\" or \"vertical\"");
pub const HIDE_AVATAR: Key = message_flag("hide_avatar");
pub const KEYWORD: Key = message_str("keyword", "the robot keyword the message carries");
pub const LABEL: Key = field_str("label", "the label to show", "a field");
pub const SKIP: Key = field_flag("skip", "a field");
pub const RAW: Key = field_flag("raw", "a field");
pub const BUTTON: Key = Key {
    name: "button",
    places: MESSAGE_OR_FIELD,
    value: Value::StrOnFieldArgsOnMessage("the button's text"),
    hint: "the field that holds the button's URL",
};
pub const SINGLE_BUTTON: Key = field_str(
    "single_button",
    "the button's text",
    "the field that holds the button's URL",
);
pub const BUTTONS: Key = field_flag("buttons", "the field that holds the list of buttons");
pub const AT_MOBILES: Key = field_flag(
    "at_mobiles",
    "the field that holds the mobile numbers to mention",
);
pub const AT_USER_IDS: Key = field_flag(
    "at_user_ids",
    "the field that holds the user ids to mention",
);
pub const AT_ALL: Key = Key {
    name: "at_all",
    places: MESSAGE_OR_FIELD,
    value: Value::Flag,
    hint: "a `bool` field, or write `at_all` alone here to always mention everyone",
};
pub const IMAGE: Key = field_flag("image", "the field that holds the image URL");
pub const WITH: Key = Key {
    name: "with",
    places: FIELD,
    value: Value::Path("a function `fn(&T, &mut std::fmt::Formatter<'_>) -> std::fmt::Result`"),
    hint: "the field whose value it formats",
};
pub const LIST: Key = field_flag("list", "a field that holds a list or a map");
pub const FLATTEN: Key = field_flag("flatten", "a field whose type derives `DingMessage`");
pub const OPEN: Key = field_str(
    "open",
    "\"side_panel\" or \"browser\"",
    "a `button` or `single_button` field",
);
pub const ITEM: Key = Key {
    name: "item",
    places: Places::of(&[Place::Struct]),
    value: Value::Str("the item template"),
    hint: "",
};
pub const CRATE: Key = Key {
    name: "crate",
    places: Places::of(&[Place::Struct, Place::Enum]),
    value: Value::Str("the path to the dingbot crate"),
    hint: "",
};

/// Every key, in the order error messages list them. A field's first role is also
/// chosen in this order (see `attr::field`).
pub const ALL: &[&Key] = &[
    &MARKDOWN,
    &ACTION_CARD,
    &TEXT,
    &TITLE,
    &BODY,
    &SUMMARY,
    &ORIENTATION,
    &HIDE_AVATAR,
    &KEYWORD,
    &LABEL,
    &SKIP,
    &RAW,
    &BUTTON,
    &SINGLE_BUTTON,
    &BUTTONS,
    &AT_MOBILES,
    &AT_USER_IDS,
    &AT_ALL,
    &IMAGE,
    &WITH,
    &LIST,
    &FLATTEN,
    &OPEN,
    &ITEM,
    &CRATE,
];

const fn message_flag(name: &'static str) -> Key {
    Key {
        name,
        places: MESSAGE,
        value: Value::Flag,
        hint: "",
    }
}

const fn message_str(name: &'static str, holds: &'static str) -> Key {
    Key {
        name,
        places: MESSAGE,
        value: Value::Str(holds),
        hint: "",
    }
}

const fn field_flag(name: &'static str, hint: &'static str) -> Key {
    Key {
        name,
        places: FIELD,
        value: Value::Flag,
        hint,
    }
}

const fn field_str(name: &'static str, holds: &'static str, hint: &'static str) -> Key {
    Key {
        name,
        places: FIELD,
        value: Value::Str(holds),
        hint,
    }
}

/// The key called `name`, wherever it belongs.
pub fn lookup(name: &str) -> Option<&'static Key> {
    ALL.iter().copied().find(|k| k.name == name)
}

/// The keys allowed at `place`, in table order.
pub fn at(place: Place) -> impl Iterator<Item = &'static Key> {
    ALL.iter().copied().filter(move |k| k.allowed_at(place))
}

impl Key {
    pub fn allowed_at(&self, place: Place) -> bool {
        self.places.contains(place)
    }

    /// What the string after the key holds at `place`; `None` where it is written alone.
    pub fn string_at(&self, place: Place) -> Option<&'static str> {
        match self.value {
            Value::Flag => None,
            Value::StrOnMessage(_) if place == Place::Field => None,
            Value::StrOnFieldArgsOnMessage(_) if place != Place::Field => None,
            Value::Str(holds)
            | Value::StrOnMessage(holds)
            | Value::Path(holds)
            | Value::StrOnFieldArgsOnMessage(holds) => Some(holds),
        }
    }

    /// How the key is written at `place`: `skip`, or `label = "..."`.
    pub fn usage(&self, place: Place) -> String {
        match (self.value, self.string_at(place)) {
            (Value::StrOnFieldArgsOnMessage(_), None) => {
                format!("{}(text = \"...\", url = \"https://...\")", self.name)
            }
            (_, None) => self.name.to_owned(),
            (Value::Path(_), Some(_)) => format!("{} = path::to::fmt_fn", self.name),
            (_, Some(_)) => format!("{} = \"...\"", self.name),
        }
    }

    /// The key's position in [`ALL`].
    pub fn rank(&self) -> usize {
        ALL.iter().position(|k| *k == self).unwrap_or(ALL.len())
    }
}

/// The key's name, as written.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, key) in ALL.iter().enumerate() {
            assert_eq!(lookup(key.name), Some(*key));
            assert_eq!(key.rank(), i);
        }
    }

    #[test]
    fn field_keys_say_where_they_go() {
        for key in at(Place::Field) {
            assert!(!key.hint.is_empty(), "{key}");
        }
    }

    #[test]
    fn usage_shows_values_where_they_belong() {
        assert_eq!(SKIP.usage(Place::Field), "skip");
        assert_eq!(TITLE.usage(Place::Field), "title");
        assert_eq!(TITLE.usage(Place::Struct), "title = \"...\"");
        assert_eq!(BUTTON.usage(Place::Field), "button = \"...\"");
    }

    #[test]
    fn keys_by_place() {
        let at = |place| at(place).collect::<Vec<_>>();
        assert_eq!(at(Place::Enum), [&CRATE]);
        let mut struct_keys = at(Place::Struct);
        assert_eq!(struct_keys.pop(), Some(&CRATE));
        assert_eq!(struct_keys.pop(), Some(&ITEM));
        assert_eq!(at(Place::Variant), struct_keys);
        assert!(at(Place::Variant).contains(&&BUTTON));
        assert_eq!(
            BUTTON.usage(Place::Struct),
            "button(text = \"...\", url = \"https://...\")"
        );
        assert_eq!(WITH.usage(Place::Field), "with = path::to::fmt_fn");
        assert!(at(Place::Variant).contains(&&AT_ALL));
        assert!(at(Place::Field).contains(&&TITLE));
        assert!(!at(Place::Field).contains(&&BODY));
        assert!(at(Place::Variant).contains(&&SUMMARY));
        assert!(!at(Place::Field).contains(&&SUMMARY));
        assert!(!at(Place::Enum).contains(&&SUMMARY));
    }
}
