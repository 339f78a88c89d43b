//! Markdown: the body (`let __ding_text = ...;`) of markdown messages and action cards,
//! the markdown message itself, the lines a `flatten` field takes from its type, and the
//! templates of bodies and list items, whose values are written through
//! `__private::Sink` (sections are `section`'s).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::generator::{Gen, is_str, with_spec};
use crate::ast::Field;
use crate::model::Role;
use crate::template::{Piece, Placeholder, Spot, Template};

impl Gen<'_, '_> {
    /// `let __ding_text = ...;` for markdown and action cards.
    pub fn markdown_body(&self) -> TokenStream {
        let (code, capacity) = self.markdown_content(true);
        self.body(quote!(Body), capacity, code)
    }

    /// What the body holds: the `body` template, or the default body (with its heading
    /// when `heading`), and a capacity hint.
    pub fn markdown_content(&self, heading: bool) -> (TokenStream, TokenStream) {
        let m = self.m;
        if let Some(body) = &m.attrs.body {
            let template = &body.value;
            let capacity = template.literal_len() + 24 * template.placeholders().count();
            return (self.markdown_template(template), quote!(#capacity));
        }
        let mut code = TokenStream::new();
        let mut estimate = 8;
        if heading {
            code.extend(quote!(__ding_body.heading(&__ding_title);));
        }
        for f in m.fields.iter().filter(|f| m.in_default_body(f)) {
            let (line, len) = self.markdown_line(f);
            estimate += len + 24;
            code.extend(line);
        }
        if heading {
            (code, quote!(__ding_title.len() + #estimate))
        } else {
            (code, quote!(#estimate))
        }
    }

    /// A markdown template (a `body` or an `item`), written into `__ding_body`. Whether
    /// a value is in a link destination is known from the template; where it lands in
    /// the text (and so what it needs escaped) is decided at run time, from what was
    /// written before it.
    pub fn markdown_template(&self, template: &Template) -> TokenStream {
        let spots = template.markdown_spots();
        self.sections(&template.pieces, |index, piece| match piece {
            Piece::Lit(text) => quote!(__ding_body.push(#text);),
            Piece::Field(ph) => match self.field_of(ph) {
                Some(f) => self.markdown_placeholder(f, ph, spots[index]),
                None => TokenStream::new(),
            },
            Piece::Open(_) | Piece::Close(_) => TokenStream::new(),
        })
    }

    /// One line (or image, list, flattened type) of the default markdown body, and its
    /// length without the value.
    fn markdown_line(&self, f: &Field) -> (TokenStream, usize) {
        match f.role {
            Role::Image => {
                let call = |v: &TokenStream| {
                    let v = self.shown(f, v);
                    quote_spanned!(f.span=> __ding_body.image(#v);)
                };
                return (self.with_value(f, call), 5);
            }
            Role::Flatten => return (self.with_value(f, |v| self.flatten(f, v)), 64),
            _ => {}
        }
        let label = f.label().unwrap_or_default();
        // `**` and `**: ` around the label, which the runtime escapes.
        let len = label.len() + 6;
        if f.role == Role::List {
            let check = self
                .checks
                .list(f.attrs.raw.is_some(), f.attrs.with.is_some());
            let call = |v: &TokenStream| {
                let list = self.list(f, v);
                quote_spanned!(f.span=> {
                    __ding_body.list_field(#label, #check::is_empty(#v));
                    #list
                })
            };
            return (self.with_value(f, call), len + 64);
        }
        let raw = f.attrs.raw.is_some();
        let is_str = is_str(f.value_ty()) && f.attrs.with.is_none();
        let call = |v: &TokenStream| {
            if is_str && !raw {
                return quote_spanned!(f.span=> __ding_body.field_str(#label, #v););
            }
            let v = self.shown(f, v);
            if raw {
                quote_spanned!(f.span=> __ding_body.field_raw(#label, #v);)
            } else {
                quote_spanned!(f.span=> __ding_body.field(#label, #v);)
            }
        };
        (self.with_value(f, call), len)
    }

    /// A `list` field's items into `__ding_body`: escaped, raw, or through `with`.
    pub fn list(&self, f: &Field, v: &TokenStream) -> TokenStream {
        let check = self
            .checks
            .list(f.attrs.raw.is_some(), f.attrs.with.is_some());
        match &f.attrs.with {
            Some(with) => {
                let path = &with.value;
                let path = quote_spanned!(path.span()=> #path);
                quote_spanned!(f.span=> #check::write_list(#v, __ding_body.sink(), #path);)
            }
            None => quote_spanned!(f.span=> #check::write_list(#v, __ding_body.sink());),
        }
    }

    /// One `{field}` of a markdown template, landing at `spot`. In a link destination
    /// the value is a URL (or part of one) whatever the field, unless it is `raw`.
    fn markdown_placeholder(&self, f: &Field, ph: &Placeholder, spot: Spot) -> TokenStream {
        match f.role {
            Role::List => return self.with_value(f, |v| self.list(f, v)),
            Role::Flatten => return self.with_value(f, |v| self.flatten(f, v)),
            _ => {}
        }
        let is_str = ph.spec.is_empty() && is_str(f.value_ty()) && f.attrs.with.is_none();
        let method = match spot {
            _ if f.attrs.raw.is_some() => quote!(raw),
            Spot::Url => quote!(url),
            Spot::UrlPart => quote!(url_part),
            Spot::Title => quote!(title),
            Spot::Text if f.role == Role::Image => quote!(inline_image),
            Spot::Text if is_str => quote!(text_str),
            Spot::Text => quote!(text),
        };
        if let (Spot::Url, Some(open), None) = (spot, &f.attrs.open, &f.attrs.raw) {
            let pc_slide = open.value.pc_slide();
            let call = |v: &TokenStream| {
                let v = self.shown(f, v);
                quote_spanned!(f.span=> __ding_body.url_opened(#v, #pc_slide);)
            };
            return self.with_value(f, call);
        }
        let call = |v: &TokenStream| {
            let v = if is_str && spot == Spot::Text {
                v.clone()
            } else if ph.spec.is_empty() {
                self.shown(f, v)
            } else {
                with_spec(f, ph, &self.formatted(f, v))
            };
            quote_spanned!(f.span=> __ding_body.#method(#v);)
        };
        self.with_value(f, call)
    }

    /// The lines of a `flatten` field's type, where the body is now.
    fn flatten(&self, f: &Field, v: &TokenStream) -> TokenStream {
        let check = self.checks.flatten();
        quote_spanned!(f.span=> __ding_body.flatten(#check::lines(#v));)
    }

    pub fn markdown(&self) -> TokenStream {
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
        // The message's body, not the same lines again in `impl Flatten`.
        let message = code.split("write_fields").next().unwrap_or_default();
        // A list is written by its check: `DingList :: write_list (v , __ding_body . sink ())`.
        let message = message
            .replace(":: write_list (", "__ding_body . list (")
            .replace("__ding_body . sink ()", "");
        let calls = message.split("__ding_body . ").skip(1);
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
                "[{name}]({url} \"{name}\") [Order](https://crm.example.com/orders/{id}) [x]({path})",
                fields
            ),
            [
                "push", "text_str", "push", "url", "push", "title", "push", "url_part", "push",
                "raw", "push"
            ]
        );
    }

    #[test]
    fn sections_and_lists() {
        let fields = "note: Option<String>, #[ding(list)] tags: Vec<String>";
        assert_eq!(
            body_calls(
                "{#note}Note: {note}{/note}{#tags}Tags:\n{tags}{/tags}",
                fields
            ),
            ["push", "text_str", "push", "list"]
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
                .contains(r##"__ding_body . field ("# of *items*" ,"##),
            "{code}"
        );
    }
}
