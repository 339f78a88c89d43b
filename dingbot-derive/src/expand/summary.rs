//! `fn summary(&self)`: the `summary` template as one line of plain text.

use proc_macro2::TokenStream;
use quote::quote;

use super::generator::{Gen, bindings};
use crate::ast::Field;

impl Gen<'_, '_> {
    /// The bindings of the fields the `summary` template names and the code that returns
    /// the summary; `None` without a `summary` key, so the trait's default applies.
    pub fn summary(&self) -> Option<(TokenStream, TokenStream)> {
        let template = &self.m.attrs.summary.as_ref()?.value;
        let used: Vec<&Field> = self
            .m
            .fields
            .iter()
            .filter(|f| template.uses(f.index))
            .collect();
        let line = self.plain_line(template);
        let p = self.p;
        Some((bindings(&used), quote!(#p::one_line(#line))))
    }
}
