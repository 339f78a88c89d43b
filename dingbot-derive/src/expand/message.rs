//! One message's code ([`Gen::message`]): the fields it reads, the bounds their uses
//! need, and the title, mentions and body put together by kind.

use proc_macro2::TokenStream;
use quote::quote;

use super::generator::{Gen, bindings};
use crate::ast::Field;
use crate::attr::Spanned;
use crate::generics::Bounds;
use crate::model::{Kind, Role};
use crate::template::Template;

impl Gen<'_, '_> {
    /// The field bindings (`member: __ding_i,`) and the code that returns the message.
    pub fn message(&self, bounds: &mut Bounds) -> (TokenStream, TokenStream) {
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
        let templates = [&m.attrs.title, &m.attrs.body, &m.attrs.summary]
            .into_iter()
            .flatten();
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
                    bounds.add(f.value_ty(), self.checks.flatten());
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

    /// What a `list` field of a generic type must be.
    pub fn list_bound(&self, f: &Field, bounds: &mut Bounds) {
        if f.attrs.with.is_some() {
            return; // the function's signature decides
        }
        bounds.add(f.value_ty(), self.checks.list(f.attrs.raw.is_some(), false));
    }
}
