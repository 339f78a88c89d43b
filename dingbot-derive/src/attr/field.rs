//! `#[ding(...)]` on a field: its role, straight into the model, and how it is shown.

use proc_macro2::Span;
use syn::{Attribute, LitStr};

use super::parse::{Attr, Spanned, Unparsed, duplicate, parse_keys, unhandled};
use crate::ctxt::Ctxt;
use crate::hint;
use crate::keys::{Key, LABEL, OPEN, Place, RAW, WITH};
use crate::model::{Open, Role};
use crate::syntax::Given;

pub struct FieldAttrs {
    /// Every role given, in order of [`Role::precedence`]: the first is the field's role,
    /// and `valid` reports the others.
    pub roles: Vec<Spanned<Role>>,
    pub label: Option<Spanned<LitStr>>,
    pub raw: Option<Spanned<()>>,
    /// `with = path`: the function that formats the value.
    pub with: Option<Spanned<syn::Path>>,
    pub open: Option<Spanned<Open>>,
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
    let mut with = Attr::none(&WITH);
    let mut open = Attr::none(&OPEN);

    let unparsed = parse_keys(cx, attrs, Place::Field, |key, span, given| {
        match given {
            Given::Str(lit) if key == &LABEL => {
                check_text(cx, &lit, &LABEL);
                label.set(cx, span, lit);
            }
            Given::Flag if key == &RAW => raw.set(cx, span, ()),
            Given::Path(path) if key == &WITH => with.set(cx, span, path),
            Given::Str(lit) if key == &OPEN => match parse_open(cx, &lit) {
                Some(value) => open.set(cx, span, value),
                None => return false,
            },
            Given::Path(_) | Given::Args(..) => unhandled(cx, span, key),
            given => {
                let text = match given {
                    Given::Str(lit) => {
                        check_text(cx, &lit, &"button text");
                        Some(lit.value())
                    }
                    _ => None,
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
        with: with.get(),
        open: open.get(),
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

/// `"side_panel"` or `"browser"`; reports anything else.
pub fn parse_open(cx: &Ctxt, lit: &LitStr) -> Option<Open> {
    let value = lit.value();
    if let Some(open) = Open::parse(&value) {
        return Some(open);
    }
    let names = Open::ALL.map(Open::name);
    let msg = match hint::closest(&value.to_lowercase(), names) {
        Some(near) => format!("unknown `{OPEN}` value {value:?}; did you mean {near:?}?"),
        None => format!(
            "unknown `{OPEN}` value {value:?}: expected {:?} (DingTalk's side panel on the \
             desktop) or {:?} (the desktop's web browser)",
            Open::SidePanel.name(),
            Open::Browser.name()
        ),
    };
    cx.error(lit.span(), msg);
    None
}
