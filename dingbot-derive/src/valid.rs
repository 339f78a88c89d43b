//! Rules that involve more than one attribute: roles, kinds, titles, templates.
//!
//! Each rule reports at the attribute, field or template that breaks it, and checking
//! goes on, so every mistake shows up in one build.

use crate::ast::{Data, Field, Input, Message, Role};
use crate::attr::Kind;
use crate::ctxt::Ctxt;
use crate::template::Template;

pub fn check(cx: &Ctxt, input: &Input) {
    if let Data::Enum(variants) = &input.data {
        if variants.is_empty() {
            let name = &input.original.ident;
            cx.error(
                name.span(),
                format_args!(
                    "`{name}` has no variants, so it has no message to send: add a variant, \
                     as in `#[ding(title = \"...\")] Started`"
                ),
            );
        }
    }
    for message in input.messages() {
        check_message(cx, message);
    }
}

fn check_message(cx: &Ctxt, m: &Message) {
    // The message's own attribute comes first in the source, so its errors come first.
    let kind_known = m.attrs.kind_is_known();
    if kind_known {
        check_container_kind(cx, m);
    }
    if let Some(title) = &m.attrs.title {
        check_template(cx, m, &title.value, "title");
    }
    if let Some(body) = &m.attrs.body {
        check_template(cx, m, &body.value, "body");
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
fn may_be_unparsed(m: &Message, key: &str) -> bool {
    m.attrs.unparsed.may_contain(key) || m.fields.iter().any(|f| f.attrs.unparsed.may_contain(key))
}

/// Whether the `title` and `body` templates were understood and name only fields.
fn templates_complete(m: &Message) -> bool {
    [&m.attrs.title, &m.attrs.body]
        .into_iter()
        .flatten()
        .all(|t| t.value.is_complete())
}

/// A field has one role; `skip` goes with nothing at all.
fn check_roles(cx: &Ctxt, f: &Field) {
    let roles = f.attrs.roles();
    let Some((first, _)) = roles.first() else {
        return;
    };
    if *first == Role::Skip {
        let mut others: Vec<(&str, proc_macro2::Span)> = roles[1..]
            .iter()
            .map(|(role, span)| (role.key(), *span))
            .collect();
        if let Some(label) = &f.attrs.label {
            others.push(("label", label.span));
        }
        if let Some(raw) = &f.attrs.raw {
            others.push(("raw", raw.span));
        }
        for (key, span) in others {
            cx.error(
                span,
                format_args!(
                    "`skip` cannot be combined with `{key}`: a skipped field is not used at \
                     all; remove one of them"
                ),
            );
        }
        return;
    }
    for (role, span) in &roles[1..] {
        cx.error(
            *span,
            format_args!(
                "`{}` cannot be combined with `{}`: a field has one role; keep one, or use \
                 two fields",
                role.key(),
                first.key()
            ),
        );
    }
}

/// `label` names a `**Label**: value` line, so it needs one.
fn check_label(cx: &Ctxt, m: &Message, f: &Field) {
    let Some(label) = &f.attrs.label else {
        return;
    };
    match &f.role {
        Role::Plain | Role::Skip => {}
        Role::Button(_) | Role::SingleButton(_) => cx.error(
            label.span,
            format_args!(
                "`label` has no effect on a field marked `{}`: the button's text is its \
                 label; remove `label`",
                f.role.key()
            ),
        ),
        role => cx.error(
            label.span,
            format_args!(
                "`label` has no effect on a field marked `{}`: it is not shown as a \
                 `**Label**: value` line; remove `label`",
                role.key()
            ),
        ),
    }
    if f.role == Role::Plain && m.attrs.body.is_some() {
        cx.error(
            label.span,
            "`label` has no effect when the message has a `body` template: the template \
             decides how each field is shown; remove `label`",
        );
    }
}

/// `raw` opts a value out of markdown escaping, so the value must be in a markdown body.
fn check_raw(cx: &Ctxt, m: &Message, f: &Field) {
    let Some(raw) = &f.attrs.raw else {
        return;
    };
    if f.role == Role::Skip {
        return; // reported by check_roles
    }
    if m.kind == Kind::Text {
        cx.error(
            raw.span,
            "`raw` has no effect in a text message: text is never escaped; remove `raw`",
        );
    } else if !m.attrs.kind_is_known() || !templates_complete(m) {
        // Whether the field is shown is not known; the error that made it so is reported.
    } else if f.role == Role::Image {
        cx.error(
            raw.span,
            "`raw` has no effect on an `image` field: its URL is written as `![](url)`; \
             remove `raw`",
        );
    } else if !m.in_body(f) {
        let why = match &f.role {
            Role::Plain if m.attrs.body.is_some() => {
                "the `body` template does not name it".to_owned()
            }
            Role::Plain => "it is already shown in the title".to_owned(),
            role => format!("it is marked `{}`", role.key()),
        };
        cx.error(
            raw.span,
            format_args!(
                "`raw` has no effect on a field that is not shown in the body: {why}; \
                 remove `raw`"
            ),
        );
    }
}

/// Mentions need a markdown or text message; buttons an action card; images markdown.
fn check_kind_of_field(cx: &Ctxt, m: &Message, f: &Field) {
    let Some((_, span)) = f
        .attrs
        .roles()
        .into_iter()
        .find(|(role, _)| *role == f.role)
    else {
        return;
    };
    match (&f.role, m.kind) {
        (role, Kind::ActionCard) if role.is_mention() => cx.error(
            span,
            format_args!(
                "`{}` cannot be used in an action card: DingTalk's actionCard cannot mention \
                 anyone; use `markdown` or `text`",
                role.key()
            ),
        ),
        (role, Kind::Markdown | Kind::Text) if role.is_button() => cx.error(
            span,
            format_args!(
                "`{}` needs an action card: add `action_card` to the #[ding(...)] on `{}`",
                role.key(),
                m.name
            ),
        ),
        (Role::Image, Kind::Text) => cx.error(
            span,
            "`image` cannot be used in a text message: images need `markdown` or `action_card`",
        ),
        _ => {}
    }
}

/// A tuple field has no name to make a label from.
fn check_unnamed(cx: &Ctxt, m: &Message, f: &Field) {
    if !f.attrs.unparsed.is_empty() || !templates_complete(m) {
        return; // it may have been meant to have a label or a role, or be in a template
    }
    if f.role == Role::Plain && f.label().is_none() && m.in_default_body(f) {
        cx.error(
            f.span,
            format_args!(
                "field `{}` has no name to label its line with: add #[ding(label = \"...\")], \
                 name it in the `title`, or write a `body` template",
                f.index
            ),
        );
    }
}

/// A title is always shown, so a title field cannot be optional.
fn check_title_type(cx: &Ctxt, m: &Message, f: &Field) {
    if f.role == Role::Title && f.option_inner.is_some() {
        let name = f.name();
        cx.error_spanned(
            f.ty,
            format_args!(
                "a `title` field cannot be an `Option`: every message has a title; make \
                 `{name}` a plain value, or put `title = \"...{{{name}}}...\"` on `{}`, where \
                 `None` shows as nothing",
                m.name
            ),
        );
    }
}

/// Message keys that only fit some kinds.
fn check_container_kind(cx: &Ctxt, m: &Message) {
    let kind = m.kind;
    if kind != Kind::ActionCard {
        if let Some(o) = &m.attrs.orientation {
            cx.error(
                o.span,
                "`orientation` applies only to action cards: add `action_card`",
            );
        }
        if let Some(h) = &m.attrs.hide_avatar {
            cx.error(
                h.span,
                "`hide_avatar` applies only to action cards: add `action_card`",
            );
        }
    }
    if kind == Kind::ActionCard {
        if let Some(a) = &m.attrs.at_all {
            cx.error(
                a.span,
                "`at_all` cannot be used in an action card: DingTalk's actionCard cannot \
                 mention anyone; use `markdown` or `text`",
            );
        }
    }
    if m.attrs.at_all.is_some() {
        for f in &m.fields {
            if let Some(a) = &f.attrs.at_all {
                cx.error(
                    a.span,
                    format_args!(
                        "`at_all` is already on `{}`, so the message always mentions \
                         everyone; remove one of them",
                        m.name
                    ),
                );
            }
        }
    }
}

/// Exactly one title, from the container or from one field; a text message may do
/// without one if it has a body.
fn check_title(cx: &Ctxt, m: &Message) {
    // Fields marked `title`, even with a second role (reported by `check_roles`).
    let title_fields: Vec<&Field> = m
        .fields
        .iter()
        .filter(|f| f.attrs.title.is_some())
        .collect();
    let field_span = |f: &Field| f.attrs.title.as_ref().map_or(f.span, |t| t.span);
    if m.kind == Kind::Text && m.attrs.body.is_some() {
        let spans = m.attrs.title.iter().map(|t| t.span);
        for span in spans.chain(title_fields.iter().map(|f| field_span(f))) {
            cx.error(
                span,
                "a text message with a `body` has no title: DingTalk's text messages have \
                 none, so write everything in the `body`",
            );
        }
        return;
    }
    if m.attrs.title.is_some() {
        for f in &title_fields {
            cx.error(
                field_span(f),
                format_args!(
                    "the title is given twice: by `title = \"...\"` on `{}` and by this field; \
                     keep one",
                    m.name
                ),
            );
        }
    } else {
        if let Some(first) = title_fields.first() {
            for f in &title_fields[1..] {
                cx.error(
                    field_span(f),
                    format_args!(
                        "a message has one title, and field `{}` is already marked `title`; \
                         remove one of them, or combine them in #[ding(title = \"...\")] \
                         on `{}`",
                        first.name(),
                        m.name
                    ),
                );
            }
        }
        let unparsed = may_be_unparsed(m, "title")
            || !m.attrs.kind_is_known()
            || (m.kind == Kind::Text && may_be_unparsed(m, "body"));
        if title_fields.is_empty() && !unparsed {
            if m.kind != Kind::Text {
                cx.error(
                    m.name.span(),
                    format_args!(
                        "`{}` needs a title: add #[ding(title = \"...\")] or mark a field \
                         #[ding(title)]",
                        m.name
                    ),
                );
            } else if m.attrs.body.is_none() {
                cx.error(
                    m.name.span(),
                    format_args!(
                        "the text message `{}` needs a `title` (its first line) or a `body`: \
                         add #[ding(title = \"...\")] or #[ding(body = \"...\")]",
                        m.name
                    ),
                );
            }
        }
    }
}

/// An action card needs a button; `single_button` stands alone.
fn check_buttons(cx: &Ctxt, m: &Message) {
    if m.kind != Kind::ActionCard {
        return;
    }
    // Fields with a button attribute, even with a second role (reported by `check_roles`).
    let buttons: Vec<&Field> = m.fields.iter().filter(|f| f.attrs.has_button()).collect();
    let unparsed = ["button", "single_button", "buttons"]
        .iter()
        .any(|key| may_be_unparsed(m, key));
    if buttons.is_empty() && !unparsed {
        let span = m.attrs.kind.as_ref().map_or(m.name.span(), |k| k.span);
        cx.error(
            span,
            "an action card needs a button: mark the field holding its URL \
             #[ding(button = \"...\")], or use `single_button` or `buttons`; for a message \
             without buttons, use `markdown`",
        );
        return;
    }
    let singles: Vec<&Field> = buttons
        .iter()
        .copied()
        .filter(|f| f.attrs.single_button.is_some())
        .collect();
    let single_span = |f: &Field| f.attrs.single_button.as_ref().map_or(f.span, |b| b.span);
    for f in singles.iter().skip(1) {
        cx.error(
            single_span(f),
            format_args!(
                "an action card has at most one `single_button`, and field `{}` already is \
                 one; for several buttons, mark each #[ding(button = \"...\")]",
                singles[0].name()
            ),
        );
    }
    if let Some(first) = singles.first() {
        if buttons.len() > singles.len() {
            cx.error(
                single_span(first),
                "`single_button` makes the whole card one button, so it cannot be combined \
                 with `button` or `buttons` fields",
            );
        }
    }
}

/// Templates may name fields that have a value to show.
fn check_template(cx: &Ctxt, m: &Message, template: &Template, what: &str) {
    for placeholder in template.placeholders() {
        let Some(f) = placeholder.field.and_then(|i| m.fields.get(i)) else {
            continue; // reported when resolved
        };
        let name = &placeholder.name;
        let problem = match &f.role {
            Role::Skip => Some(format!(
                "it is marked `skip`; remove `skip`, or `{{{name}}}` from the {what}"
            )),
            Role::AtMobiles | Role::AtUserIds => Some(format!(
                "it is an `{}` field, whose mentions are added to the body by themselves; \
                 remove `{{{name}}}` from the {what}",
                f.role.key()
            )),
            Role::AtAll => Some(format!(
                "it is the `at_all` flag; remove `{{{name}}}` from the {what}"
            )),
            Role::Buttons => Some(format!(
                "it is a `buttons` list, shown as the card's buttons; remove `{{{name}}}` from \
                 the {what}"
            )),
            Role::Image if what == "title" => Some(
                "it is an `image`, and a title is plain text; show the image in the \
                       body instead"
                    .to_owned(),
            ),
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
