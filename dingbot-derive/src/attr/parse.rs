//! What both kinds of `#[ding(...)]` share: reading every key against the table
//! ([`parse_keys`]), a value given at most once ([`Attr`]), a value with its key's span
//! ([`Spanned`]), and the keys that were not understood ([`Unparsed`]).

use proc_macro2::Span;
use syn::Attribute;

use crate::ctxt::Ctxt;
use crate::hint;
use crate::keys::{self, Key, Place};
use crate::syntax::{self, Given};

/// A value that may be given at most once; a second one is reported as a duplicate.
pub struct Attr<T> {
    key: &'static Key,
    value: Option<Spanned<T>>,
}

impl<T> Attr<T> {
    pub fn none(key: &'static Key) -> Self {
        Attr { key, value: None }
    }

    pub fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            duplicate(cx, span, self.key);
        } else {
            self.value = Some(Spanned { span, value });
        }
    }

    pub fn get(self) -> Option<Spanned<T>> {
        self.value
    }
}

pub fn duplicate(cx: &Ctxt, span: Span, key: &Key) {
    cx.error(
        span,
        format_args!("duplicate ding attribute `{key}`: remove one of them"),
    );
}

/// An attribute value with the span of the key that introduced it.
#[derive(Clone)]
pub struct Spanned<T> {
    pub span: Span,
    pub value: T,
}

/// Keys that were given but could not be understood: a bad value, a misspelling of the
/// key, or an attribute whose parsing stopped at a syntax error. The error has been
/// reported; rules about something *missing* (no title, no button, no kind) stay quiet
/// about these keys, so one mistake gives one error.
#[derive(Default)]
pub struct Unparsed {
    keys: Vec<&'static Key>,
    /// A syntax error stopped the parsing of an attribute, so any key may be missing.
    all: bool,
}

impl Unparsed {
    fn add(&mut self, key: Option<&'static Key>) {
        self.keys.extend(key);
    }

    /// Whether `key` may have been meant but was not understood.
    pub fn may_contain(&self, key: &Key) -> bool {
        self.all || self.keys.contains(&key)
    }

    /// Adds what `other` did not understand, as if it were missing here too.
    pub fn extend(&mut self, other: &Unparsed) {
        self.keys.extend(&other.keys);
        self.all |= other.all;
    }

    /// Whether anything was not understood.
    pub fn is_empty(&self) -> bool {
        !self.all && self.keys.is_empty()
    }
}

/// Reads every key of every `#[ding(...)]` among `attrs` at `place`. A key allowed there
/// whose value has the shape the table gives goes to `understand` with the span of the
/// key; it returns whether it understood the value. Everything else is reported, and what
/// was not understood is returned.
pub fn parse_keys(
    cx: &Ctxt,
    attrs: &[Attribute],
    place: Place,
    mut understand: impl FnMut(&'static Key, Span, Given) -> bool,
) -> Unparsed {
    let mut unparsed = Unparsed::default();
    unparsed.all = !syntax::for_each_meta(cx, attrs, place, |meta| {
        let name = syntax::key_name(&meta);
        let key = match keys::lookup(&name) {
            Some(key) if key.allowed_at(place) => key,
            _ => {
                unparsed.add(hint::unknown_key(cx, &meta.path, &name, place));
                return syntax::skip_value(meta.input);
            }
        };
        let understood = match syntax::value(cx, &meta, key, place)? {
            Some(given) => understand(key, syntax::key_span(&meta), given),
            None => false,
        };
        if !understood {
            unparsed.add(Some(key));
        }
        Ok(())
    });
    unparsed
}

/// A key that the table allows but the parser does not handle is a bug in this crate;
/// it is reported rather than ignored.
pub fn unhandled(cx: &Ctxt, span: Span, key: &Key) {
    cx.error(span, format_args!("unknown ding attribute `{key}`"));
}
