//! The `#[ding(...)]` keys of `#[derive(DingCommand)]`, each written once: its name,
//! where it may appear and what follows it. Parsing, "did you mean" and the error
//! messages read this table.

use std::fmt;

/// Where a key sits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    Enum,
    Variant,
    Field,
}

impl Place {
    pub fn noun(self) -> &'static str {
        match self {
            Place::Enum => "the enum",
            Place::Variant => "a variant (a command)",
            Place::Field => "a field (an argument)",
        }
    }
}

/// What follows a key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Value {
    /// Nothing, as in `flag`.
    Flag,
    /// `= "..."`; the text says what the string holds.
    Str(&'static str),
    /// `= path::to::item`; the text says what it names.
    Path(&'static str),
}

pub struct Key {
    pub name: &'static str,
    pub places: &'static [Place],
    pub value: Value,
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Key {
    /// How it is written: `rename = "..."`, `flag`, `with = path`.
    pub fn usage(&self) -> String {
        match self.value {
            Value::Flag => self.name.to_owned(),
            Value::Str(_) => format!("{} = \"...\"", self.name),
            Value::Path(_) => format!("{} = path", self.name),
        }
    }

    pub fn allowed_at(&self, place: Place) -> bool {
        self.places.contains(&place)
    }
}

pub const CRATE: Key = Key {
    name: "crate",
    places: &[Place::Enum],
    value: Value::Path("the path of the dingbot crate"),
};
pub const RENAME: Key = Key {
    name: "rename",
    places: &[Place::Variant, Place::Field],
    value: Value::Str("the name people write"),
};
pub const ALIAS: Key = Key {
    name: "alias",
    places: &[Place::Variant],
    value: Value::Str("another name for the command"),
};
pub const ABOUT: Key = Key {
    name: "about",
    places: &[Place::Variant, Place::Field],
    value: Value::Str("what it does, for the usage (else the doc comment)"),
};
pub const FLAG: Key = Key {
    name: "flag",
    places: &[Place::Field],
    value: Value::Flag,
};
pub const DEFAULT: Key = Key {
    name: "default",
    places: &[Place::Field],
    value: Value::Str("the value used when the argument is left out"),
};
pub const WITH: Key = Key {
    name: "with",
    places: &[Place::Field],
    value: Value::Path("a fn(&str) -> Result<T, E> that parses the value"),
};

pub const KEYS: &[&Key] = &[&CRATE, &RENAME, &ALIAS, &ABOUT, &FLAG, &DEFAULT, &WITH];

pub fn lookup(name: &str) -> Option<&'static Key> {
    KEYS.iter().copied().find(|k| k.name == name)
}
