//! The checks, per exchange.

use crate::recordings::{header, Exchange};
use crate::redact;
use crate::spec::PathMatcher;
use crate::spec::{walk, OpenEnumValue, Renames, SpecModule, SpecSet, WalkFindings};
use crate::url::{percent_decode, query_pairs, split_url};
use codegen::ir::{Method, ParamIn, TypeRef};
use serde::Serialize;
use serde_json::Value;

mod request;
mod response;
mod route;
mod schema;
#[cfg(test)]
mod tests;

pub(crate) use request::coerce;
use request::{request_body_checks, request_checks};
use response::response_checks;
pub use route::{pick, route, Route, RouteEntry};
pub(crate) use schema::first_schema_error;
use schema::schema_findings;

pub use crate::checks::{Check, Level};

/// One thing found about an exchange.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How bad: the check's level in this run (`level` in JSON; never `Off`).
    #[serde(rename = "level")]
    pub severity: Level,
    /// Which check (see the README's list).
    pub check: Check,
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
    /// Made as a note whatever its check's level (a signature not verified: another key).
    #[serde(skip)]
    pub informational: bool,
}

impl Finding {
    /// A finding of `check` at the check's default level ([`crate::rules`]; a run's rules may
    /// change it).
    fn new(check: Check, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let severity = check.default_level();
        Finding {
            severity,
            check,
            pointer: pointer.into(),
            keyword: None,
            expected: None,
            actual: None,
            spec: None,
            message: message.into(),
            informational: false,
        }
    }

    /// The finding as information: a note, whatever its check's level.
    fn informational(mut self) -> Self {
        self.severity = Level::Note;
        self.informational = true;
        self
    }

    fn spec(mut self, module: &SpecModule, pointer: &str) -> Self {
        self.spec = Some(format!("{}#{pointer}", module.spec_file));
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

/// Checks one exchange; `None` when it belongs to no documented operation. An exchange that
/// fits several operations equally well fails with a `route` finding naming them.
pub fn check(specs: &SpecSet, ex: &Exchange) -> Option<ExchangeReport> {
    check_seen(specs, ex, &mut |_, _| {})
}

/// What [`check_seen`] hands the operation's indices and the parsed response body to.
pub type BodySeen<'a> = dyn FnMut((usize, usize), Option<&Value>) + 'a;

/// [`check`], handing `seen` the operation and the response body as parsed for the checks (a
/// documented JSON body that parsed), so that a reader of the same body (coverage) does not
/// parse it again. Not called for an exchange that fits no operation or several.
pub fn check_seen(
    specs: &SpecSet,
    ex: &Exchange,
    seen: &mut BodySeen<'_>,
) -> Option<ExchangeReport> {
    let at = match ex.forced_operation {
        Some(at) => at,
        None => match route(specs, &ex.method, ex.url.as_deref().unwrap_or("")) {
            Route::Found(at) => at,
            Route::NotFound => return None,
            Route::Ambiguous(candidates) => return Some(ambiguous(specs, ex, &candidates)),
        },
    };
    let module = &specs.modules[at.0];
    let op = module.ir_operation(at.1);
    let mut findings = Vec::new();
    let body = response_checks(module, at.1, ex, &mut findings);
    seen(at, body.as_ref());
    if let (Some(headers), Some(url)) = (&ex.request_headers, &ex.url) {
        request_checks(module, at.1, headers, url, &mut findings);
        request_body_checks(module, at.1, ex.request_body.as_deref(), &mut findings);
    }
    if let Some(verdict) = &ex.signature {
        findings.extend(request::signature_finding(module, verdict));
    }
    findings.sort_by(|a, b| {
        (a.severity, &a.pointer, a.check, &a.keyword, &a.message)
            .cmp(&(b.severity, &b.pointer, b.check, &b.keyword, &b.message))
    });
    let verdict = if findings.iter().any(|f| f.severity == Level::Error) {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    Some(ExchangeReport {
        source: ex.source.clone(),
        operation: format!("{}/{}", module.name, op.id),
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
            let op = m.ir_operation(oi);
            format!(
                "{}/{} (`{} {}` in {})",
                m.name, op.id, op.method, op.path.text, m.spec_file
            )
        })
        .collect();
    let mut f = Finding::new(Check::Route,
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
