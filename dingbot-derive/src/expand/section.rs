//! Sections, `{#field}...{/field}`, of `body` and `item` templates, for every kind of
//! message: what a section holds is one `if`, on the field being `Some` or a non-empty
//! list.

use proc_macro2::TokenStream;
use quote::quote;

use super::generator::{Gen, binding};
use crate::ast::Field;
use crate::model::Role;
use crate::template::Piece;

impl Gen<'_, '_> {
    /// The code of a template: each piece's code as `code` gives it, inside the `if` of
    /// every section it is in. `code` is not asked about section marks.
    pub fn sections<'t>(
        &self,
        pieces: impl IntoIterator<Item = &'t Piece>,
        mut code: impl FnMut(usize, &'t Piece) -> TokenStream,
    ) -> TokenStream {
        // The code of each open section, innermost last, with the field that decides it.
        let mut open: Vec<(TokenStream, Option<&Field>)> = vec![(TokenStream::new(), None)];
        for (index, piece) in pieces.into_iter().enumerate() {
            let piece_code = match piece {
                Piece::Open(ph) => {
                    open.push((TokenStream::new(), self.field_of(ph)));
                    continue;
                }
                // An unmatched `{/name}` is reported when the template is scanned.
                Piece::Close(_) if open.len() == 1 => continue,
                Piece::Close(_) => match open.pop() {
                    Some((inner, Some(f))) => {
                        let present = self.present(f);
                        quote!(if #present { #inner })
                    }
                    Some((inner, None)) => inner,
                    None => continue,
                },
                Piece::Lit(_) | Piece::Field(_) => code(index, piece),
            };
            if let Some((top, _)) = open.last_mut() {
                top.extend(piece_code);
            }
        }
        open.into_iter().map(|(code, _)| code).collect()
    }

    /// Whether a section on `f` is shown: `Some`, or a non-empty list.
    fn present(&self, f: &Field) -> TokenStream {
        let binding = binding(f);
        if f.role != Role::List {
            return quote!(::core::option::Option::is_some(#binding));
        }
        let list = self
            .checks
            .list(f.attrs.raw.is_some(), f.attrs.with.is_some());
        match f.option_inner {
            None => quote!(!#list::is_empty(#binding)),
            Some(_) => quote! {
                match #binding {
                    ::core::option::Option::Some(__ding_list) => !#list::is_empty(__ding_list),
                    ::core::option::Option::None => false,
                }
            },
        }
    }
}
