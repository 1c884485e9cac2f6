//! Credentials echoed back in text. Huawei's API gateway answers a bad AK/SK signature with
//! `APIGW.0301` and a message that quotes the canonical request it computed, `|` for newlines —
//! which includes every signed header, `x-security-token` among them. Error messages and bodies
//! are therefore cleaned before they are kept in an error, printed or recorded.

use std::borrow::Cow;

/// Names whose values are credentials wherever they stand as `name:value` or `name=value`.
const NAMES: &[&str] = &[
    "x-security-token",
    "x-auth-token",
    "x-subject-token",
    "authorization",
    "access",
    "signature",
    "security_token",
    "securitytoken",
    "sk",
];

/// What replaces a credential.
pub const REDACTED: &str = "[REDACTED]";

/// `text` with the value after every credential name (case-insensitive, at a word start,
/// followed by `:` or `=`) replaced by [`REDACTED`]. A value ends at `|`, a line end, `,`, `;`,
/// `&`, `"`, `'`, `<` or white space. Text without one is returned as it is, unallocated (the
/// scan looks only at `:` and `=`, so it is cheap on large JSON bodies).
pub fn redact_credentials(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut p = 0;
    while p < bytes.len() {
        if !matches!(bytes[p], b':' | b'=') {
            p += 1;
            continue;
        }
        let named = NAMES.iter().any(|n| {
            let n = n.as_bytes();
            p >= n.len()
                && bytes[p - n.len()..p].eq_ignore_ascii_case(n)
                && (p == n.len() || {
                    let before = bytes[p - n.len() - 1];
                    !(before.is_ascii_alphanumeric() || matches!(before, b'-' | b'_'))
                })
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
                b'|' | b'\n' | b'\r' | b',' | b';' | b'&' | b'"' | b'\'' | b'<' | b' ' | b'\t'
            )
        {
            p += 1;
        }
        if p > start {
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

#[cfg(test)]
mod tests {
    use super::redact_credentials;

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
}
