//! Code generation: one `impl DingMessage` whose `to_message` builds the message.
//!
//! Everything is named through `<dingbot>::__private`; values are bound to locals named
//! `__ding_<index>` that carry the field's span, so a type error (a field that is not
//! `Display`, mentions of the wrong type) points at the field, and what a field's type
//! must be is checked by traits the output defines for it (`checks`), whose errors say
//! what to do.
//!
//! [`Gen`](generator::Gen) generates one message (`message`); its parts live beside it, by what
//! they emit: `title`, `summary`, `mentions`, `markdown` and `text` (the bodies, with their
//! `section`s) and `card` (an action card). `item` is `#[derive(DingItem)]`.

mod card;
mod checks;
mod generator;
mod item;
mod markdown;
mod mentions;
mod message;
mod section;
mod summary;
mod text;
mod title;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use self::checks::Checks;
use self::generator::Gen;
pub use self::item::derive_item;
use crate::ast::{Data, Input};
use crate::ctxt::Ctxt;
use crate::generics::Bounds;
use crate::model::Kind;
use crate::{fallback, valid};

/// Expands `#[derive(DingMessage)]`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = Input::from_syn(&cx, input);
    valid::check(&cx, &model);
    match cx.check() {
        Ok(()) => impl_ding_message(&model),
        Err(err) => fallback::expand(input, &model.krate, &err),
    }
}

fn impl_ding_message(input: &Input) -> TokenStream {
    let krate = &input.krate;
    // Named through one `use`, so a wrong `crate = "..."` path is one error, not one per use.
    let p = quote!(__ding);
    let original = input.original;
    let ident = &original.ident;
    let mut bounds = Bounds::new(&original.generics);
    let checks = Checks::default();

    // The message, and the lines a `flatten` field of another type takes from it (text
    // messages have no markdown lines to give).
    let mut flatten = input.items().iter().all(|m| m.kind != Kind::Text);
    let (body, lines) = match &input.data {
        Data::Struct(m) => {
            let generator = Gen::new(m, &p, &checks);
            let (pattern, code) = generator.message(&mut bounds);
            let lines = generator.markdown_content(false).0;
            if pattern.is_empty() {
                (code, lines)
            } else {
                (
                    quote! {
                        let Self { #pattern .. } = self;
                        #code
                    },
                    quote! {
                        let Self { #pattern .. } = self;
                        #lines
                    },
                )
            }
        }
        Data::Enum(variants) if variants.is_empty() => {
            flatten = false;
            (quote!(match *self {}), TokenStream::new())
        }
        Data::Enum(variants) => {
            let mut arms = Vec::new();
            let mut line_arms = Vec::new();
            for m in variants {
                let generator = Gen::new(m, &p, &checks);
                let (pattern, code) = generator.message(&mut bounds);
                let variant = m.variant;
                arms.push(quote!(Self::#variant { #pattern .. } => { #code }));
                if flatten {
                    let lines = generator.markdown_content(false).0;
                    line_arms.push(quote!(Self::#variant { #pattern .. } => { #lines }));
                }
            }
            (
                quote!(match self { #(#arms)* }),
                quote!(match self { #(#line_arms)* }),
            )
        }
        Data::Union => (quote!(::core::unreachable!()), TokenStream::new()),
    };

    let summary = summary_fn(input, &p, &checks);
    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();
    let where_clause = bounds.where_clause(where_clause);
    let flatten = flatten.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #p::Flatten for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                fn write_fields(&self, __ding_body: &mut #p::Body) {
                    #lines
                }
            }
        }
    });
    let checks = checks.definitions(&p);
    quote! {
        const _: () = {
            use #krate::__private as #p;
            use #p::Sink as _;

            #checks

            #[automatically_derived]
            impl #impl_generics #p::DingMessage for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                fn to_message(&self) -> #p::Message {
                    #body
                }

                #summary
            }

            #flatten
        };
    }
}

/// `fn summary(&self)` when a struct or any variant has a `summary` template; variants
/// without one keep the trait's default (the title). Without any, nothing: the default
/// applies.
fn summary_fn(input: &Input, p: &TokenStream, checks: &Checks) -> Option<TokenStream> {
    let body = match &input.data {
        Data::Struct(m) => {
            let (pattern, code) = Gen::new(m, p, checks).summary()?;
            if pattern.is_empty() {
                code
            } else {
                quote! {
                    let Self { #pattern .. } = self;
                    #code
                }
            }
        }
        Data::Enum(variants) => {
            let lines: Vec<_> = variants
                .iter()
                .map(|m| Gen::new(m, p, checks).summary())
                .collect();
            if lines.iter().all(Option::is_none) {
                return None;
            }
            let arms = variants.iter().zip(lines).map(|(m, line)| {
                let variant = m.variant;
                match line {
                    Some((pattern, code)) => quote!(Self::#variant { #pattern .. } => { #code }),
                    None => quote!(Self::#variant { .. } => #p::default_summary(self),),
                }
            });
            quote!(match self { #(#arms)* })
        }
        Data::Union => return None,
    };
    Some(quote! {
        #[allow(deprecated)]
        fn summary(&self) -> ::core::option::Option<#p::String> {
            #body
        }
    })
}
