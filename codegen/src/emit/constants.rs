//! Module constants from the document: `AUTH` (security schemes), `ERROR_FIELDS` (the error
//! body), and the server URL helpers.

use super::{spec_doc, Ctx};
use crate::ir::{Api, TypeRef};
use crate::names::snake;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `ERROR_FIELDS`: the fields of the error body the spec declares (the first error response
/// with an object body): its code, message and request id, found by name.
pub(super) fn error_fields(api: &Api, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let body = api
        .operations
        .iter()
        .flat_map(|o| o.responses.iter())
        .filter(|r| !r.success)
        .find_map(|r| match &r.body {
            Some(TypeRef::Named(n)) => api.types.iter().find(|t| &t.name == n),
            _ => None,
        });
    let fields: Vec<String> = match body.map(|t| &t.kind) {
        Some(crate::ir::TypeKind::Struct(st)) => {
            st.fields.iter().map(|f| f.wire_name.clone()).collect()
        }
        _ => Vec::new(),
    };
    let pick = |exact: &str, words: &[&str]| {
        let lower = |f: &String| f.to_ascii_lowercase().replace(['-', '_'], "");
        fields
            .iter()
            .find(|f| f.as_str() == exact)
            .or_else(|| {
                fields
                    .iter()
                    .find(|f| words.iter().any(|w| lower(f).contains(w)))
            })
            .cloned()
    };
    let code = pick("error_code", &["code"]);
    let message = pick("error_msg", &["msg", "message"]);
    let request_id = pick("request_id", &["requestid"]);
    let opt = |v: &Option<String>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let (c, m, r) = (opt(&code), opt(&message), opt(&request_id));
    let doc = match body {
        Some(t) => format!(" The fields of the error body the spec declares (`{}`), read by every `parse_response` of this module before the spellings Huawei's SDKs also accept.", t.schema_name),
        None => " The spec declares no error body: `parse_response` reads the spellings Huawei's SDKs accept.".to_owned(),
    };
    quote! {
        #[doc = #doc]
        pub const ERROR_FIELDS: #rt::ErrorFields = #rt::ErrorFields { code: #c, message: #m, request_id: #r };
    }
}

/// `AUTH`: the spec's security schemes, for `Credentials::apply` and tools.
pub(super) fn auth(api: &Api, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let a = &api.auth;
    let mut doc = vec![if a.is_empty() {
        " How requests authenticate: the spec declares no security scheme this generator reads (`apiKey` headers).".to_owned()
    } else {
        " How requests authenticate, from the spec's security schemes (either is accepted):"
            .to_owned()
    }];
    if let Some(h) = &a.token_header {
        doc.push(format!(" - a token in `{h}`"));
    }
    if let Some(s) = &a.signing {
        doc.push(format!(
            " - AK/SK signing (scheme `{}`): the signature in `{}`, its time in `{}`, the security token of temporary credentials in `{}`",
            s.scheme, s.header, s.date_header, s.security_token_header
        ));
    }
    doc.push(String::new());
    doc.push(if a.is_empty() {
        format!(
            " [`{}::Credentials::apply`] refuses credentials for it.",
            ctx.rt_str
        )
    } else {
        format!(
            " [`{}::Credentials::apply`] sends credentials this way.",
            ctx.rt_str
        )
    });
    let token = match &a.token_header {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    let signing = match &a.signing {
        Some(s) => {
            let (h, d, t) = (&s.header, &s.date_header, &s.security_token_header);
            quote!(Some(#rt::SigningScheme { header: #h, date_header: #d, security_token_header: #t }))
        }
        None => quote!(None),
    };
    quote! {
        #(#[doc = #doc])*
        pub const AUTH: #rt::AuthSchemes = #rt::AuthSchemes { token_header: #token, signing: #signing };
    }
}

pub(super) fn server(api: &Api, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let auth_tokens = auth(api, ctx);
    let error_tokens = error_fields(api, ctx);
    let auth_tokens = quote!(#auth_tokens #error_tokens);
    let Some(server) = &api.server else {
        return auth_tokens;
    };
    let url = &server.url;
    let mut defaults = Vec::new();
    let mut args = Vec::new();
    let mut pairs = Vec::new();
    for v in &server.variables {
        let cname = format_ident!("DEFAULT_{}", snake(&v.name).to_ascii_uppercase());
        let d = &v.default;
        let doc = format!(
            " Default of the server variable `{}`.{}",
            v.name,
            v.description
                .as_deref()
                .map(|s| format!(" {}", spec_doc(s)))
                .unwrap_or_default()
        );
        defaults.push(quote! {
            #[doc = #doc]
            pub const #cname: &str = #d;
        });
        let arg = format_ident!("{}", snake(&v.name));
        let name = &v.name;
        args.push(quote!(#arg: &str));
        pairs.push(quote!((#name, #arg)));
    }
    let url_doc = format!(" The server URL template: `{url}`.");
    quote! {
        #auth_tokens

        #[doc = #url_doc]
        pub const SERVER_URL_TEMPLATE: &str = #url;
        #(#defaults)*

        /// The base URL for the given server variables. Each value must be a DNS label
        /// (letters, digits, `-`, `.`), so that it cannot change the host.
        pub fn base_url(#(#args),*) -> std::result::Result<std::string::String, #rt::RequestError> {
            #rt::expand_server(SERVER_URL_TEMPLATE, &[#(#pairs),*])
        }
    }
}
