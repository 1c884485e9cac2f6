//! Credentials never reach a report, a log, a snapshot, a replayed answer or a recording.
//! What a credential is and how it is removed is defined once, in the generated runtime
//! ([`hwc_jobs::runtime::redact`], which also cleans the runtime's own `ApiError`); this module
//! applies it to the runner's data — header lists, URLs and bodies — on read (recordings, bare
//! bodies, live answers), so replay, reports and recordings all start from cleaned data, and
//! again on write (`live --record`).

pub use hwc_jobs::runtime::redact::{is_credential_name, REDACTED};
use hwc_jobs::runtime::redact::{redact_body, redact_credentials, redact_url};
use std::borrow::Cow;

/// A body without credentials ([`redact_body`]: JSON walked as JSON, text scanned for echoes).
pub fn body(bytes: Vec<u8>) -> Vec<u8> {
    match redact_body(&bytes) {
        Cow::Borrowed(_) => bytes,
        Cow::Owned(clean) => clean,
    }
}

/// A URL without credentials (userinfo password, credential query values).
pub fn url(url: &str) -> String {
    redact_url(url).into_owned()
}

/// The scheme word at the start of an `Authorization`-like value, when one is there
/// (`Bearer abc` → `Bearer`; `SDK-HMAC-SHA256 Access=…` → `SDK-HMAC-SHA256`).
fn scheme_word(value: &str) -> Option<&str> {
    let (word, rest) = value.trim_start().split_once(' ')?;
    (!word.is_empty()
        && !rest.trim().is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then_some(word)
}

/// A header value as it may be kept: for a credential header, `[REDACTED]` — after the
/// authentication scheme for `Authorization` (`Bearer [REDACTED]`, `SDK-HMAC-SHA256
/// [REDACTED]`), so that a reader can still tell which scheme was used; otherwise the value
/// with URL credentials (`redact_url`) and echoed credentials removed.
fn redact_header<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if is_credential_name(name) && !value.trim().is_empty() {
        let lower = name.trim().to_ascii_lowercase();
        if lower == "authorization" || lower == "proxy-authorization" {
            if let Some(word) = scheme_word(value) {
                return Cow::Owned(format!("{word} {REDACTED}"));
            }
        }
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

/// A header value as it may be kept (`redact_header`).
pub fn header(name: &str, value: &str) -> String {
    redact_header(name, value).into_owned()
}

/// `text` with every occurrence of the given secret values replaced by [`REDACTED`]: the runner
/// knows the credentials it sent (`live --record`) and removes them whatever form a server echoes
/// them in. Values shorter than 4 characters are not searched (they would match anything).
pub fn known<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        cuts.extend(text.match_indices(s).map(|(i, m)| (i, i + m.len())));
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in cuts {
        if start >= last {
            out.push_str(&text[last..start]);
            out.push_str(REDACTED);
        }
        last = last.max(end);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_keep_the_scheme_and_lose_the_credential() {
        assert_eq!(
            header("Authorization", "Bearer SECRETzz9"),
            "Bearer [REDACTED]"
        );
        assert_eq!(
            header(
                "authorization",
                "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=SECRETzz9"
            ),
            "SDK-HMAC-SHA256 [REDACTED]"
        );
        assert_eq!(header("X-Auth-Token", "SECRETzz9"), REDACTED);
        assert_eq!(header("Set-Cookie", "sid=PLANTED; Path=/"), REDACTED);
        assert_eq!(header("X-Subject-Token", "MIIPLANTED"), REDACTED);
        assert_eq!(
            header("Location", "https://u:PLANTED@h/next"),
            "https://u:[REDACTED]@h/next"
        );
        assert_eq!(header("X-Request-Id", "r-1"), "r-1");
        assert_eq!(
            header("X-Note", "echo x-auth-token=T0KVALUE"),
            "echo x-auth-token=[REDACTED]"
        );
    }

    #[test]
    fn known_secrets_in_any_form() {
        assert_eq!(
            known("echo SECRETzz9 twice SECRETzz9", &["SECRETzz9", "ab"]),
            "echo [REDACTED] twice [REDACTED]"
        );
        // Overlapping secrets: one cut covers both.
        assert_eq!(
            known("x ABCDEFGH y", &["ABCDEF", "DEFGH"]),
            "x [REDACTED] y"
        );
        assert!(matches!(
            known("nothing here", &["SECRETzz9"]),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_runner_uses_the_runtime_definitions() {
        assert!(is_credential_name("X-Subject-Token"));
        assert_eq!(header("Cookie", "a=b"), REDACTED);
        assert_eq!(
            url("https://h/p?limit=1&token=abc#f"),
            "https://h/p?limit=1&token=[REDACTED]#f"
        );
        assert_eq!(
            body(br#"{"password": "x"}"#.to_vec()),
            br#"{"password":"[REDACTED]"}"#
        );
    }
}
