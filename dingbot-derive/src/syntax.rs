//! Reading `#[ding(...)]` token by token: the keys, and the value after each one in the
//! shape the key table asks for. Syntax errors are explained and recorded, and reading
//! goes on with the next key.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser as _};
use syn::{Attribute, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::keys::{BODY, BUTTON, CRATE, Key, LABEL, Place, TITLE, Value};

/// What followed a key, in the shape the key table asks for.
pub enum Given {
    /// Nothing: a flag.
    Flag,
    /// `= "..."`.
    Str(LitStr),
    /// `= path::to::item`, or the path in a string.
    Path(syn::Path),
    /// `(...)`: the tokens inside the parentheses, and their span.
    Args(TokenStream, Span),
}

/// Runs `logic` on every key of every `#[ding(...)]`, recording syntax errors. False when
/// a syntax error stopped the parsing of an attribute, so some keys may have been missed.
pub fn for_each_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    place: Place,
    mut logic: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) -> bool {
    let mut complete = true;
    for attr in attrs {
        if !attr.path().is_ident("ding") {
            continue;
        }
        let result = match &attr.meta {
            syn::Meta::List(list) if list.tokens.is_empty() => {
                cx.error_spanned(attr, "empty #[ding()]: remove it, or add keys inside");
                continue;
            }
            syn::Meta::List(list) => {
                // syn stops at a bare value with a terse message; explain it and go on.
                let (keys, values) = split_bare_values(list.tokens.clone());
                for value in &values {
                    cx.error_spanned(value, bare_value_message(place));
                    complete = false;
                }
                if values.is_empty() {
                    attr.parse_nested_meta(&mut logic)
                } else {
                    syn::meta::parser(&mut logic).parse2(keys)
                }
            }
            _ => attr.parse_nested_meta(&mut logic),
        };
        if let Err(err) = result {
            cx.syn_error(err);
            complete = false;
        }
    }
    complete
}

/// Splits the inside of `#[ding(...)]` at its commas into the items that start with a
/// key (joined again) and the ones that start with a literal, like `#[ding("Title")]`.
fn split_bare_values(tokens: TokenStream) -> (TokenStream, Vec<TokenStream>) {
    let mut keys = TokenStream::new();
    let mut values = Vec::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut flush = |item: &mut Vec<TokenTree>, comma: Option<TokenTree>| {
        if matches!(item.first(), Some(TokenTree::Literal(_))) {
            values.push(item.drain(..).collect());
        } else {
            keys.extend(item.drain(..).chain(comma));
        }
    };
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => flush(&mut item, Some(tt)),
            _ => item.push(tt),
        }
    }
    flush(&mut item, None);
    (keys, values)
}

fn bare_value_message(place: Place) -> String {
    let example = |a: &Key, b: &Key| {
        format!(
            "expected a key, found a bare value: name what it is, as in `{}` or `{}`",
            a.usage(place),
            b.usage(place)
        )
    };
    match place {
        Place::Field => example(&LABEL, &BUTTON),
        Place::Enum => format!(
            "expected a key, found a bare value: only `{}` goes here",
            CRATE.usage(place)
        ),
        Place::Struct | Place::Variant => example(&TITLE, &BODY),
    }
}

/// The key as written, `crate` or `a::b` alike.
pub fn key_name(meta: &ParseNestedMeta) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

pub fn key_span(meta: &ParseNestedMeta) -> Span {
    meta.path
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

/// The value after `key` at `place`, in the shape the table gives it. `Ok(None)` when it
/// has another shape (already reported, and the value is consumed).
pub fn value(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: &Key,
    place: Place,
) -> syn::Result<Option<Given>> {
    let input = meta.input;
    let on_message = matches!(key.value, Value::StrOnMessage(_));
    if let Value::Path(holds) = key.value {
        return path(cx, meta, key, holds);
    }
    if matches!(key.value, Value::StrOnFieldArgsOnMessage(_)) && place != Place::Field {
        return args(cx, meta, key, place);
    }
    match key.string_at(place) {
        None if on_message && input.peek(Token![=]) => {
            cx.error(
                key_span(meta),
                format_args!(
                    "a field's `{key}` takes no value: the field's value is the {key}; for a \
                     template, put `{}` on the struct or variant",
                    key.usage(Place::Struct)
                ),
            );
            rest_of_item(input);
            Ok(None)
        }
        None => Ok(flag(cx, meta, key).then_some(Given::Flag)),
        Some(_) if on_message && !input.peek(Token![=]) => {
            let value = rest_of_item(input);
            let usage = key.usage(place);
            if value.is_empty() {
                cx.error(
                    key_span(meta),
                    format_args!(
                        "a {key} template needs a value: write `{usage}`; to use a field as \
                         the {key}, mark that field #[ding({})] instead",
                        key.usage(Place::Field)
                    ),
                );
            } else {
                cx.error(key_span(meta), format_args!("expected `{usage}`"));
            }
            Ok(None)
        }
        Some(holds) => Ok(string(cx, meta, key, holds)?.map(Given::Str)),
    }
}

/// A key that takes no value; reports `key = ...` or `key(...)`. True when well-formed.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, key: &Key) -> bool {
    let input = meta.input;
    if input.is_empty() || input.peek(Token![,]) {
        return true;
    }
    let value = rest_of_item(input);
    cx.error_spanned(
        &value,
        format_args!("`{key}` takes no value: write `{key}` alone"),
    );
    false
}

/// `key = "string"`, where the string holds `what`. Returns `Ok(None)` when the value was
/// wrong (already reported).
fn string(cx: &Ctxt, meta: &ParseNestedMeta, key: &Key, what: &str) -> syn::Result<Option<LitStr>> {
    let input = meta.input;
    if !input.peek(Token![=]) {
        let value = rest_of_item(input);
        let msg = format!("expected `{key} = \"...\"` with {what}");
        if value.is_empty() {
            cx.error_spanned(&meta.path, msg);
        } else {
            cx.error_spanned(&value, msg);
        }
        return Ok(None);
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        return value.parse().map(Some);
    }
    let tokens = rest_of_item(value);
    let mut single = tokens.clone().into_iter();
    match (single.next(), single.next()) {
        (None, _) => cx.error_spanned(
            &meta.path,
            format_args!("expected a string after `{key} =`: {what}, as in `{key} = \"...\"`"),
        ),
        // `label = Customer`: the quotes are missing.
        (Some(TokenTree::Ident(ident)), None) => cx.error_spanned(
            &tokens,
            format_args!(
                "expected a string literal with {what}: put it in quotes, as in \
                 `{key} = \"{ident}\"`"
            ),
        ),
        _ => cx.error_spanned(
            &tokens,
            format_args!("expected a string literal with {what}, as in `{key} = \"...\"`"),
        ),
    }
    Ok(None)
}

/// `key = path` or `key = "path"`. `Ok(None)` when the value is something else
/// (reported).
fn path(cx: &Ctxt, meta: &ParseNestedMeta, key: &Key, what: &str) -> syn::Result<Option<Given>> {
    let usage = key.usage(Place::Field);
    if !meta.input.peek(Token![=]) {
        rest_of_item(meta.input);
        cx.error_spanned(
            &meta.path,
            format_args!("expected `{usage}`: `{key}` names {what}"),
        );
        return Ok(None);
    }
    let value = meta.value()?;
    if value.peek(LitStr) {
        let lit: LitStr = value.parse()?;
        return Ok(match lit.parse::<syn::Path>() {
            Ok(path) => Some(Given::Path(path)),
            Err(_) => {
                cx.error(
                    lit.span(),
                    format_args!(
                        "expected a path in the string, as in `{key} = \"money::fmt\"`, found \
                         {:?}: `{key}` names {what}",
                        lit.value()
                    ),
                );
                None
            }
        });
    }
    let tokens = rest_of_item(value);
    match syn::parse2::<syn::Path>(tokens.clone()) {
        Ok(path) => Ok(Some(Given::Path(path))),
        Err(_) => {
            let msg = format!(
                "expected a path to a function, as in `{usage}`: `{key}` names {what}; for a \
                 closure or a method, write a function that calls it"
            );
            if tokens.is_empty() {
                cx.error_spanned(&meta.path, msg);
            } else {
                cx.error_spanned(&tokens, msg);
            }
            Ok(None)
        }
    }
}

/// `key(...)` on a message. `Ok(None)` when the key has another shape (reported).
fn args(cx: &Ctxt, meta: &ParseNestedMeta, key: &Key, place: Place) -> syn::Result<Option<Given>> {
    let input = meta.input;
    if input.peek(syn::token::Paren) {
        let content;
        let paren = syn::parenthesized!(content in input);
        let tokens: TokenStream = content.parse()?;
        return Ok(Some(Given::Args(tokens, paren.span.join())));
    }
    rest_of_item(input);
    cx.error(
        key_span(meta),
        format_args!(
            "a message's `{key}` is written `{}`; to use a field's value as a button's URL, \
             mark that field #[ding({})] instead",
            key.usage(place),
            key.usage(Place::Field)
        ),
    );
    Ok(None)
}

/// Consumes the value of a key whose error has been reported, so parsing goes on.
pub fn skip_value(input: ParseStream) -> syn::Result<()> {
    rest_of_item(input);
    Ok(())
}

/// Takes the tokens up to the next top-level comma.
fn rest_of_item(input: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        match input.parse::<TokenTree>() {
            Ok(tt) => tokens.extend([tt]),
            Err(_) => break,
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_values_are_split_from_keys() {
        let tokens: TokenStream = r#""Order {id}", title = "x", 3, skip"#.parse().unwrap();
        let (keys, values) = split_bare_values(tokens);
        assert_eq!(keys.to_string(), r#"title = "x" , skip"#);
        let values: Vec<String> = values.iter().map(ToString::to_string).collect();
        assert_eq!(values, [r#""Order {id}""#, "3"]);
    }
}
