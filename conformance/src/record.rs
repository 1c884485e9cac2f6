//! Writing HAR 1.2 recordings, with credentials redacted on write.

use crate::redact;
use base64::Engine as _;
use serde_json::{json, Value};

/// One exchange to record.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Request headers as sent.
    pub request_headers: Vec<(String, String)>,
    /// Request body as sent (empty: none).
    pub request_body: Vec<u8>,
    /// Response status.
    pub status: u16,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// Response body.
    pub body: Vec<u8>,
    /// When the request started (RFC 3339).
    pub started: String,
    /// How long it took, in milliseconds.
    pub time_ms: f64,
}

/// The HAR request; a body is recorded as `postData` (credentials in it redacted).
fn request_json(e: &Recorded) -> Value {
    let mut r = json!({
        "method": e.method,
        "url": redact::url(&e.url),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers(&e.request_headers),
        "queryString": query(&e.url),
        "headersSize": -1,
        "bodySize": e.request_body.len()
    });
    if !e.request_body.is_empty() {
        let mime = e
            .request_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map_or("application/json", |(_, v)| v.as_str());
        let text = String::from_utf8_lossy(&redact::body(e.request_body.clone())).into_owned();
        r["postData"] = json!({"mimeType": mime, "text": text});
    }
    r
}

fn headers(list: &[(String, String)]) -> Value {
    Value::Array(
        list.iter()
            .map(|(n, v)| json!({"name": n, "value": redact::header(n, v)}))
            .collect(),
    )
}

fn query(url: &str) -> Value {
    let q = crate::url::split_url(url).2.unwrap_or("");
    Value::Array(
        crate::url::query_pairs(q)
            .into_iter()
            .map(|(k, v)| {
                let v = if redact::is_credential_name(&k) {
                    redact::REDACTED.to_owned()
                } else {
                    v
                };
                json!({"name": k, "value": v})
            })
            .collect(),
    )
}

/// A HAR 1.2 document of the exchanges; header values and query values that carry
/// credentials are replaced by `[REDACTED]`.
pub fn document(entries: &[Recorded]) -> Value {
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mime = e
                .response_headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let content = match String::from_utf8(redact::body(e.body.clone())) {
                Ok(text) => json!({"size": e.body.len(), "mimeType": mime, "text": text}),
                Err(_) => json!({
                    "size": e.body.len(),
                    "mimeType": mime,
                    "encoding": "base64",
                    "text": base64::engine::general_purpose::STANDARD.encode(&e.body)
                }),
            };
            json!({
                "startedDateTime": e.started,
                "time": e.time_ms,
                "request": request_json(e),
                "response": {
                    "status": e.status,
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": headers(&e.response_headers),
                    "content": content,
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": e.body.len()
                },
                "cache": {},
                "timings": {"send": 0, "wait": e.time_ms, "receive": 0}
            })
        })
        .collect();
    json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "hwc-jobs conformance", "version": env!("CARGO_PKG_VERSION")},
            "entries": entries
        }
    })
}
