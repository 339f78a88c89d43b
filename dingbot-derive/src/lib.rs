//! `#[derive(DingMessage)]`, `#[derive(DingItem)]` and `#[derive(DingCommand)]` for [dingbot](https://docs.rs/dingbot).
//!
//! Use them through `dingbot` (`use dingbot::{DingItem, DingMessage};`); this crate is an
//! implementation detail and is versioned in lockstep with `dingbot`. The attributes are
//! documented on `dingbot::DingMessage`.
//!
//! The expansion runs in stages, one module each: `attr` parses `#[ding(...)]` (reading
//! tokens with `syntax`, every key described once in `keys`, suggestions from `hint`) into
//! the meanings of `model`; `ast` builds the input's model, whose `template`s resolve
//! themselves against the fields and refuse markdown DingTalk does not render (the facts in
//! `subset`); `valid` checks the rules that span several attributes;
//! `expand` generates the impl (with bounds from `generics`, and the checks on field
//! types whose errors say what to do), and `fallback` emits the errors plus a stub impl
//! when anything is wrong. Every stage records its errors in the `ctxt`.

mod ast;
mod attr;
mod command;
mod ctxt;
mod expand;
mod fallback;
mod generics;
mod hint;
mod keys;
mod model;
/// DingTalk's markdown subset: a copy of `dingbot::markdown::subset`, data only; parts are
/// read only by the test that compares the two.
#[allow(dead_code)]
mod subset;
mod syntax;
mod template;
mod valid;

use proc_macro::TokenStream;

/// Derives `dingbot::DingMessage`; see the `dingbot` crate documentation.
#[proc_macro_derive(DingMessage, attributes(ding))]
pub fn derive_ding_message(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}

/// Derives `dingbot::DingCommand`; see the `dingbot` crate documentation.
#[proc_macro_derive(DingCommand, attributes(ding))]
pub fn derive_ding_command(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    command::derive(&input).into()
}

/// Derives `dingbot::DingItem`; see the `dingbot` crate documentation.
#[proc_macro_derive(DingItem, attributes(ding))]
pub fn derive_ding_item(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive_item(&input).into()
}
