//! Reading what to check: HAR 1.2 files (read leniently), bare JSON bodies, folders, stdin.

use crate::redact;
use crate::signatures::{RawRequest, SignatureKeys};
use base64::Engine as _;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One recorded request/response pair. Credential values are already redacted.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    /// Where it came from: `file#/log/entries/3`, or the file of a bare body.
    pub source: String,
    /// HTTP method (upper case); empty for a bare body.
    pub method: String,
    /// The request URL (sensitive query values redacted), when known.
    pub url: Option<String>,
    /// Request headers (sensitive values redacted), when known.
    pub request_headers: Option<Vec<(String, String)>>,
    /// Response status.
    pub status: u16,
    /// Response headers (sensitive values redacted).
    pub response_headers: Vec<(String, String)>,
    /// The response content type (header, else HAR `mimeType`).
    pub content_type: Option<String>,
    /// Response body bytes.
    pub body: Vec<u8>,
    /// Why the body could not be read from the recording (bad base64), if so.
    pub body_error: Option<String>,
    /// The operation, when given on the command line (bare bodies).
    pub forced_operation: Option<(usize, usize)>,
    /// The request body (HAR `postData.text`, credentials redacted), when one was recorded.
    pub request_body: Option<Vec<u8>>,
    /// The AK/SK signature verified on the raw request (`check --verify-signatures`), when
    /// keys were given and the request is signed.
    pub signature: Option<crate::signatures::SignatureVerdict>,
}

/// A HAR entry that was not checked, and why.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// Where.
    pub source: String,
    /// Why.
    pub reason: String,
}

/// What one input file holds.
#[derive(Debug, Default)]
pub struct FileContents {
    /// Exchanges to check.
    pub exchanges: Vec<Exchange>,
    /// Entries passed over.
    pub skipped: Vec<Skipped>,
}

/// A bare body's operation and status, from `--operation` and `--status`.
#[derive(Debug, Clone, Copy)]
pub struct Bare {
    /// Operation indices.
    pub operation: (usize, usize),
    /// Status (default 200).
    pub status: u16,
}

/// A path given on the command line, expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// How reports name it.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".into(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Expands command-line paths: folders are walked recursively (sorted; `.har` and `.json`
/// files), `-` is standard input. A path that does not exist is an error.
pub fn expand(paths: &[String]) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Source::Stdin);
            continue;
        }
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| format!("{p}: cannot read: {e}"))?;
        if meta.is_dir() {
            walk_dir(path, &mut out).map_err(|e| format!("{p}: cannot read the folder: {e}"))?;
        } else {
            out.push(Source::File(path.to_path_buf()));
        }
    }
    Ok(out)
}

fn walk_dir(dir: &Path, out: &mut Vec<Source>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            walk_dir(&e, out)?;
        } else if matches!(e.extension().and_then(|x| x.to_str()), Some("har" | "json")) {
            out.push(Source::File(e));
        }
    }
    Ok(())
}

/// Reads a source's bytes (an I/O failure is "unreadable input").
pub fn read(source: &Source) -> Result<Vec<u8>, String> {
    match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
                .map_err(|e| format!("-: cannot read standard input: {e}"))?;
            Ok(buf)
        }
        Source::File(p) => {
            std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))
        }
    }
}

/// Parses one input: a HAR file (an object with `log`), or, with `bare`, a body.
/// A file that is neither is "unreadable input" with a message that says why.
pub fn parse(name: &str, bytes: &[u8], bare: Option<Bare>) -> Result<FileContents, String> {
    parse_verifying(name, bytes, bare, None)
}

/// [`parse`], and with `keys`, each signed HAR request's signature verified on the request as
/// recorded, before it is redacted ([`Exchange::signature`]).
pub fn parse_verifying(
    name: &str,
    bytes: &[u8],
    bare: Option<Bare>,
    keys: Option<&SignatureKeys>,
) -> Result<FileContents, String> {
    let json: Result<Value, _> = serde_json::from_slice(bytes);
    if let Ok(Value::Object(obj)) = &json {
        if let Some(log) = obj.get("log") {
            return Ok(har(name, log, keys));
        }
    }
    match bare {
        Some(b) => Ok(FileContents {
            exchanges: vec![Exchange {
                source: name.to_owned(),
                status: b.status,
                content_type: Some("application/json".into()),
                body: redact::body(bytes.to_vec()),
                forced_operation: Some(b.operation),
                request_body: None,
                ..Exchange::default()
            }],
            skipped: Vec::new(),
        }),
        None => Err(match json {
            Err(e) => format!("{name}: not a HAR file: the file is not valid JSON ({e}); to check a bare body, pass --operation"),
            Ok(_) => format!("{name}: not a HAR file (no `log` object); to check a bare JSON body, pass --operation"),
        }),
    }
}

/// Headers as recorded: not to be kept, only verified ([`redacted`] keeps them).
fn raw_headers(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|h| {
                    let name = h.get("name")?.as_str()?.to_owned();
                    let value = h.get("value").and_then(Value::as_str).unwrap_or("");
                    Some((name, value.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn redacted(mut headers: Vec<(String, String)>) -> Vec<(String, String)> {
    for (name, value) in &mut headers {
        *value = redact::header(name, value);
    }
    headers
}

fn headers(v: Option<&Value>) -> Vec<(String, String)> {
    redacted(raw_headers(v))
}

/// Header lookup, case-insensitive.
pub fn header<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The request body as it was sent, for verifying its signature: `postData.text` (decoded when
/// marked base64, as some exporters do), or why the recording does not hold it verbatim.
fn raw_post_body(post: Option<&Value>) -> Result<Vec<u8>, String> {
    let Some(post) = post else {
        return Ok(Vec::new());
    };
    match post.get("text").and_then(Value::as_str) {
        Some(text) if post.get("encoding").and_then(Value::as_str) == Some("base64") => {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| format!("postData.text is marked base64 but does not decode: {e}"))
        }
        Some(text) => Ok(text.as_bytes().to_vec()),
        None if post
            .get("params")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty()) =>
        {
            Err("the request body was recorded as postData.params, not as the bytes sent".into())
        }
        None => Ok(Vec::new()),
    }
}

fn har(name: &str, log: &Value, keys: Option<&SignatureKeys>) -> FileContents {
    let mut out = FileContents::default();
    let Some(entries) = log.get("entries").and_then(Value::as_array) else {
        return out;
    };
    for (i, entry) in entries.iter().enumerate() {
        let source = format!("{name}#/log/entries/{i}");
        let skip = |reason: &str| Skipped {
            source: source.clone(),
            reason: reason.to_owned(),
        };
        let (Some(req), Some(resp)) = (entry.get("request"), entry.get("response")) else {
            out.skipped
                .push(skip("malformed entry: no request or no response"));
            continue;
        };
        let method = req
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_uppercase();
        let Some(url) = req.get("url").and_then(Value::as_str) else {
            out.skipped.push(skip("malformed entry: no request.url"));
            continue;
        };
        let status = resp.get("status").and_then(Value::as_u64).unwrap_or(0);
        if status == 0 || status > 999 {
            out.skipped
                .push(skip("no response was received (status 0)"));
            continue;
        }
        let response_headers = headers(resp.get("headers"));
        let content = resp.get("content");
        let mime = content
            .and_then(|c| c.get("mimeType"))
            .and_then(Value::as_str);
        let content_type = header(&response_headers, "content-type")
            .or(mime)
            .map(str::to_owned);
        let text = content
            .and_then(|c| c.get("text"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let base64 = content
            .and_then(|c| c.get("encoding"))
            .and_then(Value::as_str)
            == Some("base64");
        let (body, body_error) = if base64 {
            match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                Ok(b) => (b, None),
                Err(e) => (
                    Vec::new(),
                    Some(format!("content is marked base64 but does not decode: {e}")),
                ),
            }
        } else {
            (text.as_bytes().to_vec(), None)
        };
        let post_text = req
            .get("postData")
            .and_then(|p| p.get("text"))
            .and_then(Value::as_str);
        let request_headers = raw_headers(req.get("headers"));
        let signature = keys.and_then(|keys| {
            let body = raw_post_body(req.get("postData"));
            crate::signatures::verify(
                keys,
                &RawRequest {
                    method: &method,
                    url,
                    headers: &request_headers,
                    body: body.as_deref().map_err(Clone::clone),
                    started: entry.get("startedDateTime").and_then(Value::as_str),
                },
            )
        });
        let request_body = post_text.map(|t| redact::body(t.as_bytes().to_vec()));
        out.exchanges.push(Exchange {
            source,
            method,
            url: Some(redact::url(url)),
            request_headers: Some(redacted(request_headers)),
            status: status as u16,
            response_headers,
            content_type,
            body: redact::body(body),
            body_error,
            forced_operation: None,
            request_body,
            signature,
        });
    }
    out
}
