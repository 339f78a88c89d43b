//! `#[ding(...)]` on a field: its role, straight into the model, and how it is shown.

use proc_macro2::Span;
use syn::{Attribute, LitStr};

use super::{Attr, Spanned, Unparsed, duplicate, parse_keys, unhandled};
use crate::ctxt::Ctxt;
use crate::keys::{Key, LABEL, Place, RAW};
use crate::model::Role;
use crate::syntax::Given;

pub struct FieldAttrs {
    /// Every role given, in order of [`Role::precedence`]: the first is the field's role,
    /// and `valid` reports the others.
    pub roles: Vec<Spanned<Role>>,
    pub label: Option<Spanned<LitStr>>,
    pub raw: Option<Spanned<()>>,
    pub unparsed: Unparsed,
}

impl FieldAttrs {
    /// The span of the key that gave the field a role with this key, if one did.
    pub fn given(&self, key: &Key) -> Option<Span> {
        self.roles
            .iter()
            .find(|role| role.value.key() == Some(key))
            .map(|role| role.span)
    }

    /// Whether the field is marked `button`, `single_button` or `buttons`.
    pub fn has_button(&self) -> bool {
        self.roles.iter().any(|role| role.value.is_button())
    }
}

/// Parses every `#[ding(...)]` among a field's `attrs`.
pub fn field(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut roles: Vec<Spanned<Role>> = Vec::new();
    let mut label = Attr::none(&LABEL);
    let mut raw = Attr::none(&RAW);

    let unparsed = parse_keys(cx, attrs, Place::Field, |key, span, given| {
        match given {
            Given::Str(lit) if key == &LABEL => {
                check_text(cx, &lit, &LABEL);
                label.set(cx, span, lit);
            }
            Given::Flag if key == &RAW => raw.set(cx, span, ()),
            given => {
                let text = match given {
                    Given::Str(lit) => {
                        check_text(cx, &lit, &"button text");
                        Some(lit.value())
                    }
                    Given::Flag => None,
                };
                match Role::given_by(key, text) {
                    Some(_) if roles.iter().any(|r| r.value.key() == Some(key)) => {
                        duplicate(cx, span, key);
                    }
                    Some(role) => roles.push(Spanned { span, value: role }),
                    None => unhandled(cx, span, key),
                }
            }
        }
        // A bad text is reported, but the field keeps its role, so no rule about a missing
        // label or button fires on top of it.
        true
    });
    roles.sort_by_key(|role| role.value.precedence());

    FieldAttrs {
        roles,
        label: label.get(),
        raw: raw.get(),
        unparsed,
    }
}

/// A label or a button's text is one line of something.
fn check_text(cx: &Ctxt, lit: &LitStr, what: &dyn std::fmt::Display) {
    let text = lit.value();
    if text.trim().is_empty() {
        cx.error(
            lit.span(),
            format_args!("the {what} must not be empty: write the text to show"),
        );
    } else if text.contains(['\n', '\r']) {
        cx.error(
            lit.span(),
            format_args!("the {what} must be a single line: remove the line break"),
        );
    }
}
