//! Models: one struct or enum per named type.

use super::{doc_attrs, doc_text, field_type, rust_type, spec_doc, Ctx};
use crate::ir::{Alternative, Field, Presence, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn type_def(t: &TypeDef, ctx: &Ctx) -> TokenStream {
    let where_from = format!("Schema `{}` (`#{}`).", t.schema_name, t.pointer);
    let spec = t.doc.as_deref().map(spec_doc);
    let doc = doc_attrs(&doc_text(&[spec.as_deref(), Some(&where_from)]));
    let name = format_ident!("{}", t.name);
    match &t.kind {
        TypeKind::Struct(s) => structure(&name, &doc, s, ctx),
        TypeKind::Enum(e) => super::enums::enumeration(&name, &doc, e, ctx),
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
    let ctor = if derive_default {
        quote!()
    } else {
        constructor(name, s, ctx)
    };
    let imp = if consts.is_empty() && accessors.is_empty() && ctor.is_empty() {
        quote!()
    } else {
        quote! {
            impl #name {
                #ctor
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
        #[non_exhaustive]
        #allow
        pub struct #name {
            #(#fields)*
            #extra
        }
        #imp
        #serde_impls
    }
}

/// `new()` of a model that cannot derive `Default` (a required field of a named type): it takes
/// those fields; every other field starts empty (`None`, empty, zero). Models are
/// `#[non_exhaustive]`, so this (or `Default`) is how users build one.
fn constructor(name: &proc_macro2::Ident, s: &Struct, ctx: &Ctx) -> TokenStream {
    let takes = |f: &Field| f.presence == Presence::Required && matches!(f.ty, TypeRef::Named(_));
    let args = s.fields.iter().filter(|f| takes(f)).map(|f| {
        let name = format_ident!("{}", f.rust_name);
        let ty = field_type(f, ctx);
        quote!(#name: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let name = format_ident!("{}", f.rust_name);
        if takes(f) {
            quote!(#name,)
        } else {
            quote!(#name: std::default::Default::default(),)
        }
    });
    let extra = if s.keep_additional {
        quote!(additional_properties: serde_json::Map::new(),)
    } else {
        quote!()
    };
    let many = if s.fields.iter().filter(|f| takes(f)).count() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    // A type called `New` (a schema named `new`): its constructor is still `new`.
    let self_named = if name == "New" {
        quote!(#[allow(clippy::self_named_constructors)])
    } else {
        quote!()
    };
    quote! {
        /// A value with the fields that have no default; every other field starts empty
        /// (`None`, empty, zero) and can be set afterwards.
        #many
        #self_named
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* #extra }
        }
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
        #[non_exhaustive]
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
