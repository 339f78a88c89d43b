//! Code generation: one `impl DingMessage` whose `to_message` builds the message.
//!
//! Everything is named through `<dingbot>::__private`; values are bound to locals named
//! `__ding_<index>` that carry the field's span, so a type error (a field that is not
//! `Display`, mentions of the wrong type) points at the field.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{DeriveInput, Ident, LitStr, Type};

use crate::ast::{Data, Field, Input, Item};
use crate::attr::Spanned;
use crate::ctxt::Ctxt;
use crate::generics::Bounds;
use crate::model::{Kind, Orientation, Role};
use crate::template::{Piece, Placeholder, Template};
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

fn impl_ding_message(input: &Input) -> TokenStream {
    let krate = &input.krate;
    // Named through one `use`, so a wrong `crate = "..."` path is one error, not one per use.
    let p = quote!(__ding);
    let original = input.original;
    let ident = &original.ident;
    let mut bounds = Bounds::new(&original.generics);

    let body = match &input.data {
        Data::Struct(m) => {
            let generator = Gen::new(m, &p);
            let (pattern, code) = generator.message(&mut bounds);
            if pattern.is_empty() {
                code
            } else {
                quote! {
                    let Self { #pattern .. } = self;
                    #code
                }
            }
        }
        Data::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Data::Enum(variants) => {
            let arms = variants.iter().map(|m| {
                let generator = Gen::new(m, &p);
                let (pattern, code) = generator.message(&mut bounds);
                let variant = m.variant;
                quote!(Self::#variant { #pattern .. } => { #code })
            });
            let arms: Vec<TokenStream> = arms.collect();
            quote! {
                match self {
                    #(#arms)*
                }
            }
        }
        Data::Union => quote!(::core::unreachable!()),
    };

    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();
    let where_clause = bounds.where_clause(where_clause);
    quote! {
        const _: () = {
            use #krate::__private as #p;

            #[automatically_derived]
            impl #impl_generics #p::DingMessage for #ident #ty_generics #where_clause {
                #[allow(deprecated)]
                fn to_message(&self) -> #p::Message {
                    #body
                }
            }
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
        let pattern: TokenStream = used
            .iter()
            .map(|f| {
                let member = &f.member;
                let binding = binding(f);
                quote!(#member: #binding,)
            })
            .collect();
        self.infer_bounds(bounds);

        let title = self.title();
        let mentions = self.mentions();
        let code = match m.kind {
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
            Role::Plain | Role::Image => in_template(&attrs.title) || self.m.in_body(f),
            Role::Button(_) | Role::SingleButton(_) | Role::Buttons => true,
            Role::AtMobiles | Role::AtUserIds | Role::AtAll => true,
        }
    }

    fn infer_bounds(&self, bounds: &mut Bounds) {
        let p = self.p;
        let display = quote!(::core::fmt::Display);
        let debug = quote!(::core::fmt::Debug);
        let m = self.m;
        for template in [&m.attrs.title, &m.attrs.body].into_iter().flatten() {
            for ph in template.value.placeholders() {
                if let Some(f) = ph.field.and_then(|i| m.fields.get(i)) {
                    let need = if ph.is_debug() { &debug } else { &display };
                    bounds.add(f.value_ty(), need.clone());
                }
            }
        }
        for f in &m.fields {
            match &f.role {
                Role::Title | Role::Button(_) | Role::SingleButton(_) => {
                    bounds.add(f.value_ty(), display.clone());
                }
                Role::Plain | Role::Image if m.in_default_body(f) => {
                    bounds.add(f.value_ty(), display.clone());
                }
                Role::AtMobiles | Role::AtUserIds => bounds.add(f.ty, quote!(#p::Mentions)),
                Role::Buttons => bounds.add(f.ty, quote!(#p::Buttons)),
                _ => {}
            }
        }
    }

    // ----- title -----

    /// `let __ding_title = ...;`, or nothing for a text message without a title.
    fn title(&self) -> TokenStream {
        let p = self.p;
        let m = self.m;
        if m.kind == Kind::Text && m.attrs.body.is_some() {
            return TokenStream::new();
        }
        if let Some(template) = &m.attrs.title {
            let value = self.format_title(&template.value);
            return quote!(let __ding_title: #p::String = #value;);
        }
        match m.fields.iter().find(|f| f.role == Role::Title) {
            Some(f) => {
                let binding = binding(f);
                let value = quote_spanned!(f.span=> #p::to_string(#binding));
                quote!(let __ding_title: #p::String = #value;)
            }
            None => TokenStream::new(),
        }
    }

    /// A title template as one `format!`; an `Option` field shows nothing for `None`.
    fn format_title(&self, template: &Template) -> TokenStream {
        let p = self.p;
        let mut format = String::new();
        let mut args = Vec::new();
        for piece in &template.pieces {
            match piece {
                Piece::Lit(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
                Piece::Field(ph) => {
                    let Some(f) = self.field_of(ph) else { continue };
                    format.push('{');
                    if !ph.spec.is_empty() {
                        format.push(':');
                        format.push_str(&ph.spec);
                    }
                    format.push('}');
                    let binding = binding(f);
                    args.push(if f.option_inner.is_some() {
                        quote_spanned!(f.span=> #p::Maybe(#binding))
                    } else {
                        quote!(#binding)
                    });
                }
            }
        }
        if args.is_empty() {
            let text: String = template
                .pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Lit(text) => text.as_str(),
                    Piece::Field(_) => "",
                })
                .collect();
            let lit = LitStr::new(&text, template.span());
            return quote!(#p::String::from(#lit));
        }
        let format = LitStr::new(&format, template.span());
        quote!(#p::format!(#format, #(#args),*))
    }

    // ----- mentions -----

    /// Collects `at_mobiles` and `at_user_ids` into `__ding_mobiles` / `__ding_user_ids`.
    fn mentions(&self) -> TokenStream {
        let p = self.p;
        let mut code = TokenStream::new();
        for (role, list) in [
            (Role::AtMobiles, quote!(__ding_mobiles)),
            (Role::AtUserIds, quote!(__ding_user_ids)),
        ] {
            let fields: Vec<&Field> = self.m.fields.iter().filter(|f| f.role == role).collect();
            if fields.is_empty() {
                continue;
            }
            let adds = fields.iter().map(|f| {
                let binding = binding(f);
                quote_spanned!(f.span=> #p::mentions(&mut #list, #binding);)
            });
            code.extend(quote! {
                let mut #list: #p::Vec<#p::String> = #p::Vec::new();
                #(#adds)*
            });
        }
        code
    }

    fn has_role(&self, role: &Role) -> bool {
        self.m.fields.iter().any(|f| f.role == *role)
    }

    /// `&__ding_mobiles, &__ding_user_ids`, or `None` when nobody can be mentioned.
    fn mention_lists(&self) -> Option<TokenStream> {
        let mobiles = self.has_role(&Role::AtMobiles);
        let user_ids = self.has_role(&Role::AtUserIds);
        if !mobiles && !user_ids {
            return None;
        }
        let mobiles = if mobiles {
            quote!(&__ding_mobiles)
        } else {
            quote!(&[])
        };
        let user_ids = if user_ids {
            quote!(&__ding_user_ids)
        } else {
            quote!(&[])
        };
        Some(quote!(#mobiles, #user_ids))
    }

    /// `let __ding_text = ...;`: a `builder` (`Body` or `Plain`) with room for `capacity`,
    /// filled by `code`, and the mentions last, so that they notify.
    fn body(
        &self,
        builder: TokenStream,
        capacity: TokenStream,
        mut code: TokenStream,
    ) -> TokenStream {
        let p = self.p;
        if let Some(lists) = self.mention_lists() {
            code.extend(quote!(__ding_body.mentions(#lists);));
        }
        quote! {
            let mut __ding_body = #p::#builder::new(#capacity);
            #code
            let __ding_text = __ding_body.finish();
        }
    }

    /// Sets who `__ding_msg` mentions.
    fn at(&self) -> TokenStream {
        let mut code = TokenStream::new();
        if self.has_role(&Role::AtMobiles) {
            code.extend(quote!(let __ding_msg = __ding_msg.at_mobiles(__ding_mobiles);));
        }
        if self.has_role(&Role::AtUserIds) {
            code.extend(quote!(let __ding_msg = __ding_msg.at_user_ids(__ding_user_ids);));
        }
        if self.m.attrs.at_all.is_some() {
            code.extend(quote!(let __ding_msg = __ding_msg.at_all();));
        }
        for f in self.m.fields.iter().filter(|f| f.role == Role::AtAll) {
            let binding = binding(f);
            // A typed `let`, so a field that is not a `bool` is a type error at the field.
            let flag = quote_spanned!(f.span=> {
                let __ding_at_all: &bool = #binding;
                *__ding_at_all
            });
            code.extend(quote! {
                let __ding_msg = if #flag { __ding_msg.at_all() } else { __ding_msg };
            });
        }
        code
    }

    // ----- markdown -----

    /// `let __ding_text = ...;` for markdown and action cards.
    fn markdown_body(&self) -> TokenStream {
        let m = self.m;
        let mut code = TokenStream::new();
        let capacity;
        if let Some(body) = &m.attrs.body {
            let template = &body.value;
            capacity = template.literal_len() + 24 * template.placeholders().count();
            // The template text on the current line so far: a value after a letter
            // cannot start a heading or a list, so it needs fewer escapes.
            let mut line = String::new();
            for piece in &template.pieces {
                code.extend(match piece {
                    Piece::Lit(text) => {
                        match text.rsplit_once('\n') {
                            Some((_, last)) => line = last.to_owned(),
                            None => line.push_str(text),
                        }
                        quote!(__ding_body.push(#text);)
                    }
                    Piece::Field(ph) => match self.field_of(ph) {
                        Some(f) => {
                            let mid_line = line.chars().any(char::is_alphabetic);
                            self.markdown_placeholder(f, ph, mid_line)
                        }
                        None => TokenStream::new(),
                    },
                });
            }
        } else {
            let mut estimate = 8;
            code.extend(quote!(__ding_body.heading(&__ding_title);));
            for f in m.fields.iter().filter(|f| m.in_default_body(f)) {
                let (line, len) = self.markdown_line(f);
                estimate += len + 24;
                code.extend(line);
            }
            capacity = estimate;
        }
        let mut capacity = quote!(#capacity);
        if m.attrs.body.is_none() {
            capacity = quote!(__ding_title.len() + #capacity);
        }
        self.body(quote!(Body), capacity, code)
    }

    /// One line (or image) of the default markdown body, and its length without the value.
    fn markdown_line(&self, f: &Field) -> (TokenStream, usize) {
        if f.role == Role::Image {
            let call = |v: &TokenStream| quote_spanned!(f.span=> __ding_body.image(#v););
            return (self.with_value(f, call), 5);
        }
        let label = f.label().unwrap_or_default();
        let prefix = format!("**{}**: ", escape_label(&label));
        let len = prefix.len();
        let raw = f.attrs.raw.is_some();
        let is_str = is_str(f.value_ty());
        let call = |v: &TokenStream| {
            if raw {
                quote_spanned!(f.span=> __ding_body.field_raw(#prefix, #v);)
            } else if is_str {
                quote_spanned!(f.span=> __ding_body.field_str(#prefix, #v);)
            } else {
                quote_spanned!(f.span=> __ding_body.field(#prefix, #v);)
            }
        };
        (self.with_value(f, call), len)
    }

    /// One `{field}` of a markdown body template.
    /// `mid_line`: whether letters precede it on its line.
    fn markdown_placeholder(&self, f: &Field, ph: &Placeholder, mid_line: bool) -> TokenStream {
        let is_str = ph.spec.is_empty() && is_str(f.value_ty());
        let method = if f.role == Role::Image {
            quote!(inline_image)
        } else if f.attrs.raw.is_some() {
            quote!(raw)
        } else {
            match (is_str, mid_line) {
                (true, true) => quote!(text_str_mid_line),
                (true, false) => quote!(text_str),
                (false, true) => quote!(text_mid_line),
                (false, false) => quote!(text),
            }
        };
        let call = |v: &TokenStream| {
            let v = with_spec(f, ph, v);
            quote_spanned!(f.span=> __ding_body.#method(#v);)
        };
        self.with_value(f, call)
    }

    fn markdown(&self) -> TokenStream {
        let p = self.p;
        let at = self.at();
        quote! {
            let __ding_msg = #p::Markdown::new(__ding_title, __ding_text);
            #at
            #p::Message::Markdown(__ding_msg)
        }
    }

    // ----- text -----

    /// `let __ding_text = ...;` for a text message.
    fn text_body(&self) -> TokenStream {
        let m = self.m;
        let mut code = TokenStream::new();
        let mut capacity = 16;
        if let Some(body) = &m.attrs.body {
            let template = &body.value;
            capacity += template.literal_len() + 16 * template.placeholders().count();
            for piece in &template.pieces {
                code.extend(match piece {
                    Piece::Lit(text) => quote!(__ding_body.push(#text);),
                    Piece::Field(ph) => match self.field_of(ph) {
                        Some(f) => {
                            let call = |v: &TokenStream| {
                                let v = with_spec(f, ph, v);
                                quote_spanned!(f.span=> __ding_body.text(#v);)
                            };
                            self.with_value(f, call)
                        }
                        None => TokenStream::new(),
                    },
                });
            }
        } else {
            code.extend(quote!(__ding_body.title(&__ding_title);));
            for f in m.fields.iter().filter(|f| m.in_default_body(f)) {
                let prefix = format!("{}: ", f.label().unwrap_or_default());
                capacity += prefix.len() + 16;
                let is_str = is_str(f.value_ty());
                let call = |v: &TokenStream| {
                    if is_str {
                        quote_spanned!(f.span=> __ding_body.field_str(#prefix, #v);)
                    } else {
                        quote_spanned!(f.span=> __ding_body.field(#prefix, #v);)
                    }
                };
                code.extend(self.with_value(f, call));
            }
        }
        self.body(quote!(Plain), quote!(#capacity), code)
    }

    fn text(&self) -> TokenStream {
        let p = self.p;
        let at = self.at();
        quote! {
            let __ding_msg = #p::Text::new(__ding_text);
            #at
            #p::Message::Text(__ding_msg)
        }
    }

    // ----- action card -----

    fn action_card(&self) -> TokenStream {
        let p = self.p;
        let m = self.m;
        let mut code = quote!(let __ding_card = #p::ActionCard::new(__ding_title, __ding_text););
        for f in &m.fields {
            let add = match &f.role {
                Role::Button(label) => {
                    let call = |v: &TokenStream| quote_spanned!(f.span=> __ding_card.button(#label, #p::to_string(#v)));
                    self.optional_button(f, call)
                }
                Role::SingleButton(label) => {
                    let call = |v: &TokenStream| quote_spanned!(f.span=> __ding_card.single_button(#label, #p::to_string(#v)));
                    self.optional_button(f, call)
                }
                Role::Buttons => {
                    let binding = binding(f);
                    quote_spanned!(f.span=> #p::buttons(__ding_card, #binding))
                }
                _ => continue,
            };
            code.extend(quote!(let __ding_card = #add;));
        }
        if let Some(o) = &m.attrs.orientation {
            let variant = match o.value {
                Orientation::Horizontal => quote!(Horizontal),
                Orientation::Vertical => quote!(Vertical),
            };
            code.extend(
                quote!(let __ding_card = __ding_card.orientation(#p::Orientation::#variant);),
            );
        }
        if m.attrs.hide_avatar.is_some() {
            code.extend(quote!(let __ding_card = __ding_card.hide_avatar(true);));
        }
        quote! {
            #code
            #p::Message::ActionCard(__ding_card)
        }
    }

    /// A button from a URL field; an `Option` field adds none for `None`.
    fn optional_button(
        &self,
        f: &Field,
        call: impl Fn(&TokenStream) -> TokenStream,
    ) -> TokenStream {
        let binding = binding(f);
        if f.option_inner.is_some() {
            let value = value_binding(f);
            let add = call(&quote!(#value));
            quote! {
                match #binding {
                    ::core::option::Option::Some(#value) => #add,
                    ::core::option::Option::None => __ding_card,
                }
            }
        } else {
            call(&quote!(#binding))
        }
    }

    // ----- helpers -----

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

/// `__ding_<index>`, spanned at the field.
fn binding(f: &Field) -> Ident {
    format_ident!("__ding_{}", f.index, span = f.span)
}

/// The value inside an `Option` field, spanned at the field.
fn value_binding(f: &Field) -> Ident {
    format_ident!("__ding_value_{}", f.index, span = f.span)
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

/// Escapes a label as `dingbot::markdown::escape` would escape it at the start of a line,
/// so the `**Label**: ` prefix is built once, at compile time.
pub fn escape_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 4);
    let mut chars = label.chars().peekable();
    match label.chars().next() {
        Some('#' | '-' | '+' | '=') => out.push('\\'),
        Some(c) if c.is_ascii_digit() => {
            let digits = label.chars().take_while(char::is_ascii_digit).count();
            for _ in 0..digits {
                if let Some(d) = chars.next() {
                    out.push(d);
                }
            }
            if matches!(chars.peek(), Some('.' | ')')) {
                out.push('\\');
            }
        }
        _ => {}
    }
    for c in chars {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200B}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_label;

    #[test]
    fn labels_are_escaped_like_markdown_escape() {
        assert_eq!(escape_label("Customer id"), "Customer id");
        assert_eq!(escape_label("# of items"), "\\# of items");
        assert_eq!(escape_label("- delta"), "\\- delta");
        assert_eq!(escape_label("1. step"), "1\\. step");
        assert_eq!(escape_label("12) step"), "12\\) step");
        assert_eq!(escape_label("2024 sales"), "2024 sales");
        assert_eq!(escape_label("P&L *net*"), "P\\&L \\*net\\*");
        assert_eq!(escape_label("mail@host"), "mail@\u{200B}host");
        assert_eq!(escape_label("a # b"), "a # b");
    }
}
