//! The checks on field types, defined beside the code that calls them.
//!
//! What a field's type must be (`Display`, a list of items, a `DingMessage` to flatten)
//! is checked through a small trait the derive defines in its own output, with
//! `#[diagnostic::on_unimplemented]` saying what to do. The compiler names a failed trait
//! in its error, so these traits are the only ones a failure can name: each forwards to
//! the runtime's `__private` adapters, whose traits are then always satisfied, and whose
//! path never reaches the user. A trait is defined only when the code calls it.

use std::cell::Cell;

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use crate::keys::{FLATTEN, LIST, Place, RAW, SKIP, WITH};

/// Which checks the generated code calls; each is defined once per derive.
#[derive(Default)]
pub struct Checks {
    value: Cell<bool>,
    list: Cell<bool>,
    list_raw: Cell<bool>,
    list_with: Cell<bool>,
    flatten: Cell<bool>,
}

impl Checks {
    /// `DingValue`: a `Display` value, as `&dyn Display` (`DingValue::shown(v)`).
    pub fn value(&self) -> TokenStream {
        self.value.set(true);
        quote!(DingValue)
    }

    /// `DingList`, `DingListRaw` or `DingListWith`: a `list` field of `Display` or
    /// `DingItem` items (`is_empty`, `write_list`), as it is or through `with`.
    pub fn list(&self, raw: bool, with: bool) -> TokenStream {
        if with {
            self.list_with.set(true);
            quote!(DingListWith)
        } else if raw {
            self.list_raw.set(true);
            quote!(DingListRaw)
        } else {
            self.list.set(true);
            quote!(DingList)
        }
    }

    /// `DingFlatten`: a `#[derive(DingMessage)]` type, as its lines (`DingFlatten::lines(v)`).
    pub fn flatten(&self) -> TokenStream {
        self.flatten.set(true);
        quote!(DingFlatten)
    }

    /// The definitions of the checks called, for the `const _` block that holds the impl
    /// and names `__private` as `p`.
    pub fn definitions(&self, p: &TokenStream) -> TokenStream {
        let mut code = TokenStream::new();
        if self.value.get() {
            code.extend(value());
        }
        if self.list.get() {
            code.extend(list(p));
        }
        if self.list_raw.get() {
            code.extend(list_raw(p));
        }
        if self.list_with.get() {
            code.extend(list_with(p));
        }
        if self.flatten.get() {
            code.extend(flatten(p));
        }
        code
    }
}

/// `#[diagnostic::on_unimplemented(...)]` with these texts.
fn on_unimplemented(message: &str, label: &str, note: &str) -> TokenStream {
    let [message, label, note] =
        [message, label, note].map(|text| LitStr::new(text, proc_macro2::Span::call_site()));
    quote!(#[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)])
}

fn value() -> TokenStream {
    let on_unimplemented = on_unimplemented(
        "`{Self}` doesn't implement `std::fmt::Display`, so the derive cannot show it",
        "not `Display`",
        &format!(
            "format it with #[ding({})] (a `fn(&T, &mut std::fmt::Formatter<'_>) -> \
             std::fmt::Result`), leave it out with #[ding({SKIP})], or wrap it in a newtype \
             that implements `Display`",
            WITH.usage(Place::Field)
        ),
    );
    quote! {
        #on_unimplemented
        trait DingValue {
            fn shown(&self) -> &dyn ::core::fmt::Display;
        }

        #[diagnostic::do_not_recommend]
        impl<T: ::core::fmt::Display> DingValue for T {
            fn shown(&self) -> &dyn ::core::fmt::Display {
                self
            }
        }
    }
}

/// What a `list` field is, for the notes of the list checks.
const COLLECTION: &str =
    "a collection (a `Vec`, slice, set or map: anything `&field` iterates over)";

fn list(p: &TokenStream) -> TokenStream {
    let on_unimplemented = on_unimplemented(
        "`{Self}` cannot be shown as a list of items",
        "not a collection of `Display` or `DingItem` items",
        &format!(
            "a `{LIST}` field is {COLLECTION} whose items are `Display` or derive \
             `dingbot::DingItem` (a map's keys are `Display`, and its values either); derive \
             `DingItem` for the items, or format them with #[ding({LIST}, {})]",
            WITH.usage(Place::Field)
        ),
    );
    quote! {
        #on_unimplemented
        #[allow(dead_code)]
        trait DingList {
            fn is_empty(&self) -> bool;
            fn write_list<S: #p::Sink + ?Sized>(&self, sink: &mut S);
        }

        #[diagnostic::do_not_recommend]
        impl<L: ?Sized> DingList for L
        where
            for<'l> &'l L: ::core::iter::IntoIterator<Item: #p::ListItem>,
        {
            fn is_empty(&self) -> bool {
                #p::is_empty(self)
            }

            fn write_list<S: #p::Sink + ?Sized>(&self, sink: &mut S) {
                sink.list(self);
            }
        }
    }
}

fn list_raw(p: &TokenStream) -> TokenStream {
    let on_unimplemented = on_unimplemented(
        "`{Self}` cannot be shown as a `raw` list",
        "not a collection of `Display` items",
        &format!(
            "a `{RAW}` `{LIST}` field is {COLLECTION} whose items (a map's keys and values) \
             are `Display`, written as they are; for items that derive `dingbot::DingItem`, \
             remove `{RAW}`"
        ),
    );
    quote! {
        #on_unimplemented
        #[allow(dead_code)]
        trait DingListRaw {
            fn is_empty(&self) -> bool;
            fn write_list<S: #p::Sink + ?Sized>(&self, sink: &mut S);
        }

        #[diagnostic::do_not_recommend]
        impl<L: ?Sized> DingListRaw for L
        where
            for<'l> &'l L: ::core::iter::IntoIterator<Item: #p::ListItemRaw>,
        {
            fn is_empty(&self) -> bool {
                #p::is_empty(self)
            }

            fn write_list<S: #p::Sink + ?Sized>(&self, sink: &mut S) {
                sink.list_raw(self);
            }
        }
    }
}

fn list_with(p: &TokenStream) -> TokenStream {
    let on_unimplemented = on_unimplemented(
        "`{Self}` cannot be shown as a list through a `with` function",
        "not a collection",
        &format!(
            "a `{LIST}` field with `{WITH}` is {COLLECTION} whose items, or a map's values, \
             the function formats (a map's keys are `Display`)"
        ),
    );
    quote! {
        #on_unimplemented
        #[allow(dead_code)]
        trait DingListWith<T: ?Sized> {
            fn is_empty(&self) -> bool;
            fn write_list<S: #p::Sink + ?Sized>(&self, sink: &mut S, with: #p::Fmt<T>);
        }

        #[diagnostic::do_not_recommend]
        impl<L: ?Sized, T: ?Sized> DingListWith<T> for L
        where
            for<'l> &'l L: ::core::iter::IntoIterator<Item: #p::ListItemWith<T>>,
        {
            fn is_empty(&self) -> bool {
                #p::is_empty(self)
            }

            fn write_list<S: #p::Sink + ?Sized>(&self, sink: &mut S, with: #p::Fmt<T>) {
                sink.list_with(self, with);
            }
        }
    }
}

fn flatten(p: &TokenStream) -> TokenStream {
    let on_unimplemented = on_unimplemented(
        "`{Self}` cannot be flattened: it does not derive `DingMessage`",
        "not a `#[derive(DingMessage)]` type",
        &format!(
            "#[ding({FLATTEN})] puts the lines of a struct with #[derive(DingMessage)] into \
             this message; derive it on `{{Self}}` (a markdown or action card message), or \
             remove `{FLATTEN}` to show the field as one value"
        ),
    );
    quote! {
        #on_unimplemented
        trait DingFlatten {
            fn lines(&self) -> &dyn #p::Flatten;
        }

        #[diagnostic::do_not_recommend]
        impl<T: #p::Flatten> DingFlatten for T {
            fn lines(&self) -> &dyn #p::Flatten {
                self
            }
        }
    }
}
