//! The derive input as our own model: an [`Input`] holds one [`Message`] per struct or
//! enum variant, each with parsed attributes and [`Field`]s whose templates are resolved.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::spanned::Spanned as _;
use syn::{DeriveInput, GenericArgument, Ident, Member, PathArguments, Type};

use crate::attr::{self, ContainerAttrs, FieldAttrs, Kind, Position};
use crate::ctxt::Ctxt;
use crate::template::{Name, Template};

/// The whole derive input.
pub struct Input<'a> {
    pub original: &'a DeriveInput,
    /// Where the `dingbot` crate is: `::dingbot`, or `#[ding(crate = "...")]`.
    pub krate: TokenStream,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Box<Message<'a>>),
    Enum(Vec<Message<'a>>),
    /// Reported as an error; kept so the fallback can still emit a stub.
    Union,
}

/// One message: a struct, or one variant of an enum.
pub struct Message<'a> {
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
    /// The first role given; `valid.rs` reports any second one.
    pub role: Role,
    /// The field's name, or its type for a tuple field: where type errors point.
    pub span: Span,
}

/// What a field is for. A field has at most one role; without one it is a `Plain` field,
/// shown as a `**Label**: value` line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Role {
    Plain,
    Title,
    Skip,
    Button(String),
    SingleButton(String),
    Buttons,
    AtMobiles,
    AtUserIds,
    AtAll,
    Image,
}

impl Role {
    pub fn key(&self) -> &'static str {
        match self {
            Role::Plain => "plain",
            Role::Title => "title",
            Role::Skip => "skip",
            Role::Button(_) => "button",
            Role::SingleButton(_) => "single_button",
            Role::Buttons => "buttons",
            Role::AtMobiles => "at_mobiles",
            Role::AtUserIds => "at_user_ids",
            Role::AtAll => "at_all",
            Role::Image => "image",
        }
    }

    pub fn is_mention(&self) -> bool {
        matches!(self, Role::AtMobiles | Role::AtUserIds | Role::AtAll)
    }

    pub fn is_button(&self) -> bool {
        matches!(
            self,
            Role::Button(_) | Role::SingleButton(_) | Role::Buttons
        )
    }
}

impl FieldAttrs {
    /// Whether the field is marked `button`, `single_button` or `buttons`.
    pub fn has_button(&self) -> bool {
        self.button.is_some() || self.single_button.is_some() || self.buttons.is_some()
    }

    /// Every role attribute given, in a fixed order, with the span of its key.
    pub fn roles(&self) -> Vec<(Role, Span)> {
        let mut roles = Vec::new();
        let mut add = |role: Role, span: Option<Span>| {
            if let Some(span) = span {
                roles.push((role, span));
            }
        };
        add(Role::Skip, self.skip.as_ref().map(|a| a.span));
        add(Role::Title, self.title.as_ref().map(|a| a.span));
        if let Some(b) = &self.button {
            add(Role::Button(b.value.value()), Some(b.span));
        }
        if let Some(b) = &self.single_button {
            add(Role::SingleButton(b.value.value()), Some(b.span));
        }
        add(Role::Buttons, self.buttons.as_ref().map(|a| a.span));
        add(Role::AtMobiles, self.at_mobiles.as_ref().map(|a| a.span));
        add(Role::AtUserIds, self.at_user_ids.as_ref().map(|a| a.span));
        add(Role::AtAll, self.at_all.as_ref().map(|a| a.span));
        add(Role::Image, self.image.as_ref().map(|a| a.span));
        roles
    }
}

impl<'a> Input<'a> {
    /// Builds the model, recording every attribute error in `cx`.
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Input<'a> {
        let (data, krate_attr) = match &input.data {
            syn::Data::Struct(data) => {
                let attrs = attr::container(cx, &input.attrs, Position::Struct);
                let krate = attrs.krate.clone();
                let message = Message::from_syn(cx, None, &input.ident, attrs, &data.fields);
                (Data::Struct(Box::new(message)), krate)
            }
            syn::Data::Enum(data) => {
                let attrs_of_enum = attr::container(cx, &input.attrs, Position::Enum);
                let variants = data
                    .variants
                    .iter()
                    .map(|v| {
                        let mut attrs = attr::container(cx, &v.attrs, Position::Variant);
                        // A message key misplaced on the enum was meant for every variant.
                        attrs.unparsed.extend(&attrs_of_enum.unparsed);
                        Message::from_syn(cx, Some(&v.ident), &v.ident, attrs, &v.fields)
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

    pub fn messages(&self) -> &[Message<'a>] {
        match &self.data {
            Data::Struct(m) => std::slice::from_ref(&**m),
            Data::Enum(v) => v,
            Data::Union => &[],
        }
    }
}

impl<'a> Message<'a> {
    fn from_syn(
        cx: &Ctxt,
        variant: Option<&'a Ident>,
        name: &'a Ident,
        mut attrs: ContainerAttrs,
        fields: &'a syn::Fields,
    ) -> Message<'a> {
        let fields: Vec<Field> = fields
            .iter()
            .zip(fields.members())
            .enumerate()
            .map(|(index, (field, member))| Field::from_syn(cx, index, member, field))
            .collect();
        let kind = attrs.kind.as_ref().map_or(Kind::Markdown, |k| k.value);
        for (what, template) in [("title", &mut attrs.title), ("body", &mut attrs.body)] {
            if let Some(template) = template {
                resolve(cx, &mut template.value, what, name, &fields);
            }
        }
        Message {
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

    /// Whether field `f` gets a line (or an image) of the default body.
    pub fn in_default_body(&self, f: &Field) -> bool {
        if self.attrs.body.is_some() {
            return false;
        }
        match f.role {
            Role::Image => true,
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
            .roles()
            .into_iter()
            .next()
            .map_or(Role::Plain, |(role, _)| role);
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

/// Matches each placeholder of `template` to a field, reporting names that match none.
fn resolve(cx: &Ctxt, template: &mut Template, what: &str, owner: &Ident, fields: &[Field]) {
    let tuple = fields
        .first()
        .is_some_and(|f| matches!(f.member, Member::Unnamed(_)));
    let span = template.span();
    for placeholder in template.placeholders_mut() {
        placeholder.field = fields
            .iter()
            .find(|f| f.name() == placeholder.name)
            .map(|f| f.index);
        if placeholder.field.is_some() {
            continue;
        }
        let name = &placeholder.name;
        let mut msg = format!("`{{{name}}}` in the {what} does not name a field of `{owner}`");
        match name {
            Name::Index(_) if !tuple && !fields.is_empty() => {
                msg.push_str(&format!(
                    ": its fields have names, so write one, as in `{{{}}}`",
                    fields[0].name()
                ));
            }
            Name::Named(_) if tuple => {
                msg.push_str(": its fields are numbered; write `{0}`, `{1}`, ...");
            }
            Name::Named(n) => {
                let names: Vec<String> = fields.iter().map(|f| f.name().to_string()).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                if let Some(near) = attr::closest(n, &names) {
                    msg.push_str(&format!("; did you mean `{{{near}}}`?"));
                } else if fields.is_empty() {
                    msg.push_str(", which has no fields");
                } else {
                    msg.push_str(&format!("; its fields are {}", name_list(&names)));
                }
            }
            Name::Index(_) => {
                if fields.is_empty() {
                    msg.push_str(", which has no fields");
                } else {
                    msg.push_str(&format!(
                        ": it has {} field{} ({})",
                        fields.len(),
                        if fields.len() == 1 { "" } else { "s" },
                        (0..fields.len())
                            .map(|i| format!("`{{{i}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        cx.error(span, msg);
    }
}

/// `` `a`, `b` and `c` ``, or the first few names and a count of the rest.
fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 8;
    let quoted: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    match (quoted.split_last(), names.len()) {
        (None, _) => String::new(),
        (Some((last, [])), _) => last.clone(),
        (Some((last, rest)), n) if n <= SHOWN => format!("{} and {last}", rest.join(", ")),
        (Some(_), n) => format!("{} and {} more", quoted.join(", "), n - SHOWN),
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
    use super::{humanize, name_list};

    #[test]
    fn lists_field_names() {
        assert_eq!(name_list(&["id"]), "`id`");
        assert_eq!(name_list(&["id", "customer"]), "`id` and `customer`");
        assert_eq!(name_list(&["a", "b", "c"]), "`a`, `b` and `c`");
        let many = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        assert_eq!(
            name_list(&many),
            "`a`, `b`, `c`, `d`, `e`, `f`, `g`, `h` and 2 more"
        );
    }

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
