//! `#[derive(DingMessage)]` for [dingbot](https://docs.rs/dingbot).
//!
//! Use it through `dingbot` (`use dingbot::DingMessage;`); this crate is an
//! implementation detail and is versioned in lockstep with `dingbot`.

use proc_macro::TokenStream;

/// Derives `dingbot::DingMessage`; see the `dingbot` crate documentation.
#[proc_macro_derive(DingMessage, attributes(ding))]
pub fn derive_ding_message(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    syn::Error::new_spanned(
        &input.ident,
        "#[derive(DingMessage)] is not implemented yet",
    )
    .to_compile_error()
    .into()
}
