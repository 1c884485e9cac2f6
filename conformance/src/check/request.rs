//! The recorded request: credentials, parameters, body.

use super::*;

/// A parameter's text as the JSON value its schema describes (numbers and booleans are sent as
/// text; the string-carried boolean stays a string, as its schema says).
pub(crate) fn coerce(text: &str, ty: &TypeRef) -> Value {
    match ty {
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::from(text)),
        TypeRef::Bool => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::from(text),
        },
        _ => Value::from(text),
    }
}

/// The request body of a recorded exchange, against the spec's JSON request body: present when
/// required, JSON, and valid for its schema (findings at `request:body`, `request:body/...`).
pub(super) fn request_body_checks(
    module: &SpecModule,
    oi: usize,
    body: Option<&[u8]>,
    out: &mut Vec<Finding>,
) {
    let Some((validator, required, pointer)) = &module.request_bodies[oi] else {
        return;
    };
    let body = body.filter(|b| !b.iter().all(u8::is_ascii_whitespace));
    let Some(body) = body else {
        if *required {
            out.push(
                Finding::new(
                    Check::RequestBody,
                    "request:body",
                    "the spec requires a JSON request body, and none was sent",
                )
                .spec(module, pointer),
            );
        }
        return;
    };
    let instance: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            out.push(
                Finding::new(
                    Check::RequestBody,
                    "request:body",
                    format!("the request body is not valid JSON: {e}"),
                )
                .spec(module, pointer),
            );
            return;
        }
    };
    out.extend(schema_findings(
        module,
        validator,
        &instance,
        &[],
        Check::RequestBody,
        "request:body",
    ));
}

/// Credentials, as the spec's security schemes accept them: a token header, or an AK/SK
/// signature with its signing time.
pub(super) fn auth_check(
    auth: &codegen::ir::Auth,
    headers: &[(String, String)],
    out: &mut Vec<Finding>,
) {
    // A header that is there and not empty.
    let sent = |name: &str| header(headers, name).filter(|v| !v.trim().is_empty());
    if auth.is_empty() || auth.token_headers.iter().any(|h| sent(h).is_some()) {
        return;
    }
    let signing = auth.signing.as_ref();
    let message = match signing.map(|s| (s, sent(&s.header))) {
        Some((s, Some(value))) => {
            // Values are read redacted, but the scheme word is kept (`Bearer [REDACTED]`); a
            // recording that kept nothing (`[REDACTED]`) cannot say, and is given the benefit.
            let word = value.split_whitespace().next().unwrap_or("");
            let date = sent(&s.date_header);
            let date_ok = |d: &str| {
                let b = d.as_bytes();
                b.len() == 16
                    && b[8] == b'T'
                    && b[15] == b'Z'
                    && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
            };
            if word != crate::redact::REDACTED && !word.eq_ignore_ascii_case(&s.algorithm) {
                format!(
                    "`{}` carries `{word}` credentials, but the spec's AK/SK scheme `{}` takes an `{}` signature",
                    s.header, s.scheme, s.algorithm
                )
            } else {
                match date {
                    Some(d) if date_ok(d.trim()) => return,
                    Some(_) => format!(
                        "the signing time `{}` is not `YYYYMMDDTHHMMSSZ`: the signature cannot be checked",
                        s.date_header
                    ),
                    None => format!(
                        "the AK/SK signature in `{}` was sent without its signing time `{}`; the scheme `{}` needs both",
                        s.header, s.date_header, s.scheme
                    ),
                }
            }
        }
        Some((s, None)) if sent(&s.security_token_header).is_some() => format!(
            "a security token (`{}`) was sent without the AK/SK signature (`{}`) it belongs to",
            s.security_token_header, s.header
        ),
        _ => {
            let mut ways: Vec<String> = auth
                .token_headers
                .iter()
                .map(|h| format!("a token in `{h}`"))
                .collect();
            if let Some(s) = signing {
                ways.push(format!(
                    "an AK/SK signature in `{}` with `{}`",
                    s.header, s.date_header
                ));
            }
            format!(
                "no credentials were sent; the spec accepts {}",
                ways.join(" or ")
            )
        }
    };
    out.push(Finding::new(Check::RequestAuth, "request:header", message));
}

pub(super) fn request_checks(
    module: &SpecModule,
    oi: usize,
    headers: &[(String, String)],
    url: &str,
    out: &mut Vec<Finding>,
) {
    let (_, path, query) = split_url(url);
    // Parameters, their types and places come from the generator's reading of the spec.
    let op = module.ir_operation(oi);
    let path_params = module.paths[oi].matches(path).unwrap_or_default();
    let query_pairs = query_pairs(query.unwrap_or(""));
    auth_check(&module.api.auth, headers, out);
    for (pi, p) in op.params.iter().enumerate() {
        let name = p.wire_name.as_str();
        let (value, where_): (Option<String>, &str) = match p.location {
            ParamIn::Header => (header(headers, name).map(str::to_owned), "header"),
            ParamIn::Path => (
                path_params
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| percent_decode(v)),
                "path",
            ),
            ParamIn::Query => (
                query_pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone()),
                "query",
            ),
        };
        let pointer = format!("request:{where_}/{name}");
        let param_ptr = p.schema_pointer.trim_end_matches("/schema");
        let Some(value) = value else {
            if p.required && p.default.is_none() {
                out.push(
                    Finding::new(
                        Check::RequestParam,
                        pointer,
                        format!("required {where_} parameter `{name}` was not sent"),
                    )
                    .spec(module, param_ptr),
                );
            }
            continue;
        };
        if redact::is_credential_name(name) || value == redact::REDACTED {
            continue;
        }
        let Some(validator) = module.param_validators[oi][pi].as_ref() else {
            continue;
        };
        let instance = match &p.ty {
            // An array parameter: every value of the repeated key, in order.
            TypeRef::Array(item) => Value::Array(
                query_pairs
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| coerce(v, item))
                    .collect(),
            ),
            ty => coerce(&value, ty),
        };
        for mut f in schema_findings(
            module,
            validator,
            &instance,
            &[],
            Check::RequestParam,
            &pointer,
        ) {
            f.message = format!("{where_} parameter `{name}`: {}", f.message);
            out.push(f);
        }
    }
    for (k, _) in &query_pairs {
        if !op
            .params
            .iter()
            .any(|p| p.location == ParamIn::Query && p.wire_name == *k)
        {
            out.push(Finding::new(
                Check::UndocumentedParam,
                format!("request:query/{k}"),
                format!("query parameter `{k}` is not documented"),
            ));
        }
    }
}

/// The verdict of `--verify-signatures` on the recorded request, as a finding (none when the
/// signature verified).
pub(super) fn signature_finding(
    module: &SpecModule,
    verdict: &crate::signatures::SignatureVerdict,
) -> Option<Finding> {
    use crate::signatures::{SignatureVerdict as V, MAX_SKEW_SECONDS};
    let signing = module.api.auth.signing.as_ref();
    let header = signing.map_or("Authorization", |s| s.header.as_str());
    let date_header = signing.map_or("X-Sdk-Date", |s| s.date_header.as_str());
    let pointer = format!("request:header/{header}");
    let finding = |message: String| Finding::new(Check::RequestSignature, pointer.clone(), message);
    match verdict {
        V::Verified => None,
        V::Mismatch { canonical_request } => {
            let mut f = finding(format!(
                "the AK/SK signature does not match the request as recorded (verified with {}); the canonical request computed, lines joined by `|` as the gateway's APIGW.0301 message joins them, credential values redacted: {}",
                hwc_jobs::runtime::ENV_SK,
                canonical_request.replace('\n', "|")
            ));
            f.actual = Some(Value::from(canonical_request.as_str()));
            Some(f)
        }
        V::Skewed { sdk_date, seconds } => Some(finding(format!(
            "`{date_header}` {sdk_date} is {} minutes {} the entry's startedDateTime; the gateway refuses signatures more than {} minutes off",
            seconds.unsigned_abs().div_ceil(60),
            if *seconds > 0 { "after" } else { "before" },
            MAX_SKEW_SECONDS / 60
        ))),
        V::Invalid { reason } => Some(finding(format!(
            "the AK/SK signature cannot be verified: {reason}"
        ))),
        V::NotVerified { reason } | V::VerifiedDateUnchecked { reason } => {
            Some(finding(reason.clone()).informational())
        }
    }
}
