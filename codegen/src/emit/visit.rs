//! The models' hook for tools (`visit_body`) and the job views (`x-job`).

use super::job::job_view;
use super::response::{ordered, status_pattern};
use super::{rust_type, Ctx};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn visit(api: &Api, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
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
    quote! {
        #(#job_impls)*

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
