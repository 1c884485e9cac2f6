//! `check --verify-signatures`: AK/SK signatures verified with the secret key, on the request
//! as it was recorded, before anything is redacted. Only the verdict leaves this module; the
//! raw headers, the SK and the signature do not.

use crate::recordings::header;
use crate::spec::SpecSet;
use hwc_jobs::runtime::signer::{self, Authorization, ReceivedRequest, VerifyError};
use hwc_jobs::runtime::{Secret, Timestamp, ENV_AK, ENV_SK};
use std::borrow::Cow;
use std::fmt;

/// How far the signing time may be from the time the exchange was recorded (the gateway's
/// window).
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// One signing scheme a spec declares, by its header names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scheme {
    header: String,
    date_header: String,
    algorithm: String,
}

/// The key pair signatures are verified with (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`),
/// and the signing schemes of the spec. `Debug` hides the SK.
#[derive(Clone)]
pub struct SignatureKeys {
    ak: String,
    sk: Secret,
    schemes: Vec<Scheme>,
}

impl fmt::Debug for SignatureKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureKeys")
            .field("ak", &self.ak)
            .field("sk", &self.sk)
            .field("schemes", &self.schemes)
            .finish()
    }
}

impl SignatureKeys {
    /// The key pair from `lookup` (the environment, in the CLI) and the signing schemes every
    /// document of `specs` declares. Both variables are needed; the message names them.
    pub fn from_lookup(
        specs: &SpecSet,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let (Some(ak), Some(sk)) = (
            lookup(ENV_AK).filter(|v| !v.is_empty()),
            lookup(ENV_SK).filter(|v| !v.is_empty()),
        ) else {
            return Err(format!(
                "--verify-signatures needs the key pair in the environment: set {ENV_AK} and {ENV_SK} (the secret key is never taken from the command line)"
            ));
        };
        let mut schemes: Vec<Scheme> = Vec::new();
        for s in specs
            .modules
            .iter()
            .filter_map(|m| m.api.auth.signing.as_ref())
        {
            let scheme = Scheme {
                header: s.header.clone(),
                date_header: s.date_header.clone(),
                algorithm: s.algorithm.clone(),
            };
            if !schemes.contains(&scheme) {
                schemes.push(scheme);
            }
        }
        if schemes.is_empty() {
            return Err("--verify-signatures: no document in spec/ declares an AK/SK signing scheme (x-signing)".into());
        }
        Ok(SignatureKeys {
            ak,
            sk: Secret::new(sk),
            schemes,
        })
    }
}

/// What verifying one recorded request found. Holds no credential: the canonical request is
/// redacted of credential-named headers and query values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureVerdict {
    /// The signature is the one the SK gives, and its date is within the window.
    Verified,
    /// The signature does not match the request as recorded.
    Mismatch {
        /// The canonical request computed from the recording (credential values redacted).
        canonical_request: String,
    },
    /// Valid, but its date could not be compared with when it was recorded (a note).
    VerifiedDateUnchecked {
        /// Why.
        reason: String,
    },
    /// Valid, but signed more than [`MAX_SKEW_SECONDS`] away from when it was recorded.
    Skewed {
        /// The signing time sent.
        sdk_date: String,
        /// Seconds between it and `startedDateTime` (signed: positive when signed later).
        seconds: i64,
    },
    /// The request cannot be verified as it is (a malformed signature header, a signed header
    /// missing, no signing time).
    Invalid {
        /// Why.
        reason: String,
    },
    /// Not verified, and not wrong: signed with another access key, redacted before it was
    /// recorded, or signed in an algorithm this runner does not verify.
    NotVerified {
        /// Why.
        reason: String,
    },
}

/// A recorded request, raw, as [`crate::recordings`] read it before redaction.
pub struct RawRequest<'a> {
    /// Method.
    pub method: &'a str,
    /// The URL as recorded.
    pub url: &'a str,
    /// Headers as recorded.
    pub headers: &'a [(String, String)],
    /// The body as sent (`postData.text`, decoded when marked base64; empty when none), or
    /// why it was not recorded verbatim.
    pub body: Result<&'a [u8], String>,
    /// The entry's `startedDateTime`, when recorded.
    pub started: Option<&'a str>,
}

/// The signature header of one of the spec's schemes: the first header of a scheme's name
/// whose value starts with its algorithm's word (in any case).
fn signature_header<'a>(
    keys: &'a SignatureKeys,
    headers: &'a [(String, String)],
) -> Option<(&'a Scheme, &'a str)> {
    keys.schemes.iter().find_map(|s| {
        headers.iter().find_map(|(n, v)| {
            let word = v.split_whitespace().next()?;
            (n.eq_ignore_ascii_case(&s.header) && word.eq_ignore_ascii_case(&s.algorithm))
                .then_some((s, v.trim()))
        })
    })
}

/// Verifies a recorded request; `None` when it carries no signature of the spec's schemes.
pub fn verify(keys: &SignatureKeys, raw: &RawRequest<'_>) -> Option<SignatureVerdict> {
    let (scheme, value) = signature_header(keys, raw.headers)?;
    let not_verified = |reason: &str| {
        Some(SignatureVerdict::NotVerified {
            reason: reason.to_owned(),
        })
    };
    if scheme.algorithm != signer::ALGORITHM {
        return not_verified(&format!(
            "not verified: the runner verifies {} signatures, not {}",
            signer::ALGORITHM,
            scheme.algorithm
        ));
    }
    if value.contains(crate::redact::REDACTED) {
        return not_verified("not verified: the signature was redacted before it was recorded");
    }
    let invalid = |reason: String| Some(SignatureVerdict::Invalid { reason });
    let auth = match Authorization::parse(value) {
        Ok(a) => a,
        Err(VerifyError::NotSigned) => {
            let word = value.split_whitespace().next().unwrap_or("");
            return invalid(format!(
                "the signature header starts with `{word}`; the algorithm is written `{}`",
                signer::ALGORITHM
            ));
        }
        Err(e) => return invalid(e.to_string()),
    };
    if auth.access != keys.ak {
        return not_verified("not verified: signed with another access key");
    }
    // What the recording no longer holds as it was sent cannot be verified: say so, rather
    // than call it a mismatch.
    let redacted = auth.signed_headers.iter().find(|name| {
        raw.headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.contains(crate::redact::REDACTED))
    });
    if let Some(name) = redacted {
        return not_verified(&format!(
            "not verified: signed header `{name}` was redacted before it was recorded"
        ));
    }
    if raw.url.contains(crate::redact::REDACTED) {
        return not_verified("not verified: the URL was redacted before it was recorded");
    }
    let body = match &raw.body {
        Ok(b) => *b,
        Err(why) => return not_verified(&format!("not verified: {why}")),
    };
    let (_, path, query) = crate::url::split_url(raw.url);
    let headers = with_host(raw.headers, raw.url);
    let received = ReceivedRequest {
        method: raw.method,
        path,
        query,
        headers: &headers,
        body,
    };
    Some(
        match signer::verify_named(
            &received,
            &scheme.header,
            &scheme.date_header,
            keys.sk.expose(),
        ) {
            Ok(ok) => skew(&ok.sdk_date, raw.started),
            Err(VerifyError::Mismatch { canonical_request }) => SignatureVerdict::Mismatch {
                canonical_request: signer::redact_canonical_request(&canonical_request),
            },
            Err(e) => SignatureVerdict::Invalid {
                reason: e.to_string(),
            },
        },
    )
}

/// The headers, with `Host` from HTTP/2's `:authority` or from the URL when the recording has
/// none (HTTP/2 exports carry `:authority`; the gateway signs it as `host`).
fn with_host<'a>(headers: &'a [(String, String)], url: &str) -> Cow<'a, [(String, String)]> {
    if header(headers, "host").is_some() {
        return Cow::Borrowed(headers);
    }
    let authority = header(headers, ":authority")
        .map(|v| v.trim().to_owned())
        .or_else(|| {
            let rest = url.split_once("://")?.1;
            let authority = rest.split(['/', '?', '#']).next()?;
            Some(authority.rsplit('@').next()?.to_owned())
        });
    let mut all = headers.to_vec();
    all.extend(authority.map(|a| ("host".to_owned(), a)));
    Cow::Owned(all)
}

/// A verified signature's date against the recording time.
fn skew(sdk_date: &str, started: Option<&str>) -> SignatureVerdict {
    let signed = signer::parse_sdk_date(sdk_date);
    let unchecked = |why: String| SignatureVerdict::VerifiedDateUnchecked {
        reason: format!(
            "the signature verifies, but its date was not compared with the recording time: {why}"
        ),
    };
    let started = match started.map(|s| (s, Timestamp::parse_rfc3339(s))) {
        None => return unchecked("the entry has no startedDateTime".into()),
        Some((s, Err(_))) => {
            return unchecked(format!(
                "startedDateTime `{s}` is not an RFC 3339 date-time"
            ))
        }
        Some((_, Ok(t))) => Some(t),
    };
    match (signed, started) {
        (Some(signed), Some(started)) => {
            let seconds = signed.as_second() - started.as_second();
            if seconds.abs() > MAX_SKEW_SECONDS {
                SignatureVerdict::Skewed {
                    sdk_date: sdk_date.to_owned(),
                    seconds,
                }
            } else {
                SignatureVerdict::Verified
            }
        }
        (None, _) => SignatureVerdict::Invalid {
            reason: format!("the signing time `{sdk_date}` is not `YYYYMMDDTHHMMSSZ`"),
        },
        (Some(_), None) => SignatureVerdict::Verified,
    }
}

/// How many checked exchanges each verdict had: what `--verify-signatures` did, said on
/// standard error, so that a run that verified nothing cannot pass for one that verified all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Signatures that verified (the date compared, or not comparable).
    pub verified: usize,
    /// Signatures that did not verify, or could not be read.
    pub failed: usize,
    /// Signatures not verified: another key, redacted before recording, another algorithm.
    pub not_verified: usize,
    /// Exchanges without an AK/SK signature.
    pub unsigned: usize,
}

impl Tally {
    /// Counts one checked exchange's verdict.
    pub fn count(&mut self, verdict: Option<&SignatureVerdict>) {
        match verdict {
            None => self.unsigned += 1,
            Some(SignatureVerdict::Verified | SignatureVerdict::VerifiedDateUnchecked { .. }) => {
                self.verified += 1
            }
            Some(SignatureVerdict::NotVerified { .. }) => self.not_verified += 1,
            Some(
                SignatureVerdict::Mismatch { .. }
                | SignatureVerdict::Skewed { .. }
                | SignatureVerdict::Invalid { .. },
            ) => self.failed += 1,
        }
    }

    /// Adds another tally.
    pub fn add(&mut self, other: &Tally) {
        self.verified += other.verified;
        self.failed += other.failed;
        self.not_verified += other.not_verified;
        self.unsigned += other.unsigned;
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} signature(s) verified, {} failed, {} not verified (another key, or redacted); {} exchange(s) unsigned",
            self.verified, self.failed, self.not_verified, self.unsigned
        )
    }
}
