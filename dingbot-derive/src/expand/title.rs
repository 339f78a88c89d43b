//! `let __ding_title = ...;`: the title, from the `title` template or the title field.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::LitStr;
use syn::spanned::Spanned as _;

use super::{Gen, binding, to_string};
use crate::model::{Kind, Role};
use crate::template::{Piece, Template};

impl Gen<'_, '_> {
    /// `let __ding_title = ...;`, or nothing for a text message without a title.
    pub(super) fn title(&self) -> TokenStream {
        let p = self.p;
        let m = self.m;
        if m.kind == Kind::Text && m.attrs.body.is_some() {
            return TokenStream::new();
        }
        if let Some(template) = &m.attrs.title {
            let value = self.format_title(&template.value);
            return quote!(let __ding_title: #p::String = #value;);
        }
        match m.fields.iter().find(|f| f.role == Role::Title) {
            Some(f) => {
                let binding = binding(f);
                let value = match &f.attrs.with {
                    Some(_) => {
                        let shown = self.shown(f, &quote!(#binding));
                        quote_spanned!(f.span=> #p::to_string::<dyn ::core::fmt::Display>(#shown))
                    }
                    None => to_string(p, f, &quote!(#binding)),
                };
                quote!(let __ding_title: #p::String = #value;)
            }
            None => TokenStream::new(),
        }
    }

    /// A title template as one `format!`; an `Option` field shows nothing for `None`.
    fn format_title(&self, template: &Template) -> TokenStream {
        let p = self.p;
        let mut format = String::new();
        let mut args = Vec::new();
        for piece in &template.pieces {
            match piece {
                Piece::Lit(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
                Piece::Open(_) | Piece::Close(_) => {} // reported
                Piece::Field(ph) => {
                    let Some(f) = self.field_of(ph) else { continue };
                    format.push('{');
                    if !ph.spec.is_empty() {
                        format.push(':');
                        format.push_str(&ph.spec);
                    }
                    format.push('}');
                    let binding = binding(f);
                    let with = f.attrs.with.as_ref().map(|with| {
                        let path = &with.value;
                        quote_spanned!(path.span()=> #path)
                    });
                    args.push(match (f.option_inner.is_some(), with) {
                        (true, None) => quote_spanned!(f.span=> #p::Maybe(#binding)),
                        (true, Some(with)) => {
                            quote_spanned!(f.span=> #p::MaybeWith(#binding, #with))
                        }
                        (false, None) => quote!(#binding),
                        (false, Some(with)) => quote_spanned!(f.span=> #p::With(#binding, #with)),
                    });
                }
            }
        }
        if args.is_empty() {
            let text: String = template
                .pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Lit(text) => text.as_str(),
                    _ => "",
                })
                .collect();
            let lit = LitStr::new(&text, template.span());
            return quote!(#p::String::from(#lit));
        }
        let format = LitStr::new(&format, template.span());
        quote!(#p::format!(#format, #(#args),*))
    }
}
