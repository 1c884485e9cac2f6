//! Request builders, response parsers, server helpers and the operation table.

use super::{doc_attrs, doc_text, rust_type, spec_doc, Ctx};
use crate::ir::{Api, Operation, Param, ParamIn, Part, Response, StatusKey, TypeRef};
use crate::names::snake;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `ERROR_FIELDS`: the fields of the error body the spec declares (the first error response
/// with an object body): its code, message and request id, found by name.
fn error_fields(api: &Api, ctx: &Ctx) -> TokenStream {
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
fn auth(api: &Api, ctx: &Ctx) -> TokenStream {
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
fn is_ctor_arg(p: &Param) -> bool {
    p.required && p.default.is_none()
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
    let (body_field, body_ctor_arg, body_ctor_init, body_setter, body_stmt, body_from_params) =
        match &op.body {
            None => (quote!(), quote!(), quote!(), quote!(), quote!(), quote!()),
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
                    (
                        quote! { #[doc = #d] pub body: #ty, },
                        quote!(body: #ty),
                        quote!(body,),
                        quote!(),
                        quote!(#rt::set_json_body(&mut request, &self.body, #media)?;),
                        quote! {
                            #rt::json_param(params, "body")?.ok_or_else(|| #rt::RequestError::MissingParameter { name: "body".to_owned() })?
                        },
                    )
                } else {
                    (
                        quote! { #[doc = #d] pub body: std::option::Option<#ty>, },
                        quote!(),
                        quote!(body: None,),
                        quote! {
                            /// Sets the JSON request body.
                            pub fn body(mut self, value: #ty) -> Self {
                                self.body = Some(value);
                                self
                            }
                        },
                        quote! {
                            if let Some(body) = &self.body {
                                #rt::set_json_body(&mut request, body, #media)?;
                            }
                        },
                        quote!(request.body = #rt::json_param(params, "body")?;),
                    )
                }
            }
        };
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
    let setters = op.params.iter().filter(|p| !is_ctor_arg(p)).map(|p| {
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
    });

    // The path, piece by piece.
    let path_stmts: Vec<TokenStream> = op
        .path
        .parts
        .iter()
        .filter_map(|part| match part {
            Part::Literal(lit) => Some(quote!(path.push_str(#lit);)),
            Part::Param(wire) => op
                .params
                .iter()
                .find(|p| p.location == ParamIn::Path && &p.wire_name == wire)
                .map(|p| {
                    let name = format_ident!("{}", p.rust_name);
                    quote!(#rt::push_path_segment(&mut path, #wire, &#rt::ParamValue::to_param(&self.#name))?;)
                }),
        })
        .collect();

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
    let id = &op.id;
    let m = op.method.as_str();
    let path_tpl = &op.path.text;

    let for_server = match &api.server {
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
    };

    let checks = op.params.iter().filter_map(|p| constraint_check(p, rt));
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
    let from_params = if body_required {
        from_params_fn(op, ctx, Some(body_from_params), None)
    } else if op.body.is_some() {
        from_params_fn(op, ctx, None, Some(body_from_params))
    } else {
        from_params_fn(op, ctx, None, None)
    };

    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq #default_derive)]
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

            /// A request with every required parameter; optional ones start unset.
            #many_args
            pub fn new(#(#ctor_args,)* #body_ctor_arg) -> Self {
                Self { #(#ctor_inits)* #body_ctor_init }
            }

            #(#setters)*
            #body_setter

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

            #for_server

            #from_params

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

/// `from_params`; `body_arg` is the expression of a required body (a constructor argument),
/// `body_stmt` the statement that sets an optional one.
fn from_params_fn(
    op: &Operation,
    ctx: &Ctx,
    body_arg: Option<TokenStream>,
    body_stmt: Option<TokenStream>,
) -> TokenStream {
    let rt = &ctx.rt;
    let args = op.params.iter().filter(|p| is_ctor_arg(p)).map(|p| {
        let wire = &p.wire_name;
        let ty = rust_type(&p.ty, ctx);
        quote!(#rt::required_param::<#ty>(params, #wire)?)
    });
    let optionals = op.params.iter().filter(|p| !is_ctor_arg(p)).map(|p| {
        let wire = &p.wire_name;
        let name = format_ident!("{}", p.rust_name);
        quote!(request.#name = #rt::optional_param(params, #wire)?;)
    });
    let params_arg = if op.params.is_empty() && op.body.is_none() {
        format_ident!("_params")
    } else {
        format_ident!("params")
    };
    let mutability = if op.params.iter().any(|p| !is_ctor_arg(p)) || body_stmt.is_some() {
        quote!(mut)
    } else {
        quote!()
    };
    let args = args.chain(body_arg);
    quote! {
        /// A request from parameter values given as text, looked up by wire name (for generic
        /// tools such as the conformance runner). Missing required values and values that do not
        /// parse are errors.
        pub fn from_params(#params_arg: &dyn std::ops::Fn(&str) -> std::option::Option<std::string::String>) -> std::result::Result<Self, #rt::RequestError> {
            let #mutability request = Self::new(#(#args),*);
            #(#optionals)*
            #body_stmt
            Ok(request)
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

fn status_pattern(s: StatusKey) -> TokenStream {
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
fn ordered(responses: &[Response]) -> Vec<&Response> {
    let rank = |r: &&Response| match r.status {
        StatusKey::Code(_) => 0,
        StatusKey::Range(_) => 1,
        StatusKey::Default => 2,
    };
    let mut v: Vec<&Response> = responses.iter().collect();
    v.sort_by_key(rank);
    v
}

fn success(op: &Operation) -> Option<&Response> {
    op.responses.iter().find(|r| r.success)
}

fn parse_fn(op: &Operation, ctx: &Ctx) -> TokenStream {
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

/// `Some(root)` followed through the steps: an `Option<&T>` expression.
fn chain(root: TokenStream, steps: &[crate::ir::Step]) -> TokenStream {
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

fn job_view(job: &crate::ir::JobAccess, ctx: &Ctx) -> TokenStream {
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
