//! The checks, per exchange.

use crate::recordings::{header, Exchange};
use crate::redact;
use crate::spec::{walk, SpecModule, SpecSet, WalkFindings};
use crate::url::{percent_decode, query_pairs, split_url};
use codegen::ir::{Method, ParamIn, PathTemplate, TypeRef};
use hwc_jobs::runtime::OperationInfo;
use serde::Serialize;
use serde_json::Value;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The exchange does not conform.
    Error,
    /// Worth knowing; a failure only with `--strict`.
    Warning,
    /// Information (for example, which spelling of a field was seen).
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`, as in every report.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One thing found about an exchange.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How bad: the check's level in this run (`level` in JSON).
    #[serde(rename = "level")]
    pub severity: Severity,
    /// Which check (see the README's list).
    pub check: &'static str,
    /// JSON pointer into the response body (`""` is the whole body), or
    /// `request:header/NAME`, `request:path/NAME`, `request:query/NAME`.
    pub pointer: String,
    /// The failing JSON Schema keyword, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// What the spec expects (the keyword's value in the spec).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// What was found (never a credential).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// Where the rule lives: `spec/<file>#<pointer>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// What it means, in a sentence.
    pub message: String,
}

impl Finding {
    /// A finding of `check` at the check's default level ([`crate::rules`]; a run's rules may
    /// change it).
    fn new(check: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        debug_assert!(
            crate::rules::CHECKS.iter().any(|c| c.name == check),
            "check `{check}` is not listed in rules::CHECKS"
        );
        let severity = match crate::rules::default_level(check) {
            crate::rules::Level::Warning => Severity::Warning,
            crate::rules::Level::Note => Severity::Note,
            _ => Severity::Error,
        };
        Finding {
            severity,
            check,
            pointer: pointer.into(),
            keyword: None,
            expected: None,
            actual: None,
            spec: None,
            message: message.into(),
        }
    }

    fn spec(mut self, module: &SpecModule, pointer: &str) -> Self {
        self.spec = Some(format!("{}#{pointer}", module.info.spec_file));
        self
    }
}

/// Whether an exchange conforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// It conforms.
    Pass,
    /// It does not.
    Fail,
}

/// The result of checking one exchange.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeReport {
    /// Where it came from.
    pub source: String,
    /// `module/operationId`.
    pub operation: String,
    /// HTTP method (empty for a bare body).
    pub method: String,
    /// Request path (no query), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Response status.
    pub status: u16,
    /// Pass or fail.
    pub verdict: Verdict,
    /// Findings, errors first, then by pointer.
    pub findings: Vec<Finding>,
}

fn host_matches_server(host: &str, template: Option<&str>) -> bool {
    let Some(t) = template else { return false };
    let t = t.split_once("://").map(|(_, r)| r).unwrap_or(t);
    let t = t.split('/').next().unwrap_or(t);
    // `{var}` stands for one or more DNS-label characters.
    let parts: Vec<&str> = t.split(['{', '}']).collect();
    let mut rest = host;
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else {
            let next = parts.get(i + 1).copied().unwrap_or("");
            let end = if next.is_empty() {
                rest.len()
            } else {
                rest.find(next).unwrap_or(0)
            };
            if end == 0
                || !rest[..end]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                return false;
            }
            rest = &rest[end..];
        }
    }
    rest.is_empty()
}

/// Where an exchange belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// One operation: (module index, operation index).
    Found((usize, usize)),
    /// Several operations fit equally well (the same shape of path template, in different
    /// documents): reported, never resolved by file order.
    Ambiguous(Vec<(usize, usize)>),
    /// No documented operation.
    NotFound,
}

/// One operation as routing sees it.
#[derive(Debug, Clone, Copy)]
pub struct RouteEntry<'a> {
    /// (module index, operation index).
    pub at: (usize, usize),
    /// The document's server URL template, if it has one.
    pub server: Option<&'a str>,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: &'a PathTemplate,
}

/// Matches an exchange to an operation of any document (see [`pick`]).
pub fn route(specs: &SpecSet, method: &str, url: &str) -> Route {
    let entries: Vec<RouteEntry<'_>> = specs
        .modules
        .iter()
        .enumerate()
        .flat_map(|(mi, m)| {
            let server = server_template(m);
            (0..m.info.operations.len()).map(move |oi| {
                let op = m.ir_operation(oi);
                RouteEntry {
                    at: (mi, oi),
                    server,
                    method: op.method,
                    path: &op.path,
                }
            })
        })
        .collect();
    pick(&entries, method, url)
}

/// Matches an exchange by method and path template. Every document whose server template fits
/// the host is considered, and only those; a host that fits no document's server (a proxy, a
/// loopback replay) is matched by path alone against all of them. Of the templates that fit,
/// the most specific wins (literal segments beat parameters, from the left); two equally
/// specific ones are [`Route::Ambiguous`].
pub fn pick(entries: &[RouteEntry<'_>], method: &str, url: &str) -> Route {
    let (host, path, _) = split_url(url);
    let fits_host = |e: &RouteEntry<'_>| host.is_some_and(|h| host_matches_server(h, e.server));
    let any_host = entries.iter().any(fits_host);
    let mut best: Vec<(usize, usize)> = Vec::new();
    let mut best_shape: Vec<u8> = Vec::new();
    for e in entries {
        if any_host && !fits_host(e) {
            continue;
        }
        if !e.method.as_str().eq_ignore_ascii_case(method) || e.path.matches(path).is_none() {
            continue;
        }
        let shape = e.path.specificity();
        match shape.cmp(&best_shape) {
            // Templates that fit one path have as many segments as it; any shape beats the
            // empty one the search starts from.
            std::cmp::Ordering::Greater => {
                best = vec![e.at];
                best_shape = shape;
            }
            std::cmp::Ordering::Equal => best.push(e.at),
            std::cmp::Ordering::Less => {}
        }
    }
    match best.len() {
        0 => Route::NotFound,
        1 => Route::Found(best[0]),
        _ => Route::Ambiguous(best),
    }
}

fn server_template(m: &SpecModule) -> Option<&str> {
    m.api.server.as_ref().map(|s| s.url.as_str())
}

fn truncate_value(v: &Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > 200 => {
            Value::String(s.chars().take(200).collect::<String>() + "…")
        }
        Value::Object(_) | Value::Array(_) => {
            let text = v.to_string();
            if text.chars().count() > 200 {
                Value::String(text.chars().take(200).collect::<String>() + "…")
            } else {
                v.clone()
            }
        }
        other => other.clone(),
    }
}

/// Schema errors of `instance`, as findings. Enum errors at `open_enum` pointers are left out
/// (they are reported as warnings by the walk).
fn schema_findings(
    module: &SpecModule,
    validator: &jsonschema::Validator,
    instance: &Value,
    open_enum: &[String],
    check: &'static str,
    pointer_prefix: &str,
) -> Vec<Finding> {
    // The fast path first: most bodies are valid, and `is_valid` builds no error objects.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let base = format!("urn:hwc-jobs-spec:{}#", module.info.name);
    let mut out = Vec::new();
    for e in validator.iter_errors(instance) {
        let ip = e.instance_path().as_str().to_owned();
        let sp = e.schema_path().as_str().to_owned();
        let keyword = sp.rsplit('/').next().unwrap_or("").to_owned();
        if keyword == "enum" && open_enum.contains(&ip) {
            continue;
        }
        let spec_pointer = e
            .absolute_keyword_location()
            .map(|u| u.as_str().to_owned())
            .and_then(|u| u.strip_prefix(&base).map(decode_fragment));
        let expected = spec_pointer
            .as_deref()
            .and_then(|p| module.at(p))
            .map(truncate_value);
        let actual = instance.pointer(&ip).map(truncate_value);
        let mut f = Finding::new(check, format!("{pointer_prefix}{ip}"), e.to_string());
        f.message = truncate_message(&f.message);
        f.keyword = Some(keyword);
        f.expected = expected;
        f.actual = actual;
        if let Some(p) = spec_pointer {
            f = f.spec(module, &p);
        }
        out.push(f);
    }
    out
}

fn truncate_message(s: &str) -> String {
    if s.chars().count() > 300 {
        s.chars().take(300).collect::<String>() + "…"
    } else {
        s.to_owned()
    }
}

fn decode_fragment(p: &str) -> String {
    // `+` is literal in a fragment; only %XX sequences are decoded.
    percent_decode(&p.replace('+', "%2B"))
}

/// Checks one exchange; `None` when it belongs to no documented operation. An exchange that
/// fits several operations equally well fails with a `route` finding naming them.
pub fn check(specs: &SpecSet, ex: &Exchange) -> Option<ExchangeReport> {
    let at = match ex.forced_operation {
        Some(at) => at,
        None => match route(specs, &ex.method, ex.url.as_deref().unwrap_or("")) {
            Route::Found(at) => at,
            Route::NotFound => return None,
            Route::Ambiguous(candidates) => return Some(ambiguous(specs, ex, &candidates)),
        },
    };
    let module = &specs.modules[at.0];
    let op = specs.operation(at);
    let mut findings = Vec::new();
    response_checks(module, at.1, op, ex, &mut findings);
    if let (Some(headers), Some(url)) = (&ex.request_headers, &ex.url) {
        request_checks(module, at.1, headers, url, &mut findings);
        request_body_checks(module, at.1, ex.request_body.as_deref(), &mut findings);
    }
    findings.sort_by(|a, b| {
        (a.severity, &a.pointer, a.check, &a.keyword, &a.message)
            .cmp(&(b.severity, &b.pointer, b.check, &b.keyword, &b.message))
    });
    let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    Some(ExchangeReport {
        source: ex.source.clone(),
        operation: format!("{}/{}", module.info.name, op.id),
        method: ex.method.clone(),
        path: ex.url.as_deref().map(|u| split_url(u).1.to_owned()),
        status: ex.status,
        verdict,
        findings,
    })
}

fn ambiguous(specs: &SpecSet, ex: &Exchange, candidates: &[(usize, usize)]) -> ExchangeReport {
    let names: Vec<String> = candidates
        .iter()
        .map(|&(mi, oi)| {
            let m = &specs.modules[mi];
            let op = &m.info.operations[oi];
            format!(
                "{}/{} (`{} {}` in {})",
                m.info.name, op.id, op.method, op.path, m.info.spec_file
            )
        })
        .collect();
    let mut f = Finding::new("route",
        "",
        format!(
            "the exchange fits {} operations equally well, so it cannot be checked: {}; make the path templates or the servers of the documents tell them apart",
            names.len(),
            names.join(", ")
        ),
    );
    f.actual = Some(Value::from(format!(
        "{} {}",
        ex.method,
        crate::redact::url(ex.url.as_deref().unwrap_or(""))
    )));
    ExchangeReport {
        source: ex.source.clone(),
        operation: "(ambiguous)".to_owned(),
        method: ex.method.clone(),
        path: ex.url.as_deref().map(|u| split_url(u).1.to_owned()),
        status: ex.status,
        verdict: Verdict::Fail,
        findings: vec![f],
    }
}

fn response_checks(
    module: &SpecModule,
    oi: usize,
    op: &OperationInfo,
    ex: &Exchange,
    out: &mut Vec<Finding>,
) {
    let responses_ptr = format!("{}/responses", op.pointer);
    let Some(ri) = op
        .response_for(ex.status)
        .and_then(|r| op.responses.iter().position(|x| std::ptr::eq(x, r)))
    else {
        let documented: Vec<Value> = op
            .responses
            .iter()
            .map(|r| match r.status {
                hwc_jobs::runtime::StatusKey::Code(c) => Value::from(c),
                hwc_jobs::runtime::StatusKey::Range(d) => Value::from(format!("{d}XX")),
                hwc_jobs::runtime::StatusKey::Default => Value::from("default"),
            })
            .collect();
        let mut f = Finding::new(
            "status",
            "",
            format!("status {} is not documented for this operation", ex.status),
        )
        .spec(module, &responses_ptr);
        f.expected = Some(Value::Array(documented));
        f.actual = Some(Value::from(ex.status));
        out.push(f);
        return;
    };
    let resp = &op.responses[ri];
    let (Some(schema_pointer), Some(validator)) = (
        resp.schema_pointer,
        module.response_validators[oi][ri].as_ref(),
    ) else {
        return;
    };
    let json_ok = ex
        .content_type
        .as_deref()
        .is_some_and(codegen::resolve::is_json_media);
    if !json_ok {
        let mut f = Finding::new(
            "content-type",
            "",
            "the spec documents a JSON body, but the response is not labelled JSON",
        )
        .spec(module, schema_pointer.trim_end_matches("/schema"));
        f.expected = Some(Value::from("application/json"));
        f.actual = Some(
            ex.content_type
                .clone()
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        out.push(f);
    }
    if let Some(e) = &ex.body_error {
        out.push(Finding::new("body", "", e.clone()));
        return;
    }
    if ex.body.iter().all(u8::is_ascii_whitespace) {
        out.push(
            Finding::new(
                "body",
                "",
                "the body is empty; the spec documents a JSON body",
            )
            .spec(module, schema_pointer),
        );
        return;
    }
    let mut instance: Value = match serde_json::from_slice(&ex.body) {
        Ok(v) => v,
        Err(e) => {
            let what = if std::str::from_utf8(&ex.body).is_err() {
                "the body is not UTF-8 JSON"
            } else {
                "the body is not valid JSON"
            };
            let mut f = Finding::new("body", "", format!("{what}: {e}"));
            let excerpt: String = String::from_utf8_lossy(&ex.body)
                .chars()
                .take(120)
                .collect();
            f.actual = Some(Value::from(excerpt));
            out.push(f);
            return;
        }
    };
    // The generated model reads the body as received (before aliases are renamed below).
    let model = crate::model::check(module.info.name, op.id, ex.status, &instance);
    // Aliases, undocumented fields and open enums: what the validator cannot see.
    let first_new = out.len();
    let mut w = WalkFindings::default();
    walk(
        &module.shapes,
        module.response_shapes[oi][ri],
        &mut instance,
        &mut Vec::new(),
        &mut w,
    );
    for (ip, canonical, seen, sp) in &w.aliases_seen {
        let mut f = Finding::new(
            "alias",
            ip.clone(),
            format!("documented alternative spelling `{seen}` of `{canonical}`"),
        )
        .spec(module, sp);
        f.actual = Some(Value::from(seen.clone()));
        f.expected = Some(Value::from(canonical.clone()));
        out.push(f);
    }
    for (ip, canonical, seen, sp) in &w.tolerated_seen {
        let mut f = Finding::new(
            "tolerated-spelling",
            ip.clone(),
            format!("`{seen}` is not a spelling the docs state for `{canonical}`; the generated models accept it (x-tolerated-aliases)"),
        )
        .spec(module, sp);
        f.actual = Some(Value::from(seen.clone()));
        f.expected = Some(Value::from(canonical.clone()));
        out.push(f);
    }
    for (ip, canonical, spellings, sp) in &w.duplicate_spellings {
        let mut f = Finding::new(
            "alias-conflict",
            ip.clone(),
            format!(
                "`{canonical}` is present in more than one spelling: {}",
                spellings.join(", ")
            ),
        )
        .spec(module, sp);
        f.actual = Some(Value::from(spellings.clone()));
        out.push(f);
    }
    for (ip, sp) in &w.undocumented {
        out.push(
            Finding::new(
                "undocumented-field",
                ip.clone(),
                "a field the spec does not document",
            )
            .spec(module, &format!("{sp}/properties")),
        );
    }
    let open_enum: Vec<String> = w
        .open_enum_values
        .iter()
        .map(|(ip, _, _)| ip.clone())
        .collect();
    for (ip, value, sp) in &w.open_enum_values {
        let mut f =
            Finding::new("open-enum",
                ip.clone(),
                format!(
                "`{}` is not a documented value of this enum (the generated models keep it as an unrecognized value, so code built on them still works)",
                value.as_str().map_or_else(|| value.to_string(), str::to_owned)
            ),
            )
            .spec(module, sp);
        f.actual = Some(value.clone());
        f.expected = module.at(sp).cloned();
        out.push(f);
    }
    let mut schema_errors = schema_findings(module, validator, &instance, &open_enum, "schema", "");
    let schema_ok = schema_errors.is_empty() && w.duplicate_spellings.is_empty();
    // A `null` where the spec does not allow one, in a field the models read as an `Option`: one
    // fact, one finding (the schema's), which says that the models accept it.
    let null_is_all = !schema_errors.is_empty()
        && w.duplicate_spellings.is_empty()
        && schema_errors
            .iter()
            .all(|f| f.keyword.as_deref() == Some("type") && f.actual == Some(Value::Null));
    if null_is_all && matches!(model, Some(Ok(_))) {
        for f in &mut schema_errors {
            f.message.push_str(
                " (the generated models accept null here: they read the field as absent)",
            );
        }
    }
    out.extend(schema_errors);
    match model {
        None => {}
        Some(Err(e)) => {
            let (check, msg) = if schema_ok {
                (
                    "spec-model-disagreement",
                    format!(
                        "the body conforms to the schema, but the generated model rejects it: {}",
                        e.error
                    ),
                )
            } else {
                (
                    "model",
                    format!("the generated model rejects the body too: {}", e.error),
                )
            };
            out.push(Finding::new(check, e.pointer.clone(), msg));
        }
        Some(Ok(written)) => {
            // `None`: the model wrote back exactly the body, which the schema already judged.
            if !schema_ok && !null_is_all {
                out.push(Finding::new(
                    "spec-model-disagreement",
                    "",
                    "the generated model accepts a body that the schema rejects",
                ));
            }
            // Written back, the model must still validate; when it equals the (validated)
            // normalized body, it does.
            let written = written.filter(|w| *w != instance);
            if let (true, true, Some(written)) =
                (schema_ok, (200..300).contains(&ex.status), written)
            {
                let again =
                    schema_findings(module, validator, &written, &open_enum, "model-output", "");
                out.extend(again.into_iter().map(|mut f| {
                    f.message =
                        format!("the model, written back, does not validate: {}", f.message);
                    f
                }));
            }
        }
    }
    // The validator and the walk saw canonical names (aliases were renamed for them): point
    // every finding about a field at the spelling the body used (`/job/EXECUTION_STATUS`).
    let renames = received_spellings(&w);
    if !renames.is_empty() {
        for f in &mut out[first_new..] {
            if matches!(
                f.check,
                "schema"
                    | "open-enum"
                    | "undocumented-field"
                    | "alias"
                    | "alias-conflict"
                    | "tolerated-spelling"
            ) {
                f.pointer = as_received(&f.pointer, &renames);
            }
        }
    }
}

/// (canonical pointer, pointer as received) for each renamed alias, deepest first.
fn received_spellings(w: &WalkFindings) -> Vec<(String, String)> {
    let mut renames: Vec<(String, String)> = w
        .aliases_seen
        .iter()
        .chain(&w.tolerated_seen)
        .map(|(at, canonical, _, _)| {
            let parent = at.rsplit_once('/').map_or("", |(p, _)| p);
            (
                format!("{parent}/{}", crate::spec::escape(canonical)),
                at.clone(),
            )
        })
        .collect();
    renames.sort_by_key(|(c, _)| std::cmp::Reverse(c.matches('/').count()));
    renames
}

/// A pointer in canonical names rewritten into the spellings the body used.
fn as_received(pointer: &str, renames: &[(String, String)]) -> String {
    let mut p = pointer.to_owned();
    for (canonical, received) in renames {
        if p == *canonical {
            p.clone_from(received);
        } else if let Some(rest) = p.strip_prefix(canonical.as_str()) {
            if rest.starts_with('/') {
                p = format!("{received}{rest}");
            }
        }
    }
    p
}

/// A parameter's text as the JSON value its schema describes (numbers and booleans are sent as
/// text; the string-carried boolean stays a string, as its schema says).
fn coerce(text: &str, ty: &TypeRef) -> Value {
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
fn request_body_checks(
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
                    "request-body",
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
                    "request-body",
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
        "request-body",
        "request:body",
    ));
}

/// Credentials, as the spec's security schemes accept them: a token header, or an AK/SK
/// signature with its signing time.
fn auth_check(auth: &codegen::ir::Auth, headers: &[(String, String)], out: &mut Vec<Finding>) {
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
                    Some(d) if date_ok(d) => return,
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
    out.push(Finding::new("request-auth", "request:header", message));
}

fn request_checks(
    module: &SpecModule,
    oi: usize,
    headers: &[(String, String)],
    url: &str,
    out: &mut Vec<Finding>,
) {
    let (_, path, query) = split_url(url);
    // Parameters, their types and places come from the generator's reading of the spec.
    let op = module.ir_operation(oi);
    let path_params = op.path.matches(path).unwrap_or_default();
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
                        "request-param",
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
        for mut f in schema_findings(module, validator, &instance, &[], "request-param", &pointer) {
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
                "undocumented-param",
                format!("request:query/{k}"),
                format!("query parameter `{k}` is not documented"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_parts() {
        assert_eq!(
            split_url("https://u@h:8/a/b?x=1#f"),
            (Some("h"), "/a/b", Some("x=1"))
        );
        assert_eq!(
            split_url("http://127.0.0.1:9"),
            (Some("127.0.0.1"), "/", None)
        );
        assert_eq!(split_url("/a?b"), (None, "/a", Some("b")));
    }

    fn entry(
        at: (usize, usize),
        server: Option<&'static str>,
        method: &'static str,
        path: &'static str,
    ) -> RouteEntry<'static> {
        RouteEntry {
            at,
            server,
            method: Method::parse(method).unwrap(),
            path: Box::leak(Box::new(PathTemplate::parse(path))),
        }
    }

    #[test]
    fn routing_across_documents() {
        const SS: Option<&str> = Some("https://servicestage.{region}.myhuaweicloud.com");
        const CAE: Option<&str> = Some("https://cae.{region}.myhuaweicloud.com");
        let entries = [
            entry((0, 0), CAE, "GET", "/v1/{project_id}/cae/jobs/{job_id}"),
            // Two documents on the same host: both are routed to.
            entry((1, 0), SS, "GET", "/v3/{project_id}/cas/jobs/{job_id}"),
            entry((2, 0), SS, "GET", "/v3/{project_id}/cas/jobs/search"),
            entry((2, 1), SS, "DELETE", "/v3/{project_id}/cas/jobs/{job_id}"),
            entry((3, 0), SS, "GET", "/v3/{project_id}/cas/apps/{app_id}"),
        ];
        let host = "https://servicestage.cn-north-4.myhuaweicloud.com";
        let at = |m: &str, p: &str| pick(&entries, m, &format!("{host}{p}"));
        assert_eq!(at("GET", "/v3/p/cas/jobs/JOB1"), Route::Found((1, 0)));
        assert_eq!(at("DELETE", "/v3/p/cas/jobs/JOB1"), Route::Found((2, 1)));
        assert_eq!(at("GET", "/v3/p/cas/apps/a1"), Route::Found((3, 0)));
        // A literal segment beats a parameter in the same place, whatever the file order.
        assert_eq!(at("GET", "/v3/p/cas/jobs/search"), Route::Found((2, 0)));
        let mut reversed = entries;
        reversed.reverse();
        assert_eq!(
            pick(&reversed, "GET", &format!("{host}/v3/p/cas/jobs/search")),
            Route::Found((2, 0))
        );
        // Another host (a loopback replay): by path alone, over every document.
        assert_eq!(
            pick(&entries, "GET", "http://127.0.0.1:8080/v3/p/cas/apps/a1"),
            Route::Found((3, 0))
        );
        assert_eq!(
            pick(&entries, "GET", "/v1/p/cae/jobs/j"),
            Route::Found((0, 0))
        );
        // A host that fits a server limits the search to its documents.
        assert_eq!(
            pick(
                &entries,
                "GET",
                "https://cae.cn-north-4.myhuaweicloud.com/v3/p/cas/jobs/j"
            ),
            Route::NotFound
        );
        assert_eq!(at("POST", "/v3/p/cas/jobs/j"), Route::NotFound);
        // Equally specific templates in two documents: reported, not decided by order.
        let twins = [
            entry((0, 0), SS, "GET", "/v3/{project_id}/cas/jobs/{job_id}"),
            entry((1, 0), SS, "GET", "/v3/{p}/cas/jobs/{id}"),
            entry((2, 0), CAE, "GET", "/v3/{p}/cas/jobs/{id}"),
        ];
        assert_eq!(
            pick(&twins, "GET", &format!("{host}/v3/p/cas/jobs/j")),
            Route::Ambiguous(vec![(0, 0), (1, 0)])
        );
        // Leftmost difference decides: `/a/{x}/c` beats `/{y}/b/c`.
        let nested = [
            entry((0, 0), None, "GET", "/{y}/b/c"),
            entry((0, 1), None, "GET", "/a/{x}/c"),
        ];
        assert_eq!(pick(&nested, "GET", "/a/b/c"), Route::Found((0, 1)));
    }

    #[test]
    fn servers() {
        assert!(host_matches_server(
            "cae.cn-north-4.myhuaweicloud.com",
            Some("https://cae.{region}.myhuaweicloud.com")
        ));
        assert!(!host_matches_server(
            "servicestage.cn-north-4.myhuaweicloud.com",
            Some("https://cae.{region}.myhuaweicloud.com")
        ));
        assert!(!host_matches_server(
            "cae..myhuaweicloud.com",
            Some("https://cae.{region}.myhuaweicloud.com")
        ));
    }
}
