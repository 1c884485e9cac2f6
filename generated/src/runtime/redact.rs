//! Credentials never leave in text this crate hands back, and tools that record or report
//! traffic (the conformance runner) use the same functions, so there is one definition of what
//! a credential is and one way of removing it:
//!
//! - [`is_credential_name`]: header, query, cookie and JSON key names that carry credentials;
//! - [`redact_body`]: JSON bodies walked as JSON (values under credential keys, at any depth, and
//!   credentials echoed inside string values), other text scanned with [`redact_credentials`];
//! - [`redact_credentials`]: `name:value` / `name=value` echoes in text — Huawei's API gateway
//!   answers a bad AK/SK signature (`APIGW.0301`) with the canonical request it computed,
//!   joined by `|`, real newlines or `\n` escapes, signed `x-security-token` included;
//! - [`redact_header`] and [`redact_url`] (sensitive query values and URL userinfo).

use std::borrow::Cow;

/// Names whose values are credentials wherever they stand as `name:value` or `name=value`.
const ECHO_NAMES: &[&str] = &[
    "x-security-token",
    "x-auth-token",
    "x-subject-token",
    "authorization",
    "access",
    "signature",
    "security_token",
    "securitytoken",
    "password",
    "secret",
    "sk",
];

/// Names that are credentials as a whole (compared case-insensitively).
const CREDENTIAL_NAMES: &[&str] = &[
    "authorization",
    "proxy-authorization",
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
    "x-sdk-content-sha256",
];

/// What replaces a credential.
pub const REDACTED: &str = "[REDACTED]";

/// Whether a header, query parameter, cookie or JSON key name carries a credential:
/// `X-Auth-Token`, `Authorization` (and the AK/SK signature in it), `X-Security-Token`,
/// `X-Subject-Token` (IAM returns tokens there), cookies, and any name that speaks of a token,
/// secret, signature, password, credential, API key or access/secret/private key.
pub fn is_credential_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    CREDENTIAL_NAMES.contains(&n.as_str()) || CREDENTIAL_WORDS.iter().any(|w| n.contains(w))
}

/// A header value as it may be kept: [`REDACTED`] for a credential header, otherwise the
/// value with URL credentials ([`redact_url`]) and echoed credentials removed.
pub fn redact_header<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if is_credential_name(name) {
        return Cow::Borrowed(REDACTED);
    }
    let value: Cow<'a, str> = if value.contains("://") {
        match redact_url(value) {
            Cow::Borrowed(_) => Cow::Borrowed(value),
            Cow::Owned(v) => Cow::Owned(v),
        }
    } else {
        Cow::Borrowed(value)
    };
    match value {
        Cow::Borrowed(v) => redact_credentials(v),
        Cow::Owned(v) => Cow::Owned(redact_credentials(&v).into_owned()),
    }
}

/// A URL with the password of its userinfo (`https://user:SECRET@host`) and the values of
/// query parameters whose names are credentials replaced by [`REDACTED`]. Every URL inside
/// `text` is treated, so a header value that holds one can be passed whole.
pub fn redact_url(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut last = 0;
    let mut changed = false;
    let mut from = 0;
    while let Some(at) = text[from..].find("://").map(|i| i + from) {
        let authority_start = at + 3;
        let rest = &text[authority_start..];
        // Userinfo: up to the first `@` before any `?`, `#`, white space or quote, when it has
        // a `:` with no `/` before it (a password may hold `/` or `+`, unencoded, in captures).
        let candidate_len = rest
            .find(|c: char| matches!(c, '?' | '#' | '"' | '\'' | '<' | '>') || c.is_whitespace())
            .unwrap_or(rest.len());
        if let Some(at_sign) = rest[..candidate_len].find('@') {
            let userinfo = &rest[..at_sign];
            if let Some(colon) = userinfo.find(':').filter(|&c| !userinfo[..c].contains('/')) {
                out.push_str(&text[last..authority_start + colon + 1]);
                out.push_str(REDACTED);
                last = authority_start + at_sign;
                changed = true;
            }
        }
        // The query of this URL, up to a fragment, white space or a quote.
        let url_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .map_or(text.len(), |i| authority_start + i);
        if let Some(q) = text[authority_start..url_end].find('?') {
            let mut pos = authority_start + q + 1;
            let query_end = text[pos..url_end].find('#').map_or(url_end, |i| pos + i);
            while pos < query_end {
                let pair_end = text[pos..query_end]
                    .find('&')
                    .map_or(query_end, |i| pos + i);
                let pair = &text[pos..pair_end];
                if let Some(eq) = pair.find('=') {
                    let key = percent_encoding::percent_decode_str(&pair[..eq]).decode_utf8_lossy();
                    if is_credential_name(&key) && pos + eq + 1 < pair_end && pos + eq + 1 >= last {
                        out.push_str(&text[last..pos + eq + 1]);
                        out.push_str(REDACTED);
                        last = pair_end;
                        changed = true;
                    }
                }
                pos = pair_end + 1;
            }
        }
        from = url_end.max(authority_start);
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// A body with its credentials replaced by [`REDACTED`]. A JSON body is walked as JSON: a
/// string under a key that [`is_credential_name`] (at any depth; arrays under such a key too)
/// is replaced, and string values are cleaned of echoed credentials ([`redact_credentials`],
/// after JSON unescaping, so `\n`-joined echoes are found); its layout is kept byte for byte
/// otherwise. Other UTF-8 text goes through [`redact_credentials`]; bytes that are not UTF-8
/// are returned as they are. Nothing is copied when there is nothing to remove.
pub fn redact_body(body: &[u8]) -> Cow<'_, [u8]> {
    let Ok(text) = std::str::from_utf8(body) else {
        return Cow::Borrowed(body);
    };
    let json_like = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    let cleaned = if json_like && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        redact_json(text)
    } else {
        redact_credentials(text)
    };
    match cleaned {
        Cow::Borrowed(_) => Cow::Borrowed(body),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// Where the lexical walk of a JSON text is.
struct Level {
    object: bool,
    /// Objects: the next string is a key. Arrays: unused.
    expect_key: bool,
    /// Objects: the last key names a credential. Arrays: the array stands under such a key.
    sensitive: bool,
}

/// [`redact_body`] for text known to be valid JSON: one pass over its tokens.
fn redact_json(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Level> = Vec::new();
    let mut cuts: Vec<(usize, usize, String)> = Vec::new();
    let value_sensitive = |stack: &[Level]| stack.last().is_some_and(|l| l.sensitive);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push(Level {
                    object: true,
                    expect_key: true,
                    sensitive: false,
                });
                i += 1;
            }
            b'[' => {
                let sensitive = value_sensitive(&stack);
                stack.push(Level {
                    object: false,
                    expect_key: false,
                    sensitive,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                if let Some(l) = stack.last_mut().filter(|l| l.object) {
                    l.expect_key = true;
                    l.sensitive = false;
                }
                i += 1;
            }
            b':' => {
                if let Some(l) = stack.last_mut() {
                    l.expect_key = false;
                }
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                let mut escaped = false;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => {
                            escaped = true;
                            i += 2;
                            continue;
                        }
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                let literal = &text[start..i];
                let decoded = || -> Cow<'_, str> {
                    if escaped {
                        serde_json::from_str::<String>(literal)
                            .map_or(Cow::Borrowed(""), Cow::Owned)
                    } else {
                        Cow::Borrowed(&literal[1..literal.len() - 1])
                    }
                };
                let is_key = stack.last().is_some_and(|l| l.object && l.expect_key);
                if is_key {
                    let sensitive = is_credential_name(&decoded());
                    if let Some(l) = stack.last_mut() {
                        l.sensitive = sensitive;
                    }
                    continue;
                }
                if value_sensitive(&stack) {
                    if literal.len() > 2 {
                        cuts.push((start, i, format!("\"{REDACTED}\"")));
                    }
                } else if literal.contains([':', '=']) {
                    if let Cow::Owned(clean) = redact_credentials(&decoded()) {
                        cuts.push((start, i, serde_json::Value::String(clean).to_string()));
                    }
                }
            }
            _ => i += 1,
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, with) in cuts {
        out.push_str(&text[last..start]);
        out.push_str(&with);
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// `text` with the value after every credential name (case-insensitive, at a word start,
/// followed by `:` or `=`) replaced by [`REDACTED`]. A word starts after anything but a
/// letter, digit, `-` or `_`, and also right after a `\n`, `\r` or `\t` escape (echoes inside
/// JSON text). A value ends at `|`, a line end, a `\` escape, `,`, `;`, `&`, `"`, `'`, `<` or
/// white space. Text without one is returned as it is, unallocated (the scan looks only at
/// `:` and `=`, so it is cheap on large bodies).
pub fn redact_credentials(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut p = 0;
    while p < bytes.len() {
        if !matches!(bytes[p], b':' | b'=') {
            p += 1;
            continue;
        }
        let named = ECHO_NAMES.iter().any(|n| {
            let n = n.as_bytes();
            p >= n.len()
                && bytes[p - n.len()..p].eq_ignore_ascii_case(n)
                && word_start(bytes, p - n.len())
        });
        p += 1;
        if !named {
            continue;
        }
        while matches!(bytes.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        let start = p;
        while p < bytes.len()
            && !matches!(
                bytes[p],
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
        {
            p += 1;
        }
        if p > start && text[start..p] != *REDACTED {
            cuts.push((start, p));
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in cuts {
        out.push_str(&text[last..start]);
        out.push_str(REDACTED);
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// Whether a name starting at `at` starts a word (see [`redact_credentials`]).
fn word_start(bytes: &[u8], at: usize) -> bool {
    if at == 0 {
        return true;
    }
    let before = bytes[at - 1];
    if !(before.is_ascii_alphanumeric() || matches!(before, b'-' | b'_')) {
        return true;
    }
    at >= 2 && bytes[at - 2] == b'\\' && matches!(before, b'n' | b'r' | b't')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gateway_echo_of_a_canonical_request() {
        let msg = "Verify authroization failed. The canonical request is: GET|/v3/p/cas/jobs/j/||content-type:application/json|host:servicestage.cn-north-4.myhuaweicloud.com|x-sdk-date:20261123T010203Z|X-Security-Token:gQpjbi1ub3J0aC00iSECRET|content-type;host;x-sdk-date;x-security-token|e3b0c442";
        let out = redact_credentials(msg);
        assert!(!out.contains("gQpjbi1ub3J0aC00iSECRET"), "{out}");
        assert!(
            out.contains("X-Security-Token:[REDACTED]|content-type;host"),
            "{out}"
        );
        assert!(
            out.contains("host:servicestage.cn-north-4.myhuaweicloud.com|"),
            "the rest is kept: {out}"
        );
    }

    #[test]
    fn headers_and_parameters_in_any_case() {
        let out = redact_credentials(
            "Authorization: SDK-HMAC-SHA256 Access=AKID123, SignedHeaders=host;x-sdk-date, Signature=abcdef0123; x-auth-token=T0KVALUE&sk=s3cr3t",
        );
        for secret in [
            "AKID123",
            "abcdef0123",
            "T0KVALUE",
            "s3cr3t",
            "SDK-HMAC-SHA256",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(out.contains("SignedHeaders=host;x-sdk-date"), "{out}");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "",
            "The job does not exist.",
            "no access to this resource",
            "risk:low",
            "task:SK-1 failed",
            "signatures: none",
            "é漢🙂 access",
        ] {
            assert_eq!(redact_credentials(text), text);
        }
    }
    #[test]
    fn json_keys_that_name_credentials_at_any_depth() {
        let body = br#"{"x-security-token": "S1", "headers": {"X-Auth-Token": "S2", "Accept": "a"}, "list": [{"password": "S3"}], "api_keys": ["S4", "S5"], "token_count": 3, "name": "job"}"#;
        let out = String::from_utf8(redact_body(body).into_owned()).unwrap();
        for secret in ["S1", "S2", "S3", "S4", "S5"] {
            assert!(!out.contains(&format!("\"{secret}\"")), "{secret} in {out}");
        }
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["headers"]["Accept"], "a");
        assert_eq!(v["token_count"], 3, "numbers are not credentials");
        assert_eq!(v["name"], "job");
        assert_eq!(v["api_keys"][1], REDACTED);
    }

    #[test]
    fn echoes_inside_json_strings_in_every_separator_form() {
        for sep in ["|", "\n", "\r\n"] {
            let msg = format!("GET{sep}/v3/p/{sep}host:h{sep}x-security-token:PLANTED{sep}x-sdk-date:20261130T000000Z");
            let body =
                serde_json::json!({"error_code": "APIGW.0301", "error_msg": msg}).to_string();
            let out = String::from_utf8(redact_body(body.as_bytes()).into_owned()).unwrap();
            assert!(!out.contains("PLANTED"), "{sep:?}: {out}");
            assert!(out.contains("x-sdk-date:20261130T000000Z"), "{out}");
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["error_code"], "APIGW.0301");
        }
    }

    #[test]
    fn escaped_newlines_in_text_that_is_not_json() {
        let text = r"message: GET\n/v3/\nx-security-token:PLANTED\nhost:h";
        let out = redact_credentials(text);
        assert!(!out.contains("PLANTED"), "{out}");
        assert!(out.ends_with(r"\nhost:h"), "{out}");
        // Truncated JSON is not JSON: it is scanned as text.
        let cut = br#"{"msg": "x-auth-token:PLANTED|host:h", "x-auth-token": "#;
        assert!(!String::from_utf8_lossy(&redact_body(cut)).contains("PLANTED"));
    }

    #[test]
    fn json_layout_is_kept_and_clean_bodies_are_not_copied() {
        let body = b"{\n  \"a\" : [1, 2, {\"b\\\"c\": \"d\\\\\"}],\n  \"token\" : \"t\"\n}\n";
        let out = redact_body(body);
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            "{\n  \"a\" : [1, 2, {\"b\\\"c\": \"d\\\\\"}],\n  \"token\" : \"[REDACTED]\"\n}\n"
        );
        let clean = br#"{"job": {"status": "RUNNING", "url": "https://h/p?limit=1"}}"#;
        assert!(matches!(redact_body(clean), Cow::Borrowed(_)));
        assert!(matches!(redact_body(&[0xff, 0x00]), Cow::Borrowed(_)));
        assert_eq!(
            redact_body(br#"{"token": ""}"#).as_ref(),
            br#"{"token": ""}"#
        );
    }

    #[test]
    fn urls_userinfo_and_query() {
        assert_eq!(
            redact_url("https://user:PLANTED@host:8443/p?limit=1&X-Auth-Token=PLANTED2&b=2#f"),
            "https://user:[REDACTED]@host:8443/p?limit=1&X-Auth-Token=[REDACTED]&b=2#f"
        );
        assert_eq!(redact_url("https://host/p"), "https://host/p");
        assert_eq!(redact_url("https://user@host/p"), "https://user@host/p");
        assert_eq!(
            redact_url("see https://a:PLANTED@h/x and http://h2/?sk=PLANTED"),
            "see https://a:[REDACTED]@h/x and http://h2/?sk=[REDACTED]"
        );
        assert_eq!(redact_url("/relative?token=x"), "/relative?token=x");
        assert_eq!(
            redact_url("https://u:a/b+c@h/p"),
            "https://u:[REDACTED]@h/p",
            "an unencoded `/` in a captured password"
        );
        assert_eq!(redact_url("https://h:8443/a@b"), "https://h:[REDACTED]@b");
    }

    #[test]
    fn headers() {
        assert_eq!(redact_header("Set-Cookie", "sid=PLANTED; Path=/"), REDACTED);
        assert_eq!(redact_header("X-Subject-Token", "MIIPLANTED"), REDACTED);
        assert_eq!(
            redact_header("Location", "https://u:PLANTED@h/next"),
            "https://u:[REDACTED]@h/next"
        );
        assert_eq!(redact_header("X-Request-Id", "r-1"), "r-1");
        for n in [
            "X-Auth-Token",
            "authorization",
            "Cookie",
            "access_key_id",
            "X-Sdk-Signature",
            "client_secret",
            "apiKey",
        ] {
            assert!(is_credential_name(n), "{n}");
        }
        for n in [
            "X-Environment-ID",
            "Content-Type",
            "X-Request-Id",
            "limit",
            "X-Sdk-Date",
            "task_name",
        ] {
            assert!(!is_credential_name(n), "{n}");
        }
    }
}
