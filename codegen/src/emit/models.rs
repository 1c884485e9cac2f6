//! Models: one struct or enum per named type.

use super::{doc_attrs, doc_text, field_type, rust_type, spec_doc, Ctx};
use crate::ir::{Alternative, Enum, Field, Presence, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn type_def(t: &TypeDef, ctx: &Ctx) -> TokenStream {
    let where_from = format!("Schema `{}` (`#{}`).", t.schema_name, t.pointer);
    let spec = t.doc.as_deref().map(spec_doc);
    let doc = doc_attrs(&doc_text(&[spec.as_deref(), Some(&where_from)]));
    let name = format_ident!("{}", t.name);
    match &t.kind {
        TypeKind::Struct(s) => structure(&name, &doc, s, ctx),
        TypeKind::Enum(e) => enumeration(&name, &doc, e, ctx),
        TypeKind::Union(alts) => union(&name, &doc, alts, ctx),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, ctx);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn field_has_default(f: &Field) -> bool {
    f.presence != Presence::Required || !matches!(f.ty, TypeRef::Named(_))
}

fn structure(name: &proc_macro2::Ident, doc: &TokenStream, s: &Struct, ctx: &Ctx) -> TokenStream {
    let derive_default = s.fields.iter().all(field_has_default);
    let default = if derive_default {
        quote!(Default,)
    } else {
        quote!()
    };
    let eq = if s.eq { quote!(Eq,) } else { quote!() };
    let fields = s.fields.iter().map(|f| field(f, ctx));
    let extra = if s.keep_additional {
        quote! {
            /// Properties the spec does not list, kept as received so that nothing is lost
            /// and they serialize back unchanged.
            pub additional_properties: serde_json::Map<std::string::String, serde_json::Value>,
        }
    } else {
        quote!()
    };
    let mut consts = Vec::new();
    let mut accessors = Vec::new();
    for f in &s.fields {
        let fname = format_ident!("{}", f.rust_name);
        if let Some(v) = &f.const_value {
            let cname = format_ident!(
                "{}_FIXED",
                f.rust_name.trim_end_matches('_').to_ascii_uppercase()
            );
            let d = format!(
                " The fixed value of [`{name}::{}`](Self::{}): `{v}`.",
                f.rust_name, f.rust_name
            );
            consts.push(quote! {
                #[doc = #d]
                pub const #cname: &'static str = #v;
            });
        }
        if f.ty == TypeRef::JsonString {
            let acc = format_ident!("{}_json", f.rust_name.trim_end_matches('_'));
            let d = format!(
                " Parses `{}`, a JSON document carried inside a string.",
                f.wire_name
            );
            let none_doc = " `None` when the field is absent (or null).";
            let body = match f.presence {
                Presence::Required => quote! {
                    #[doc = #d]
                    pub fn #acc(&self) -> std::result::Result<serde_json::Value, serde_json::Error> {
                        serde_json::from_str(&self.#fname)
                    }
                },
                Presence::OptionalNullable => quote! {
                    #[doc = #d]
                    #[doc = #none_doc]
                    pub fn #acc(&self) -> std::option::Option<std::result::Result<serde_json::Value, serde_json::Error>> {
                        self.#fname.as_ref().and_then(|v| v.as_deref()).map(serde_json::from_str)
                    }
                },
                _ => quote! {
                    #[doc = #d]
                    #[doc = #none_doc]
                    pub fn #acc(&self) -> std::option::Option<std::result::Result<serde_json::Value, serde_json::Error>> {
                        self.#fname.as_deref().map(serde_json::from_str)
                    }
                },
            };
            accessors.push(body);
        }
    }
    let imp = if consts.is_empty() && accessors.is_empty() {
        quote!()
    } else {
        quote! {
            impl #name {
                #(#consts)*
                #(#accessors)*
            }
        }
    };
    let serde_impls = super::serde_impls::struct_impls(name, s, ctx);
    let allow = super::allow_deep_nesting(&s.fields, false);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq #default)]
        #allow
        pub struct #name {
            #(#fields)*
            #extra
        }
        #imp
        #serde_impls
    }
}

fn field(f: &Field, ctx: &Ctx) -> TokenStream {
    let name = format_ident!("{}", f.rust_name);
    let base = field_type(f, ctx);
    let mut notes = vec![format!("Wire name: `{}`.", f.wire_name)];
    if !f.aliases.is_empty() {
        let list: Vec<String> = f.aliases.iter().map(|a| format!("`{a}`")).collect();
        notes.push(format!("Also accepted on input: {}.", list.join(", ")));
    }
    if !f.tolerated.is_empty() {
        let list: Vec<String> = f.tolerated.iter().map(|a| format!("`{a}`")).collect();
        notes.push(format!(
            "Tolerated on input, though the docs do not state it: {}.",
            list.join(", ")
        ));
    }
    if let Some(v) = &f.const_value {
        notes.push(format!("Fixed value: `{v}`."));
    }
    match &f.ty {
        TypeRef::BooleanString => {
            notes.push("Carried on the wire as the string `\"true\"` or `\"false\"`.".into())
        }
        TypeRef::JsonString => {
            notes.push("A JSON document inside a string; see the `_json` accessor.".into())
        }
        TypeRef::DateTime => notes.push("RFC 3339 date-time.".into()),
        _ => {}
    }
    match f.presence {
        Presence::Required => notes.push("Required.".into()),
        Presence::RequiredNullable => notes.push("Required; `None` is an explicit `null`.".into()),
        Presence::OptionalNullable => {
            notes.push("`None`: absent; `Some(None)`: explicitly `null`.".into())
        }
        Presence::Optional => {}
    }
    let notes = notes.join(" ");
    let spec = f.doc.as_deref().map(spec_doc);
    let doc = doc_attrs(&doc_text(&[spec.as_deref(), Some(&notes)]));
    let ty = match f.presence {
        Presence::Required => base,
        Presence::RequiredNullable | Presence::Optional => quote!(std::option::Option<#base>),
        Presence::OptionalNullable => quote!(std::option::Option<std::option::Option<#base>>),
    };
    quote! {
        #doc
        pub #name: #ty,
    }
}

/// How a string enum is read: open, `From<&str>`/`From<String>` that never fail and a
/// lenient `Deserialize`; closed, a `Deserialize` that refuses unlisted values.
fn reading_impls(
    name: &proc_macro2::Ident,
    e: &Enum,
    wires: &[&str],
    idents: &[proc_macro2::Ident],
    ctx: &Ctx,
) -> TokenStream {
    let rt = &ctx.rt;
    let from_str_fallback = quote!(other => Self::Unrecognized(other.to_owned()),);
    if e.open {
        quote! {
            impl std::convert::From<&str> for #name {
                /// Never fails: a value the spec does not list becomes [`Self::Unrecognized`].
                fn from(value: &str) -> Self {
                    match value {
                        #(#wires => Self::#idents,)*
                        #from_str_fallback
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
    } else {
        let expected = format!("one of {}", wires.join(", "));
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                    #rt::serde_helpers::closed_enum(deserializer, #expected)
                }
            }
        }
    }
}

fn enumeration(name: &proc_macro2::Ident, doc: &TokenStream, e: &Enum, ctx: &Ctx) -> TokenStream {
    if e.integer {
        return integer_enumeration(name, doc, e, ctx);
    }
    let rt = &ctx.rt;
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let idents: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let variant_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| {
            if v.rust_name == "Unknown" {
                format!(
                    " `{}`: a value the spec documents (not the same as [`Self::Unrecognized`]).",
                    v.wire
                )
            } else {
                format!(" `{}`", v.wire)
            }
        })
        .collect();
    let (unrecognized, unrecognized_as_str, is_known) = if e.open {
        (
            quote! {
                /// A value the spec does not list, kept exactly as received; it serializes back unchanged.
                Unrecognized(std::string::String),
            },
            quote!(Self::Unrecognized(v) => v.as_str(),),
            quote!(!matches!(self, Self::Unrecognized(_))),
        )
    } else {
        (quote!(), quote!(), quote!(true))
    };
    let open_impls = reading_impls(name, e, &wires, &idents, ctx);
    let terminal_impl = terminal_impl(name, e, ctx);
    let open_note = if e.open {
        " Open enum: values the spec does not list are kept in [`Self::Unrecognized`]."
    } else {
        ""
    };
    let declaration = enum_declaration(name, doc, open_note, &idents, &variant_docs, unrecognized);
    quote! {
        #declaration

        impl #name {
            /// Every value the spec documents, in its order.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    #unrecognized_as_str
                }
            }

            /// Whether the value is one the spec documents.
            pub fn is_known(&self) -> bool {
                #is_known
            }
        }

        impl std::str::FromStr for #name {
            type Err = #rt::UnknownEnumValue;
            /// Strict parse: only documented values.
            fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
                match value {
                    #(#wires => Ok(Self::#idents),)*
                    other => Err(#rt::UnknownEnumValue::new(stringify!(#name), other)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #open_impls

        #terminal_impl

        impl #rt::ParamValue for #name {
            fn to_param(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    }
}

fn union(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    alts: &[Alternative],
    ctx: &Ctx,
) -> TokenStream {
    let idents: Vec<_> = alts
        .iter()
        .map(|a| format_ident!("{}", a.rust_name))
        .collect();
    let types: Vec<TokenStream> = alts
        .iter()
        .map(|a| {
            let ty = rust_type(&a.ty, ctx);
            if a.boxed {
                quote!(std::boxed::Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let docs: Vec<String> = alts
        .iter()
        .enumerate()
        .map(|(i, _)| format!(" Alternative {} of the spec.", i + 1))
        .collect();
    quote! {
        #doc
        #[doc = ""]
        #[doc = " One of several shapes: read by trying each alternative in the spec's order; a value that fits none is kept in [`Self::Other`]."]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(
                #[doc = #docs]
                #idents(#types),
            )*
            /// A value that none of the alternatives reads, kept as received; it serializes back unchanged.
            Other(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#idents(v) => serde::Serialize::serialize(v, serializer),)*
                    Self::Other(v) => serde::Serialize::serialize(v, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #(
                    if let Ok(v) = <#types as serde::Deserialize>::deserialize(&value) {
                        return Ok(Self::#idents(v));
                    }
                )*
                Ok(Self::Other(value))
            }
        }
    }
}

/// An integer enum: numbers on the wire; open ones keep an unlisted number.
fn integer_enumeration(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    e: &Enum,
    ctx: &Ctx,
) -> TokenStream {
    let rt = &ctx.rt;
    let numbers: Vec<proc_macro2::Literal> = e
        .variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.wire.parse().unwrap_or_default()))
        .collect();
    let idents: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let variant_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", v.wire))
        .collect();
    let expected = format!(
        "one of {}",
        e.variants
            .iter()
            .map(|v| v.wire.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (unrecognized, to_i64_other, from_other, is_known, open_note) = if e.open {
        (
            quote! {
                /// A number the spec does not list, kept as received; it serializes back unchanged.
                Unrecognized(i64),
            },
            quote!(Self::Unrecognized(v) => *v,),
            quote!(other => Ok(Self::Unrecognized(other)),),
            quote!(!matches!(self, Self::Unrecognized(_))),
            " Open enum: numbers the spec does not list are kept in [`Self::Unrecognized`].",
        )
    } else {
        (
            quote!(),
            quote!(),
            quote!(other => Err(other),),
            quote!(true),
            "",
        )
    };
    let terminal_impl = terminal_impl(name, e, ctx);
    let declaration = enum_declaration(name, doc, open_note, &idents, &variant_docs, unrecognized);
    quote! {
        #declaration

        impl #name {
            /// Every value the spec documents, in its order.
            pub const VALUES: &'static [i64] = &[#(#numbers),*];

            /// The number sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #(Self::#idents => #numbers,)*
                    #to_i64_other
                }
            }

            /// Whether the value is one the spec documents.
            pub fn is_known(&self) -> bool {
                #is_known
            }

            /// The value for a number: `Err(number)` only for a closed enum that does not list it.
            pub fn from_i64(number: i64) -> std::result::Result<Self, i64> {
                match number {
                    #(#numbers => Ok(Self::#idents),)*
                    #from_other
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = #rt::UnknownEnumValue;
            /// Strict parse: only documented values.
            fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
                match value.parse::<i64>().map(Self::from_i64) {
                    Ok(Ok(v)) if v.is_known() => Ok(v),
                    _ => Err(#rt::UnknownEnumValue::new(stringify!(#name), value)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let number = <i64 as serde::Deserialize>::deserialize(deserializer)?;
                Self::from_i64(number).map_err(|n| {
                    <D::Error as serde::de::Error>::invalid_value(serde::de::Unexpected::Signed(n), &#expected)
                })
            }
        }

        #terminal_impl

        impl #rt::ParamValue for #name {
            fn to_param(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Owned(self.as_i64().to_string())
            }
        }
    }
}

/// `TERMINAL` and the `Terminal` impl of an enum that lists `x-terminal` values (nothing else).
fn terminal_impl(name: &proc_macro2::Ident, e: &Enum, ctx: &Ctx) -> TokenStream {
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
fn enum_declaration(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    open_note: &str,
    idents: &[proc_macro2::Ident],
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
