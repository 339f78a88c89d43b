//! The derive input as our own model: an [`Input`] holds one [`Item`] per struct or enum
//! variant, each with parsed attributes, resolved templates and [`Field`]s.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::spanned::Spanned as _;
use syn::{DeriveInput, GenericArgument, Ident, Member, PathArguments, Type};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::keys::{Key, Place};
use crate::model::{Kind, Role};
use crate::template::Name;

/// The whole derive input.
pub struct Input<'a> {
    pub original: &'a DeriveInput,
    /// Where the `dingbot` crate is: `::dingbot`, or `#[ding(crate = "...")]`.
    pub krate: TokenStream,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Box<Item<'a>>),
    Enum(Vec<Item<'a>>),
    /// Reported as an error; kept so the fallback can still emit a stub.
    Union,
}

/// One message: a struct, or one variant of an enum.
pub struct Item<'a> {
    /// The variant's name; `None` for a struct.
    pub variant: Option<&'a Ident>,
    /// The struct's or variant's name, where "missing title" is reported.
    pub name: &'a Ident,
    pub attrs: ContainerAttrs,
    pub kind: Kind,
    pub fields: Vec<Field<'a>>,
}

/// One field, with what the derive does with it.
pub struct Field<'a> {
    pub index: usize,
    pub member: Member,
    pub ty: &'a Type,
    /// `T` when the field is written `Option<T>` (recognised by the last path segment).
    pub option_inner: Option<&'a Type>,
    pub attrs: FieldAttrs,
    /// The first role given (see [`FieldAttrs::roles`]); `valid` reports the others.
    pub role: Role,
    /// The field's name, or its type for a tuple field: where type errors point.
    pub span: Span,
}

impl<'a> Input<'a> {
    /// Builds the model, recording every attribute error in `cx`.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Input<'a> {
        let (data, krate_attr) = match &input.data {
            syn::Data::Struct(data) => {
                let attrs = attr::container(cx, &input.attrs, Place::Struct);
                let krate = attrs.krate.clone();
                let item = Item::from_syn(cx, None, &input.ident, attrs, &data.fields);
                (Data::Struct(Box::new(item)), krate)
            }
            syn::Data::Enum(data) => {
                let attrs_of_enum = attr::container(cx, &input.attrs, Place::Enum);
                let variants = data
                    .variants
                    .iter()
                    .map(|v| {
                        let mut attrs = attr::container(cx, &v.attrs, Place::Variant);
                        // A message key misplaced on the enum was meant for every variant.
                        attrs.unparsed.extend(&attrs_of_enum.unparsed);
                        Item::from_syn(cx, Some(&v.ident), &v.ident, attrs, &v.fields)
                    })
                    .collect();
                (Data::Enum(variants), attrs_of_enum.krate)
            }
            syn::Data::Union(data) => {
                cx.error_spanned(
                    data.union_token,
                    "DingMessage cannot be derived for a union: use a struct or an enum",
                );
                (Data::Union, None)
            }
        };
        let krate = match krate_attr {
            Some(path) => path.value.into_token_stream(),
            None => quote!(::dingbot),
        };
        Input {
            original: input,
            krate,
            data,
        }
    }

    pub fn items(&self) -> &[Item<'a>] {
        match &self.data {
            Data::Struct(m) => std::slice::from_ref(&**m),
            Data::Enum(v) => v,
            Data::Union => &[],
        }
    }
}

impl<'a> Item<'a> {
    fn from_syn(
        cx: &Ctxt,
        variant: Option<&'a Ident>,
        name: &'a Ident,
        mut attrs: ContainerAttrs,
        fields: &'a syn::Fields,
    ) -> Item<'a> {
        let fields: Vec<Field> = fields
            .iter()
            .zip(fields.members())
            .enumerate()
            .map(|(index, (field, member))| Field::from_syn(cx, index, member, field))
            .collect();
        let kind = attrs.kind.as_ref().map_or(Kind::Markdown, |k| k.value);
        let names: Vec<Name> = fields.iter().map(Field::name).collect();
        for template in [
            &mut attrs.title,
            &mut attrs.body,
            &mut attrs.summary,
            &mut attrs.item,
        ]
        .into_iter()
        .flatten()
        {
            template.value.resolve(cx, name, &names);
        }
        for button in &mut attrs.buttons {
            button.url.resolve(cx, name, &names);
        }
        Item {
            variant,
            name,
            attrs,
            kind,
            fields,
        }
    }

    /// Whether field `f` is shown in the body: named in the `body` template, or, for the
    /// default body, a plain field not already shown by the title template (unless it has
    /// a `label`), or an image.
    pub fn in_body(&self, f: &Field) -> bool {
        if let Some(body) = &self.attrs.body {
            return body.value.uses(f.index);
        }
        self.in_default_body(f)
    }

    /// Whether `#[derive(DingItem)]` shows field `f`: named in the `item` template, or,
    /// without one, a plain or `list` field. Fields with other roles belong to the
    /// struct's `DingMessage`, if it derives one, and are not part of the item.
    pub fn in_item(&self, f: &Field) -> bool {
        match &self.attrs.item {
            Some(template) => template.value.uses(f.index),
            None => matches!(f.role, Role::Plain | Role::List),
        }
    }

    /// Whether `key` may have been meant somewhere in the message but was not understood
    /// (its error is reported), so a rule about `key` missing would only repeat that error.
    pub fn may_be_unparsed(&self, key: &Key) -> bool {
        self.attrs.unparsed.may_contain(key)
            || self
                .fields
                .iter()
                .any(|f| f.attrs.unparsed.may_contain(key))
    }

    /// Whether the `title`, `body` and button URL templates were understood and name only
    /// fields.
    pub fn templates_complete(&self) -> bool {
        [&self.attrs.title, &self.attrs.body]
            .into_iter()
            .flatten()
            .map(|t| &t.value)
            .chain(self.attrs.buttons.iter().map(|b| &b.url))
            .all(|t| t.is_complete())
    }

    /// Whether field `f` gets a line (or an image) of the default body.
    pub fn in_default_body(&self, f: &Field) -> bool {
        if self.attrs.body.is_some() {
            return false;
        }
        match f.role {
            Role::Image | Role::List | Role::Flatten => true,
            Role::Plain => {
                let in_title = self
                    .attrs
                    .title
                    .as_ref()
                    .is_some_and(|t| t.value.uses(f.index));
                !in_title || f.attrs.label.is_some()
            }
            _ => false,
        }
    }
}

impl<'a> Field<'a> {
    fn from_syn(cx: &Ctxt, index: usize, member: Member, field: &'a syn::Field) -> Field<'a> {
        let attrs = attr::field(cx, &field.attrs);
        let role = attrs
            .roles
            .first()
            .map_or(Role::Plain, |role| role.value.clone());
        let span = match &field.ident {
            Some(ident) => ident.span(),
            None => field.ty.span(),
        };
        Field {
            index,
            member,
            ty: &field.ty,
            option_inner: option_inner(&field.ty),
            attrs,
            role,
            span,
        }
    }

    /// The field's name as written in templates: `id`, `type` (for `r#type`), or `0`.
    pub fn name(&self) -> Name {
        match &self.member {
            Member::Named(ident) => Name::Named(ident.unraw().to_string()),
            Member::Unnamed(index) => Name::Index(index.index as usize),
        }
    }

    /// The type that is displayed: `T` for an `Option<T>` field.
    pub fn value_ty(&self) -> &'a Type {
        self.option_inner.unwrap_or(self.ty)
    }

    /// The default label: the field name humanised (`customer_id` becomes `Customer id`).
    pub fn label(&self) -> Option<String> {
        if let Some(label) = &self.attrs.label {
            return Some(label.value.value().trim().to_owned());
        }
        match &self.member {
            Member::Named(ident) => Some(humanize(&ident.unraw().to_string())),
            Member::Unnamed(_) => None,
        }
    }
}

/// `T` when `ty` is written `Option<T>` (any path ending in `Option`).
fn option_inner(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Group(group) => option_inner(&group.elem),
        Type::Paren(paren) => option_inner(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            if last.ident != "Option" {
                return None;
            }
            let PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.iter().collect::<Vec<_>>().as_slice() {
                [GenericArgument::Type(inner)] => Some(inner),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `customer_id` → `Customer id`, `__private_note` → `Private note`.
pub fn humanize(name: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::humanize;

    #[test]
    fn humanizes_field_names() {
        assert_eq!(humanize("customer_id"), "Customer id");
        assert_eq!(humanize("reason"), "Reason");
        assert_eq!(humanize("__private__note_"), "Private note");
        assert_eq!(humanize("http2_url"), "Http2 url");
        assert_eq!(humanize("éclair"), "Éclair");
        assert_eq!(humanize("_"), "_");
    }
}
