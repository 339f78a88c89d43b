//! `#[derive(DingCommand)]`: an enum as the commands a robot answers. `keys` is the
//! table of its `#[ding(...)]` keys, `attr` reads them, `model` builds and checks the
//! commands, `expand` writes the impl. Every mistake is a spanned compile error; when
//! there is one, a stub impl keeps the rest of the crate's errors quiet.

mod attr;
mod expand;
mod keys;
mod model;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ctxt::Ctxt;

pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let (commands, krate) = model::build(&cx, input);
    let krate = krate.map_or_else(|| quote!(::dingbot), |p| p.into_token_stream());
    let ident = &input.ident;
    match cx.check() {
        Ok(()) => expand::expand(ident, &krate, &commands),
        Err(err) => {
            let errors = err.to_compile_error();
            let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
            quote! {
                #errors
                impl #impl_generics #krate::DingCommand for #ident #ty_generics #where_clause {
                    fn commands() -> &'static [#krate::command::CommandSpec] { &[] }
                    fn from_matched(
                        _: usize,
                        _: &#krate::command::Matched,
                    ) -> ::core::result::Result<Self, #krate::command::CommandError> {
                        ::core::unreachable!()
                    }
                }
            }
        }
    }
}
