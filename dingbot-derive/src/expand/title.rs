//! `let __ding_title = ...;`: the title, from the `title` template or the title field; and
//! a one-line template's text ([`Gen::plain_line`]), which titles and summaries share.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::LitStr;

use super::generator::{Gen, binding, to_string, with_spec};
use crate::model::{Kind, Role};
use crate::template::{Piece, Template};

impl Gen<'_, '_> {
    /// `let __ding_title = ...;`, or nothing for a text message without a title.
    pub fn title(&self) -> TokenStream {
        let p = self.p;
        let m = self.m;
        if m.kind == Kind::Text && m.attrs.body.is_some() {
            return TokenStream::new();
        }
        if let Some(template) = &m.attrs.title {
            let value = self.plain_line(&template.value);
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

    /// A `String` from a one-line template (a title, a summary), written piece by piece
    /// like a text body (nothing escaped); an `Option` field shows nothing for `None`.
    pub fn plain_line(&self, template: &Template) -> TokenStream {
        let p = self.p;
        let mut code = TokenStream::new();
        let mut fields = 0;
        for piece in &template.pieces {
            match piece {
                Piece::Lit(text) => code.extend(quote!(__ding_line.push(#text);)),
                Piece::Open(_) | Piece::Close(_) => {} // reported
                Piece::Field(ph) => {
                    let Some(f) = self.field_of(ph) else { continue };
                    fields += 1;
                    let call = |v: &TokenStream| {
                        let v = if ph.spec.is_empty() {
                            self.shown(f, v)
                        } else {
                            with_spec(f, ph, &self.formatted(f, v))
                        };
                        quote_spanned!(f.span=> __ding_line.text(#v);)
                    };
                    code.extend(self.with_value(f, call));
                }
            }
        }
        if fields == 0 {
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
        let capacity = template.literal_len() + 16 * fields;
        quote!({
            let mut __ding_line = #p::Plain::new(#capacity);
            #code
            __ding_line.finish()
        })
    }
}
