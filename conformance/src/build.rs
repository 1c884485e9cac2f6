//! Builds the request of an operation from parameter values given as text (`live --param`),
//! from the generator's reading of the spec (the IR) and the runtime's request primitives — the
//! same primitives every generated `build()` calls, so the wire form (percent-encoding, query
//! order, refused header values) is the generated crate's.
//!
//! Values are checked before anything is sent, against the same JSON Schema validators `check`
//! uses for recorded requests: a missing required parameter, a value outside its schema, or a
//! request body that is not the JSON the spec describes is a usage error.

use crate::check::{coerce, first_schema_error};
use crate::spec::SpecModule;
use codegen::ir::{ParamIn, Part as PathPart, TypeRef};
use hwc_jobs::runtime::{self, Query};
use serde_json::Value;

/// A parameter value by wire name (`body` for the JSON request body).
pub type Params<'a> = &'a [(String, String)];

/// The request of operation `oi` of `module` against `base_url`, from `params`.
pub fn build_request(
    module: &SpecModule,
    oi: usize,
    params: Params<'_>,
    base_url: &str,
) -> Result<http::Request<Vec<u8>>, String> {
    let op = module.ir_operation(oi);
    let given = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let mut values: Vec<Option<String>> = Vec::with_capacity(op.params.len());
    for (pi, p) in op.params.iter().enumerate() {
        let value = given(&p.wire_name).cloned().or_else(|| p.default.clone());
        if let Some(v) = &value {
            check_value(module, oi, pi, v)?;
        } else if p.required {
            return Err(format!(
                "the required {} parameter `{}` was not given (--param {}=…)",
                location(p.location),
                p.wire_name,
                p.wire_name
            ));
        }
        values.push(value);
    }
    let value_of = |name: &str| {
        op.params
            .iter()
            .position(|p| p.location == ParamIn::Path && p.wire_name == name)
            .and_then(|i| values[i].as_deref())
    };
    let mut path = String::new();
    for part in &op.path.parts {
        match part {
            PathPart::Literal(text) => path.push_str(text),
            PathPart::Param(name) => {
                let value = value_of(name).unwrap_or("");
                if value.is_empty() {
                    return Err(format!("the path parameter `{name}` must not be empty"));
                }
                runtime::push_path_segment(&mut path, "path parameter", value)
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    let mut query = Query::new();
    for (p, v) in op.params.iter().zip(&values) {
        if let (ParamIn::Query, Some(v)) = (p.location, v) {
            for item in items(&p.ty, v) {
                query.push(&p.wire_name, item);
            }
        }
    }
    let method = http::Method::from_bytes(op.method.as_str().as_bytes())
        .map_err(|e| format!("method {}: {e}", op.method))?;
    let mut request = runtime::new_request(method, base_url, &path, &query)
        .map_err(|e| format!("cannot build the request: {e}"))?;
    for (p, v) in op.params.iter().zip(&values) {
        if let (ParamIn::Header, Some(v)) = (p.location, v) {
            runtime::set_header(&mut request, &p.wire_name, v)
                .map_err(|e| format!("cannot build the request: {e}"))?;
        }
    }
    body(module, oi, given("body").map(String::as_str), &mut request)?;
    Ok(request)
}

fn location(at: ParamIn) -> &'static str {
    match at {
        ParamIn::Path => "path",
        ParamIn::Query => "query",
        ParamIn::Header => "header",
    }
}

/// The items of a value: a list parameter's comma-separated items, or the value itself.
fn items<'v>(ty: &TypeRef, value: &'v str) -> Vec<&'v str> {
    match ty {
        TypeRef::Array(_) if value.is_empty() => Vec::new(),
        TypeRef::Array(_) => value.split(',').collect(),
        _ => vec![value],
    }
}

/// A parameter's text against its schema, as `check` reads a recorded one.
fn check_value(module: &SpecModule, oi: usize, pi: usize, text: &str) -> Result<(), String> {
    let p = &module.ir_operation(oi).params[pi];
    let instance = match &p.ty {
        TypeRef::Array(item) => Value::Array(
            items(&p.ty, text)
                .into_iter()
                .map(|t| coerce(t, item))
                .collect(),
        ),
        ty => coerce(text, ty),
    };
    let Some(validator) = module.param_validators[oi][pi].as_ref() else {
        return Ok(());
    };
    match first_schema_error(validator, &instance) {
        None => Ok(()),
        Some(e) => Err(format!(
            "{} parameter `{}`: {e}",
            location(p.location),
            p.wire_name
        )),
    }
}

/// The JSON request body: required when the spec says so, JSON, valid for its schema.
fn body(
    module: &SpecModule,
    oi: usize,
    text: Option<&str>,
    request: &mut http::Request<Vec<u8>>,
) -> Result<(), String> {
    let op = module.ir_operation(oi);
    let (Some(spec_body), Some((validator, ..))) = (&op.body, &module.request_bodies[oi]) else {
        return Ok(());
    };
    let Some(text) = text else {
        if spec_body.required {
            return Err("the request body is required (--param body=JSON)".to_owned());
        }
        return Ok(());
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("body: not the JSON the spec describes: {e}"))?;
    if let Some(e) = first_schema_error(validator, &value) {
        return Err(format!("body: {e}"));
    }
    *request.body_mut() = text.as_bytes().to_vec();
    if !request.headers().contains_key(http::header::CONTENT_TYPE) {
        runtime::set_header(request, "Content-Type", &spec_body.media)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SpecSet;

    fn specs() -> SpecSet {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        SpecSet::load(&root).unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn builds_what_the_generated_builder_builds() {
        let specs = specs();
        let at = specs
            .find_operation("servicestage/get_job_details")
            .unwrap();
        let module = &specs.modules[at.0];
        let given = params(&[
            ("desc", "true"),
            ("job_id", "j/1"),
            ("project_id", "p"),
            ("limit", "5"),
        ]);
        let ours = build_request(module, at.1, &given, "https://h").unwrap();
        let generated = hwc_jobs::servicestage::GetJobDetailsRequest::new("p", "j/1")
            .limit(5)
            .desc(true)
            .build("https://h")
            .unwrap();
        assert_eq!(
            ours.uri(),
            "https://h/v3/p/cas/jobs/j%2F1?limit=5&desc=true"
        );
        assert_eq!(ours.uri(), generated.uri());
        assert_eq!(ours.method(), generated.method());
        assert_eq!(
            ours.headers(),
            generated.headers(),
            "the default Content-Type"
        );
    }

    #[test]
    fn refuses_what_the_spec_does_not_allow() {
        let specs = specs();
        let at = specs
            .find_operation("servicestage/get_job_details")
            .unwrap();
        let module = &specs.modules[at.0];
        let build =
            |pairs: &[(&str, &str)]| build_request(module, at.1, &params(pairs), "https://h");
        let err = build(&[("project_id", "p")]).unwrap_err();
        assert!(err.contains("`job_id` was not given"), "{err}");
        let err = build(&[("project_id", "p"), ("job_id", "")]).unwrap_err();
        assert!(err.contains("must not be empty"), "{err}");
        for (name, value) in [("limit", "ten"), ("desc", "yes"), ("offset", "1.5")] {
            let err = build(&[("project_id", "p"), ("job_id", "j"), (name, value)]).unwrap_err();
            assert!(
                err.starts_with(&format!("query parameter `{name}`: ")),
                "{err}"
            );
        }
        let err = build(&[
            ("project_id", "p"),
            ("job_id", "j"),
            ("Content-Type", "a\r\nb"),
        ])
        .unwrap_err();
        assert!(err.contains("CR, LF"), "{err}");
    }
}
