//! Code generation: one `impl DingMessage` whose `to_message` builds the message.
//!
//! Everything is named through `<dingbot>::__private`; values are bound to locals named
//! `__ding_<index>` that carry the field's span, so a type error (a field that is not
//! `Display`, mentions of the wrong type) points at the field.
//!
//! [`Gen`] generates one message; its parts live beside it, by what they emit: `title`,
//! `mentions`, `markdown` and `text` (the bodies) and `card` (an action card).

mod card;
mod item;
mod markdown;
mod mentions;
mod text;
mod title;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{DeriveInput, Ident, LitStr, Type};

use crate::ast::{Data, Field, Input, Item};
use crate::attr::Spanned;
use crate::ctxt::Ctxt;
use crate::generics::Bounds;
use crate::model::{Kind, Role};
use crate::template::{Placeholder, Template};
use crate::{fallback, valid};

/// Expands `#[derive(DingMessage)]`.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let model = Input::from_syn(&cx, input);
    valid::check(&cx, &model);
    match cx.check() {
        Ok(()) => impl_ding_message(&model),
        Err(err) => fallback::expand(input, &model.krate, &err),
    }
}

pub use self::item::{derive_item, item_uses};

fn impl_ding_message(input: &Input) -> TokenStream {
    let krate = &input.krate;
    // Named through one `use`, so a wrong `crate = "..."` path is one error, not one per use.
    let p = quote!(__ding);
    let original = input.original;
    let ident = &original.ident;
    let mut bounds = Bounds::new(&original.generics);

    // The message, and the lines a `flatten` field of another type takes from it (text
    // messages have no markdown lines to give).
    let mut flatten = input.items().iter().all(|m| m.kind != Kind::Text);
    let (body, lines) = match &input.data {
        Data::Struct(m) => {
            let generator = Gen::new(m, &p);
            let (pattern, code) = generator.message(&mut bounds);
            let lines = generator.markdown_content(false).0;
            if pattern.is_empty() {
                (code, lines)
            } else {
                (
                    quote! {
                        let Self { #pattern .. } = self;
                        #code
                    },
                    quote! {
                        let Self { #pattern .. } = self;
                        #lines
                    },
                )
            }
        }
        Data::Enum(variants) if variants.is_empty() => {
            flatten = false;
            (quote!(match *self {}), TokenStream::new())
        }
        Data::Enum(variants) => {
            let mut arms = Vec::new();
            let mut line_arms = Vec::new();
            for m in variants {
                let generator = Gen::new(m, &p);
                let (pattern, code) = generator.message(&mut bounds);
                let variant = m.variant;
                arms.push(quote!(Self::#variant { #pattern .. } => { #code }));
                if flatten {
                    let lines = generator.markdown_content(false).0;
                    line_arms.push(quote!(Self::#variant { #pattern .. } => { #lines }));
                }
            }
            (
                quote!(match self { #(#arms)* }),
                quote!(match self { #(#line_arms)* }),
            )
        }
        Data::Union => (quote!(::core::unreachable!()), TokenStream::new()),
    };

    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();
    let where_clause = bounds.where_clause(where_clause);
    let flatten = flatten.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics #p::Flatten for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                fn write_fields(&self, __ding_body: &mut #p::Body) {
                    #lines
                }
            }
        }
    });
    quote! {
        const _: () = {
            use #krate::__private as #p;
            use #p::Sink as _;

            #[automatically_derived]
            impl #impl_generics #p::DingMessage for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                fn to_message(&self) -> #p::Message {
                    #body
                }
            }

            #flatten
        };
    }
}

/// Generates the code for one message (a struct or one variant).
struct Gen<'m, 'a> {
    m: &'m Item<'a>,
    p: &'m TokenStream,
}

impl<'m, 'a> Gen<'m, 'a> {
    fn new(m: &'m Item<'a>, p: &'m TokenStream) -> Self {
        Gen { m, p }
    }

    /// The field bindings (`member: __ding_i,`) and the code that returns the message.
    fn message(&self, bounds: &mut Bounds) -> (TokenStream, TokenStream) {
        let m = self.m;
        let used: Vec<&Field> = m.fields.iter().filter(|f| self.is_used(f)).collect();
        let pattern = bindings(&used);
        self.infer_bounds(bounds);

        let title = self.title();
        let mentions = self.mentions();
        let mut code = match m.kind {
            Kind::Markdown => {
                let body = self.markdown_body();
                let msg = self.markdown();
                quote!(#title #mentions #body #msg)
            }
            Kind::ActionCard => {
                let body = self.markdown_body();
                let card = self.action_card();
                quote!(#title #body #card)
            }
            Kind::Text => {
                let body = self.text_body();
                let msg = self.text();
                quote!(#title #mentions #body #msg)
            }
        };
        if let Some(keyword) = &m.attrs.keyword {
            // Put where DingTalk looks for it, unless the message already holds it.
            let p = self.p;
            let word = &keyword.value;
            code = quote!(#p::carry_keyword({ #code }, #word));
        }
        (pattern, code)
    }

    /// Whether the generated code reads field `f`.
    fn is_used(&self, f: &Field) -> bool {
        let attrs = &self.m.attrs;
        let in_template =
            |t: &Option<Spanned<Template>>| t.as_ref().is_some_and(|t| t.value.uses(f.index));
        match f.role {
            Role::Skip => false,
            Role::Title => true,
            Role::Plain | Role::Image | Role::List | Role::Flatten => {
                in_template(&attrs.title)
                    || self.m.in_body(f)
                    || attrs.buttons.iter().any(|b| b.url.uses(f.index))
            }
            Role::Button(_) | Role::SingleButton(_) | Role::Buttons => true,
            Role::AtMobiles | Role::AtUserIds | Role::AtAll => true,
        }
    }

    fn infer_bounds(&self, bounds: &mut Bounds) {
        let p = self.p;
        let display = quote!(::core::fmt::Display);
        let debug = quote!(::core::fmt::Debug);
        let m = self.m;
        let templates = [&m.attrs.title, &m.attrs.body].into_iter().flatten();
        let templates = templates
            .map(|t| &t.value)
            .chain(m.attrs.buttons.iter().map(|b| &b.url));
        for template in templates {
            for ph in template.placeholders() {
                if let Some(f) = ph.field.and_then(|i| m.fields.get(i)) {
                    if matches!(f.role, Role::List | Role::Flatten) {
                        continue; // below
                    }
                    if ph.is_debug() {
                        bounds.add(f.value_ty(), debug.clone());
                    } else if f.attrs.with.is_none() {
                        bounds.add(f.value_ty(), display.clone());
                    }
                }
            }
        }
        for f in &m.fields {
            match &f.role {
                Role::Title if f.attrs.with.is_some() => {}
                Role::Title | Role::Button(_) | Role::SingleButton(_) => {
                    bounds.add(f.value_ty(), display.clone());
                }
                Role::List if self.is_used(f) => self.list_bound(f, bounds),
                Role::Flatten if self.is_used(f) => {
                    bounds.add(f.value_ty(), quote!(#p::Flatten));
                }
                Role::Plain | Role::Image if m.in_default_body(f) && f.attrs.with.is_none() => {
                    bounds.add(f.value_ty(), display.clone());
                }
                Role::AtMobiles | Role::AtUserIds => bounds.add(f.ty, quote!(#p::MentionList)),
                Role::Buttons => bounds.add(f.ty, quote!(#p::ButtonList)),
                _ => {}
            }
        }
    }

    fn field_of(&self, ph: &Placeholder) -> Option<&'m Field<'a>> {
        ph.field.and_then(|i| self.m.fields.get(i))
    }

    /// Runs `call` on the field's value; for an `Option` field, only when it is `Some`.
    fn with_value(&self, f: &Field, call: impl Fn(&TokenStream) -> TokenStream) -> TokenStream {
        let binding = binding(f);
        if f.option_inner.is_some() {
            let value = value_binding(f);
            let body = call(&quote!(#value));
            quote! {
                if let ::core::option::Option::Some(#value) = #binding {
                    #body
                }
            }
        } else {
            call(&quote!(#binding))
        }
    }
}

impl Gen<'_, '_> {
    /// The value as `&dyn Display`: through the field's `with` function, or its own
    /// `Display` (a type that has none is reported at the field, with what to do).
    pub(super) fn shown(&self, f: &Field, v: &TokenStream) -> TokenStream {
        let p = self.p;
        match &f.attrs.with {
            Some(with) => {
                let path = &with.value;
                let path = quote_spanned!(path.span()=> #path);
                quote_spanned!(f.span=> &#p::With(#v, #path))
            }
            None => quote_spanned!(f.span=> #p::Shown::shown(#v)),
        }
    }

    /// What the elements of a `list` field of a generic type must be.
    pub(super) fn list_bound(&self, f: &Field, bounds: &mut Bounds) {
        let p = self.p;
        if f.attrs.with.is_some() {
            return; // the function's signature decides
        }
        let item = if f.attrs.raw.is_some() {
            quote!(#p::ListItemRaw)
        } else {
            quote!(#p::ListItem)
        };
        bounds.add_list(f.value_ty(), item);
    }

    /// The value for a format spec: through the field's `with` function, or as it is.
    fn formatted(&self, f: &Field, v: &TokenStream) -> TokenStream {
        let p = self.p;
        match &f.attrs.with {
            Some(with) => {
                let path = &with.value;
                let path = quote_spanned!(path.span()=> #path);
                quote_spanned!(f.span=> #p::With(#v, #path))
            }
            None => v.clone(),
        }
    }
}

/// The pattern that binds each of `fields` to its `__ding_<index>`: `member: __ding_i,`.
fn bindings(fields: &[&Field]) -> TokenStream {
    fields
        .iter()
        .map(|f| {
            let member = &f.member;
            let binding = binding(f);
            quote!(#member: #binding,)
        })
        .collect()
}

/// `__ding_<index>`, spanned at the field.
fn binding(f: &Field) -> Ident {
    format_ident!("__ding_{}", f.index, span = f.span)
}

/// The value inside an `Option` field, spanned at the field.
fn value_binding(f: &Field) -> Ident {
    format_ident!("__ding_value_{}", f.index, span = f.span)
}

/// `value.to_string()`, through `&dyn Display`: a field that is not `Display` is then
/// reported at the field as a failed cast, with no note about a `__private` helper.
fn to_string(p: &TokenStream, f: &Field, value: &TokenStream) -> TokenStream {
    quote_spanned!(f.span=> #p::to_string::<dyn ::core::fmt::Display>(#value))
}

/// The value with its format spec applied: `&format_args!("{:>8}", v)`.
fn with_spec(f: &Field, ph: &Placeholder, value: &TokenStream) -> TokenStream {
    if ph.spec.is_empty() {
        return value.clone();
    }
    let format = LitStr::new(&format!("{{:{}}}", ph.spec), Span::call_site());
    quote_spanned!(f.span=> &::core::format_args!(#format, #value))
}

/// Whether `ty` is written `String` or `&str`, whose values need no formatting.
fn is_str(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "String" && s.arguments.is_empty()),
        Type::Reference(r) => {
            matches!(&*r.elem, Type::Path(p) if p.qself.is_none() && p.path.is_ident("str"))
        }
        Type::Group(g) => is_str(&g.elem),
        Type::Paren(p) => is_str(&p.elem),
        _ => false,
    }
}
