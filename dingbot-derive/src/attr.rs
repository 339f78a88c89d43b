//! Parsing `#[ding(...)]` attributes into [`ContainerAttrs`] and [`FieldAttrs`].
//!
//! Every problem is recorded in the [`Ctxt`] and parsing goes on, so one build reports every
//! mistake in the input. Rules that involve several attributes live in `valid.rs`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser as _};
use syn::{Attribute, LitStr, Path, Token};

use crate::ctxt::Ctxt;
use crate::template::Template;

/// A value that may be given at most once; a second one is reported as a duplicate.
pub struct Attr<T> {
    name: &'static str,
    value: Option<(Span, T)>,
}

impl<T> Attr<T> {
    pub fn none(name: &'static str) -> Self {
        Attr { name, value: None }
    }

    pub fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.error(
                span,
                format_args!(
                    "duplicate ding attribute `{}`: remove one of them",
                    self.name
                ),
            );
        } else {
            self.value = Some((span, value));
        }
    }

    pub fn get(self) -> Option<Spanned<T>> {
        self.value.map(|(span, value)| Spanned { span, value })
    }
}

/// An attribute value with the span of the key that introduced it.
#[derive(Clone)]
pub struct Spanned<T> {
    pub span: Span,
    pub value: T,
}

/// Keys that were given but could not be understood: a bad value, a misspelling of the
/// key, or an attribute whose parsing stopped at a syntax error. The error has been
/// reported; rules about something *missing* (no title, no button, no kind) stay quiet
/// about these keys, so one mistake gives one error.
#[derive(Default)]
pub struct Unparsed {
    keys: Vec<&'static str>,
    /// A syntax error stopped the parsing of an attribute, so any key may be missing.
    all: bool,
}

impl Unparsed {
    fn add(&mut self, key: Option<&'static str>) {
        if let Some(key) = key {
            self.keys.push(key);
        }
    }

    /// Whether `key` may have been meant but was not understood.
    pub fn may_contain(&self, key: &str) -> bool {
        self.all || self.keys.contains(&key)
    }

    /// Adds what `other` did not understand, as if it were missing here too.
    pub fn extend(&mut self, other: &Unparsed) {
        self.keys.extend(&other.keys);
        self.all |= other.all;
    }

    /// Whether anything was not understood.
    pub fn is_empty(&self) -> bool {
        !self.all && self.keys.is_empty()
    }
}

/// The three kinds of message the derive can produce.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Markdown,
    ActionCard,
    Text,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Markdown => "markdown",
            Kind::ActionCard => "action_card",
            Kind::Text => "text",
        }
    }
}

/// `orientation = "horizontal" | "vertical"`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Orientation {
    Horizontal,
    Vertical,
}

/// Where a `#[ding(...)]` sits; decides which keys it accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// On a struct: a whole message.
    Struct,
    /// On an enum: only settings shared by all variants.
    Enum,
    /// On an enum variant: one message.
    Variant,
    /// On a field.
    Field,
}

const MESSAGE_KEYS: &[&str] = &[
    "markdown",
    "action_card",
    "text",
    "title",
    "body",
    "orientation",
    "hide_avatar",
    "at_all",
    "crate",
];
const KINDS: &[&str] = &["markdown", "action_card", "text"];
const ENUM_KEYS: &[&str] = &["crate"];
const FIELD_KEYS: &[&str] = &[
    "title",
    "label",
    "skip",
    "raw",
    "button",
    "single_button",
    "buttons",
    "at_mobiles",
    "at_user_ids",
    "at_all",
    "image",
];

/// `#[ding(...)]` on a struct, an enum or an enum variant.
pub struct ContainerAttrs {
    pub kind: Option<Spanned<Kind>>,
    pub title: Option<Spanned<Template>>,
    pub body: Option<Spanned<Template>>,
    pub orientation: Option<Spanned<Orientation>>,
    pub hide_avatar: Option<Spanned<()>>,
    pub at_all: Option<Spanned<()>>,
    pub krate: Option<Spanned<Path>>,
    pub unparsed: Unparsed,
}

impl ContainerAttrs {
    /// Whether the kind is known: not misspelled or given a value.
    pub fn kind_is_known(&self) -> bool {
        !KINDS.iter().any(|k| self.unparsed.may_contain(k))
    }
}

/// `#[ding(...)]` on a field.
pub struct FieldAttrs {
    pub title: Option<Spanned<()>>,
    pub label: Option<Spanned<LitStr>>,
    pub skip: Option<Spanned<()>>,
    pub raw: Option<Spanned<()>>,
    pub button: Option<Spanned<LitStr>>,
    pub single_button: Option<Spanned<LitStr>>,
    pub buttons: Option<Spanned<()>>,
    pub at_mobiles: Option<Spanned<()>>,
    pub at_user_ids: Option<Spanned<()>>,
    pub at_all: Option<Spanned<()>>,
    pub image: Option<Spanned<()>>,
    pub unparsed: Unparsed,
}

/// Parses every `#[ding(...)]` among `attrs` on a struct, enum or variant.
pub fn container(cx: &Ctxt, attrs: &[Attribute], position: Position) -> ContainerAttrs {
    let mut kind: Attr<Kind> = Attr::none("kind");
    let mut title = Attr::none("title");
    let mut body = Attr::none("body");
    let mut orientation = Attr::none("orientation");
    let mut hide_avatar = Attr::none("hide_avatar");
    let mut at_all = Attr::none("at_all");
    let mut krate = Attr::none("crate");
    let mut unparsed = Unparsed::default();

    unparsed.all = !for_each_meta(cx, attrs, position, |meta| {
        let key = key_of(&meta);
        let span = key_span(&meta);
        let allowed = match position {
            Position::Enum => ENUM_KEYS,
            _ => MESSAGE_KEYS,
        };
        if !allowed.contains(&key.as_str()) {
            unparsed.add(unknown_key(cx, &meta, &key, position, allowed));
            return skip_value(meta.input);
        }
        // Set again below once the value turns out well-formed.
        let mut understood = false;
        match key.as_str() {
            "markdown" | "action_card" | "text" => {
                let new = match key.as_str() {
                    "markdown" => Kind::Markdown,
                    "action_card" => Kind::ActionCard,
                    _ => Kind::Text,
                };
                if flag(cx, &meta, &key) {
                    set_kind(cx, &mut kind, span, new);
                    understood = true;
                }
            }
            "title" => {
                if meta.input.peek(Token![=]) {
                    if let Some(lit) = string(cx, &meta, &key)? {
                        title.set(cx, span, Template::parse(cx, lit, "title"));
                        understood = true;
                    }
                } else {
                    let value = rest_of_item(meta.input);
                    cx.error(
                        span,
                        if value.is_empty() {
                            "a title template needs a value: write `title = \"...\"`; to use a \
                             field as the title, mark that field #[ding(title)] instead"
                        } else {
                            "expected `title = \"...\"`"
                        },
                    );
                }
            }
            "body" => {
                if let Some(lit) = string(cx, &meta, &key)? {
                    body.set(cx, span, Template::parse(cx, lit, "body"));
                    understood = true;
                }
            }
            "orientation" => {
                if let Some(lit) = string(cx, &meta, &key)? {
                    match lit.value().as_str() {
                        "horizontal" => orientation.set(cx, span, Orientation::Horizontal),
                        "vertical" => orientation.set(cx, span, Orientation::Vertical),
                        other => {
                            let mut msg = format!(
                                "unknown orientation {other:?}: expected \"horizontal\" (buttons \
                                 side by side) or \"vertical\" (buttons stacked)"
                            );
                            if let Some(near) =
                                closest(&other.to_lowercase(), &["horizontal", "vertical"])
                            {
                                msg = format!(
                                    "unknown orientation {other:?}; did you mean {near:?}?"
                                );
                            }
                            cx.error(lit.span(), msg);
                        }
                    }
                    understood = true;
                }
            }
            "hide_avatar" => {
                if flag(cx, &meta, &key) {
                    hide_avatar.set(cx, span, ());
                    understood = true;
                }
            }
            "at_all" => {
                if flag(cx, &meta, &key) {
                    at_all.set(cx, span, ());
                    understood = true;
                }
            }
            "crate" => {
                if position == Position::Variant {
                    cx.error(
                        span,
                        "`crate` belongs on the enum, not on a variant: move this \
                         #[ding(crate = \"...\")] above the enum",
                    );
                    return skip_value(meta.input);
                }
                if let Some(lit) = string(cx, &meta, &key)? {
                    match lit.parse_with(Path::parse_mod_style) {
                        Ok(path) => krate.set(cx, span, path),
                        Err(_) => cx.error(
                            lit.span(),
                            format_args!(
                                "expected a path to the dingbot crate, as in `crate = \"::dingbot\"`, found {:?}",
                                lit.value()
                            ),
                        ),
                    }
                    understood = true;
                }
            }
            _ => unreachable_key(cx, span, &key),
        }
        if !understood {
            unparsed.add(known_key(&key));
        }
        Ok(())
    });

    ContainerAttrs {
        kind: kind.get(),
        title: title.get(),
        body: body.get(),
        orientation: orientation.get(),
        hide_avatar: hide_avatar.get(),
        at_all: at_all.get(),
        krate: krate.get(),
        unparsed,
    }
}

/// Parses every `#[ding(...)]` among a field's `attrs`.
pub fn field(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut title = Attr::none("title");
    let mut label = Attr::none("label");
    let mut skip = Attr::none("skip");
    let mut raw = Attr::none("raw");
    let mut button = Attr::none("button");
    let mut single_button = Attr::none("single_button");
    let mut buttons = Attr::none("buttons");
    let mut at_mobiles = Attr::none("at_mobiles");
    let mut at_user_ids = Attr::none("at_user_ids");
    let mut at_all = Attr::none("at_all");
    let mut image = Attr::none("image");
    let mut unparsed = Unparsed::default();

    unparsed.all = !for_each_meta(cx, attrs, Position::Field, |meta| {
        let key = key_of(&meta);
        let span = key_span(&meta);
        if !FIELD_KEYS.contains(&key.as_str()) {
            unparsed.add(unknown_key(cx, &meta, &key, Position::Field, FIELD_KEYS));
            return skip_value(meta.input);
        }
        let flag_attr = match key.as_str() {
            "title" => {
                if meta.input.peek(Token![=]) {
                    cx.error(
                        span,
                        "a field's `title` takes no value: the field's value is the title; \
                         for a template, put `title = \"...\"` on the struct or variant",
                    );
                    unparsed.add(known_key(&key));
                    return skip_value(meta.input);
                }
                Some(&mut title)
            }
            "skip" => Some(&mut skip),
            "raw" => Some(&mut raw),
            "buttons" => Some(&mut buttons),
            "at_mobiles" => Some(&mut at_mobiles),
            "at_user_ids" => Some(&mut at_user_ids),
            "at_all" => Some(&mut at_all),
            "image" => Some(&mut image),
            _ => None,
        };
        if let Some(attr) = flag_attr {
            if flag(cx, &meta, &key) {
                attr.set(cx, span, ());
            } else {
                unparsed.add(known_key(&key));
            }
            return Ok(());
        }
        let string_attr = match key.as_str() {
            "label" => &mut label,
            "button" => &mut button,
            "single_button" => &mut single_button,
            _ => {
                unreachable_key(cx, span, &key);
                return skip_value(meta.input);
            }
        };
        let Some(lit) = string(cx, &meta, &key)? else {
            unparsed.add(known_key(&key));
            return Ok(());
        };
        let what = if key == "label" {
            "label"
        } else {
            "button text"
        };
        if lit.value().trim().is_empty() {
            cx.error(
                lit.span(),
                format_args!("the {what} must not be empty: write the text to show"),
            );
        } else if lit.value().contains(['\n', '\r']) {
            cx.error(
                lit.span(),
                format_args!("the {what} must be a single line: remove the line break"),
            );
        }
        // A bad text is reported above, but the field keeps its role, so no rule about a
        // missing label or button fires on top of it.
        string_attr.set(cx, span, lit);
        Ok(())
    });

    FieldAttrs {
        title: title.get(),
        label: label.get(),
        skip: skip.get(),
        raw: raw.get(),
        button: button.get(),
        single_button: single_button.get(),
        buttons: buttons.get(),
        at_mobiles: at_mobiles.get(),
        at_user_ids: at_user_ids.get(),
        at_all: at_all.get(),
        image: image.get(),
        unparsed,
    }
}

/// Runs `logic` on every key of every `#[ding(...)]`, recording syntax errors. False when
/// a syntax error stopped the parsing of an attribute, so some keys may have been missed.
fn for_each_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    position: Position,
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
                    cx.error_spanned(value, bare_value_message(position));
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

fn bare_value_message(position: Position) -> &'static str {
    match position {
        Position::Field => {
            "expected a key, found a bare value: name what it is, as in \
             `label = \"...\"` or `button = \"...\"`"
        }
        Position::Enum => "expected a key, found a bare value: only `crate = \"...\"` goes here",
        Position::Struct | Position::Variant => {
            "expected a key, found a bare value: name what it is, as in `title = \"...\"` \
             or `body = \"...\"`"
        }
    }
}

/// `key` as a `&'static str` when it is a key of some position.
fn known_key(key: &str) -> Option<&'static str> {
    MESSAGE_KEYS
        .iter()
        .chain(FIELD_KEYS)
        .find(|k| **k == key)
        .copied()
}

fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

fn key_span(meta: &ParseNestedMeta) -> Span {
    meta.path
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

fn set_kind(cx: &Ctxt, kind: &mut Attr<Kind>, span: Span, new: Kind) {
    match &kind.value {
        Some((_, old)) if *old == new => cx.error(
            span,
            format_args!(
                "duplicate ding attribute `{}`: remove one of them",
                new.key()
            ),
        ),
        Some((_, old)) => cx.error(
            span,
            format_args!(
                "conflicting message kinds `{}` and `{}`: a message has exactly one kind; \
                 keep one",
                old.key(),
                new.key()
            ),
        ),
        None => kind.value = Some((span, new)),
    }
}

/// A key that takes no value; reports `key = ...` or `key(...)`. True when well-formed.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> bool {
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

/// `key = "string"`. Returns `Ok(None)` when the value was wrong (already reported).
fn string(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<LitStr>> {
    let input = meta.input;
    let what = string_value_of(key);
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

/// What the string of a `key = "..."` holds, for error messages.
fn string_value_of(key: &str) -> &'static str {
    match key {
        "title" => "the title template",
        "body" => "the body template",
        "orientation" => "\"horizontal\" or \"vertical\"",
        "crate" => "the path to the dingbot crate",
        "label" => "the label to show",
        "button" | "single_button" => "the button's text",
        _ => "a value",
    }
}

/// Consumes the value of a key whose error has been reported, so parsing goes on.
fn skip_value(input: ParseStream) -> syn::Result<()> {
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

/// Reports a key that does not belong where it is; returns the key the user probably
/// meant, so that rules about what is missing do not fire for it as well.
fn unknown_key(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
    position: Position,
    allowed: &[&'static str],
) -> Option<&'static str> {
    let (msg, meant) = if position == Position::Enum && MESSAGE_KEYS.contains(&key) {
        (
            format!(
                "`{key}` belongs on each variant of an enum: every variant is its own message; \
                 move it to the #[ding(...)] above each variant (only `crate` goes on the enum)"
            ),
            known_key(key),
        )
    } else if position != Position::Field && FIELD_KEYS.contains(&key) {
        (
            format!(
                "`{key}` is a field attribute: put #[ding({})] on {}",
                usage(key, Position::Field),
                field_for(key)
            ),
            known_key(key),
        )
    } else if position == Position::Field && MESSAGE_KEYS.contains(&key) {
        (
            format!(
                "`{key}` is a message attribute: put it in the #[ding(...)] above the struct \
                 or variant"
            ),
            known_key(key),
        )
    } else if let Some(near) = closest(key, allowed) {
        (
            format!("unknown ding attribute `{key}`; did you mean `{near}`?"),
            Some(near),
        )
    } else if let Some(near) = closest_elsewhere(key, position) {
        let where_ = match position {
            Position::Field => {
                "it is a message attribute, so it goes in the #[ding(...)] above the struct or variant"
                    .to_owned()
            }
            Position::Enum if MESSAGE_KEYS.contains(&near) => {
                "it goes in the #[ding(...)] above each variant".to_owned()
            }
            _ => format!("it is a field attribute, so it goes on {}", field_for(near)),
        };
        (
            format!("unknown ding attribute `{key}`; did you mean `{near}`? {where_}"),
            Some(near),
        )
    } else {
        (
            format!(
                "unknown ding attribute `{key}`; expected one of {}",
                list(allowed)
            ),
            None,
        )
    };
    cx.error_spanned(&meta.path, msg);
    meant
}

/// The key of another position nearest to a misspelled one.
fn closest_elsewhere(key: &str, position: Position) -> Option<&'static str> {
    match position {
        Position::Field => closest(key, MESSAGE_KEYS),
        Position::Enum => closest(key, MESSAGE_KEYS).or_else(|| closest(key, FIELD_KEYS)),
        Position::Struct | Position::Variant => closest(key, FIELD_KEYS),
    }
}

/// How `key` is written at `position`: `skip`, or `label = "..."`.
fn usage(key: &str, position: Position) -> String {
    let takes_string = match key {
        "title" => position != Position::Field,
        "body" | "orientation" | "crate" | "label" | "button" | "single_button" => true,
        _ => false,
    };
    if takes_string {
        format!("{key} = \"...\"")
    } else {
        key.to_owned()
    }
}

/// Which field a field attribute goes on, for error messages.
fn field_for(key: &str) -> &'static str {
    match key {
        "title" => "the field that holds the title",
        "button" | "single_button" => "the field that holds the button's URL",
        "buttons" => "the field that holds the list of buttons",
        "at_mobiles" => "the field that holds the mobile numbers to mention",
        "at_user_ids" => "the field that holds the user ids to mention",
        "at_all" => "a `bool` field, or write `at_all` alone here to always mention everyone",
        "image" => "the field that holds the image URL",
        _ => "a field",
    }
}

/// A key that reaches the end of a `match` is a bug in the lists above.
fn unreachable_key(cx: &Ctxt, span: Span, key: &str) {
    cx.error(span, format_args!("unknown ding attribute `{key}`"));
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The allowed key nearest to a misspelled one, if it is near enough to be a typo.
pub fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= (k.len().max(key.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, where swapping two neighbouring letters counts as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses() {
        assert_eq!(closest("lable", FIELD_KEYS), Some("label"));
        assert_eq!(closest("buton", FIELD_KEYS), Some("button"));
        assert_eq!(closest("at_mobile", FIELD_KEYS), Some("at_mobiles"));
        assert_eq!(closest("titel", MESSAGE_KEYS), Some("title"));
        assert_eq!(closest("actioncard", MESSAGE_KEYS), Some("action_card"));
        assert_eq!(closest("colour", FIELD_KEYS), None);
    }

    #[test]
    fn suggests_keys_of_other_positions() {
        assert_eq!(
            closest_elsewhere("at_mobile", Position::Struct),
            Some("at_mobiles")
        );
        assert_eq!(closest_elsewhere("bdy", Position::Field), Some("body"));
        assert_eq!(closest_elsewhere("titel", Position::Enum), Some("title"));
        assert_eq!(closest_elsewhere("colour", Position::Variant), None);
    }

    #[test]
    fn usage_shows_values_where_they_belong() {
        assert_eq!(usage("skip", Position::Field), "skip");
        assert_eq!(usage("title", Position::Field), "title");
        assert_eq!(usage("title", Position::Struct), "title = \"...\"");
        assert_eq!(usage("button", Position::Field), "button = \"...\"");
    }

    #[test]
    fn bare_values_are_split_from_keys() {
        let tokens: TokenStream = r#""Order {id}", title = "x", 3, skip"#.parse().unwrap();
        let (keys, values) = split_bare_values(tokens);
        assert_eq!(keys.to_string(), r#"title = "x" , skip"#);
        let values: Vec<String> = values.iter().map(ToString::to_string).collect();
        assert_eq!(values, [r#""Order {id}""#, "3"]);
    }

    #[test]
    fn transposition_is_one_edit() {
        assert_eq!(edit_distance("lable", "label"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
