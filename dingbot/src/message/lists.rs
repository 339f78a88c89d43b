//! [`MentionList`] and [`ButtonList`]: what the fields of a derived message that hold
//! mentions or buttons may be.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt::Display;
use std::rc::Rc;
use std::sync::Arc;

use super::Button;

/// What an `at_mobiles` or `at_user_ids` field of a `#[derive(DingMessage)]` type may
/// hold: one id, or any number of them.
///
/// Implemented for `str`, `String` and `Cow<str>`, for references and smart pointers to
/// them, and for `Option`, `Vec`, slices, arrays, `VecDeque` and sets of them. Implement
/// it for your own type (an on-call rotation, say) to use that type as such a field.
/// Ids are trimmed; empty ones and repeats are left out.
///
/// ```
/// use dingbot::MentionList;
///
/// struct OnCall { primary: String, backup: Option<String> }
///
/// impl MentionList for OnCall {
///     fn add_mentions(&self, out: &mut Vec<String>) {
///         self.primary.add_mentions(out);
///         self.backup.add_mentions(out);
///     }
/// }
///
/// let mut ids = Vec::new();
/// OnCall { primary: " 138 ".into(), backup: Some("138".into()) }.add_mentions(&mut ids);
/// assert_eq!(ids, ["138"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a list of people to mention",
    label = "expected mobile numbers or user ids",
    note = "`at_mobiles` and `at_user_ids` fields hold a `String` or `&str`, or an `Option`, `Vec`, slice, array or set of them"
)]
pub trait MentionList {
    /// Appends the ids to `out`.
    fn add_mentions(&self, out: &mut Vec<String>);
}

impl MentionList for str {
    fn add_mentions(&self, out: &mut Vec<String>) {
        super::push_unique(out, self);
    }
}

impl MentionList for String {
    fn add_mentions(&self, out: &mut Vec<String>) {
        self.as_str().add_mentions(out);
    }
}

impl MentionList for Cow<'_, str> {
    fn add_mentions(&self, out: &mut Vec<String>) {
        (**self).add_mentions(out);
    }
}

macro_rules! forward_mentions {
    ($($ty:ty),*) => {$(
        impl<T: MentionList + ?Sized> MentionList for $ty {
            fn add_mentions(&self, out: &mut Vec<String>) {
                (**self).add_mentions(out);
            }
        }
    )*};
}

forward_mentions!(&T, &mut T, Box<T>, Rc<T>, Arc<T>);

macro_rules! mentions_each {
    ($($ty:ty => [$($gen:tt)*]),*) => {$(
        impl<$($gen)*> MentionList for $ty {
            fn add_mentions(&self, out: &mut Vec<String>) {
                for item in self {
                    item.add_mentions(out);
                }
            }
        }
    )*};
}

mentions_each!(
    Vec<T> => [T: MentionList],
    [T] => [T: MentionList],
    VecDeque<T> => [T: MentionList],
    BTreeSet<T> => [T: MentionList],
    HashSet<T, S> => [T: MentionList, S]
);

impl<T: MentionList> MentionList for Option<T> {
    fn add_mentions(&self, out: &mut Vec<String>) {
        if let Some(item) = self {
            item.add_mentions(out);
        }
    }
}

impl<T: MentionList, const N: usize> MentionList for [T; N] {
    fn add_mentions(&self, out: &mut Vec<String>) {
        for item in self {
            item.add_mentions(out);
        }
    }
}

/// What a `buttons` field of a `#[derive(DingMessage)]` action card may hold: a
/// [`Button`], a `(label, url)` pair, or any number of them (`Option`, `Vec`, slices,
/// arrays, `VecDeque`). Implement it for your own type to use it as such a field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a list of buttons",
    label = "expected buttons",
    note = "a `buttons` field holds `dingbot::Button`s or `(label, url)` pairs, alone or in an `Option`, `Vec`, slice or array"
)]
pub trait ButtonList {
    /// Appends the buttons to `out`.
    fn add_buttons(&self, out: &mut Vec<Button>);
}

impl ButtonList for Button {
    fn add_buttons(&self, out: &mut Vec<Button>) {
        out.push(self.clone());
    }
}

impl<L: Display, U: Display> ButtonList for (L, U) {
    fn add_buttons(&self, out: &mut Vec<Button>) {
        out.push(Button::new(self.0.to_string(), self.1.to_string()));
    }
}

macro_rules! forward_buttons {
    ($($ty:ty),*) => {$(
        impl<T: ButtonList + ?Sized> ButtonList for $ty {
            fn add_buttons(&self, out: &mut Vec<Button>) {
                (**self).add_buttons(out);
            }
        }
    )*};
}

forward_buttons!(&T, &mut T, Box<T>, Rc<T>, Arc<T>);

macro_rules! buttons_each {
    ($($ty:ty),*) => {$(
        impl<T: ButtonList> ButtonList for $ty {
            fn add_buttons(&self, out: &mut Vec<Button>) {
                for item in self {
                    item.add_buttons(out);
                }
            }
        }
    )*};
}

buttons_each!(Vec<T>, [T], VecDeque<T>);

impl<T: ButtonList> ButtonList for Option<T> {
    fn add_buttons(&self, out: &mut Vec<Button>) {
        if let Some(item) = self {
            item.add_buttons(out);
        }
    }
}

impl<T: ButtonList, const N: usize> ButtonList for [T; N] {
    fn add_buttons(&self, out: &mut Vec<Button>) {
        for item in self {
            item.add_buttons(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_trimmed_and_unique() {
        let mut out = Vec::new();
        vec![" 138 ", "138", ""].add_mentions(&mut out);
        Some(String::from("139")).add_mentions(&mut out);
        None::<String>.add_mentions(&mut out);
        ["140"; 2].add_mentions(&mut out);
        assert_eq!(out, ["138", "139", "140"]);
    }

    #[test]
    fn buttons_keep_their_order() {
        let mut out = vec![Button::new("A", "https://a")];
        vec![("B", "https://b"), ("C", "https://c")].add_buttons(&mut out);
        Some(Button::new("D", "https://d")).add_buttons(&mut out);
        let titles: Vec<&str> = out.iter().map(Button::title).collect();
        assert_eq!(titles, ["A", "B", "C", "D"]);
    }
}
