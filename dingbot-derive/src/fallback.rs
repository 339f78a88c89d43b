//! What the derive emits when the input has errors: the errors, and a stub
//! `impl DingMessage` so that code using the type does not add errors of its own.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

pub fn expand(input: &DeriveInput, krate: &TokenStream, error: &syn::Error) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let error = error.to_compile_error();
    quote! {
        #error

        #[automatically_derived]
        impl #impl_generics #krate::__private::DingMessage for #ident #ty_generics #where_clause {
            fn to_message(&self) -> #krate::__private::Message {
                ::core::unreachable!()
            }
        }
    }
}
