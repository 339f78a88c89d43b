//! Rules that involve more than one attribute: roles, kinds, titles, templates.
//!
//! Each rule reports at the attribute, field or template that breaks it, and checking
//! goes on, so every mistake shows up in one build. `field` holds the rules about one
//! field, `item` the rules about a whole message.

mod field;
mod item;

use crate::ast::{Data, Input, Item};
use crate::ctxt::Ctxt;
use crate::keys::{ITEM, LABEL, Place, RAW, TITLE};
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
        item::check_container_kind(cx, m);
    }
    for template in [&m.attrs.title, &m.attrs.body, &m.attrs.summary]
        .into_iter()
        .flatten()
    {
        item::check_template(cx, m, &template.value);
    }
    if let Some(title) = &m.attrs.title {
        title.value.forbid_sections(cx);
    }
    if let (true, Some(body)) = (kind_known && m.kind != Kind::Text, &m.attrs.body) {
        body.value.check_rendered(cx);
    }
    if let Some(summary) = &m.attrs.summary {
        summary.value.forbid_sections(cx);
        summary.value.forbid_line_breaks(cx);
    }
    for button in &m.attrs.buttons {
        item::check_template(cx, m, &button.url);
    }
    for f in &m.fields {
        field::check_roles(cx, f);
        field::check_label(cx, m, f);
        field::check_raw(cx, m, f);
        if kind_known {
            field::check_kind_of_field(cx, m, f);
        }
        field::check_unnamed(cx, m, f);
        field::check_title_type(cx, m, f);
        field::check_with(cx, f);
        field::check_open(cx, m, f);
    }
    item::check_title(cx, m);
    if kind_known {
        item::check_buttons(cx, m);
    }
}

/// The rules of `#[derive(DingItem)]`: a struct, its `item` template, its fields' keys.
/// Keys that only a message reads (a title, buttons, mentions) are left to
/// `#[derive(DingMessage)]`, which a struct may derive as well.
pub fn check_list_item(cx: &Ctxt, input: &Input) {
    let m = match &input.data {
        Data::Struct(m) => m,
        Data::Enum(_) => {
            cx.error(
                input.original.ident.span(),
                "DingItem is derived for a struct: an enum has no one way to be a list item; \
                 implement `dingbot::DingItem` by hand, or give it a `Display` impl",
            );
            return;
        }
        Data::Union => return, // reported
    };
    let template = m.attrs.item.as_ref().map(|t| &t.value);
    if let Some(template) = template {
        item::check_template(cx, m, template);
        template.check_rendered(cx);
    }
    for f in &m.fields {
        field::check_roles(cx, f);
        field::check_with(cx, f);
        if let (Some(label), Some(_)) = (&f.attrs.label, template) {
            cx.error(
                label.span,
                format_args!(
                    "`{LABEL}` has no effect when the struct has an `{ITEM}` template: the \
                     template decides how each field is shown; remove `{LABEL}`"
                ),
            );
        }
        let shown = m.in_item(f);
        if let (Some(raw), false) = (&f.attrs.raw, shown) {
            if f.role != Role::Skip && template.is_none_or(Template::is_complete) {
                cx.error(
                    raw.span,
                    format_args!(
                        "`{RAW}` has no effect on a field the item does not show; remove `{RAW}`"
                    ),
                );
            }
        }
        if template.is_none()
            && matches!(f.role, Role::Plain)
            && f.label().is_none()
            && f.attrs.unparsed.is_empty()
        {
            cx.error(
                f.span,
                format_args!(
                    "field `{}` has no name to label it with: add #[ding({})], or write an \
                     `{ITEM}` template on the struct",
                    f.index,
                    LABEL.usage(Place::Field)
                ),
            );
        }
    }
}
