//! Request types: fields, constructors, setters, `build` (with parameter checks) and
//! `parse_response`.

use super::response::{parse_fn, success};
use super::{doc_attrs, doc_text, rust_type, spec_doc, Ctx};
use crate::ir::{Api, Operation, Param, ParamIn, Part, TypeRef};
use crate::names::snake;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn param_doc(p: &Param) -> String {
    let place = match p.location {
        ParamIn::Path => "Path parameter",
        ParamIn::Query => "Query parameter",
        ParamIn::Header => "Header",
    };
    let mut note = format!("{place} `{}`", p.wire_name);
    note.push_str(if p.required {
        ", required by the spec."
    } else {
        ", optional."
    });
    if let Some(d) = &p.default {
        note.push_str(&format!(" When `None`, `{d}` is sent."));
    }
    if p.ty == TypeRef::BooleanString {
        note.push_str(" Sent as the text `true` or `false`.");
    }
    let spec = p.doc.as_deref().map(spec_doc);
    doc_text(&[spec.as_deref(), Some(&note)])
}

/// A parameter the constructor takes (required, with no default).
pub(super) fn is_ctor_arg(p: &Param) -> bool {
    p.required && p.default.is_none()
}

/// The request body's share of a request type: its field, constructor argument and
/// initialisation, setter, and the statement that sends it.
#[derive(Default)]
struct BodyParts {
    field: TokenStream,
    ctor_arg: TokenStream,
    ctor_init: TokenStream,
    setter: TokenStream,
    stmt: TokenStream,
}

/// [`BodyParts`] of an operation: empty without a body; taken by `new()` when required.
fn body_parts(op: &Operation, ctx: &Ctx) -> BodyParts {
    let rt = &ctx.rt;
    match &op.body {
        None => BodyParts::default(),
        Some(b) => {
            let ty = rust_type(&b.ty, ctx);
            let media = &b.media;
            let d = format!(
                " The JSON request body (`{}`){}.",
                b.media,
                if b.required {
                    ", required by the spec"
                } else {
                    ", optional"
                }
            );
            if b.required {
                BodyParts {
                    field: quote! { #[doc = #d] pub body: #ty, },
                    ctor_arg: quote!(body: #ty),
                    ctor_init: quote!(body,),
                    setter: quote!(),
                    stmt: quote!(#rt::set_json_body(&mut request, &self.body, #media)?;),
                }
            } else {
                BodyParts {
                    field: quote! { #[doc = #d] pub body: std::option::Option<#ty>, },
                    ctor_arg: quote!(),
                    ctor_init: quote!(body: None,),
                    setter: quote! {
                        /// Sets the JSON request body.
                        pub fn body(mut self, value: #ty) -> Self {
                            self.body = Some(value);
                            self
                        }
                    },
                    stmt: quote! {
                        if let Some(body) = &self.body {
                            #rt::set_json_body(&mut request, body, #media)?;
                        }
                    },
                }
            }
        }
    }
}

/// The setter of an optional parameter (strings take anything that converts into one).
fn setter(p: &Param, ctx: &Ctx) -> TokenStream {
    let name = format_ident!("{}", p.rust_name);
    let d = format!(" Sets `{}`.", p.wire_name);
    match &p.ty {
        TypeRef::String => quote! {
            #[doc = #d]
            pub fn #name(mut self, value: impl std::convert::Into<std::string::String>) -> Self {
                self.#name = Some(value.into());
                self
            }
        },
        other => {
            let ty = rust_type(other, ctx);
            quote! {
                #[doc = #d]
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(value);
                    self
                }
            }
        }
    }
}

/// The statements that build the path, piece by piece.
fn path_stmts(op: &Operation, rt: &TokenStream) -> Vec<TokenStream> {
    op
    .path
    .parts
    .iter()
    .filter_map(|part| match part {
        // One character (the root path `/`, the `/` between two parameters) is a `char`,
        // as clippy's `single_char_add_str` wants.
        Part::Literal(lit) => Some(match lit.chars().collect::<Vec<_>>().as_slice() {
            [c] => quote!(path.push(#c);),
            _ => quote!(path.push_str(#lit);),
        }),
        Part::Param(wire) => op
            .params
            .iter()
            .find(|p| p.location == ParamIn::Path && &p.wire_name == wire)
            .map(|p| {
                let name = format_ident!("{}", p.rust_name);
                quote!(#rt::push_path_segment(&mut path, #wire, &#rt::ParamValue::to_param(&self.#name))?;)
            }),
    })
    .collect()
}

/// `build_for_<server>`: the request against the spec's server, given its variables.
fn for_server(api: &Api, rt: &TokenStream) -> TokenStream {
    match &api.server {
        Some(s) => {
            let args: Vec<_> = s
                .variables
                .iter()
                .map(|v| format_ident!("{}", snake(&v.name)))
                .collect();
            let fname = format_ident!("{}", s.build_fn);
            let d = format!(
                " Builds the request against `{}` with the given server variables.",
                s.url
            );
            quote! {
                #[doc = #d]
                pub fn #fname(&self, #(#args: &str),*) -> std::result::Result<http::Request<std::vec::Vec<u8>>, #rt::RequestError> {
                    self.build(&base_url(#(#args),*)?)
                }
            }
        }
        None => quote!(),
    }
}

/// `new()`: every required parameter (and a required body) as an argument; optional ones
/// start unset.
fn constructor(
    op: &Operation,
    ctx: &Ctx,
    body_ctor_arg: &TokenStream,
    body_ctor_init: &TokenStream,
) -> TokenStream {
    let ctor_params: Vec<&Param> = op.params.iter().filter(|p| is_ctor_arg(p)).collect();
    // clippy's `too_many_arguments` starts above seven: say so only then.
    let arg_count = ctor_params.len() + usize::from(!body_ctor_arg.is_empty());
    let many_args = if arg_count > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let ctor_args = ctor_params.iter().map(|p| {
        let name = format_ident!("{}", p.rust_name);
        match &p.ty {
            TypeRef::String => quote!(#name: impl std::convert::Into<std::string::String>),
            other => {
                let ty = rust_type(other, ctx);
                quote!(#name: #ty)
            }
        }
    });
    let ctor_inits = op.params.iter().map(|p| {
        let name = format_ident!("{}", p.rust_name);
        if is_ctor_arg(p) {
            match &p.ty {
                TypeRef::String => quote!(#name: #name.into(),),
                _ => quote!(#name,),
            }
        } else {
            quote!(#name: None,)
        }
    });
    quote! {
        /// A request with every required parameter; optional ones start unset.
        #many_args
        pub fn new(#(#ctor_args,)* #body_ctor_arg) -> Self {
            Self { #(#ctor_inits)* #body_ctor_init }
        }
    }
}

/// `build()`: parameter checks, the path, the query, the headers and the body, in that order.
fn build_fn(op: &Operation, rt: &TokenStream, body_stmt: &TokenStream) -> TokenStream {
    let checks = op.params.iter().filter_map(|p| constraint_check(p, rt));
    let path_stmts = path_stmts(op, rt);

    let query_stmts = op
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Query)
        .map(|p| {
            let name = format_ident!("{}", p.rust_name);
            let wire = &p.wire_name;
            value_stmt(p, &name, quote!(query.push(#wire, &v);), rt)
        });
    let header_stmts = op
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Header)
        .map(|p| {
            let name = format_ident!("{}", p.rust_name);
            let wire = &p.wire_name;
            value_stmt(
                p,
                &name,
                quote!(#rt::set_header(&mut request, #wire, &v)?;),
                rt,
            )
        });
    let has_query = op.params.iter().any(|p| p.location == ParamIn::Query);
    let has_headers = op.params.iter().any(|p| p.location == ParamIn::Header);
    let query_mut = if has_query { quote!(mut) } else { quote!() };
    let request_mut = if has_headers || op.body.is_some() {
        quote!(mut)
    } else {
        quote!()
    };
    let method = format_ident!("{}", op.method.as_str());
    quote! {
        /// Builds the request for a base URL such as `https://host` (a trailing `/` or a
        /// path prefix is fine). Path parameters are percent-encoded as single segments,
        /// query parameters are sent only when set, and header values with CR, LF or other
        /// control characters are refused. Credentials are not added here.
        pub fn build(&self, base_url: &str) -> std::result::Result<http::Request<std::vec::Vec<u8>>, #rt::RequestError> {
            #(#checks)*
            let mut path = std::string::String::new();
            #(#path_stmts)*
            let #query_mut query = #rt::Query::new();
            #(#query_stmts)*
            let #request_mut request = #rt::new_request(http::Method::#method, base_url, &path, &query)?;
            #(#header_stmts)*
            #body_stmt
            Ok(request)
        }
    }
}

pub(super) fn operation(api: &Api, op: &Operation, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let req = format_ident!("{}", op.request_type);
    let op_line = format!("`{} {}` (operationId `{}`).", op.method, op.path, op.id);
    let summary = op.summary.as_deref().map(spec_doc);
    let description = op.description.as_deref().map(spec_doc);
    let doc = doc_attrs(&doc_text(&[
        summary.as_deref(),
        description.as_deref(),
        Some(&op_line),
        Some("Build the `http::Request` with [`Self::build`] and read the answer with [`Self::parse_response`]; no HTTP client is involved."),
    ]));

    let fields = op.params.iter().map(|p| {
        let name = format_ident!("{}", p.rust_name);
        let ty = rust_type(&p.ty, ctx);
        let ty = if is_ctor_arg(p) {
            ty
        } else {
            quote!(std::option::Option<#ty>)
        };
        let doc = doc_attrs(&param_doc(p));
        quote! {
            #doc
            pub #name: #ty,
        }
    });

    // The request body: a field of its own, taken by `new()` when the spec requires it.
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let BodyParts {
        field: body_field,
        ctor_arg: body_ctor_arg,
        ctor_init: body_ctor_init,
        setter: body_setter,
        stmt: body_stmt,
    } = body_parts(op, ctx);
    let constructor = constructor(op, ctx, &body_ctor_arg, &body_ctor_init);
    let setters = op
        .params
        .iter()
        .filter(|p| !is_ctor_arg(p))
        .map(|p| setter(p, ctx));

    let id = &op.id;
    let m = op.method.as_str();
    let path_tpl = &op.path.text;

    let build = build_fn(op, rt, &body_stmt);
    let for_server = for_server(api, rt);

    // With nothing required, `new()` takes no arguments: `Default` gives the same request.
    let default_derive = if op.params.iter().any(is_ctor_arg) || body_required {
        quote!()
    } else {
        quote!(, Default)
    };
    let parse = parse_fn(op, ctx);
    let output = match success(op).and_then(|r| r.body.as_ref()) {
        Some(ty) => rust_type(ty, ctx),
        None => quote!(()),
    };

    let allow = super::allow_nesting(
        op.body
            .as_ref()
            .map_or(0, |b| super::nesting(&b.ty) + usize::from(!b.required)),
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #default_derive)]
        #[non_exhaustive]
        #allow
        pub struct #req {
            #(#fields)*
            #body_field
        }

        impl #req {
            /// The `operationId` in the spec.
            pub const OPERATION_ID: &'static str = #id;
            /// The HTTP method.
            pub const METHOD: &'static str = #m;
            /// The path template.
            pub const PATH: &'static str = #path_tpl;

            #constructor

            #(#setters)*
            #body_setter

            #build

            #for_server

            #parse
        }

        impl #rt::Operation for #req {
            type Output = #output;
            const AUTH: #rt::AuthSchemes = AUTH;
            fn build_request(&self, base_url: &str) -> std::result::Result<http::Request<std::vec::Vec<u8>>, #rt::RequestError> {
                self.build(base_url)
            }
            fn parse_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> std::result::Result<Self::Output, #rt::ResponseError> {
                Self::parse_response(status, headers, body)
            }
        }
    }
}

/// The checks of a parameter's stated bounds, on every value it sends (each item of a list).
fn constraint_check(p: &Param, rt: &TokenStream) -> Option<TokenStream> {
    let c = &p.constraints;
    let wire = &p.wire_name;
    let opt = |v: Option<f64>| match v {
        Some(v) => {
            let v = proc_macro2::Literal::f64_suffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let len = |v: Option<usize>| match v {
        Some(v) => {
            let v = proc_macro2::Literal::usize_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let check = if c.has_range() {
        let (a, b, x, y) = (
            opt(c.minimum),
            opt(c.maximum),
            opt(c.exclusive_minimum),
            opt(c.exclusive_maximum),
        );
        let item = match &p.ty {
            TypeRef::Array(item) => item.as_ref(),
            other => other,
        };
        // (A named alias of a number converts the same way: `as` works for any of them.)
        let as_f64 = match item {
            TypeRef::F64 => quote!(*value),
            TypeRef::I32 => quote!(f64::from(*value)),
            _ => quote!(*value as f64),
        };
        quote!(#rt::check_range(#wire, #as_f64, [#a, #b, #x, #y])?;)
    } else if c.has_length() || c.pattern.is_some() {
        let length = c.has_length().then(|| {
            let (a, b) = (len(c.min_length), len(c.max_length));
            quote!(#rt::check_length(#wire, value, #a, #b)?;)
        });
        let pattern = c
            .pattern
            .as_ref()
            .map(|p| quote!(#rt::check_pattern(#wire, value, #p)?;));
        quote!(#length #pattern)
    } else {
        return None;
    };
    let name = format_ident!("{}", p.rust_name);
    Some(match (&p.ty, is_ctor_arg(p)) {
        (TypeRef::Array(_), true) => quote!(for value in &self.#name { #check }),
        (TypeRef::Array(_), false) => quote! {
            if let Some(list) = &self.#name {
                for value in list { #check }
            }
        },
        (_, true) => quote!({ let value = &self.#name; #check }),
        (_, false) => quote! {
            if let Some(value) = &self.#name { #check }
        },
    })
}

/// Statement that converts a parameter to text `v` and runs `then`, when it is set
/// or has a default.
fn value_stmt(
    p: &Param,
    name: &proc_macro2::Ident,
    then: TokenStream,
    rt: &TokenStream,
) -> TokenStream {
    if matches!(p.ty, TypeRef::Array(_)) {
        // One key per item, in the caller's order (signers sort the canonical query).
        let each = quote! {
            let v = #rt::ParamValue::to_param(item);
            #then
        };
        return if is_ctor_arg(p) {
            quote!(for item in &self.#name { #each })
        } else {
            quote! {
                if let Some(list) = &self.#name {
                    for item in list { #each }
                }
            }
        };
    }
    if is_ctor_arg(p) {
        return quote! {
            {
                let v = #rt::ParamValue::to_param(&self.#name);
                #then
            }
        };
    }
    match &p.default {
        Some(d) => quote! {
            {
                let v = match &self.#name {
                    Some(value) => #rt::ParamValue::to_param(value),
                    None => std::borrow::Cow::Borrowed(#d),
                };
                #then
            }
        },
        None => quote! {
            if let Some(value) = &self.#name {
                let v = #rt::ParamValue::to_param(value);
                #then
            }
        },
    }
}
