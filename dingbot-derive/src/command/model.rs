//! The enum as commands: names, arguments and how each value is parsed, checked for
//! the mistakes that would make a command impossible to write or ambiguous.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{DeriveInput, Fields, Type};

use super::attr::{self, Attrs};
use super::keys::Place;
use crate::ctxt::Ctxt;

pub struct Command {
    pub ident: syn::Ident,
    pub name: String,
    pub aliases: Vec<String>,
    pub about: String,
    pub args: Vec<Arg>,
}

pub struct Arg {
    pub ident: syn::Ident,
    pub name: String,
    pub about: String,
    pub kind: Kind,
    pub shape: Shape,
    pub default: Option<String>,
    /// The type each value parses to (inside `Option` or `Vec`).
    pub value_ty: Type,
    pub with: Option<syn::Path>,
    pub span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Positional,
    Flag,
    Switch,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    One,
    Optional,
    Many,
}

impl Arg {
    pub fn required(&self) -> bool {
        self.shape == Shape::One && self.kind != Kind::Switch && self.default.is_none()
    }
}

/// The commands of `input`, with the crate path; mistakes are recorded in `cx`.
pub fn build(cx: &Ctxt, input: &DeriveInput) -> (Vec<Command>, Option<syn::Path>) {
    let top = attr::parse(cx, &input.attrs, Place::Enum);
    let syn::Data::Enum(data) = &input.data else {
        let what = match input.data {
            syn::Data::Struct(_) => "a struct",
            _ => "a union",
        };
        cx.error(
            input.ident.span(),
            format!("`#[derive(DingCommand)]` is for an enum, each variant a command (`enum Command {{ Silence {{ alertname: String }} }}`), not {what}"),
        );
        return (Vec::new(), top.krate);
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned(
            &input.generics,
            "a command enum cannot be generic: name the types of its arguments",
        );
    }
    if data.variants.is_empty() {
        cx.error(
            input.ident.span(),
            "an enum without variants has no commands: add one, as `Silence { alertname: String }`",
        );
    }
    let commands: Vec<Command> = data.variants.iter().map(|v| command(cx, v)).collect();
    check_names(cx, &commands);
    (commands, top.krate)
}

fn command(cx: &Ctxt, variant: &syn::Variant) -> Command {
    let attrs = attr::parse(cx, &variant.attrs, Place::Variant);
    let name = match &attrs.rename {
        Some(lit) => checked_name(cx, lit),
        None => kebab(&variant.ident.to_string()),
    };
    let aliases = attrs.aliases.iter().map(|a| checked_name(cx, a)).collect();
    let about = attrs
        .about
        .as_ref()
        .map_or_else(|| attr::doc(&variant.attrs), syn::LitStr::value);
    let args = match &variant.fields {
        Fields::Named(fields) => fields.named.iter().filter_map(|f| arg(cx, f)).collect(),
        Fields::Unit => Vec::new(),
        Fields::Unnamed(fields) => {
            cx.error_spanned(
                fields,
                format!(
                    "name this command's fields: their names are the arguments' names in the usage, as `{} {{ alertname: String }}`",
                    variant.ident
                ),
            );
            Vec::new()
        }
    };
    check_args(cx, &args);
    Command {
        ident: variant.ident.clone(),
        name,
        aliases,
        about,
        args,
    }
}

fn arg(cx: &Ctxt, field: &syn::Field) -> Option<Arg> {
    let ident = field.ident.clone()?;
    let attrs: Attrs = attr::parse(cx, &field.attrs, Place::Field);
    let name = match &attrs.rename {
        Some(lit) => checked_name(cx, lit),
        None => kebab(ident.to_string().trim_start_matches("r#")),
    };
    let (shape, value_ty) = match wrapped(&field.ty, "Option") {
        Some(inner) => (Shape::Optional, inner.clone()),
        None => match wrapped(&field.ty, "Vec") {
            Some(inner) => (Shape::Many, inner.clone()),
            None => (Shape::One, field.ty.clone()),
        },
    };
    let switch = shape == Shape::One && last_ident(&value_ty).is_some_and(|i| i == "bool");
    let kind = if switch {
        Kind::Switch
    } else if attrs.flag.is_some() {
        Kind::Flag
    } else {
        Kind::Positional
    };
    if let Some(default) = &attrs.default {
        let why = match (shape, kind) {
            (Shape::Optional, _) => Some("an `Option` is left out as `None`"),
            (Shape::Many, _) => Some("a `Vec` is left out as empty"),
            (_, Kind::Switch) => Some("a switch is false when left out"),
            _ => None,
        };
        if let Some(why) = why {
            cx.error_spanned(
                default,
                format!(
                    "`default` is for an argument that must otherwise be given; {why}: remove it"
                ),
            );
        }
    }
    if let (Some(with), Kind::Switch) = (&attrs.with, kind) {
        cx.error_spanned(
            with,
            "a `bool` is a switch (`--name`), given or not: it has no value to parse with `with`",
        );
    }
    Some(Arg {
        about: attrs
            .about
            .as_ref()
            .map_or_else(|| attr::doc(&field.attrs), syn::LitStr::value),
        ident,
        name,
        kind,
        shape,
        default: attrs.default.as_ref().map(syn::LitStr::value),
        value_ty,
        with: attrs.with,
        span: field.ty.span(),
    })
}

/// Arguments by place must be writable: none required after an optional one or after
/// one that takes the rest; names unique.
fn check_args(cx: &Ctxt, args: &[Arg]) {
    let mut optional: Option<&Arg> = None;
    let mut rest: Option<&Arg> = None;
    for arg in args.iter().filter(|a| a.kind == Kind::Positional) {
        if let Some(many) = rest {
            cx.error(
                arg.ident.span(),
                format!("`{}` takes the rest of the words, so nothing can follow it by place: make `{}` a `#[ding(flag)]`, or move it before", many.ident, arg.ident),
            );
        } else if let (Some(opt), true) = (optional, arg.required()) {
            cx.error(
                arg.ident.span(),
                format!("the required `{}` cannot follow the optional `{}` by place: a single word would go to `{}`; move it before, or make one a `#[ding(flag)]`", arg.ident, opt.ident, opt.ident),
            );
        }
        if !arg.required() && arg.shape != Shape::Many {
            optional.get_or_insert(arg);
        }
        if arg.shape == Shape::Many {
            rest = Some(arg);
        }
    }
    for (i, arg) in args.iter().enumerate() {
        if let Some(first) = args[..i].iter().find(|a| a.name == arg.name) {
            cx.error(
                arg.ident.span(),
                format!(
                    "`{}` and `{}` are both named `{}`: rename one",
                    first.ident, arg.ident, arg.name
                ),
            );
        }
    }
}

/// Each name and alias runs one command only (any case).
fn check_names(cx: &Ctxt, commands: &[Command]) {
    let mut taken: Vec<(String, &syn::Ident)> = Vec::new();
    for command in commands {
        for name in std::iter::once(&command.name).chain(&command.aliases) {
            let lower = name.to_lowercase();
            match taken.iter().find(|(n, _)| *n == lower) {
                Some((_, other)) if *other == &command.ident => {
                    cx.error(
                        command.ident.span(),
                        format!("`{name}` is given twice for `{}`", command.ident),
                    );
                }
                Some((_, other)) => cx.error(
                    command.ident.span(),
                    format!(
                        "`{name}` would run both `{other}` and `{}`: rename one, or drop the alias",
                        command.ident
                    ),
                ),
                None => taken.push((lower, &command.ident)),
            }
        }
    }
}

/// A name people write: one word, no quotes, not starting with `-`.
fn checked_name(cx: &Ctxt, lit: &syn::LitStr) -> String {
    let name = lit.value();
    let bad = name.is_empty()
        || name.starts_with('-')
        || name.starts_with('@')
        || name.starts_with('/')
        || name
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '='));
    if bad {
        cx.error_spanned(lit, format!("{name:?} cannot be written as a command or argument name: use one word, without spaces, quotes or `=`, not starting with `-`, `@` or `/`"));
    }
    name
}

/// `HighLatency` → `high-latency`, `dry_run` → `dry-run`.
pub fn kebab(ident: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in ident.chars() {
        if c == '_' {
            out.push('-');
            prev_lower = false;
        } else if c.is_uppercase() {
            if prev_lower {
                out.push('-');
            }
            out.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// The type inside `Wrapper<T>`, when `ty` is that.
fn wrapped<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

pub fn last_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}
