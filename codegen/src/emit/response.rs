//! Response parsing: which statuses are successes, and each request type's `parse_response`.

use super::{rust_type, Ctx};
use crate::ir::{Operation, Response, StatusKey};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn status_pattern(s: StatusKey) -> TokenStream {
    match s {
        StatusKey::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusKey::Range(d) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(d * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(d * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusKey::Default => quote!(_),
    }
}

/// Responses ordered as a `match` needs them: codes, then ranges, then `default`.
pub(super) fn ordered(responses: &[Response]) -> Vec<&Response> {
    let rank = |r: &&Response| match r.status {
        StatusKey::Code(_) => 0,
        StatusKey::Range(_) => 1,
        StatusKey::Default => 2,
    };
    let mut v: Vec<&Response> = responses.iter().collect();
    v.sort_by_key(rank);
    v
}

pub(super) fn success(op: &Operation) -> Option<&Response> {
    op.responses.iter().find(|r| r.success)
}

pub(super) fn parse_fn(op: &Operation, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let ok = success(op);
    let ok_body = ok.and_then(|r| r.body.clone());
    let success_patterns: Vec<TokenStream> = op
        .responses
        .iter()
        .filter(|r| r.success && r.body == ok_body)
        .map(|r| status_pattern(r.status))
        .collect();
    let documented: Vec<TokenStream> = ordered(&op.responses)
        .iter()
        .map(|r| status_pattern(r.status))
        .collect();
    let has_default = op.responses.iter().any(|r| r.status == StatusKey::Default);
    let documented_expr = if has_default {
        quote!(true)
    } else {
        quote!(matches!(status, #(#documented)|*))
    };
    let (ret, call) = match &ok_body {
        Some(ty) => {
            let ty = rust_type(ty, ctx);
            (
                ty.clone(),
                quote!(#rt::parse_json_response::<#ty>(status, headers, body, is_success, documented, &ERROR_FIELDS)),
            )
        }
        None => (
            quote!(()),
            quote!(#rt::parse_empty_response(status, headers, body, is_success, documented, &ERROR_FIELDS)),
        ),
    };
    quote! {
        /// Reads a response: the typed body for a success status, otherwise a typed error
        /// carrying the status, the error body's code and message (the fields of the module's
        /// `ERROR_FIELDS`), the `X-Request-Id` header and the raw body when it is not JSON.
        pub fn parse_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> std::result::Result<#ret, #rt::ResponseError> {
            let is_success = matches!(status, #(#success_patterns)|*);
            let documented = #documented_expr;
            #call
        }
    }
}
