//! The operation table (`OPERATIONS`), the generic builder and the `visit_body` hook.

use super::job::job_view;
use super::response::{ordered, status_pattern};
use super::{rust_type, Ctx};
use crate::ir::{Api, ParamIn, StatusKey};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn table(api: &Api, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let module = &api.module;
    let file = &api.source_file;
    let infos = api.operations.iter().map(|op| {
        let id = &op.id;
        let method = op.method.as_str();
        let path = &op.path.text;
        let pointer = &op.pointer;
        let params = op.params.iter().map(|p| {
            let name = &p.wire_name;
            let location = match p.location {
                ParamIn::Path => quote!(#rt::ParamLocation::Path),
                ParamIn::Query => quote!(#rt::ParamLocation::Query),
                ParamIn::Header => quote!(#rt::ParamLocation::Header),
            };
            let required = p.required;
            let has_default = p.default.is_some();
            let sp = &p.schema_pointer;
            quote!(#rt::ParamInfo { name: #name, location: #location, required: #required, has_default: #has_default, schema_pointer: #sp })
        });
        let responses = op.responses.iter().map(|r| {
            let status = match r.status {
                StatusKey::Code(c) => {
                    let c = proc_macro2::Literal::u16_unsuffixed(c);
                    quote!(#rt::StatusKey::Code(#c))
                }
                StatusKey::Range(d) => {
                    let d = proc_macro2::Literal::u16_unsuffixed(d);
                    quote!(#rt::StatusKey::Range(#d))
                }
                StatusKey::Default => quote!(#rt::StatusKey::Default),
            };
            let sp = match &r.schema_pointer {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            let tn = match &r.body {
                Some(t) => {
                    let s = rust_type(t, ctx).to_string().replace(' ', "");
                    quote!(Some(#s))
                }
                None => quote!(None),
            };
            quote!(#rt::ResponseInfo { status: #status, schema_pointer: #sp, rust_type: #tn })
        });
        quote! {
            #rt::OperationInfo {
                module: #module,
                spec_file: #file,
                id: #id,
                method: #method,
                path: #path,
                pointer: #pointer,
                params: &[#(#params),*],
                responses: &[#(#responses),*],
                auth: AUTH,
            }
        }
    });
    let mut arms = Vec::new();
    for op in &api.operations {
        let id = &op.id;
        for r in ordered(&op.responses) {
            let pat = status_pattern(r.status);
            match &r.body {
                Some(t) => {
                    let ty = rust_type(t, ctx);
                    arms.push(quote!((#id, #pat) => Some(visitor.visit::<#ty>()),));
                }
                None => arms.push(quote!((#id, #pat) => None,)),
            }
        }
    }
    // Job views (`x-job`), one per body type.
    let mut job_impls = Vec::new();
    let mut seen_bodies: Vec<&str> = Vec::new();
    for job in api.operations.iter().filter_map(|o| o.job.as_ref()) {
        if seen_bodies.contains(&job.body_type.as_str()) {
            continue;
        }
        seen_bodies.push(&job.body_type);
        job_impls.push(job_view(job, ctx));
    }
    let builds = api.operations.iter().map(|op| {
        let id = &op.id;
        let req = format_ident!("{}", op.request_type);
        quote!(#id => Some(#req::from_params(params).and_then(|r| r.build(base_url))),)
    });
    quote! {
        /// Builds the request of `operation_id` from parameter values given as text (see each
        /// request type's `from_params`). `None` for an unknown operation.
        pub fn build_request(operation_id: &str, params: &dyn std::ops::Fn(&str) -> std::option::Option<std::string::String>, base_url: &str) -> std::option::Option<std::result::Result<http::Request<std::vec::Vec<u8>>, #rt::RequestError>> {
            match operation_id {
                #(#builds)*
                _ => None,
            }
        }

        #(#job_impls)*

        /// Every operation of this module, as data.
        pub const OPERATIONS: &[#rt::OperationInfo] = &[#(#infos),*];

        /// Hands the Rust type of the body the spec documents for `operation_id` and `status`
        /// to `visitor` (for tools that work on any model; the conformance runner reads bodies
        /// into the models with it). `None` when the spec documents no JSON body for them.
        pub fn visit_body<Visitor: #rt::BodyVisitor>(operation_id: &str, status: u16, visitor: Visitor) -> std::option::Option<Visitor::Output> {
            match (operation_id, status) {
                #(#arms)*
                _ => None,
            }
        }
    }
}
