//! `#[derive(DingItem)]`: one `impl DingItem` whose `write_item` writes the struct as one
//! list item, from its `item` template or the default `**Label**: value, ...` line.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;

use super::checks::Checks;
use super::generator::{Gen, bindings};
use crate::ast::{Data, Input};
use crate::ctxt::Ctxt;
use crate::generics::Bounds;
use crate::model::Role;
use crate::{fallback, valid};

/// Expands `#[derive(DingItem)]`.
pub fn derive_item(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = Input::from_syn(&cx, input);
    valid::check_list_item(&cx, &model);
    match cx.check() {
        Ok(()) => impl_ding_item(&model),
        Err(err) => fallback::expand_item(input, &model.krate, &err),
    }
}

fn impl_ding_item(input: &Input) -> TokenStream {
    let krate = &input.krate;
    let p = quote!(__ding);
    let original = input.original;
    let ident = &original.ident;
    let mut bounds = Bounds::new(&original.generics);
    let Data::Struct(m) = &input.data else {
        return TokenStream::new(); // reported by `valid`
    };
    let checks = Checks::default();
    let generator = Gen::new(m, &p, &checks);
    let used: Vec<_> = m.fields.iter().filter(|f| m.in_item(f)).collect();
    let pattern = bindings(&used);
    let display = quote!(::core::fmt::Display);
    for f in &used {
        if f.role == Role::List {
            generator.list_bound(f, &mut bounds);
        } else if f.attrs.with.is_none() {
            bounds.add(f.value_ty(), display.clone());
        }
    }
    let code = match &m.attrs.item {
        Some(template) => generator.markdown_template(&template.value),
        None => generator.default_item(),
    };
    let bind = (!pattern.is_empty()).then(|| quote!(let Self { #pattern .. } = self;));
    let checks = checks.definitions(&p);
    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();
    let where_clause = bounds.where_clause(where_clause);
    quote! {
        const _: () = {
            use #krate::__private as #p;
            use #p::Sink as _;

            #checks

            #[automatically_derived]
            impl #impl_generics #p::DingItem for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                fn write_item(&self, __ding_item: &mut #p::ItemWriter<'_>) {
                    #bind
                    let mut __ding_body = #p::ItemBody(__ding_item);
                    #code
                }
            }
        };
    }
}

impl Gen<'_, '_> {
    /// The default item: `**Label**: value` pairs, `, ` between them (`None`s left
    /// out), then each `list` field as a list nested under the item.
    fn default_item(&self) -> TokenStream {
        let mut code = quote!(let mut __ding_first = true;);
        let fields = || self.m.fields.iter();
        for f in fields().filter(|f| f.role == Role::Plain) {
            let label = f.label().unwrap_or_default();
            let raw = f.attrs.raw.is_some();
            let call = |v: &TokenStream| {
                let v = self.shown(f, v);
                if raw {
                    quote_spanned!(f.span=> __ding_body.pair_raw(&mut __ding_first, #label, #v);)
                } else {
                    quote_spanned!(f.span=> __ding_body.pair(&mut __ding_first, #label, #v);)
                }
            };
            code.extend(self.with_value(f, call));
        }
        for f in fields().filter(|f| f.role == Role::List) {
            code.extend(self.with_value(f, |v| self.list(f, v)));
        }
        code.extend(quote!(let _ = __ding_first;));
        code
    }
}
