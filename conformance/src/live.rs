//! `conformance live`: calls the real API with a request built from the spec (`crate::build`,
//! over the runtime's request primitives) and checks the answer exactly like `check` does.

use crate::record::{self, Recorded};
use crate::recordings::Exchange;
use crate::spec::SpecSet;
use std::time::{Duration, Instant};

/// The environment variable that holds the token for `live` (AK/SK: `HUAWEICLOUD_SDK_AK` and
/// `HUAWEICLOUD_SDK_SK`, which take precedence).
pub const TOKEN_ENV: &str = hwc_jobs::runtime::ENV_TOKEN;

/// What to call.
pub struct LiveRequest<'a> {
    /// Operation indices.
    pub operation: (usize, usize),
    /// Parameters by wire name (`project_id`, `job_id`, …).
    pub params: Vec<(String, String)>,
    /// `--region`.
    pub region: Option<&'a str>,
    /// `--endpoint`.
    pub endpoint: Option<&'a str>,
    /// The credentials (never printed): a token, or an AK/SK pair that signs the request.
    pub credentials: hwc_jobs::runtime::Credentials,
    /// Request timeout.
    pub timeout: Duration,
}

/// Whether a URL's host is a loopback address.
pub fn is_loopback(url: &str) -> bool {
    let host = crate::url::split_url(url).0.unwrap_or("");
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback())
}

/// The base URL: `--endpoint`, or the spec's server template filled with `--region`.
/// HTTPS is required except to loopback.
pub fn base_url(specs: &SpecSet, req: &LiveRequest<'_>) -> Result<String, String> {
    let module = &specs.modules[req.operation.0];
    let base = match (req.endpoint, req.region) {
        (Some(e), _) => e.to_owned(),
        (None, region) => {
            let server = module
                .api
                .server
                .as_ref()
                .ok_or("the spec has no server: pass --endpoint")?;
            let template = server.url.as_str();
            let region = region
                .map(str::to_owned)
                .or_else(|| {
                    server
                        .variables
                        .iter()
                        .find(|v| v.name == "region")
                        .map(|v| v.default.clone())
                })
                .ok_or("pass --region or --endpoint")?;
            hwc_jobs::runtime::expand_server(template, &[("region", &region)])
                .map_err(|e| e.to_string())?
        }
    };
    let allowed =
        base.starts_with("https://") || (base.starts_with("http://") && is_loopback(&base));
    if !allowed {
        return Err(format!(
            "refusing {base}: only https:// is allowed (plain http only to loopback)"
        ));
    }
    Ok(base)
}

/// Why `live` has no answer to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveError {
    /// Nothing was sent: the request could not be made (a bad parameter, endpoint or credential).
    Usage(String),
    /// The request was made but no HTTP answer came back whole: DNS, TLS, connection, timeout,
    /// or the body broke off.
    Call(String),
}

impl std::fmt::Display for LiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiveError::Usage(m) => f.write_str(m),
            LiveError::Call(m) => write!(f, "the call failed: {m}"),
        }
    }
}

impl From<String> for LiveError {
    fn from(m: String) -> Self {
        LiveError::Usage(m)
    }
}

impl From<&str> for LiveError {
    fn from(m: &str) -> Self {
        LiveError::Usage(m.to_owned())
    }
}

/// The wire name of `--param NAME=…` for an operation: a parameter's exact name, a header's
/// name in any case (HTTP header names are case-insensitive), or `body` for a JSON request body.
/// Anything else is a usage error that lists the valid names.
pub fn param_name(specs: &SpecSet, at: (usize, usize), name: &str) -> Result<String, String> {
    use codegen::ir::ParamIn;
    let module = &specs.modules[at.0];
    let op = module.ir_operation(at.1);
    if let Some(p) = op.params.iter().find(|p| {
        p.wire_name == name
            || (p.location == ParamIn::Header && p.wire_name.eq_ignore_ascii_case(name))
    }) {
        return Ok(p.wire_name.clone());
    }
    if name == "body" && op.body.is_some() {
        return Ok("body".to_owned());
    }
    let mut valid: Vec<String> = op.params.iter().map(|p| p.wire_name.clone()).collect();
    if op.body.is_some() {
        valid.push("body".to_owned());
    }
    let hint = op
        .params
        .iter()
        .find(|p| p.wire_name.eq_ignore_ascii_case(name))
        .map(|p| {
            format!(
                " (did you mean `{}`? query and path names are case-sensitive)",
                p.wire_name
            )
        })
        .unwrap_or_default();
    Err(format!(
        "--param {name}: `{}/{}` has no such parameter{hint}; its parameters: {} (header names in any case)",
        module.name,
        op.id,
        valid.join(", ")
    ))
}

/// Calls the API once. Returns the exchange to check and the recording of it.
pub fn call(specs: &SpecSet, req: &LiveRequest<'_>) -> Result<(Exchange, Recorded), LiveError> {
    let module = &specs.modules[req.operation.0];
    let base = base_url(specs, req)?;
    let mut request = crate::build::build_request(module, req.operation.1, &req.params, &base)?;
    req.credentials
        .apply(
            &mut request,
            hwc_jobs::runtime::Timestamp::now(),
            &module.auth,
        )
        .map_err(|e| e.to_string())?;
    let url = request.uri().to_string();
    let method = request.method().to_string();
    let request_headers = header_pairs(request.headers());
    let (parts, request_body) = request.into_parts();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(req.timeout))
        .build()
        .into();
    let started = hwc_jobs::runtime::Timestamp::now().to_string();
    let t0 = Instant::now();
    // A JSON request body is sent as built (and signed); without one, no body at all.
    let sent = if request_body.is_empty() {
        agent.run(http::Request::from_parts(parts, ()))
    } else {
        agent.run(http::Request::from_parts(parts, request_body.clone()))
    };
    let response =
        sent.map_err(|e| LiveError::Call(format!("{method} {}: {e}", crate::redact::url(&url))))?;
    let status = response.status().as_u16();
    let response_headers = header_pairs(response.headers());
    let body = response
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| LiveError::Call(format!("reading the response: {e}")))?;
    let time_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut recorded = Recorded {
        request_body,
        method: method.clone(),
        url: url.clone(),
        request_headers,
        status,
        response_headers,
        body,
        started,
        time_ms,
    };
    // The credentials this call sent are known: wherever a server echoes them (a header, a
    // body, any form the redaction rules do not know), they are removed before anything is
    // recorded, read or printed.
    scrub_known(&mut recorded, &secrets_of(&req.credentials));
    // Read back through the same path as recordings, so redaction and checks are identical.
    let doc = record::document(std::slice::from_ref(&recorded));
    let bytes = serde_json::to_vec(&doc).map_err(|e| e.to_string())?;
    let mut contents = crate::recordings::parse("live", &bytes, None)?;
    let mut exchange = contents
        .exchanges
        .pop()
        .ok_or("internal error: no exchange recorded")?;
    exchange.source = format!("live {method} {}", crate::redact::url(&url));
    exchange.forced_operation = Some(req.operation);
    Ok((exchange, recorded))
}

/// The secret values of credentials: a token, a secret key, a security token.
fn secrets_of(c: &hwc_jobs::runtime::Credentials) -> Vec<String> {
    use hwc_jobs::runtime::Credentials;
    match c {
        Credentials::Token(t) => vec![t.expose().to_owned()],
        Credentials::AkSk {
            sk, security_token, ..
        } => std::iter::once(sk.expose().to_owned())
            .chain(security_token.as_ref().map(|t| t.expose().to_owned()))
            .collect(),
    }
}

/// Every occurrence of a known secret in a recorded exchange replaced by `[REDACTED]`.
fn scrub_known(r: &mut Recorded, secrets: &[String]) {
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let text = |s: &mut String| {
        if let std::borrow::Cow::Owned(clean) = crate::redact::known(s, &secrets) {
            *s = clean;
        }
    };
    text(&mut r.url);
    for (_, v) in r
        .request_headers
        .iter_mut()
        .chain(r.response_headers.iter_mut())
    {
        text(v);
    }
    for body in [&mut r.body, &mut r.request_body] {
        for s in secrets.iter().filter(|s| s.len() >= 4) {
            let s = s.as_bytes();
            let mut out = Vec::with_capacity(body.len());
            let mut i = 0;
            while i < body.len() {
                if body[i..].starts_with(s) {
                    out.extend_from_slice(hwc_jobs::runtime::REDACTED.as_bytes());
                    i += s.len();
                } else {
                    out.push(body[i]);
                    i += 1;
                }
            }
            *body = out;
        }
    }
}

/// Header names and values as text (values are redacted later, when recorded or read).
fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}
