//! Reading `#[ding(...)]` on the enum, its variants and their fields, by the key table;
//! doc comments as the usage's text.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Token};

use super::keys::{self, ABOUT, ALIAS, CRATE, DEFAULT, FLAG, Key, Place, RENAME, Value, WITH};
use crate::ctxt::Ctxt;
use crate::hint;

/// The keys found on one item.
#[derive(Default)]
pub struct Attrs {
    pub krate: Option<syn::Path>,
    pub rename: Option<LitStr>,
    pub aliases: Vec<LitStr>,
    pub about: Option<LitStr>,
    pub flag: Option<Span>,
    pub default: Option<LitStr>,
    pub with: Option<syn::Path>,
}

/// What followed a key.
enum Given {
    Flag,
    Str(LitStr),
    Path(syn::Path),
}

/// The keys of every `#[ding(...)]` in `attrs` at `place`; mistakes are recorded in `cx`.
pub fn parse(cx: &Ctxt, attrs: &[Attribute], place: Place) -> Attrs {
    let mut found = Attrs::default();
    let mut seen: Vec<&'static str> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("ding")) {
        if let syn::Meta::List(list) = &attr.meta
            && list.tokens.is_empty()
        {
            cx.error_spanned(attr, "empty #[ding()]: remove it, or add keys inside");
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let name = quote::ToTokens::to_token_stream(&meta.path)
                .to_string()
                .replace(' ', "");
            let span = meta
                .path
                .segments
                .first()
                .map_or_else(Span::call_site, |s| s.ident.span());
            let Some(key) = keys::lookup(&name) else {
                let here = keys::KEYS
                    .iter()
                    .filter(|k| k.allowed_at(place))
                    .map(|k| k.name);
                let near = hint::closest(&name, here.clone());
                let known: Vec<String> = keys::KEYS
                    .iter()
                    .filter(|k| k.allowed_at(place))
                    .map(|k| format!("`{}`", k.usage()))
                    .collect();
                let msg = match near {
                    Some(near) => format!(
                        "unknown key `{name}` for `#[derive(DingCommand)]`; did you mean `{near}`?"
                    ),
                    None => format!(
                        "unknown key `{name}` for `#[derive(DingCommand)]`; on {} it takes {}",
                        place.noun(),
                        if known.is_empty() {
                            "no keys".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                };
                cx.error(span, msg);
                return skip(&meta);
            };
            if !key.allowed_at(place) {
                let places: Vec<&str> = key.places.iter().map(|p| p.noun()).collect();
                cx.error(
                    span,
                    format!(
                        "`{key}` goes on {}, not on {}",
                        places.join(" or "),
                        place.noun()
                    ),
                );
                return skip(&meta);
            }
            if key.name != ALIAS.name && seen.contains(&key.name) {
                cx.error(span, format!("`{key}` is given twice; keep one"));
                return skip(&meta);
            }
            seen.push(key.name);
            let Some(given) = value(cx, &meta, key, span)? else {
                return Ok(());
            };
            store(&mut found, key, given, span);
            Ok(())
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
    found
}

fn store(found: &mut Attrs, key: &Key, given: Given, span: Span) {
    match given {
        Given::Flag if key.name == FLAG.name => found.flag = Some(span),
        Given::Str(s) if key.name == RENAME.name => found.rename = Some(s),
        Given::Str(s) if key.name == ALIAS.name => found.aliases.push(s),
        Given::Str(s) if key.name == ABOUT.name => found.about = Some(s),
        Given::Str(s) if key.name == DEFAULT.name => found.default = Some(s),
        Given::Path(p) if key.name == WITH.name => found.with = Some(p),
        Given::Path(p) if key.name == CRATE.name => found.krate = Some(p),
        _ => {}
    }
}

/// The value after `key`, in the shape the table asks for; `None` when it has another
/// shape (reported).
fn value(cx: &Ctxt, meta: &ParseNestedMeta, key: &Key, span: Span) -> syn::Result<Option<Given>> {
    let has_value = meta.input.peek(Token![=]);
    match key.value {
        Value::Flag if has_value => {
            cx.error(
                span,
                format!("`{key}` takes no value: write `{}`", key.usage()),
            );
            skip(meta).map(|()| None)
        }
        Value::Flag => Ok(Some(Given::Flag)),
        Value::Str(holds) | Value::Path(holds) if !has_value => {
            cx.error(
                span,
                format!("`{key}` needs a value, {holds}: write `{}`", key.usage()),
            );
            skip(meta).map(|()| None)
        }
        Value::Str(holds) => {
            let expr: syn::Expr = meta.value()?.parse()?;
            match expr {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Ok(Some(Given::Str(s))),
                other => {
                    cx.error_spanned(
                        other,
                        format!("`{key}` takes a string, {holds}: write `{}`", key.usage()),
                    );
                    Ok(None)
                }
            }
        }
        Value::Path(holds) => {
            let expr: syn::Expr = meta.value()?.parse()?;
            match expr {
                syn::Expr::Path(p) => Ok(Some(Given::Path(p.path))),
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => match s.parse::<syn::Path>() {
                    Ok(path) => Ok(Some(Given::Path(path))),
                    Err(_) => {
                        cx.error_spanned(s, format!("`{key}` takes a path, {holds}"));
                        Ok(None)
                    }
                },
                other => {
                    cx.error_spanned(
                        other,
                        format!("`{key}` takes a path, {holds}: write `{}`", key.usage()),
                    );
                    Ok(None)
                }
            }
        }
    }
}

/// Consumes whatever follows a key that was reported.
fn skip(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: proc_macro2::TokenStream = _content.parse()?;
    }
    Ok(())
}

/// The first line of the doc comment, trimmed; empty when there is none.
pub fn doc(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.trim().to_owned())
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}
