//! Rules about one field: its roles, `label` and `raw`, and what its kind of message
//! allows.

use crate::ast::{Field, Item};
use crate::ctxt::Ctxt;
use crate::keys::{
    ACTION_CARD, BODY, BUTTON, FLATTEN, IMAGE, LABEL, LIST, MARKDOWN, OPEN, Place, RAW,
    SINGLE_BUTTON, SKIP, TEXT, TITLE, WITH,
};
use crate::model::{Kind, Role};
use crate::template::{Piece, Spot};

/// A field has one role; `skip` goes with nothing at all.
pub fn check_roles(cx: &Ctxt, f: &Field) {
    let roles = &f.attrs.roles;
    let Some(first) = roles.first() else {
        return;
    };
    if first.value == Role::Skip {
        let mut others: Vec<(String, proc_macro2::Span)> = roles[1..]
            .iter()
            .map(|role| (role.value.to_string(), role.span))
            .collect();
        if let Some(label) = &f.attrs.label {
            others.push((LABEL.to_string(), label.span));
        }
        if let Some(raw) = &f.attrs.raw {
            others.push((RAW.to_string(), raw.span));
        }
        if let Some(with) = &f.attrs.with {
            others.push((WITH.to_string(), with.span));
        }
        if let Some(open) = &f.attrs.open {
            others.push((OPEN.to_string(), open.span));
        }
        for (key, span) in others {
            cx.error(
                span,
                format_args!(
                    "`{SKIP}` cannot be combined with `{key}`: a skipped field is not used at \
                     all; remove one of them"
                ),
            );
        }
        return;
    }
    for role in &roles[1..] {
        cx.error(
            role.span,
            format_args!(
                "`{}` cannot be combined with `{}`: a field has one role; keep one, or use \
                 two fields",
                role.value, first.value
            ),
        );
    }
}

/// `label` names a `**Label**: value` line, so it needs one.
pub fn check_label(cx: &Ctxt, m: &Item, f: &Field) {
    let Some(label) = &f.attrs.label else {
        return;
    };
    match &f.role {
        Role::Plain | Role::Skip | Role::List => {}
        Role::Button(_) | Role::SingleButton(_) => cx.error(
            label.span,
            format_args!(
                "`{LABEL}` has no effect on a field marked `{}`: the button's text is its \
                 label; remove `{LABEL}`",
                f.role
            ),
        ),
        role => cx.error(
            label.span,
            format_args!(
                "`{LABEL}` has no effect on a field marked `{role}`: it is not shown as a \
                 `**Label**: value` line; remove `{LABEL}`"
            ),
        ),
    }
    if matches!(f.role, Role::Plain | Role::List) && m.attrs.body.is_some() {
        cx.error(
            label.span,
            format_args!(
                "`{LABEL}` has no effect when the message has a `{BODY}` template: the \
                 template decides how each field is shown; remove `{LABEL}`"
            ),
        );
    }
}

/// `raw` opts a value out of markdown escaping, so the value must be in a markdown body.
pub fn check_raw(cx: &Ctxt, m: &Item, f: &Field) {
    let Some(raw) = &f.attrs.raw else {
        return;
    };
    if f.role == Role::Skip {
        return; // reported by check_roles
    }
    if m.kind == Kind::Text {
        cx.error(
            raw.span,
            format_args!(
                "`{RAW}` has no effect in a text message: text is never escaped; remove `{RAW}`"
            ),
        );
    } else if !m.attrs.kind_is_known() || !m.templates_complete() {
        // Whether the field is shown is not known; the error that made it so is reported.
    } else if f.role == Role::Flatten {
        cx.error(
            raw.span,
            format_args!(
                "`{RAW}` has no effect on a `{FLATTEN}` field: its type decides how its own \
                 fields are shown; put `{RAW}` on those fields instead"
            ),
        );
    } else if f.role == Role::Image {
        cx.error(
            raw.span,
            format_args!(
                "`{RAW}` has no effect on an `{IMAGE}` field: its URL is written as `![](url)`; \
                 remove `{RAW}`"
            ),
        );
    } else if !m.in_body(f) {
        let why = match &f.role {
            Role::Plain if m.attrs.body.is_some() => {
                format!("the `{BODY}` template does not name it")
            }
            Role::Plain => "it is already shown in the title".to_owned(),
            role => format!("it is marked `{role}`"),
        };
        cx.error(
            raw.span,
            format_args!(
                "`{RAW}` has no effect on a field that is not shown in the body: {why}; \
                 remove `{RAW}`"
            ),
        );
    }
}

/// Mentions need a markdown or text message; buttons an action card; images markdown.
pub fn check_kind_of_field(cx: &Ctxt, m: &Item, f: &Field) {
    let Some(span) = f.attrs.roles.first().map(|role| role.span) else {
        return;
    };
    match (&f.role, m.kind) {
        (role, Kind::ActionCard) if role.is_mention() => cx.error(
            span,
            format_args!(
                "`{role}` cannot be used in an action card: DingTalk's actionCard cannot mention \
                 anyone; use `{MARKDOWN}` or `{TEXT}`"
            ),
        ),
        (role, Kind::Markdown | Kind::Text) if role.is_button() => cx.error(
            span,
            format_args!(
                "`{role}` needs an action card: add `{ACTION_CARD}` to the #[ding(...)] on `{}`",
                m.name
            ),
        ),
        (Role::List | Role::Flatten, Kind::Text) => cx.error(
            span,
            format_args!(
                "`{}` cannot be used in a text message: it writes markdown (a list, or another \
                 message's lines); use `{MARKDOWN}` or `{ACTION_CARD}`",
                f.role
            ),
        ),
        (Role::Image, Kind::Text) => cx.error(
            span,
            format_args!(
                "`{IMAGE}` cannot be used in a text message: images need `{MARKDOWN}` or \
                 `{ACTION_CARD}`"
            ),
        ),
        _ => {}
    }
}

/// A tuple field has no name to make a label from.
pub fn check_unnamed(cx: &Ctxt, m: &Item, f: &Field) {
    if !f.attrs.unparsed.is_empty() || !m.templates_complete() {
        return; // it may have been meant to have a label or a role, or be in a template
    }
    if matches!(f.role, Role::Plain | Role::List) && f.label().is_none() && m.in_default_body(f) {
        cx.error(
            f.span,
            format_args!(
                "field `{}` has no name to label its line with: add #[ding({})], name it in \
                 the `{TITLE}`, or write a `{BODY}` template",
                f.index,
                LABEL.usage(Place::Field)
            ),
        );
    }
}

/// A title is always shown, so a title field cannot be optional.
pub fn check_title_type(cx: &Ctxt, m: &Item, f: &Field) {
    if f.role == Role::Title && f.option_inner.is_some() {
        let name = f.name();
        cx.error_spanned(
            f.ty,
            format_args!(
                "a `{TITLE}` field cannot be an `Option`: every message has a title; make \
                 `{name}` a plain value, or put `{TITLE} = \"...{{{name}}}...\"` on `{}`, where \
                 `None` shows as nothing",
                m.name
            ),
        );
    }
}

/// `with` formats a value that is shown: a plain field, a title field, a list's items.
pub fn check_with(cx: &Ctxt, f: &Field) {
    let Some(with) = &f.attrs.with else {
        return;
    };
    match &f.role {
        Role::Plain | Role::Title | Role::List | Role::Skip => {}
        role => cx.error(
            with.span,
            format_args!(
                "`{WITH}` has no effect on a field marked `{role}`: it formats a value that is \
                 shown as text (a plain field, a `{TITLE}` field, or the items of a `{LIST}`); \
                 remove `{WITH}`"
            ),
        ),
    }
}

/// `open` says where a button's URL opens, so it needs a button.
pub fn check_open(cx: &Ctxt, m: &Item, f: &Field) {
    let Some(open) = &f.attrs.open else {
        return;
    };
    // In a body template, a field that is a whole link target: `[Open]({url})`.
    let linked = m.attrs.body.as_ref().is_some_and(|body| {
        let template = &body.value;
        template
            .pieces
            .iter()
            .zip(template.markdown_spots())
            .any(|(piece, spot)| {
                matches!(piece, Piece::Field(ph) if ph.field == Some(f.index)) && spot == Spot::Url
            })
    });
    let fits = matches!(f.role, Role::Button(_) | Role::SingleButton(_) | Role::Skip)
        || (f.role == Role::Plain && linked);
    if !fits && m.templates_complete() {
        cx.error(
            open.span,
            format_args!(
                "`{OPEN}` says where DingTalk opens a URL: it applies to a field marked \
                 `{BUTTON}` or `{SINGLE_BUTTON}`, or to a field the `{BODY}` template links to \
                 as a whole, as in `[Open]({{{}}})`",
                f.name()
            ),
        );
    }
}
