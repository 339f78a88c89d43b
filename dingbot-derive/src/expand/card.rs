//! An action card: its buttons, their orientation and the avatar setting.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::generator::{Gen, binding, to_string, value_binding, with_spec};
use crate::ast::Field;
use crate::attr::ButtonSpec;
use crate::model::{Orientation, Role};
use crate::template::Piece;

impl Gen<'_, '_> {
    pub fn action_card(&self) -> TokenStream {
        let p = self.p;
        let m = self.m;
        let mut code = quote!(let __ding_card = #p::ActionCard::new(__ding_title, __ding_text););
        for button in &m.attrs.buttons {
            code.extend(self.templated_button(button));
        }
        for f in &m.fields {
            let opened = |url: TokenStream| match f.attrs.open.as_ref().map(|o| o.value) {
                Some(open) => {
                    let pc_slide = open.pc_slide();
                    // Only an http(s) URL is wrapped; anything else is left for the
                    // message's checks to refuse, as without `open`.
                    quote!(#p::open_url(#url, #pc_slide))
                }
                None => url,
            };
            let add = match &f.role {
                Role::Button(label) => {
                    let call = |v: &TokenStream| {
                        let url = opened(to_string(p, f, v));
                        quote_spanned!(f.span=> __ding_card.button(#label, #url))
                    };
                    self.optional_button(f, call)
                }
                Role::SingleButton(label) => {
                    let call = |v: &TokenStream| {
                        let url = opened(to_string(p, f, v));
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

    /// `button(text = "...", url = "...")`: the URL built from its template, every value
    /// percent-encoded (a `raw` one as it is); an `Option` field that is `None` leaves
    /// the button out.
    fn templated_button(&self, button: &ButtonSpec) -> TokenStream {
        let p = self.p;
        let mut build = TokenStream::new();
        let mut options = Vec::new();
        for piece in &button.url.pieces {
            match &piece {
                Piece::Lit(text) => build.extend(quote!(__ding_url.push_str(#text);)),
                Piece::Field(ph) => {
                    let Some(f) = self.field_of(ph) else { continue };
                    let value = if f.option_inner.is_some() {
                        if !options.iter().any(|o: &&Field| o.index == f.index) {
                            options.push(f);
                        }
                        let v = value_binding(f);
                        quote!(#v)
                    } else {
                        let v = binding(f);
                        quote!(#v)
                    };
                    let shown = if ph.spec.is_empty() {
                        self.shown(f, &value)
                    } else {
                        with_spec(f, ph, &self.formatted(f, &value))
                    };
                    build.extend(if f.attrs.raw.is_some() {
                        quote_spanned!(f.span=> #p::push_url_raw(&mut __ding_url, #shown);)
                    } else {
                        quote_spanned!(f.span=> #p::push_url_part(&mut __ding_url, #shown);)
                    });
                }
                Piece::Open(_) | Piece::Close(_) => {} // reported
            }
        }
        let text = &button.text;
        let capacity = button.url.literal_len() + 16;
        let url = match button.open {
            Some(open) => {
                let pc_slide = open.pc_slide();
                quote!(#p::dingtalk_link(&__ding_url, #pc_slide))
            }
            None => quote!(__ding_url),
        };
        let mut add = quote! {
            let mut __ding_url = #p::String::with_capacity(#capacity);
            #build
            __ding_card = __ding_card.button(#text, #url);
        };
        for f in options.into_iter().rev() {
            let binding = binding(f);
            let value = value_binding(f);
            add = quote! {
                if let ::core::option::Option::Some(#value) = #binding {
                    #add
                }
            };
        }
        quote! {
            let __ding_card = {
                let mut __ding_card = __ding_card;
                #add
                __ding_card
            };
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
