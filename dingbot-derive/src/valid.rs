//! Rules that involve more than one attribute: roles, kinds, titles, templates.
//!
//! Each rule reports at the attribute, field or template that breaks it, and checking
//! goes on, so every mistake shows up in one build.

use crate::ast::{Data, Field, Input, Item};
use crate::ctxt::Ctxt;
use crate::keys::{
    ACTION_CARD, AT_ALL, BODY, BUTTON, BUTTONS, HIDE_AVATAR, IMAGE, Key, LABEL, MARKDOWN,
    ORIENTATION, Place, RAW, SINGLE_BUTTON, SKIP, TEXT, TITLE,
};
use crate::model::{Kind, Role};
use crate::template::Template;

pub fn check(cx: &Ctxt, input: &Input) {
    if let Data::Enum(variants) = &input.data {
        if variants.is_empty() {
            let name = &input.original.ident;
            cx.error(
                name.span(),
                format_args!(
                    "`{name}` has no variants, so it has no message to send: add a variant, \
                     as in `#[ding({})] Started`",
                    TITLE.usage(Place::Variant)
                ),
            );
        }
    }
    for item in input.items() {
        check_item(cx, item);
    }
}

fn check_item(cx: &Ctxt, m: &Item) {
    // The message's own attribute comes first in the source, so its errors come first.
    let kind_known = m.attrs.kind_is_known();
    if kind_known {
        check_container_kind(cx, m);
    }
    for template in [&m.attrs.title, &m.attrs.body].into_iter().flatten() {
        check_template(cx, m, &template.value);
    }
    for f in &m.fields {
        check_roles(cx, f);
        check_label(cx, m, f);
        check_raw(cx, m, f);
        if kind_known {
            check_kind_of_field(cx, m, f);
        }
        check_unnamed(cx, m, f);
        check_title_type(cx, m, f);
    }
    check_title(cx, m);
    if kind_known {
        check_buttons(cx, m);
    }
}

/// Whether `key` may have been meant somewhere in the message but was not understood
/// (its error is reported), so a rule about `key` missing would only repeat that error.
fn may_be_unparsed(m: &Item, key: &Key) -> bool {
    m.attrs.unparsed.may_contain(key) || m.fields.iter().any(|f| f.attrs.unparsed.may_contain(key))
}

/// Whether the `title` and `body` templates were understood and name only fields.
fn templates_complete(m: &Item) -> bool {
    [&m.attrs.title, &m.attrs.body]
        .into_iter()
        .flatten()
        .all(|t| t.value.is_complete())
}

/// A field has one role; `skip` goes with nothing at all.
fn check_roles(cx: &Ctxt, f: &Field) {
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
fn check_label(cx: &Ctxt, m: &Item, f: &Field) {
    let Some(label) = &f.attrs.label else {
        return;
    };
    match &f.role {
        Role::Plain | Role::Skip => {}
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
    if f.role == Role::Plain && m.attrs.body.is_some() {
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
fn check_raw(cx: &Ctxt, m: &Item, f: &Field) {
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
    } else if !m.attrs.kind_is_known() || !templates_complete(m) {
        // Whether the field is shown is not known; the error that made it so is reported.
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
fn check_kind_of_field(cx: &Ctxt, m: &Item, f: &Field) {
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
fn check_unnamed(cx: &Ctxt, m: &Item, f: &Field) {
    if !f.attrs.unparsed.is_empty() || !templates_complete(m) {
        return; // it may have been meant to have a label or a role, or be in a template
    }
    if f.role == Role::Plain && f.label().is_none() && m.in_default_body(f) {
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
fn check_title_type(cx: &Ctxt, m: &Item, f: &Field) {
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

/// Message keys that only fit some kinds.
fn check_container_kind(cx: &Ctxt, m: &Item) {
    let kind = m.kind;
    if kind != Kind::ActionCard {
        for (key, given) in [
            (&ORIENTATION, m.attrs.orientation.as_ref().map(|o| o.span)),
            (&HIDE_AVATAR, m.attrs.hide_avatar.as_ref().map(|h| h.span)),
        ] {
            if let Some(span) = given {
                cx.error(
                    span,
                    format_args!("`{key}` applies only to action cards: add `{ACTION_CARD}`"),
                );
            }
        }
    }
    if kind == Kind::ActionCard {
        if let Some(a) = &m.attrs.at_all {
            cx.error(
                a.span,
                format_args!(
                    "`{AT_ALL}` cannot be used in an action card: DingTalk's actionCard cannot \
                     mention anyone; use `{MARKDOWN}` or `{TEXT}`"
                ),
            );
        }
    }
    if m.attrs.at_all.is_some() {
        for span in m.fields.iter().filter_map(|f| f.attrs.given(&AT_ALL)) {
            cx.error(
                span,
                format_args!(
                    "`{AT_ALL}` is already on `{}`, so the message always mentions everyone; \
                     remove one of them",
                    m.name
                ),
            );
        }
    }
}

/// Exactly one title, from the container or from one field; a text message may do
/// without one if it has a body.
fn check_title(cx: &Ctxt, m: &Item) {
    // Fields marked `title`, even with a second role (reported by `check_roles`).
    let title_fields: Vec<&Field> = m
        .fields
        .iter()
        .filter(|f| f.attrs.given(&TITLE).is_some())
        .collect();
    let field_span = |f: &Field| f.attrs.given(&TITLE).unwrap_or(f.span);
    if m.kind == Kind::Text && m.attrs.body.is_some() {
        let spans = m.attrs.title.iter().map(|t| t.span);
        for span in spans.chain(title_fields.iter().map(|f| field_span(f))) {
            cx.error(
                span,
                format_args!(
                    "a text message with a `{BODY}` has no title: DingTalk's text messages \
                     have none, so write everything in the `{BODY}`"
                ),
            );
        }
        return;
    }
    let usage = TITLE.usage(Place::Struct);
    if m.attrs.title.is_some() {
        for f in &title_fields {
            cx.error(
                field_span(f),
                format_args!(
                    "the title is given twice: by `{usage}` on `{}` and by this field; keep \
                     one",
                    m.name
                ),
            );
        }
        return;
    }
    if let Some(first) = title_fields.first() {
        for f in &title_fields[1..] {
            cx.error(
                field_span(f),
                format_args!(
                    "a message has one title, and field `{}` is already marked `{TITLE}`; \
                     remove one of them, or combine them in #[ding({usage})] on `{}`",
                    first.name(),
                    m.name
                ),
            );
        }
    }
    let unparsed = may_be_unparsed(m, &TITLE)
        || !m.attrs.kind_is_known()
        || (m.kind == Kind::Text && may_be_unparsed(m, &BODY));
    if !title_fields.is_empty() || unparsed {
        return;
    }
    if m.kind != Kind::Text {
        cx.error(
            m.name.span(),
            format_args!(
                "`{}` needs a title: add #[ding({usage})] or mark a field #[ding({})]",
                m.name,
                TITLE.usage(Place::Field)
            ),
        );
    } else if m.attrs.body.is_none() {
        cx.error(
            m.name.span(),
            format_args!(
                "the text message `{}` needs a `{TITLE}` (its first line) or a `{BODY}`: add \
                 #[ding({usage})] or #[ding({})]",
                m.name,
                BODY.usage(Place::Struct)
            ),
        );
    }
}

/// An action card needs a button; `single_button` stands alone.
fn check_buttons(cx: &Ctxt, m: &Item) {
    if m.kind != Kind::ActionCard {
        return;
    }
    // Fields with a button attribute, even with a second role (reported by `check_roles`).
    let buttons: Vec<&Field> = m.fields.iter().filter(|f| f.attrs.has_button()).collect();
    let unparsed = [&BUTTON, &SINGLE_BUTTON, &BUTTONS]
        .into_iter()
        .any(|key| may_be_unparsed(m, key));
    if buttons.is_empty() && !unparsed {
        let span = m.attrs.kind.as_ref().map_or(m.name.span(), |k| k.span);
        cx.error(
            span,
            format_args!(
                "an action card needs a button: mark the field holding its URL #[ding({})], \
                 or use `{SINGLE_BUTTON}` or `{BUTTONS}`; for a message without buttons, use \
                 `{MARKDOWN}`",
                BUTTON.usage(Place::Field)
            ),
        );
        return;
    }
    let singles: Vec<(&Field, proc_macro2::Span)> = buttons
        .iter()
        .filter_map(|f| Some((*f, f.attrs.given(&SINGLE_BUTTON)?)))
        .collect();
    for (_, span) in singles.iter().skip(1) {
        cx.error(
            *span,
            format_args!(
                "an action card has at most one `{SINGLE_BUTTON}`, and field `{}` already is \
                 one; for several buttons, mark each #[ding({})]",
                singles[0].0.name(),
                BUTTON.usage(Place::Field)
            ),
        );
    }
    if let Some((_, span)) = singles.first() {
        if buttons.len() > singles.len() {
            cx.error(
                *span,
                format_args!(
                    "`{SINGLE_BUTTON}` makes the whole card one button, so it cannot be \
                     combined with `{BUTTON}` or `{BUTTONS}` fields"
                ),
            );
        }
    }
}

/// Templates may name fields that have a value to show.
fn check_template(cx: &Ctxt, m: &Item, template: &Template) {
    let what = template.key;
    for placeholder in template.placeholders() {
        let Some(f) = placeholder.field.and_then(|i| m.fields.get(i)) else {
            continue; // reported when resolved
        };
        let name = &placeholder.name;
        let problem = match &f.role {
            Role::Skip => Some(format!(
                "it is marked `{SKIP}`; remove `{SKIP}`, or `{{{name}}}` from the {what}"
            )),
            Role::AtMobiles | Role::AtUserIds => Some(format!(
                "it is an `{}` field, whose mentions are added to the body by themselves; \
                 remove `{{{name}}}` from the {what}",
                f.role
            )),
            Role::AtAll => Some(format!(
                "it is the `{AT_ALL}` flag; remove `{{{name}}}` from the {what}"
            )),
            Role::Buttons => Some(format!(
                "it is a `{BUTTONS}` list, shown as the card's buttons; remove `{{{name}}}` \
                 from the {what}"
            )),
            Role::Image if what == &TITLE => Some(format!(
                "it is an `{}`, and a title is plain text; show the image in the body instead",
                f.role
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            cx.error(
                template.span(),
                format_args!("`{{{name}}}` cannot be used in the {what}: {problem}"),
            );
        }
    }
}
