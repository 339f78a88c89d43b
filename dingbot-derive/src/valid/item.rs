//! Rules about a whole message: keys that fit only some kinds, its title, its buttons,
//! and what its templates may show.

use crate::ast::{Field, Item};
use crate::ctxt::Ctxt;
use crate::keys::{
    ACTION_CARD, AT_ALL, BODY, BUTTON, BUTTONS, FLATTEN, HIDE_AVATAR, LIST, MARKDOWN, ORIENTATION,
    Place, SINGLE_BUTTON, SKIP, SUMMARY, TEXT, TITLE,
};
use crate::model::{Kind, Role};
use crate::template::Template;

/// Message keys that only fit some kinds.
pub fn check_container_kind(cx: &Ctxt, m: &Item) {
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
    if kind != Kind::ActionCard {
        for button in &m.attrs.buttons {
            cx.error(
                button.span,
                format_args!(
                    "`{BUTTON}(...)` needs an action card: add `{ACTION_CARD}` to the \
                     #[ding(...)] on `{}`",
                    m.name
                ),
            );
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
pub fn check_title(cx: &Ctxt, m: &Item) {
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
    let unparsed = m.may_be_unparsed(&TITLE)
        || !m.attrs.kind_is_known()
        || (m.kind == Kind::Text && m.may_be_unparsed(&BODY));
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
pub fn check_buttons(cx: &Ctxt, m: &Item) {
    if m.kind != Kind::ActionCard {
        return;
    }
    // Fields with a button attribute, even with a second role (reported by `check_roles`).
    let buttons: Vec<&Field> = m.fields.iter().filter(|f| f.attrs.has_button()).collect();
    let unparsed = [&BUTTON, &SINGLE_BUTTON, &BUTTONS]
        .into_iter()
        .any(|key| m.may_be_unparsed(key));
    let templated = m.attrs.buttons.len();
    if buttons.is_empty() && templated == 0 && !unparsed {
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
        if buttons.len() + templated > singles.len() {
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
pub fn check_template(cx: &Ctxt, m: &Item, template: &Template) {
    let what = template.key;
    let plain = what == &TITLE || what == &SUMMARY;
    let in_text = plain || what == &BUTTON;
    for section in template.sections() {
        let Some(f) = section.field.and_then(|i| m.fields.get(i)) else {
            continue; // reported when resolved
        };
        if f.option_inner.is_none() && f.role != Role::List {
            let name = &section.name;
            cx.error(
                template.span(),
                format_args!(
                    "section `{{#{name}}}` needs an `Option` field or a `{LIST}` field, whose \
                     `None` or empty list leaves it out; `{name}` is always there, so remove \
                     `{{#{name}}}` and `{{/{name}}}`"
                ),
            );
        }
    }
    for placeholder in template.placeholders() {
        let Some(f) = placeholder.field.and_then(|i| m.fields.get(i)) else {
            continue; // reported when resolved
        };
        let name = &placeholder.name;
        if matches!(f.role, Role::List | Role::Flatten) && !placeholder.spec.is_empty() {
            cx.error(
                template.span(),
                format_args!(
                    "`{{{name}:{}}}`: a `{}` field is written as lines, not one value, so it takes \
                     no format spec; write `{{{name}}}`",
                    placeholder.spec, f.role
                ),
            );
        }
        let problem = match &f.role {
            Role::List | Role::Flatten if in_text => Some(format!(
                "it is a `{}` field, written as lines of markdown, and the {what} is one line; \
                 show it in the `{BODY}` instead",
                f.role
            )),
            Role::Image if what == &BUTTON => {
                Some(format!("it is an `{}`; a URL holds text values", f.role))
            }
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
            _ if f.role == Role::Flatten && what != &BODY => Some(format!(
                "it is a `{FLATTEN}` field; show it in the `{BODY}`"
            )),
            Role::Image if plain => Some(format!(
                "it is an `{}`, and a {what} is plain text; show the image in the body instead",
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
