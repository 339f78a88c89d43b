//! An action card: its buttons, their orientation and the avatar setting.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{Gen, binding, to_string, value_binding};
use crate::ast::Field;
use crate::model::{Orientation, Role};

impl Gen<'_, '_> {
    pub(super) fn action_card(&self) -> TokenStream {
        let p = self.p;
        let m = self.m;
        let mut code = quote!(let __ding_card = #p::ActionCard::new(__ding_title, __ding_text););
        for f in &m.fields {
            let add = match &f.role {
                Role::Button(label) => {
                    let call = |v: &TokenStream| {
                        let url = to_string(p, f, v);
                        quote_spanned!(f.span=> __ding_card.button(#label, #url))
                    };
                    self.optional_button(f, call)
                }
                Role::SingleButton(label) => {
                    let call = |v: &TokenStream| {
                        let url = to_string(p, f, v);
                        quote_spanned!(f.span=> __ding_card.single_button(#label, #url))
                    };
                    self.optional_button(f, call)
                }
                Role::Buttons => {
                    let binding = binding(f);
                    let add = quote_spanned!(f.span=> #p::ButtonList::add_buttons(#binding, &mut __ding_buttons));
                    quote!({
                        let mut __ding_buttons: #p::Vec<#p::Button> = #p::Vec::new();
                        #add;
                        __ding_card.buttons_from(__ding_buttons)
                    })
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
}
