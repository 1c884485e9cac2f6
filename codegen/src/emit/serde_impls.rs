//! Hand-rolled `Serialize`/`Deserialize` impls for structs.
//!
//! Derives with `#[serde(flatten)]` (for the catch-all of undocumented properties) make serde
//! buffer every object and cost more to compile; these impls read each key once, accept every
//! alias, refuse two spellings of one field, and keep unknown keys, in one pass.

use super::{field_type, Ctx};
use crate::ir::{Field, Presence, Struct, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The type a field's value is read as (before it is stored in the field).
fn wire_type(f: &Field, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let base = if f.ty == TypeRef::BooleanString {
        quote!(#rt::serde_helpers::StringBool)
    } else {
        field_type(f, ctx)
    };
    if f.presence == Presence::Required {
        base
    } else {
        quote!(std::option::Option<#base>)
    }
}

pub(super) fn struct_impls(name: &Ident, s: &Struct, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let expecting = format!("a JSON object ({name})");
    let slots: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| format_ident!("slot_{}", f.rust_name))
        .collect();
    let slot_types: Vec<TokenStream> = s.fields.iter().map(|f| wire_type(f, ctx)).collect();
    let arms = s.fields.iter().zip(&slots).map(|(f, slot)| {
        let spellings: Vec<&str> = std::iter::once(f.wire_name.as_str())
            .chain(f.aliases.iter().map(String::as_str))
            .chain(f.tolerated.iter().map(String::as_str))
            .collect();
        let wire = &f.wire_name;
        quote!(#(#spellings)|* => #rt::serde_helpers::fill(&mut #slot, &mut map, #wire)?,)
    });
    let unknown = if s.keep_additional {
        quote! {
            other => {
                additional_properties.insert(other.to_owned(), map.next_value()?);
            }
        }
    } else {
        quote! {
            _ => {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
    };
    let extra_decl = if s.keep_additional {
        quote!(let mut additional_properties = serde_json::Map::new();)
    } else {
        quote!()
    };
    let extra_init = if s.keep_additional {
        quote!(additional_properties,)
    } else {
        quote!()
    };
    let inits = s
        .fields
        .iter()
        .zip(&slots)
        .map(|(f, slot)| field_init(f, slot, rt));
    let entries = s.fields.iter().map(|f| field_entry(f, rt));
    let extra_out = if s.keep_additional {
        quote! {
            for (k, v) in &self.additional_properties {
                map.serialize_entry(k, v)?;
            }
        }
    } else {
        quote!()
    };
    let ser_mut = if s.fields.is_empty() && !s.keep_additional {
        quote!()
    } else {
        quote!(mut)
    };
    let map_mut = if s.fields.is_empty() && !s.keep_additional {
        quote!(_map)
    } else {
        quote!(mut map)
    };
    let key_match = if s.fields.is_empty() && !s.keep_additional {
        quote!()
    } else if s.fields.is_empty() {
        // Nothing listed: every key is kept.
        quote! {
            while let Some(key) = map.next_key::<#rt::serde_helpers::Key<'de>>()? {
                additional_properties.insert(key.as_str().to_owned(), map.next_value()?);
            }
        }
    } else {
        quote! {
            while let Some(key) = map.next_key::<#rt::serde_helpers::Key<'de>>()? {
                match key.as_str() {
                    #(#arms)*
                    #unknown
                }
            }
        }
    };
    let allow = super::allow_deep_nesting(&s.fields, true);
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let #ser_mut map = serializer.serialize_map(None)?;
                #(#entries)*
                #extra_out
                map.end()
            }
        }

        impl #rt::serde_helpers::FromMap for #name {
            const EXPECTING: &'static str = #expecting;
            #allow
            fn from_map<'de, A: serde::de::MapAccess<'de>>(#map_mut: A) -> std::result::Result<Self, A::Error> {
                #(let mut #slots: std::option::Option<#slot_types> = None;)*
                #extra_decl
                #key_match
                Ok(Self {
                    #(#inits)*
                    #extra_init
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                #rt::serde_helpers::deserialize_struct(deserializer)
            }
        }
    }
}

/// A field of the struct built from its slot (`None` until its key was read).
fn field_init(f: &Field, slot: &Ident, rt: &TokenStream) -> TokenStream {
    let fname = format_ident!("{}", f.rust_name);
    let wire = &f.wire_name;
    let bool_string = f.ty == TypeRef::BooleanString;
    match f.presence {
        Presence::Required => {
            let take = quote!(#rt::serde_helpers::required(#slot, #wire)?);
            if bool_string {
                quote!(#fname: #take.0,)
            } else {
                quote!(#fname: #take,)
            }
        }
        Presence::RequiredNullable => {
            quote!(#fname: #rt::serde_helpers::required(#slot, #wire)?,)
        }
        Presence::OptionalNullable => quote!(#fname: #slot,),
        Presence::Optional if bool_string => quote!(#fname: #slot.flatten().map(|v| v.0),),
        Presence::Optional => quote!(#fname: #slot.flatten(),),
    }
}

/// A field written back as a map entry (absent optional fields are left out).
fn field_entry(f: &Field, rt: &TokenStream) -> TokenStream {
    let fname = format_ident!("{}", f.rust_name);
    let wire = &f.wire_name;
    let bool_string = f.ty == TypeRef::BooleanString;
    match f.presence {
        Presence::Required if bool_string => {
            quote!(map.serialize_entry(#wire, &#rt::serde_helpers::StringBool(self.#fname))?;)
        }
        Presence::Required | Presence::RequiredNullable => {
            quote!(map.serialize_entry(#wire, &self.#fname)?;)
        }
        Presence::Optional if bool_string => quote! {
            if let Some(v) = self.#fname {
                map.serialize_entry(#wire, &#rt::serde_helpers::StringBool(v))?;
            }
        },
        Presence::Optional | Presence::OptionalNullable => quote! {
            if let Some(v) = &self.#fname {
                map.serialize_entry(#wire, v)?;
            }
        },
    }
}
