//! Rules that involve more than one attribute: roles, kinds, titles, templates.
//!
//! Each rule reports at the attribute, field or template that breaks it, and checking
//! goes on, so every mistake shows up in one build. `field` holds the rules about one
//! field, `item` the rules about a whole message.

mod field;
mod item;

use crate::ast::{Data, Input, Item};
use crate::ctxt::Ctxt;
use crate::keys::{Key, Place, TITLE};

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
    for template in [&m.attrs.title, &m.attrs.body].into_iter().flatten() {
        item::check_template(cx, m, &template.value);
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
    }
    item::check_title(cx, m);
    if kind_known {
        item::check_buttons(cx, m);
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
