//! What the derives emit when the input has errors: the errors, and stub impls
//! (`DingMessage` and `Flatten`, or `DingItem`) so that code using the type does not add
//! errors of its own.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub fn expand(input: &DeriveInput, krate: &TokenStream, error: &syn::Error) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let error = error.to_compile_error();
    quote! {
        #error

        const _: () = {
            use #krate::__private as __ding;

            #[automatically_derived]
            impl #impl_generics __ding::DingMessage for #ident #ty_generics #where_clause {
                fn to_message(&self) -> __ding::Message {
                    ::core::unreachable!()
                }
            }

            // So that a `flatten` field of this type adds no error of its own.
            #[automatically_derived]
            impl #impl_generics __ding::Flatten for #ident #ty_generics #where_clause {
                fn write_fields(&self, _: &mut __ding::Body) {
                    ::core::unreachable!()
                }
            }
        };
    }
}

/// [`expand`] for `#[derive(DingItem)]`: the errors, and a stub `impl DingItem`.
pub fn expand_item(input: &DeriveInput, krate: &TokenStream, error: &syn::Error) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let error = error.to_compile_error();
    quote! {
        #error

        const _: () = {
            use #krate::__private as __ding;

            #[automatically_derived]
            impl #impl_generics __ding::DingItem for #ident #ty_generics #where_clause {
                fn write_item(&self, _: &mut __ding::ItemWriter<'_>) {
                    ::core::unreachable!()
                }
            }
        };
    }
}
