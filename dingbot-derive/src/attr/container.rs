//! `#[ding(...)]` on a struct, an enum or an enum variant.

use proc_macro2::Span;
use syn::{Attribute, Path};

use super::parse::{Attr, Spanned, Unparsed, duplicate, parse_keys, unhandled};
use crate::ctxt::Ctxt;
use crate::hint;
use crate::keys::{
    self, AT_ALL, BODY, BUTTON, CRATE, HIDE_AVATAR, ITEM, KEYWORD, ORIENTATION, Place, SUMMARY,
    TITLE,
};
use crate::model::{Kind, Open, Orientation};
use crate::syntax::Given;
use crate::template::Template;

pub struct ContainerAttrs {
    pub kind: Option<Spanned<Kind>>,
    pub title: Option<Spanned<Template>>,
    pub body: Option<Spanned<Template>>,
    /// `summary = "..."`: the one line that stands for the message where many are listed.
    pub summary: Option<Spanned<Template>>,
    pub orientation: Option<Spanned<Orientation>>,
    pub hide_avatar: Option<Spanned<()>>,
    pub keyword: Option<Spanned<String>>,
    pub at_all: Option<Spanned<()>>,
    pub krate: Option<Spanned<Path>>,
    /// `item = "..."`, read by `#[derive(DingItem)]`.
    pub item: Option<Spanned<Template>>,
    /// `button(text = "...", url = "...")`, in order.
    pub buttons: Vec<ButtonSpec>,
    pub unparsed: Unparsed,
}

/// `button(text = "...", url = "https://.../{field}", open = "...")` on a message.
pub struct ButtonSpec {
    /// The span of `button`.
    pub span: Span,
    pub text: String,
    pub url: Template,
    pub open: Option<Open>,
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
    let mut summary = Attr::none(&SUMMARY);
    let mut orientation = Attr::none(&ORIENTATION);
    let mut hide_avatar = Attr::none(&HIDE_AVATAR);
    let mut keyword = Attr::none(&KEYWORD);
    let mut at_all = Attr::none(&AT_ALL);
    let mut krate = Attr::none(&CRATE);
    let mut item = Attr::none(&ITEM);
    let mut buttons = Vec::new();

    let unparsed = parse_keys(cx, attrs, place, |key, span, given| {
        match (key, given) {
            (&keys::TITLE, Given::Str(lit)) => {
                title.set(cx, span, Template::parse(cx, lit, key));
            }
            (&keys::BODY, Given::Str(lit)) => body.set(cx, span, Template::parse(cx, lit, key)),
            (&keys::SUMMARY, Given::Str(lit)) => {
                summary.set(cx, span, Template::parse(cx, lit, key));
            }
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
            (&keys::ITEM, Given::Str(lit)) => item.set(cx, span, Template::parse(cx, lit, key)),
            (&keys::BUTTON, Given::Args(tokens, args_span)) => {
                match button(cx, span, tokens, args_span) {
                    Some(spec) => buttons.push(spec),
                    None => return false,
                }
            }
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
            (key, Given::Str(_) | Given::Path(_) | Given::Args(..)) => unhandled(cx, span, key),
        }
        // A bad value is reported above, but the key was understood.
        true
    });

    ContainerAttrs {
        kind,
        title: title.get(),
        body: body.get(),
        summary: summary.get(),
        orientation: orientation.get(),
        hide_avatar: hide_avatar.get(),
        keyword: keyword.get(),
        at_all: at_all.get(),
        krate: krate.get(),
        item: item.get(),
        buttons,
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

/// The arguments of a message's `button(...)`; `None` when one is missing or wrong
/// (reported).
fn button(
    cx: &Ctxt,
    span: Span,
    tokens: proc_macro2::TokenStream,
    args_span: Span,
) -> Option<ButtonSpec> {
    use syn::parse::Parser as _;
    const ARGS: [&str; 3] = ["text", "url", "open"];
    let mut text: Option<syn::LitStr> = None;
    let mut url: Option<syn::LitStr> = None;
    let mut open: Option<Option<Open>> = None;
    let mut ok = true;
    let parsed = syn::meta::parser(|arg| {
        let name = crate::syntax::key_name(&arg);
        let slot = match name.as_str() {
            "text" => &mut text,
            "url" => &mut url,
            "open" => {
                let lit: syn::LitStr = arg.value()?.parse()?;
                if open.is_some() {
                    cx.error_spanned(&arg.path, "duplicate `open` in `button(...)`: remove one");
                }
                let value = super::field::parse_open(cx, &lit);
                ok &= value.is_some();
                open = Some(value);
                return Ok(());
            }
            _ => {
                let msg = match hint::closest(&name, ARGS) {
                    Some(near) => {
                        format!("unknown `{BUTTON}` argument `{name}`; did you mean `{near}`?")
                    }
                    None => format!(
                        "unknown `{BUTTON}` argument `{name}`: a button takes `text = \"...\"`, \
                         `url = \"https://...\"` and, optionally, `open = \"side_panel\"` or \
                         `open = \"browser\"`"
                    ),
                };
                cx.error_spanned(&arg.path, msg);
                ok = false;
                return crate::syntax::skip_value(arg.input);
            }
        };
        let lit: syn::LitStr = arg.value()?.parse()?;
        if slot.is_some() {
            cx.error_spanned(
                &arg.path,
                format_args!("duplicate `{name}` in `{BUTTON}(...)`: remove one"),
            );
        }
        *slot = Some(lit);
        Ok(())
    })
    .parse2(tokens);
    if let Err(err) = parsed {
        cx.syn_error(err);
        return None;
    }
    let missing = |what: &str, example: &str| {
        cx.error(
            args_span,
            format_args!("a `{BUTTON}(...)` needs `{what}`, as in `{BUTTON}(text = \"Approve\", url = \"https://crm.example.com/orders/{{id}}/approve\")`{example}"),
        );
    };
    // After an unknown argument (reported), the missing one was probably meant.
    if text.is_none() && ok {
        missing("text = \"...\"", ": the button's text");
    }
    if url.is_none() && ok {
        missing("url = \"...\"", ": the URL it opens");
    }
    let (text, url) = (text?, url?);
    if text.value().trim().is_empty() {
        cx.error(
            text.span(),
            "the button's text must not be empty: write the text to show",
        );
        ok = false;
    } else if text.value().contains(['\n', '\r']) {
        cx.error(
            text.span(),
            "the button's text must be a single line: remove the line break",
        );
        ok = false;
    }
    let url = Template::parse(cx, url, &BUTTON);
    url.check_absolute_url(cx);
    ok.then_some(ButtonSpec {
        span,
        text: text.value().trim().to_owned(),
        url,
        open: open.flatten(),
    })
}
