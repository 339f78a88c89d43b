//! Who a markdown or text message mentions: the ids collected from `at_mobiles` and
//! `at_user_ids` fields, and `at_all`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::generator::{Gen, binding};
use crate::ast::Field;
use crate::model::Role;

impl Gen<'_, '_> {
    /// Collects `at_mobiles` and `at_user_ids` into `__ding_mobiles` / `__ding_user_ids`.
    pub fn mentions(&self) -> TokenStream {
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
                quote_spanned!(f.span=> #p::MentionList::add_mentions(#binding, &mut #list);)
            });
            code.extend(quote! {
                let mut #list: #p::Vec<#p::String> = #p::Vec::new();
                #(#adds)*
            });
        }
        code
    }

    pub fn has_role(&self, role: &Role) -> bool {
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
    pub fn body(
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
    pub fn at(&self) -> TokenStream {
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
}
