//! Bounds inferred for generic structs: a field whose type mentions a type parameter gets
//! a `where` predicate for the trait its use needs (`T: Display` for a shown `value: T`).

use std::collections::HashSet;

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{Generics, Type, WhereClause};

pub struct Bounds {
    params: HashSet<String>,
    seen: HashSet<String>,
    predicates: Vec<TokenStream>,
}

impl Bounds {
    pub fn new(generics: &Generics) -> Bounds {
        Bounds {
            params: generics
                .type_params()
                .map(|p| p.ident.to_string())
                .collect(),
            seen: HashSet::new(),
            predicates: Vec::new(),
        }
    }

    /// Requires `ty: bound` when `ty` mentions a type parameter; a concrete type is
    /// checked where the field is used instead, with an error that points at it.
    pub fn add(&mut self, ty: &Type, bound: TokenStream) {
        if self.params.is_empty() {
            return;
        }
        let span = ty.span();
        let ty = ty.to_token_stream();
        if !mentions_any(ty.clone(), &self.params) {
            return;
        }
        // Located at the field's type, so an unmet bound is reported there.
        let bound = located_at(bound, span);
        let predicate = quote_spanned!(span=> #ty: #bound);
        if self.seen.insert(predicate.to_string()) {
            self.predicates.push(predicate);
        }
    }

    /// The input's own `where` clause followed by the inferred predicates.
    pub fn where_clause(&self, own: Option<&WhereClause>) -> TokenStream {
        let own: Vec<_> = own
            .map(|w| w.predicates.iter().collect())
            .unwrap_or_default();
        let inferred = &self.predicates;
        if own.is_empty() && inferred.is_empty() {
            return TokenStream::new();
        }
        quote!(where #(#own,)* #(#inferred,)*)
    }
}

/// Whether any identifier in `tokens` is one of `params`. Over-approximates (an
/// associated type that shares a parameter's name also counts), which only adds a
/// bound the field's use needs anyway.
fn mentions_any(tokens: TokenStream, params: &HashSet<String>) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(ident) => params.contains(&ident.to_string()),
        TokenTree::Group(group) => mentions_any(group.stream(), params),
        TokenTree::Punct(_) | TokenTree::Literal(_) => false,
    })
}

/// `tokens` with every span moved to `span`'s location (name resolution is unchanged).
fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(group) = &tt {
                let mut new = Group::new(group.delimiter(), located_at(group.stream(), span));
                new.set_span(group.span().located_at(span));
                tt = TokenTree::Group(new);
            } else {
                tt.set_span(tt.span().located_at(span));
            }
            tt
        })
        .collect()
}
