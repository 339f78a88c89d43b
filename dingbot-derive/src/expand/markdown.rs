//! The markdown body (`let __ding_text = ...;`) of markdown messages and action cards,
//! and the markdown message itself.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{Gen, is_str, with_spec};
use crate::ast::Field;
use crate::model::Role;
use crate::template::{Piece, Placeholder};

impl Gen<'_, '_> {
    /// `let __ding_text = ...;` for markdown and action cards.
    pub(super) fn markdown_body(&self) -> TokenStream {
        let m = self.m;
        let mut code = TokenStream::new();
        let capacity;
        if let Some(body) = &m.attrs.body {
            let template = &body.value;
            capacity = template.literal_len() + 24 * template.placeholders().count();
            // The template text on the current line so far: a value after a letter
            // cannot start a heading or a list, so it needs fewer escapes.
            let mut line = String::new();
            for piece in &template.pieces {
                code.extend(match piece {
                    Piece::Lit(text) => {
                        match text.rsplit_once('\n') {
                            Some((_, last)) => line = last.to_owned(),
                            None => line.push_str(text),
                        }
                        quote!(__ding_body.push(#text);)
                    }
                    Piece::Field(ph) => match self.field_of(ph) {
                        Some(f) => {
                            let mid_line = line.chars().any(char::is_alphabetic);
                            self.markdown_placeholder(f, ph, mid_line)
                        }
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
        let prefix = format!("**{}**: ", escape_label(&label));
        let len = prefix.len();
        let raw = f.attrs.raw.is_some();
        let is_str = is_str(f.value_ty());
        let call = |v: &TokenStream| {
            if raw {
                quote_spanned!(f.span=> __ding_body.field_raw(#prefix, #v);)
            } else if is_str {
                quote_spanned!(f.span=> __ding_body.field_str(#prefix, #v);)
            } else {
                quote_spanned!(f.span=> __ding_body.field(#prefix, #v);)
            }
        };
        (self.with_value(f, call), len)
    }

    /// One `{field}` of a markdown body template.
    /// `mid_line`: whether letters precede it on its line.
    fn markdown_placeholder(&self, f: &Field, ph: &Placeholder, mid_line: bool) -> TokenStream {
        let is_str = ph.spec.is_empty() && is_str(f.value_ty());
        let method = if f.role == Role::Image {
            quote!(inline_image)
        } else if f.attrs.raw.is_some() {
            quote!(raw)
        } else {
            match (is_str, mid_line) {
                (true, true) => quote!(text_str_mid_line),
                (true, false) => quote!(text_str),
                (false, true) => quote!(text_mid_line),
                (false, false) => quote!(text),
            }
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

/// Escapes a label as `dingbot::markdown::escape` would escape it at the start of a line,
/// so the `**Label**: ` prefix is built once, at compile time.
pub fn escape_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 4);
    let mut chars = label.chars().peekable();
    match label.chars().next() {
        Some('#' | '-' | '+' | '=') => out.push('\\'),
        Some(c) if c.is_ascii_digit() => {
            let digits = label.chars().take_while(char::is_ascii_digit).count();
            for _ in 0..digits {
                if let Some(d) = chars.next() {
                    out.push(d);
                }
            }
            if matches!(chars.peek(), Some('.' | ')')) {
                out.push('\\');
            }
        }
        _ => {}
    }
    for c in chars {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200B}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_label;

    #[test]
    fn labels_are_escaped_like_markdown_escape() {
        assert_eq!(escape_label("Customer id"), "Customer id");
        assert_eq!(escape_label("# of items"), "\\# of items");
        assert_eq!(escape_label("- delta"), "\\- delta");
        assert_eq!(escape_label("1. step"), "1\\. step");
        assert_eq!(escape_label("12) step"), "12\\) step");
        assert_eq!(escape_label("2024 sales"), "2024 sales");
        assert_eq!(escape_label("P&L *net*"), "P\\&L \\*net\\*");
        assert_eq!(escape_label("mail@host"), "mail@\u{200B}host");
        assert_eq!(escape_label("a # b"), "a # b");
    }
}
