//! Enums, string or integer, open or closed, from one emitter: what differs between a string
//! and an integer enum is its wire form ([`WireForm`]), chosen once.

use super::Ctx;
use crate::ir::Enum;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The pieces of an enum that depend on whether its wire values are strings or integers.
struct WireForm {
    /// The type of `VALUES` items (`&'static str`, `i64`).
    value_ty: TokenStream,
    /// Each documented value as a literal.
    values: Vec<TokenStream>,
    /// The catch-all variant of an open enum (empty when closed).
    unrecognized: TokenStream,
    /// The note on the type's doc of an open enum.
    open_note: &'static str,
    /// The accessor of the wire value: its doc, name, return type and the catch-all's arm.
    accessor: (&'static str, Ident, TokenStream, TokenStream),
    /// Methods besides the accessor and `is_known` (`from_i64`).
    extra_methods: TokenStream,
    /// The body of the strict `FromStr::from_str`.
    from_str: TokenStream,
    /// The body of `Display::fmt`.
    display: TokenStream,
    /// `AsRef<str>` (string enums).
    as_ref: TokenStream,
    /// The body of `Serialize::serialize`.
    serialize: TokenStream,
    /// How values are read: `Deserialize`, and the infallible `From` of an open string enum.
    reading: TokenStream,
    /// The body of `ParamValue::to_param`.
    to_param: TokenStream,
}

/// A named enum: its declaration, documented values, strict and lenient reading, writing, the
/// `x-terminal` values and its use as a parameter.
pub(super) fn enumeration(name: &Ident, doc: &TokenStream, e: &Enum, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let idents: Vec<Ident> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let variant_docs = variant_docs(e);
    let w = if e.integer {
        integer_form(name, e, &idents, ctx)
    } else {
        text_form(name, e, &idents, ctx)
    };
    let WireForm {
        value_ty,
        values,
        unrecognized,
        open_note,
        accessor: (accessor_doc, accessor, accessor_ty, catch_all_arm),
        extra_methods,
        from_str,
        display,
        as_ref,
        serialize,
        reading,
        to_param,
    } = w;
    let is_known = if e.open {
        quote!(!matches!(self, Self::Unrecognized(_)))
    } else {
        quote!(true)
    };
    let declaration = declaration(name, doc, open_note, &idents, &variant_docs, unrecognized);
    let terminal = terminal_impl(name, e, ctx);
    quote! {
        #declaration

        impl #name {
            /// Every value the spec documents, in its order.
            pub const VALUES: &'static [#value_ty] = &[#(#values),*];

            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #accessor_ty {
                match self {
                    #(Self::#idents => #values,)*
                    #catch_all_arm
                }
            }

            /// Whether the value is one the spec documents.
            pub fn is_known(&self) -> bool {
                #is_known
            }

            #extra_methods
        }

        impl std::str::FromStr for #name {
            type Err = #rt::UnknownEnumValue;
            /// Strict parse: only documented values.
            fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
                #from_str
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        #as_ref

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                #serialize
            }
        }

        #reading

        #terminal

        impl #rt::ParamValue for #name {
            fn to_param(&self) -> std::borrow::Cow<'_, str> {
                #to_param
            }
        }
    }
}

fn variant_docs(e: &Enum) -> Vec<String> {
    e.variants
        .iter()
        .map(|v| {
            if !e.integer && v.rust_name == "Unknown" {
                format!(
                    " `{}`: a value the spec documents (not the same as [`Self::Unrecognized`]).",
                    v.wire
                )
            } else {
                format!(" `{}`", v.wire)
            }
        })
        .collect()
}

/// A string enum's wire form: `as_str`, `From<&str>` when open.
fn text_form(name: &Ident, e: &Enum, idents: &[Ident], ctx: &Ctx) -> WireForm {
    let rt = &ctx.rt;
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let (unrecognized, catch_all_arm, open_note) = if e.open {
        (
            quote! {
                /// A value the spec does not list, kept exactly as received; it serializes back unchanged.
                Unrecognized(std::string::String),
            },
            quote!(Self::Unrecognized(v) => v.as_str(),),
            " Open enum: values the spec does not list are kept in [`Self::Unrecognized`].",
        )
    } else {
        (quote!(), quote!(), "")
    };
    WireForm {
        value_ty: quote!(&'static str),
        values: wires.iter().map(|w| quote!(#w)).collect(),
        unrecognized,
        open_note,
        accessor: (
            " The value as it is written on the wire.",
            format_ident!("as_str"),
            quote!(&str),
            catch_all_arm,
        ),
        extra_methods: quote!(),
        from_str: quote! {
            match value {
                #(#wires => Ok(Self::#idents),)*
                other => Err(#rt::UnknownEnumValue::new(stringify!(#name), other)),
            }
        },
        display: quote!(f.write_str(self.as_str())),
        as_ref: quote! {
            impl std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }
        },
        serialize: quote!(serializer.serialize_str(self.as_str())),
        reading: text_reading(name, e, &wires, idents, ctx),
        to_param: quote!(std::borrow::Cow::Borrowed(self.as_str())),
    }
}

/// How a string enum is read: open, `From<&str>`/`From<String>` that never fail and a
/// lenient `Deserialize`; closed, a `Deserialize` that refuses unlisted values.
fn text_reading(
    name: &Ident,
    e: &Enum,
    wires: &[&str],
    idents: &[Ident],
    ctx: &Ctx,
) -> TokenStream {
    let rt = &ctx.rt;
    if !e.open {
        let expected = format!("one of {}", wires.join(", "));
        return quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                    #rt::serde_helpers::closed_enum(deserializer, #expected)
                }
            }
        };
    }
    quote! {
        impl std::convert::From<&str> for #name {
            /// Never fails: a value the spec does not list becomes [`Self::Unrecognized`].
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl std::convert::From<std::string::String> for #name {
            fn from(value: std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unrecognized(_) => Self::Unrecognized(value),
                    known => known,
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                #rt::serde_helpers::open_enum(deserializer)
            }
        }
    }
}

/// An integer enum's wire form: `as_i64` and `from_i64`.
fn integer_form(name: &Ident, e: &Enum, idents: &[Ident], ctx: &Ctx) -> WireForm {
    let rt = &ctx.rt;
    let numbers: Vec<proc_macro2::Literal> = e
        .variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.wire.parse().unwrap_or_default()))
        .collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let expected = format!("one of {}", wires.join(", "));
    let (unrecognized, catch_all_arm, from_other, open_note) = if e.open {
        (
            quote! {
                /// A number the spec does not list, kept as received; it serializes back unchanged.
                Unrecognized(i64),
            },
            quote!(Self::Unrecognized(v) => *v,),
            quote!(other => Ok(Self::Unrecognized(other)),),
            " Open enum: numbers the spec does not list are kept in [`Self::Unrecognized`].",
        )
    } else {
        (quote!(), quote!(), quote!(other => Err(other),), "")
    };
    WireForm {
        value_ty: quote!(i64),
        values: numbers.iter().map(|n| quote!(#n)).collect(),
        unrecognized,
        open_note,
        accessor: (
            " The number sent on the wire.",
            format_ident!("as_i64"),
            quote!(i64),
            catch_all_arm,
        ),
        extra_methods: quote! {
            /// The value for a number: `Err(number)` only for a closed enum that does not list it.
            pub fn from_i64(number: i64) -> std::result::Result<Self, i64> {
                match number {
                    #(#numbers => Ok(Self::#idents),)*
                    #from_other
                }
            }
        },
        from_str: quote! {
            match value.parse::<i64>().map(Self::from_i64) {
                Ok(Ok(v)) if v.is_known() => Ok(v),
                _ => Err(#rt::UnknownEnumValue::new(stringify!(#name), value)),
            }
        },
        display: quote!(std::fmt::Display::fmt(&self.as_i64(), f)),
        as_ref: quote!(),
        serialize: quote!(serializer.serialize_i64(self.as_i64())),
        reading: quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                    let number = <i64 as serde::Deserialize>::deserialize(deserializer)?;
                    Self::from_i64(number).map_err(|n| {
                        <D::Error as serde::de::Error>::invalid_value(serde::de::Unexpected::Signed(n), &#expected)
                    })
                }
            }
        },
        to_param: quote!(std::borrow::Cow::Owned(self.as_i64().to_string())),
    }
}

/// `TERMINAL` and the `Terminal` impl of an enum that lists `x-terminal` values (nothing else).
fn terminal_impl(name: &Ident, e: &Enum, ctx: &Ctx) -> TokenStream {
    if e.terminal.is_empty() {
        return quote!();
    }
    let rt = &ctx.rt;
    let idents: Vec<_> = e
        .terminal
        .iter()
        .filter_map(|t| e.variants.iter().find(|v| &v.wire == t))
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let list = &e.terminal;
    quote! {
        impl #name {
            /// The values after which a job no longer changes (`x-terminal`).
            pub const TERMINAL: &'static [&'static str] = &[#(#list),*];
        }

        impl #rt::Terminal for #name {
            fn is_terminal(&self) -> bool {
                matches!(self, #(Self::#idents)|*)
            }
        }
    }
}

/// The `enum` item of a string or integer enum: its documented variants, and the catch-all of an
/// open one.
fn declaration(
    name: &Ident,
    doc: &TokenStream,
    open_note: &str,
    idents: &[Ident],
    variant_docs: &[String],
    unrecognized: TokenStream,
) -> TokenStream {
    quote! {
        #doc
        #[doc = ""]
        #[doc = #open_note]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #idents,
            )*
            #unrecognized
        }
    }
}
