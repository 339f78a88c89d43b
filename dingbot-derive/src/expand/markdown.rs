//! The markdown body (`let __ding_text = ...;`) of markdown messages and action cards,
//! and the markdown message itself.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{Gen, is_str, with_spec};
use crate::ast::Field;
use crate::model::Role;
use crate::template::{Piece, Placeholder, Spot};

impl Gen<'_, '_> {
    /// `let __ding_text = ...;` for markdown and action cards.
    pub(super) fn markdown_body(&self) -> TokenStream {
        let m = self.m;
        let mut code = TokenStream::new();
        let capacity;
        if let Some(body) = &m.attrs.body {
            let template = &body.value;
            capacity = template.literal_len() + 24 * template.placeholders().count();
            // Whether a value is in a link destination is known from the template; where
            // it lands in the text (and so what it needs escaped) is decided at run time,
            // from what was written before it.
            for (piece, spot) in template.pieces.iter().zip(template.markdown_spots()) {
                code.extend(match piece {
                    Piece::Lit(text) => quote!(__ding_body.push(#text);),
                    Piece::Field(ph) => match self.field_of(ph) {
                        Some(f) => self.markdown_placeholder(f, ph, spot),
                        None => TokenStream::new(),
                    },
                });
            }
        } else {
            let mut estimate = 8;
            code.extend(quote!(__ding_body.heading(&__ding_title);));
            for f in m.fields.iter().filter(|f| m.in_default_body(f)) {
                let (line, len) = self.markdown_line(f);
                estimate += len + 24;
                code.extend(line);
            }
            capacity = estimate;
        }
        let mut capacity = quote!(#capacity);
        if m.attrs.body.is_none() {
            capacity = quote!(__ding_title.len() + #capacity);
        }
        self.body(quote!(Body), capacity, code)
    }

    /// One line (or image) of the default markdown body, and its length without the value.
    fn markdown_line(&self, f: &Field) -> (TokenStream, usize) {
        if f.role == Role::Image {
            let call = |v: &TokenStream| quote_spanned!(f.span=> __ding_body.image(#v););
            return (self.with_value(f, call), 5);
        }
        let label = f.label().unwrap_or_default();
        // `**` and `**: ` around the label, which the runtime escapes.
        let len = label.len() + 6;
        let raw = f.attrs.raw.is_some();
        let is_str = is_str(f.value_ty());
        let call = |v: &TokenStream| {
            if raw {
                quote_spanned!(f.span=> __ding_body.field_raw(#label, #v);)
            } else if is_str {
                quote_spanned!(f.span=> __ding_body.field_str(#label, #v);)
            } else {
                quote_spanned!(f.span=> __ding_body.field(#label, #v);)
            }
        };
        (self.with_value(f, call), len)
    }

    /// One `{field}` of a markdown body template, landing at `spot`. In a link
    /// destination the value is a URL (or part of one) whatever the field, unless it is
    /// `raw`.
    fn markdown_placeholder(&self, f: &Field, ph: &Placeholder, spot: Spot) -> TokenStream {
        let is_str = ph.spec.is_empty() && is_str(f.value_ty());
        let method = match spot {
            _ if f.attrs.raw.is_some() => quote!(raw),
            Spot::Url => quote!(url),
            Spot::UrlPart => quote!(url_part),
            Spot::Text if f.role == Role::Image => quote!(inline_image),
            Spot::Text if is_str => quote!(text_str),
            Spot::Text => quote!(text),
        };
        let call = |v: &TokenStream| {
            let v = with_spec(f, ph, v);
            quote_spanned!(f.span=> __ding_body.#method(#v);)
        };
        self.with_value(f, call)
    }

    pub(super) fn markdown(&self) -> TokenStream {
        let p = self.p;
        let at = self.at();
        quote! {
            let __ding_msg = #p::Markdown::new(__ding_title, __ding_text);
            #at
            #p::Message::Markdown(__ding_msg)
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    /// The `__ding_body` calls generated for a markdown body template.
    fn body_calls(body: &str, fields: &str) -> Vec<String> {
        let input = format!("#[ding(title = \"t\", body = {body:?})] struct Alert {{ {fields} }}");
        let input: syn::DeriveInput = syn::parse_str(&input).unwrap();
        let code = crate::expand::derive(&input).to_string();
        let calls = code.split("__ding_body . ").skip(1);
        calls
            .map(|call| call.split(" (").next().unwrap_or_default().to_owned())
            .filter(|method| method != "finish")
            .collect()
    }

    #[test]
    fn values_in_link_destinations_are_urls() {
        let fields = "url: String, id: u64, name: String, #[ding(raw)] path: String";
        assert_eq!(
            body_calls(
                "[{name}]({url}) [Order](https://crm.example.com/orders/{id}) [x]({path})",
                fields
            ),
            [
                "push", "text_str", "push", "url", "push", "url_part", "push", "raw", "push"
            ]
        );
    }

    #[test]
    fn labels_are_passed_as_written() {
        let code: TokenStream = crate::expand::derive(
            &syn::parse_str(
                "#[ding(title = \"t\")] struct A { #[ding(label = \"# of *items*\")] n: u8 }",
            )
            .unwrap(),
        );
        assert!(
            code.to_string()
                .contains(r##"__ding_body . field ("# of *items*" , __ding_0)"##),
            "{code}"
        );
    }
}
