//! Credentials never leave in text this crate hands back, and tools that record or report
//! traffic (the conformance runner) use the same functions, so there is one definition of what
//! a credential is and one way of removing it:
//!
//! - [`is_credential_name`]: header, query, cookie and JSON key names that carry credentials;
//! - [`redact_body`]: JSON bodies walked as JSON (everything under a credential key, at any
//!   depth; `{"name": "X-Auth-Token", "value": …}` pairs and `["Authorization", …]` pairs; JSON
//!   inside strings; echoes inside string values), other text scanned with
//!   [`redact_credentials`], bodies that are not UTF-8 scanned as decoded text;
//! - [`redact_credentials`]: `name:value` / `name=value` / `"name": "value"` echoes in text
//!   (Huawei's API gateway answers a bad AK/SK signature, `APIGW.0301`, with the canonical
//!   request it computed, joined by `|`, real newlines or `\n` escapes, signed
//!   `x-security-token` included), with `Bearer`/`Basic` credentials after their scheme;
//! - [`redact_url`] (credential query and fragment values, URL userinfo).

use std::borrow::Cow;

/// Names whose values are credentials in text although they are not credential names on their
/// own (`Access=` of an AK/SK `Authorization` value).
const ECHO_NAMES: &[&str] = &["access"];

/// Names that are credentials as a whole (compared case-insensitively).
const CREDENTIAL_NAMES: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "www-authenticate",
    "cookie",
    "set-cookie",
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
    "ak",
    "sk",
];

/// Words that make a name a credential wherever they appear in it (case-insensitively).
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "secret",
    "signature",
    "password",
    "passwd",
    "credential",
    "access-key",
    "accesskey",
    "access_key",
    "secret_key",
    "secretkey",
    "api-key",
    "apikey",
    "api_key",
    "private-key",
    "private_key",
    "privatekey",
    "session",
    "x-sdk-content-sha256",
];

/// Authentication schemes whose credential follows them after a space (`Bearer abc`).
const SCHEMES: &[&str] = &[
    "bearer",
    "basic",
    "digest",
    "token",
    "negotiate",
    "oauth",
    "hoba",
    "mutual",
];

/// What replaces a credential.
pub const REDACTED: &str = "[REDACTED]";

/// Whether a header, query parameter, cookie or JSON key name carries a credential:
/// `X-Auth-Token`, `Authorization` (and the AK/SK signature in it), `X-Security-Token`,
/// `X-Subject-Token` (IAM returns tokens there), cookies, and any name that speaks of a token,
/// secret, signature, password, credential, session, API key or access/secret/private key.
pub fn is_credential_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    CREDENTIAL_NAMES.contains(&n.as_str()) || CREDENTIAL_WORDS.iter().any(|w| n.contains(w))
}

/// `k=v&k=v` with the values of credential names replaced; `(start, end)` byte ranges of
/// `text` to replace are pushed to `cuts`.
fn pairs(text: &str, from: usize, to: usize, cuts: &mut Vec<(usize, usize)>) {
    let mut pos = from;
    while pos < to {
        let end = text[pos..to].find('&').map_or(to, |i| pos + i);
        if let Some(eq) = text[pos..end].find('=') {
            let key =
                percent_encoding::percent_decode_str(&text[pos..pos + eq]).decode_utf8_lossy();
            if is_credential_name(&key) && pos + eq + 1 < end {
                cuts.push((pos + eq + 1, end));
            }
        }
        pos = end + 1;
    }
}

/// A URL with the password of its userinfo (`https://user:SECRET@host`) and the values of
/// query and fragment parameters whose names are credentials (`?token=…`, `#access_token=…`)
/// replaced by [`REDACTED`]. Every URL inside `text` is treated, so a header value that holds
/// one can be passed whole.
pub fn redact_url(text: &str) -> Cow<'_, str> {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("://").map(|i| i + from) {
        let start = at + 3;
        let rest = &text[start..];
        let url_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .unwrap_or(rest.len());
        let url_end = start + url_len;
        // Userinfo: up to the last `@` before the path, when it has a `:` (a password may hold
        // `/`, `@` or `+` unencoded in captures).
        let authority_end = rest[..url_len].find(['/', '?', '#']).unwrap_or(url_len);
        let userinfo_end = rest[..url_len]
            .rfind('@')
            .filter(|&a| a > authority_end || rest[..a].find(':').is_some());
        if let Some(a) = userinfo_end {
            if let Some(colon) = rest[..a].find(':').filter(|&c| !rest[..c].contains('/')) {
                cuts.push((start + colon + 1, start + a));
            }
        }
        let path_start = userinfo_end.map_or(start, |a| start + a + 1);
        let query = text[path_start..url_end]
            .find('?')
            .map(|i| path_start + i + 1);
        let fragment = text[path_start..url_end]
            .find('#')
            .map(|i| path_start + i + 1);
        if let Some(q) = query {
            pairs(
                text,
                q,
                fragment.map_or(url_end, |f| f - 1).max(q),
                &mut cuts,
            );
        }
        if let Some(f) = fragment {
            pairs(text, f, url_end, &mut cuts);
        }
        from = url_end.max(start);
    }
    apply(text, cuts)
}

fn apply(text: &str, mut cuts: Vec<(usize, usize)>) -> Cow<'_, str> {
    cuts.retain(|(a, b)| b > a && text[*a..*b] != *REDACTED);
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in cuts {
        if start < last {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(REDACTED);
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// A body with its credentials replaced by [`REDACTED`]. A JSON body is walked as JSON (see
/// the module notes) and, when something was replaced, written again (pretty when it was on
/// several lines); a clean body is returned as it is, uncopied. Other UTF-8 text goes through
/// [`redact_credentials`]; bytes that are not UTF-8 (Latin-1 or GBK error pages, UTF-16) are
/// scanned as decoded text and, when a credential was found, returned as that cleaned text.
pub fn redact_body(body: &[u8]) -> Cow<'_, [u8]> {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(_) => {
            let decoded = decode_lossy(body);
            return match redact_text_or_json(&decoded) {
                Cow::Borrowed(_) => Cow::Borrowed(body),
                Cow::Owned(clean) => Cow::Owned(clean.into_bytes()),
            };
        }
    };
    match redact_text_or_json(text) {
        Cow::Borrowed(_) => Cow::Borrowed(body),
        Cow::Owned(clean) => Cow::Owned(clean.into_bytes()),
    }
}

/// Bytes that are not UTF-8 as text: UTF-16 when they look like it, else lossy UTF-8.
fn decode_lossy(body: &[u8]) -> String {
    let nuls = body.iter().filter(|b| **b == 0).count();
    let (le, be) = (
        body.starts_with(&[0xff, 0xfe]),
        body.starts_with(&[0xfe, 0xff]),
    );
    if le || be || (body.len() >= 4 && nuls * 3 >= body.len()) {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if be || (!le && c[0] == 0) {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(body).into_owned()
}

fn redact_text_or_json(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if matches!(trimmed.as_bytes().first(), Some(b'{' | b'[')) {
        if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(trimmed) {
            if walk(&mut v, false) {
                let written = if trimmed.trim_end().contains('\n') {
                    serde_json::to_string_pretty(&v)
                } else {
                    serde_json::to_string(&v)
                };
                return Cow::Owned(written.unwrap_or_else(|_| REDACTED.to_owned()));
            }
            return Cow::Borrowed(text);
        }
    }
    self::text(text)
}

/// Text cleaned of URL credentials and echoed ones.
fn text(t: &str) -> Cow<'_, str> {
    match redact_url(t) {
        Cow::Borrowed(_) => redact_credentials(t),
        Cow::Owned(u) => Cow::Owned(redact_credentials(&u).into_owned()),
    }
}

/// Whether a number under a credential-named key is a count or a time, not a secret
/// (`token_count`, `session_ttl`, `token_expires_at`).
fn counted(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "count", "total", "num", "size", "length", "len", "expire", "ttl", "time", "index", "limit",
    ]
    .iter()
    .any(|w| k.contains(w))
}

fn redact_all(v: &mut serde_json::Value, numbers: bool) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) if s.is_empty() || s == REDACTED => false,
        Value::String(_) => {
            *v = Value::from(REDACTED);
            true
        }
        Value::Number(_) if numbers => {
            *v = Value::from(REDACTED);
            true
        }
        Value::Array(a) => a.iter_mut().fold(false, |c, x| redact_all(x, numbers) | c),
        Value::Object(o) => o
            .values_mut()
            .fold(false, |c, x| redact_all(x, numbers) | c),
        _ => false,
    }
}

/// Redacts in place; whether anything changed. `sensitive`: the value stands under a
/// credential key.
fn walk(v: &mut serde_json::Value, sensitive: bool) -> bool {
    use serde_json::Value;
    if sensitive {
        return redact_all(v, true);
    }
    match v {
        Value::String(s) => {
            let t = s.trim_start();
            if matches!(t.as_bytes().first(), Some(b'{' | b'[')) {
                if let Ok(mut inner) = serde_json::from_str::<Value>(t) {
                    if walk(&mut inner, false) {
                        *s = inner.to_string();
                        return true;
                    }
                    return false;
                }
            }
            match text(s) {
                Cow::Owned(clean) => {
                    *s = clean;
                    true
                }
                Cow::Borrowed(_) => false,
            }
        }
        Value::Array(a) => {
            // `["Authorization", "Bearer …"]`: a header as a pair.
            if let [Value::String(name), value] = &mut a[..] {
                if is_credential_name(name) {
                    return redact_all(value, true);
                }
            }
            a.iter_mut().fold(false, |c, x| walk(x, false) | c)
        }
        Value::Object(o) => {
            // `{"name": "X-Auth-Token", "value": …}`: a header, cookie or parameter as an object.
            let named = ["name", "key", "header"].iter().any(|k| {
                o.get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(is_credential_name)
            });
            let mut changed = false;
            for (k, x) in o.iter_mut() {
                changed |= if named && k.eq_ignore_ascii_case("value") {
                    redact_all(x, true)
                } else if is_credential_name(k) {
                    redact_all(x, !counted(k))
                } else {
                    walk(x, false)
                };
            }
            changed
        }
        _ => false,
    }
}

/// `text` with the value after every credential name replaced by [`REDACTED`]: a name (see
/// [`is_credential_name`], plus `Access`) followed by `:` or `=`, with optional quotes and
/// spaces around (`"password" : "…"`, `X-Security-Token : …`, `token='…'`). A word starts
/// after anything but a letter, digit, `-`, `_` or `.`, and also right after a `\n`, `\r` or
/// `\t` escape (echoes inside JSON text). A quoted value ends at its quote; another ends at
/// `|`, a line end, a `\` escape, `,`, `;`, `&`, `"`, `'`, `<` or white space — and after
/// `Bearer`, `Basic` and the like, the credential that follows is taken too. Text without any
/// is returned as it is, unallocated (the scan looks only at `:` and `=`).
pub fn redact_credentials(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let ident = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    for (p, &b) in bytes.iter().enumerate() {
        if !matches!(b, b':' | b'=') {
            continue;
        }
        // The name before: spaces, then a closing quote, are skipped.
        let mut j = p;
        while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
            j -= 1;
        }
        if j > 0 && matches!(bytes[j - 1], b'"' | b'\'') {
            j -= 1;
        }
        let mut k = j;
        while k > 0 && ident(bytes[k - 1]) {
            k -= 1;
        }
        // `\nx-security-token`: the `n` belongs to the escape.
        if k < j && k > 0 && bytes[k - 1] == b'\\' && matches!(bytes[k], b'n' | b'r' | b't') {
            k += 1;
        }
        let name = &text[k..j];
        if name.is_empty()
            || !(is_credential_name(name)
                || ECHO_NAMES.iter().any(|e| e.eq_ignore_ascii_case(name)))
        {
            continue;
        }
        // The value after: spaces, then an opening quote.
        let mut v = p + 1;
        while v < bytes.len() && matches!(bytes[v], b' ' | b'\t') {
            v += 1;
        }
        let quote = bytes.get(v).copied().filter(|q| matches!(q, b'"' | b'\''));
        if let Some(q) = quote {
            let start = v + 1;
            let mut e = start;
            while e < bytes.len() && bytes[e] != q && bytes[e] != b'\n' {
                e += if bytes[e] == b'\\' { 2 } else { 1 };
            }
            cuts.push((start, e.min(bytes.len())));
            continue;
        }
        let stop = |b: u8| {
            matches!(
                b,
                b'|' | b'\n'
                    | b'\r'
                    | b'\\'
                    | b','
                    | b';'
                    | b'&'
                    | b'"'
                    | b'\''
                    | b'<'
                    | b' '
                    | b'\t'
            )
        };
        let start = v;
        let mut e = start;
        while e < bytes.len() && !stop(bytes[e]) {
            e += 1;
        }
        let word = &text[start..e];
        if SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(word)) && bytes.get(e) == Some(&b' ') {
            // `Bearer abc`: keep the scheme, take the credential.
            let cred = e + 1;
            let mut f = cred;
            while f < bytes.len() && !stop(bytes[f]) {
                f += 1;
            }
            cuts.push((cred, f));
        } else {
            cuts.push((start, e));
        }
    }
    apply(text, cuts)
}

#[cfg(test)]
mod tests;
