//! The generated `impl DingCommand`: the commands as data, and a value built from the
//! matched words.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::{Arg, Command, Kind, Shape, last_ident};

pub fn expand(ident: &syn::Ident, krate: &TokenStream, commands: &[Command]) -> TokenStream {
    let c = quote!(#krate::command);
    let specs = commands.iter().map(|command| {
        let (name, about) = (&command.name, &command.about);
        let aliases = &command.aliases;
        let args = command.args.iter().map(|arg| {
            let (name, about) = (&arg.name, &arg.about);
            let kind = match arg.kind {
                Kind::Positional => quote!(#c::ArgKind::Positional),
                Kind::Flag => quote!(#c::ArgKind::Flag),
                Kind::Switch => quote!(#c::ArgKind::Switch),
            };
            let required = arg.required();
            let many = arg.shape == Shape::Many;
            let default = match &arg.default {
                Some(d) => quote!(::core::option::Option::Some(#d)),
                None => quote!(::core::option::Option::None),
            };
            quote! {
                #c::ArgSpec { name: #name, about: #about, kind: #kind, required: #required, many: #many, default: #default }
            }
        });
        quote! {
            #c::CommandSpec { name: #name, aliases: &[#(#aliases),*], about: #about, args: &[#(#args),*] }
        }
    });
    let count = commands.len();
    let arms = commands.iter().enumerate().map(|(i, command)| {
        let variant = &command.ident;
        let fields = command.args.iter().enumerate().map(|(j, arg)| {
            let field = &arg.ident;
            let value = value(&c, j, arg);
            quote!(#field: #value)
        });
        let pattern = if i + 1 == count {
            quote!(_)
        } else {
            quote!(#i)
        };
        let build = if command.args.is_empty() {
            quote!(Self::#variant {})
        } else {
            quote!(Self::#variant { #(#fields),* })
        };
        quote!(#pattern => ::core::result::Result::Ok(#build))
    });
    let parses = commands
        .iter()
        .flat_map(|c| &c.args)
        .any(|a| a.kind != Kind::Switch && a.with.is_none() && !is_duration(&a.value_ty));
    let check = parses.then(|| arg_check(&c));
    quote! {
        const _: () = {
        #check

        #[automatically_derived]
        impl #krate::DingCommand for #ident {
            fn commands() -> &'static [#c::CommandSpec] {
                const COMMANDS: &[#c::CommandSpec] = &[#(#specs),*];
                COMMANDS
            }

            fn from_matched(
                index: usize,
                matched: &#c::Matched,
            ) -> ::core::result::Result<Self, #c::CommandError> {
                let _ = matched;
                match index {
                    #(#arms,)*
                }
            }
        }
        };
    }
}

/// `DingArg`: a type parsed from a word with its `FromStr`, whose error, when it has
/// none, says what to do.
fn arg_check(c: &TokenStream) -> TokenStream {
    quote! {
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot be parsed from a word: it does not implement `std::str::FromStr` (with an error that is `Display`)",
            label = "not `FromStr`",
            note = "implement `FromStr` for it, or parse it with #[ding(with = path)], a `fn(&str) -> Result<T, E>` where `E: Display`"
        )]
        trait DingArg: Sized {
            fn parse_arg(word: &str) -> ::core::result::Result<Self, ::std::string::String>;
        }

        #[diagnostic::do_not_recommend]
        impl<T> DingArg for T
        where
            T: ::core::str::FromStr,
            <T as ::core::str::FromStr>::Err: ::core::fmt::Display,
        {
            fn parse_arg(word: &str) -> ::core::result::Result<Self, ::std::string::String> {
                #c::from_str::<T>(word)
            }
        }
    }
}

fn is_duration(ty: &syn::Type) -> bool {
    last_ident(ty).is_some_and(|i| i == "Duration")
}

/// The expression reading argument `j` from `matched`.
fn value(c: &TokenStream, j: usize, arg: &Arg) -> TokenStream {
    if arg.kind == Kind::Switch {
        return quote!(matched.switch(#j));
    }
    let ty = &arg.value_ty;
    let parse = match &arg.with {
        Some(path) => quote_spanned! {path.span()=>
            |word: &str| #path(word).map_err(|e| ::std::string::ToString::to_string(&e))
        },
        None if is_duration(ty) => quote_spanned!(arg.span=> #c::parse_duration),
        None => quote_spanned!(arg.span=> <#ty as DingArg>::parse_arg),
    };
    let read = match arg.shape {
        Shape::One => quote!(one),
        Shape::Optional => quote!(opt),
        Shape::Many => quote!(many),
    };
    quote_spanned!(arg.span=> matched.#read(#j, #parse)?)
}
