//! Huawei Cloud AK/SK request signing, `SDK-HMAC-SHA256` (feature `signing`): signing a request,
//! and verifying one as it was received.
//!
//! ```text
//! CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
//!                    SignedHeaders \n PayloadHash
//! StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
//! Signature        = hex(hmac_sha256(SK, StringToSign))
//! Authorization    = SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...
//! ```
//!
//! Canonicalization follows Huawei's official Python SDK (`huaweicloudsdkcore` 3.1.219,
//! `signer/signer.py`), which the test suite runs as an oracle on random requests
//! (`docs/signing.md` lists each decision and where the SDKs differ):
//!
//! - Canonical URI: the whole path percent-decoded, split on `/`, each part percent-encoded
//!   (RFC 3986 unreserved characters kept), always ending with `/` — so `a%2Fb` is `a/b`.
//! - Canonical query: the *decoded* pairs (`+` decodes to a space) sorted by key, then value
//!   (repeated keys kept), then each encoded the same way; empty when there is no query.
//!   [`sign`] also sends the query in that order, as the SDK does.
//! - Canonical headers: lower-case names, trimmed values, sorted, `name:value\n` each; `host` is
//!   always signed; headers whose names contain `_` are not signed.
//! - Payload hash: the SHA-256 of the body; for a body whose `Content-Type` is not JSON
//!   (`application/json…` / `application/bson…`) [`sign`] sends and signs
//!   `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, whose value then stands for the hash; no body is
//!   the hash of the empty string.

use super::request::RequestError;
use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The algorithm name.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The header whose value stands for the payload hash (`UNSIGNED-PAYLOAD`).
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";

/// The value of [`CONTENT_SHA256_HEADER`] that [`sign`] sends for a body that is not JSON.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The SHA-256 of nothing: the payload hash of a request without a body.
pub const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// `X-Sdk-Date` for an instant: `YYYYMMDDTHHMMSSZ` in UTC.
pub fn sdk_date(now: super::Timestamp) -> String {
    let (y, mo, d, h, mi, s) = now.utc_parts();
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// Reads an `X-Sdk-Date` value (`YYYYMMDDTHHMMSSZ`, UTC); `None` when it is not one.
pub fn parse_sdk_date(text: &str) -> Option<super::Timestamp> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    super::Timestamp::parse_rfc3339(&rfc3339).ok()
}

fn encode(s: &str) -> Cow<'_, str> {
    utf8_percent_encode(s, UNRESERVED).into()
}

/// Percent-decoding as the SDKs read text (invalid UTF-8 becomes U+FFFD).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match percent_decode(bytes).into() {
        Cow::Borrowed(b) => String::from_utf8_lossy(b),
        Cow::Owned(b) => Cow::Owned(String::from_utf8_lossy(&b).into_owned()),
    }
}

/// A query component as form parsers read it: `+` is a space, then percent-decoding.
fn decode_query_component(s: &str) -> Cow<'_, str> {
    if s.contains('+') {
        Cow::Owned(decode(s.replace('+', " ").as_bytes()).into_owned())
    } else {
        decode(s.as_bytes())
    }
}

/// The canonical URI of a raw (encoded) path: decoded whole, split on `/`, each part encoded,
/// ending with `/`.
pub fn canonical_uri(path: &str) -> String {
    let decoded = decode(path.as_bytes());
    let mut out = String::with_capacity(decoded.len() + 2);
    if !decoded.starts_with('/') {
        out.push('/');
    }
    for (i, part) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&encode(part));
    }
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The pairs of a raw query, decoded (`+` is a space), in the order sent.
pub fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                decode_query_component(k).into_owned(),
                decode_query_component(v).into_owned(),
            )
        })
        .collect()
}

/// The canonical query string of a raw (encoded) query: decoded pairs sorted by key, then
/// value, each encoded, joined with `&`.
pub fn canonical_query(query: Option<&str>) -> String {
    let mut pairs = query_pairs(query);
    pairs.sort_unstable();
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

/// Canonical headers and the signed-headers list of the headers a signer signs: every header
/// but those whose names contain `_`, names lower-cased, values trimmed, sorted.
pub fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let list = headers_to_sign(headers);
    (header_lines(&list), signed_list(&list))
}

fn headers_to_sign(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| !n.contains('_'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    list.sort();
    list
}

fn header_lines(list: &[(String, String)]) -> String {
    let mut out = String::new();
    for (n, v) in list {
        out.push_str(n);
        out.push(':');
        out.push_str(v);
        out.push('\n');
    }
    out
}

fn signed_list(list: &[(String, String)]) -> String {
    let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
    names.join(";")
}

/// The payload hash: the hash of the empty string without a body, else the value of a signed
/// `X-Sdk-Content-Sha256` header, else the body's hash.
fn payload_hash<'a>(body: &[u8], signed: &'a [(String, String)]) -> Cow<'a, str> {
    if body.is_empty() {
        return Cow::Borrowed(EMPTY_HASH);
    }
    match signed
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case(CONTENT_SHA256_HEADER) && !v.is_empty())
    {
        Some((_, v)) => Cow::Borrowed(v),
        None => Cow::Owned(sha256_hex(body)),
    }
}

/// The canonical request over `signed` (lower-case names, trimmed values, in the order given).
fn canonical_request(
    method: &str,
    path: &str,
    query: Option<&str>,
    signed: &[(String, String)],
    body: &[u8],
) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        canonical_uri(path),
        canonical_query(query),
        header_lines(signed),
        signed_list(signed),
        payload_hash(body, signed)
    )
}

fn signature_of(canonical_request: &str, sdk_date: &str, sk: &str) -> String {
    let string_to_sign = format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    hex(&hmac_sha256(sk.as_bytes(), string_to_sign.as_bytes()))
}

/// The signature of a request given as wire data, signing every header but those with `_` in
/// their names: `(signature, signed headers)`.
pub fn signature(
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &[(String, String)],
    body: &[u8],
    sdk_date: &str,
    sk: &str,
) -> (String, String) {
    let list = headers_to_sign(headers);
    let canonical = canonical_request(method, path, query, &list, body);
    (signature_of(&canonical, sdk_date, sk), signed_list(&list))
}

/// The `Host` value a client sends for a URI: the authority without a default port.
pub fn host_of(uri: &http::Uri) -> Option<String> {
    let host = uri.host()?;
    let default = match uri.scheme_str() {
        Some("https") => 443,
        _ => 80,
    };
    Some(match uri.port_u16() {
        Some(p) if p != default => format!("{host}:{p}"),
        _ => host.to_owned(),
    })
}

/// Whether a `Content-Type` makes the payload unsigned (anything but JSON and BSON, compared
/// as the Python SDK does: case-sensitive prefixes).
fn unsigned_payload(content_type: &str) -> bool {
    !content_type.starts_with("application/json") && !content_type.starts_with("application/bson")
}

/// The request's URI with its query in canonical order (what the SDK sends).
fn with_canonical_query(uri: &http::Uri) -> Result<http::Uri, RequestError> {
    let Some(query) = uri.query() else {
        return Ok(uri.clone());
    };
    let canonical = canonical_query(Some(query));
    let path_and_query = if canonical.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{canonical}", uri.path())
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query.parse().map_err(|e: http::uri::InvalidUri| {
        RequestError::InvalidBaseUrl {
            reason: e.to_string(),
        }
    })?);
    http::Uri::from_parts(parts).map_err(|e| RequestError::InvalidBaseUrl {
        reason: e.to_string(),
    })
}

/// Signs a request the way `scheme` names its headers: sets the date header (`X-Sdk-Date`),
/// the security token header when there is a token, `Host`, `X-Sdk-Content-Sha256` for a body
/// that is not JSON, puts the query in canonical order, and sets the signature header
/// (`Authorization`). The secret values are marked sensitive (hidden from `Debug`).
pub fn sign(
    request: &mut http::Request<Vec<u8>>,
    scheme: &super::SigningScheme,
    ak: &str,
    sk: &str,
    security_token: Option<&str>,
    sdk_date: &str,
) -> Result<(), RequestError> {
    let host = host_of(request.uri()).ok_or_else(|| RequestError::InvalidBaseUrl {
        reason: "the request URI has no host to sign".into(),
    })?;
    super::request::set_header(request, "Host", &host)?;
    super::request::set_header(request, scheme.date_header, sdk_date)?;
    if let Some(t) = security_token {
        super::request::set_sensitive_header(request, scheme.security_token_header, t)?;
    }
    let content_type = request.headers().get(http::header::CONTENT_TYPE);
    if content_type
        .is_some_and(|v| !v.is_empty() && unsigned_payload(&String::from_utf8_lossy(v.as_bytes())))
    {
        super::request::set_header(request, CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD)?;
    }
    *request.uri_mut() = with_canonical_query(request.uri())?;
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter(|(n, _)| !n.as_str().eq_ignore_ascii_case(scheme.header))
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let (sig, signed) = signature(
        request.method().as_str(),
        request.uri().path(),
        request.uri().query(),
        &headers,
        request.body(),
        sdk_date,
        sk,
    );
    let value = format!("{ALGORITHM} Access={ak}, SignedHeaders={signed}, Signature={sig}");
    super::request::set_sensitive_header(request, scheme.header, &value)
}

mod verify;
pub use verify::{
    canonical_request_of, redact_canonical_request, verify, verify_named, Authorization,
    ReceivedRequest, Verified, VerifyError,
};
