//! Huawei Cloud AK/SK request signing, `SDK-HMAC-SHA256` (feature `signing`).
//!
//! Written from Huawei's public description of the algorithm:
//!
//! ```text
//! CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
//!                    SignedHeaders \n hex(sha256(body))
//! StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
//! Signature        = hex(hmac_sha256(SK, StringToSign))
//! Authorization    = SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...
//! ```
//!
//! - Canonical URI: every path segment percent-encoded (RFC 3986 unreserved characters kept),
//!   always ending with `/`.
//! - Canonical query: keys and values percent-encoded the same way, sorted by key then value
//!   (repeated keys kept), joined with `&`; empty when there is no query.
//! - Canonical headers: lower-case names, trimmed values, sorted, `name:value\n` each; `host`
//!   is always signed; headers whose names contain `_` are not signed.

use super::request::RequestError;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The algorithm name.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

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

fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The canonical URI of a path.
pub fn canonical_uri(path: &str) -> String {
    let mut out: String = path
        .split('/')
        .map(|seg| encode(&decode(seg)))
        .collect::<Vec<_>>()
        .join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical query string of a raw (encoded) query.
pub fn canonical_query(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (encode(&decode(k)), encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Canonical headers and the signed-headers list, from (name, value) pairs.
pub fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut list: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| !n.contains('_'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    list.sort();
    let canonical: String = list.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed = list
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (canonical, signed)
}

/// The signature of a request given as wire data (what a server recomputes).
pub fn signature(
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &[(String, String)],
    body: &[u8],
    sdk_date: &str,
    sk: &str,
) -> (String, String) {
    let (canonical_headers, signed) = canonical_headers(headers);
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers,
        signed,
        sha256_hex(body)
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    (
        hex(&hmac_sha256(sk.as_bytes(), string_to_sign.as_bytes())),
        signed,
    )
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

/// Signs a request the way `scheme` names its headers: sets the date header (`X-Sdk-Date`),
/// the security token header when there is a token, `Host`, and the signature header
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
