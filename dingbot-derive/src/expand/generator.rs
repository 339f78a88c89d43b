//! [`Gen`], the generator of one message (a struct or one variant), and what every part
//! of the generated code shares: the locals a field's value is bound to, the value as
//! `&dyn Display`, through `with`, or with its format spec applied.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{Ident, LitStr, Type};

use super::checks::Checks;
use crate::ast::{Field, Item};
use crate::template::Placeholder;

/// Generates the code for one message (a struct or one variant).
pub struct Gen<'m, 'a> {
    pub m: &'m Item<'a>,
    /// `__ding`: the `__private` module, named through one `use`.
    pub p: &'m TokenStream,
    /// The checks the code calls, defined once beside it.
    pub checks: &'m Checks,
}

impl<'m, 'a> Gen<'m, 'a> {
    pub fn new(m: &'m Item<'a>, p: &'m TokenStream, checks: &'m Checks) -> Self {
        Gen { m, p, checks }
    }

    pub fn field_of(&self, ph: &Placeholder) -> Option<&'m Field<'a>> {
        ph.field.and_then(|i| self.m.fields.get(i))
    }

    /// Runs `call` on the field's value; for an `Option` field, only when it is `Some`.
    pub fn with_value(&self, f: &Field, call: impl Fn(&TokenStream) -> TokenStream) -> TokenStream {
        let binding = binding(f);
        if f.option_inner.is_some() {
            let value = value_binding(f);
            let body = call(&quote!(#value));
            quote! {
                if let ::core::option::Option::Some(#value) = #binding {
                    #body
                }
            }
        } else {
            call(&quote!(#binding))
        }
    }

    /// The value as `&dyn Display`: through the field's `with` function, or its own
    /// `Display` (a type that has none is reported at the field, with what to do).
    pub fn shown(&self, f: &Field, v: &TokenStream) -> TokenStream {
        match &f.attrs.with {
            Some(_) => {
                let with = self.formatted(f, v);
                quote_spanned!(f.span=> &#with)
            }
            None => {
                let check = self.checks.value();
                quote_spanned!(f.span=> #check::shown(#v))
            }
        }
    }

    /// The value for a format spec: through the field's `with` function, or as it is.
    pub fn formatted(&self, f: &Field, v: &TokenStream) -> TokenStream {
        let p = self.p;
        match self.with_fn(f) {
            Some(with) => quote_spanned!(f.span=> #p::With(#v, #with)),
            None => v.clone(),
        }
    }

    /// The field's `with` function as a `__private::Fmt` of its value's type: typed, so
    /// a function of another signature is reported at `with = ...` as a mismatch with
    /// the function pointer it should be.
    pub fn with_fn(&self, f: &Field) -> Option<TokenStream> {
        let p = self.p;
        let path = &f.attrs.with.as_ref()?.value;
        let ty = f.value_ty();
        Some(quote_spanned!(path.span()=> {
            let __ding_fmt: #p::Fmt<#ty> = #path;
            __ding_fmt
        }))
    }
}

/// The pattern that binds each of `fields` to its `__ding_<index>`: `member: __ding_i,`.
pub fn bindings(fields: &[&Field]) -> TokenStream {
    fields
        .iter()
        .map(|f| {
            let member = &f.member;
            let binding = binding(f);
            quote!(#member: #binding,)
        })
        .collect()
}

/// `__ding_<index>`, spanned at the field.
pub fn binding(f: &Field) -> Ident {
    format_ident!("__ding_{}", f.index, span = f.span)
}

/// The value inside an `Option` field, spanned at the field.
pub fn value_binding(f: &Field) -> Ident {
    format_ident!("__ding_value_{}", f.index, span = f.span)
}

/// `value.to_string()`, through `&dyn Display`: a field that is not `Display` is then
/// reported at the field as a failed cast, with no note about a `__private` helper.
pub fn to_string(p: &TokenStream, f: &Field, value: &TokenStream) -> TokenStream {
    quote_spanned!(f.span=> #p::to_string::<dyn ::core::fmt::Display>(#value))
}

/// The value with its format spec applied: `&format_args!("{:>8}", v)`.
pub fn with_spec(f: &Field, ph: &Placeholder, value: &TokenStream) -> TokenStream {
    if ph.spec.is_empty() {
        return value.clone();
    }
    let format = LitStr::new(&format!("{{:{}}}", ph.spec), Span::call_site());
    quote_spanned!(f.span=> &::core::format_args!(#format, #value))
}

/// Whether `ty` is written `String` or `&str`, whose values need no formatting.
pub fn is_str(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "String" && s.arguments.is_empty()),
        Type::Reference(r) => {
            matches!(&*r.elem, Type::Path(p) if p.qself.is_none() && p.path.is_ident("str"))
        }
        Type::Group(g) => is_str(&g.elem),
        Type::Paren(p) => is_str(&p.elem),
        _ => false,
    }
}
