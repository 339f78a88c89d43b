//! `#[ding(...)]` on a struct, an enum or an enum variant.

use proc_macro2::Span;
use syn::{Attribute, Path};

use super::{Attr, Spanned, Unparsed, duplicate, parse_keys, unhandled};
use crate::ctxt::Ctxt;
use crate::hint;
use crate::keys::{self, AT_ALL, BODY, CRATE, HIDE_AVATAR, KEYWORD, ORIENTATION, Place, TITLE};
use crate::model::{Kind, Orientation};
use crate::syntax::Given;
use crate::template::Template;

pub struct ContainerAttrs {
    pub kind: Option<Spanned<Kind>>,
    pub title: Option<Spanned<Template>>,
    pub body: Option<Spanned<Template>>,
    pub orientation: Option<Spanned<Orientation>>,
    pub hide_avatar: Option<Spanned<()>>,
    pub keyword: Option<Spanned<String>>,
    pub at_all: Option<Spanned<()>>,
    pub krate: Option<Spanned<Path>>,
    pub unparsed: Unparsed,
}

impl ContainerAttrs {
    /// Whether the kind is known: not misspelled or given a value.
    pub fn kind_is_known(&self) -> bool {
        !Kind::ALL
            .iter()
            .any(|kind| self.unparsed.may_contain(kind.key()))
    }
}

/// Parses every `#[ding(...)]` among `attrs` on a struct, enum or variant.
pub fn container(cx: &Ctxt, attrs: &[Attribute], place: Place) -> ContainerAttrs {
    let mut kind = None;
    let mut title = Attr::none(&TITLE);
    let mut body = Attr::none(&BODY);
    let mut orientation = Attr::none(&ORIENTATION);
    let mut hide_avatar = Attr::none(&HIDE_AVATAR);
    let mut keyword = Attr::none(&KEYWORD);
    let mut at_all = Attr::none(&AT_ALL);
    let mut krate = Attr::none(&CRATE);

    let unparsed = parse_keys(cx, attrs, place, |key, span, given| {
        match (key, given) {
            (&keys::TITLE, Given::Str(lit)) => {
                title.set(cx, span, Template::parse(cx, lit, key));
            }
            (&keys::BODY, Given::Str(lit)) => body.set(cx, span, Template::parse(cx, lit, key)),
            (&keys::ORIENTATION, Given::Str(lit)) => match Orientation::parse(&lit.value()) {
                Some(value) => orientation.set(cx, span, value),
                None => unknown_orientation(cx, &lit),
            },
            (&keys::HIDE_AVATAR, Given::Flag) => hide_avatar.set(cx, span, ()),
            (&keys::KEYWORD, Given::Str(lit)) => match lit.value().trim() {
                "" => cx.error(
                    lit.span(),
                    format_args!(
                        "the keyword is empty: DingTalk looks for a robot's keywords as text, \
                         so `{KEYWORD}` names one, as in `{KEYWORD} = \"告警\"`"
                    ),
                ),
                word => keyword.set(cx, span, word.to_owned()),
            },
            (&keys::AT_ALL, Given::Flag) => at_all.set(cx, span, ()),
            (&keys::CRATE, Given::Str(lit)) => match lit.parse_with(Path::parse_mod_style) {
                Ok(path) => krate.set(cx, span, path),
                Err(_) => cx.error(
                    lit.span(),
                    format_args!(
                        "expected a path to the dingbot crate, as in `{CRATE} = \"::dingbot\"`, \
                         found {:?}",
                        lit.value()
                    ),
                ),
            },
            (key, Given::Flag) => match Kind::named_by(key) {
                Some(new) => set_kind(cx, &mut kind, span, new),
                None => unhandled(cx, span, key),
            },
            (key, Given::Str(_)) => unhandled(cx, span, key),
        }
        // A bad value is reported above, but the key was understood.
        true
    });

    ContainerAttrs {
        kind,
        title: title.get(),
        body: body.get(),
        orientation: orientation.get(),
        hide_avatar: hide_avatar.get(),
        keyword: keyword.get(),
        at_all: at_all.get(),
        krate: krate.get(),
        unparsed,
    }
}

fn unknown_orientation(cx: &Ctxt, lit: &syn::LitStr) {
    let value = lit.value();
    let names = Orientation::ALL.map(Orientation::name);
    let msg = match hint::closest(&value.to_lowercase(), names) {
        Some(near) => format!("unknown orientation {value:?}; did you mean {near:?}?"),
        None => format!(
            "unknown orientation {value:?}: expected {:?} (buttons side by side) or {:?} \
             (buttons stacked)",
            Orientation::Horizontal.name(),
            Orientation::Vertical.name()
        ),
    };
    cx.error(lit.span(), msg);
}

fn set_kind(cx: &Ctxt, kind: &mut Option<Spanned<Kind>>, span: Span, new: Kind) {
    match kind {
        Some(old) if old.value == new => duplicate(cx, span, new.key()),
        Some(old) => cx.error(
            span,
            format_args!(
                "conflicting message kinds `{}` and `{}`: a message has exactly one kind; \
                 keep one",
                old.value.key(),
                new.key()
            ),
        ),
        None => *kind = Some(Spanned { span, value: new }),
    }
}
