//! The plain text body (`let __ding_text = ...;`) and the text message.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::generator::{Gen, is_str, with_spec};
use crate::template::Piece;

impl Gen<'_, '_> {
    /// `let __ding_text = ...;` for a text message.
    pub fn text_body(&self) -> TokenStream {
        let m = self.m;
        let mut code = TokenStream::new();
        let mut capacity = 16;
        if let Some(body) = &m.attrs.body {
            let template = &body.value;
            capacity += template.literal_len() + 16 * template.placeholders().count();
            code.extend(self.sections(&template.pieces, |_, piece| match piece {
                Piece::Lit(text) => quote!(__ding_body.push(#text);),
                Piece::Field(ph) => match self.field_of(ph) {
                    Some(f) => {
                        let call = |v: &TokenStream| {
                            let v = if ph.spec.is_empty() {
                                self.shown(f, v)
                            } else {
                                with_spec(f, ph, &self.formatted(f, v))
                            };
                            quote_spanned!(f.span=> __ding_body.text(#v);)
                        };
                        self.with_value(f, call)
                    }
                    None => TokenStream::new(),
                },
                Piece::Open(_) | Piece::Close(_) => TokenStream::new(),
            }));
        } else {
            code.extend(quote!(__ding_body.title(&__ding_title);));
            for f in m.fields.iter().filter(|f| m.in_default_body(f)) {
                let prefix = format!("{}: ", f.label().unwrap_or_default());
                capacity += prefix.len() + 16;
                let is_str = is_str(f.value_ty()) && f.attrs.with.is_none();
                let call = |v: &TokenStream| {
                    if is_str {
                        quote_spanned!(f.span=> __ding_body.field_str(#prefix, #v);)
                    } else {
                        let v = self.shown(f, v);
                        quote_spanned!(f.span=> __ding_body.field(#prefix, #v);)
                    }
                };
                code.extend(self.with_value(f, call));
            }
        }
        self.body(quote!(Plain), quote!(#capacity), code)
    }

    pub fn text(&self) -> TokenStream {
        let p = self.p;
        let at = self.at();
        quote! {
            let __ding_msg = #p::Text::new(__ding_text);
            #at
            #p::Message::Text(__ding_msg)
        }
    }
}
