//! Credentials never reach a report, a log, a snapshot or a recording.

/// What replaces a credential (the generated runtime's marker, so both say the same).
pub use hwc_jobs::runtime::REDACTED;

/// A body with credentials quoted in it redacted (the API gateway's `APIGW.0301` answer quotes
/// the signed headers, `x-security-token` among them): see
/// [`hwc_jobs::runtime::redact_credentials`]. Bodies that are not UTF-8 are kept as they are.
pub fn body(bytes: Vec<u8>) -> Vec<u8> {
    match std::str::from_utf8(&bytes).map(hwc_jobs::runtime::redact_credentials) {
        Ok(std::borrow::Cow::Owned(clean)) => clean.into_bytes(),
        _ => bytes,
    }
}

/// Whether a header or query parameter name carries a credential: `X-Auth-Token`,
/// `Authorization` (and its AK/SK signature), `X-Security-Token`, cookies, and any
/// name that speaks of a token, secret, signature, password or access key.
pub fn is_sensitive(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "authorization"
            | "proxy-authorization"
            | "cookie"
            | "set-cookie"
            | "x-auth-token"
            | "x-subject-token"
            | "x-security-token"
            | "ak"
            | "sk"
    ) || [
        "token",
        "secret",
        "signature",
        "password",
        "access-key",
        "accesskey",
        "access_key",
        "secret_key",
        "secretkey",
        "x-sdk-content-sha256",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Redacts sensitive query parameter values in a URL.
pub fn url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if is_sensitive(&decode(k)) => format!("{k}={REDACTED}"),
            _ => kv.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", parts.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Percent-decodes (lossily) a query component.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "X-Auth-Token",
            "authorization",
            "X-Security-Token",
            "Cookie",
            "access_key_id",
            "X-Sdk-Signature",
            "token",
        ] {
            assert!(is_sensitive(n), "{n}");
        }
        for n in [
            "X-Environment-ID",
            "Content-Type",
            "X-Request-Id",
            "limit",
            "X-Sdk-Date",
        ] {
            assert!(!is_sensitive(n), "{n}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            url("https://h/p?limit=1&token=abc#f"),
            "https://h/p?limit=1&token=[REDACTED]#f"
        );
        assert_eq!(url("https://h/p"), "https://h/p");
        assert_eq!(decode("a%2Fb+c%zz%"), "a/b c%zz%");
    }
}
