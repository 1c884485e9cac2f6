//! Credentials never reach a report, a log, a snapshot, a replayed answer or a recording.
//! What a credential is and how it is removed is defined once, in the generated runtime
//! ([`hwc_jobs::runtime::redact`], which also cleans the runtime's own `ApiError`); this module
//! applies it to the runner's data — header lists, URLs and bodies — on read (recordings, bare
//! bodies, live answers), so replay, reports and recordings all start from cleaned data, and
//! again on write (`live --record`).

pub use hwc_jobs::runtime::redact::{is_credential_name, REDACTED};
use hwc_jobs::runtime::redact::{redact_body, redact_header, redact_url};
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

/// A header value as it may be kept ([`redact_header`]).
pub fn header(name: &str, value: &str) -> String {
    redact_header(name, value).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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
