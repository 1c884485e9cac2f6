//! Job views (`x-job`): `impl JobView` on a body type, through the pointers the spec gives.

use super::Ctx;
use crate::ir::TypeRef;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `Some(root)` followed through the steps: an `Option<&T>` expression.
pub(super) fn chain(root: TokenStream, steps: &[crate::ir::Step]) -> TokenStream {
    let mut expr = quote!(Some(#root));
    for s in steps {
        let f = format_ident!("{}", s.field);
        expr = if s.optional {
            quote!(#expr.and_then(|v| v.#f.as_ref()))
        } else {
            quote!(#expr.map(|v| &v.#f))
        };
    }
    expr
}

pub(super) fn job_view(job: &crate::ir::JobAccess, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let body = format_ident!("{}", job.body_type);
    let status = chain(quote!(self), &job.status);
    let progress = match &job.progress {
        Some((steps, TypeRef::F64)) => {
            let c = chain(quote!(self), steps);
            quote!(#c.copied())
        }
        Some((steps, _)) => {
            let c = chain(quote!(self), steps);
            quote!(#c.map(|p| *p as f64))
        }
        None => quote!(None),
    };
    let tasks = match &job.tasks {
        Some((list, name, tstatus)) => {
            let list = chain(quote!(self), list);
            let name = chain(quote!(t), name);
            let tstatus = chain(quote!(t), tstatus);
            quote! {
                #list
                    .map(|list| {
                        list.iter()
                            .map(|t| #rt::TaskState {
                                name: #name.map(|v| v.to_string()),
                                status: #tstatus.map(|v| v.to_string()),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }
        }
        None => quote!(std::vec::Vec::new()),
    };
    quote! {
        impl #rt::JobView for #body {
            fn job_state(&self) -> std::option::Option<std::string::String> {
                #status.map(|s| s.to_string())
            }
            fn job_finished(&self) -> bool {
                #status.is_some_and(#rt::Terminal::is_terminal)
            }
            fn job_progress(&self) -> std::option::Option<f64> {
                #progress
            }
            fn job_tasks(&self) -> std::vec::Vec<#rt::TaskState> {
                #tasks
            }
        }
    }
}
