//! Verifying a received request's signature, as a server does.

use super::{canonical_request, decode, signature_of, ALGORITHM, CONTENT_SHA256_HEADER};
use std::fmt;

/// The parts of an `SDK-HMAC-SHA256` signature header value. `Debug` hides the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    /// `Access=`: the access key ID (not secret).
    pub access: String,
    /// `SignedHeaders=`: the names of the signed headers, in the order listed.
    pub signed_headers: Vec<String>,
    signature: String,
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("access", &self.access)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"[REDACTED]")
            .finish()
    }
}

impl Authorization {
    /// Reads `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` (parts in any order,
    /// separated by commas and spaces). The error says what is wrong, never the value.
    pub fn parse(value: &str) -> Result<Self, VerifyError> {
        let malformed = |reason: &str| VerifyError::Malformed {
            reason: reason.to_owned(),
        };
        let rest = value
            .trim()
            .strip_prefix(ALGORITHM)
            .filter(|r| r.starts_with([' ', '\t']))
            .ok_or(VerifyError::NotSigned)?;
        let (mut access, mut signed, mut signature) = (None, None, None);
        for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| malformed("a part of the signature header is not `name=value`"))?;
            let slot = match k.trim() {
                "Access" => &mut access,
                "SignedHeaders" => &mut signed,
                "Signature" => &mut signature,
                _ => return Err(malformed("the signature header has an unknown part")),
            };
            if slot.replace(v.trim().to_owned()).is_some() {
                return Err(malformed("a part of the signature header is repeated"));
            }
        }
        let (Some(access), Some(signed), Some(signature)) = (access, signed, signature) else {
            return Err(malformed(
                "the signature header lacks Access, SignedHeaders or Signature",
            ));
        };
        if access.is_empty() || signed.is_empty() || signature.is_empty() {
            return Err(malformed("a part of the signature header is empty"));
        }
        // Signers list lower-case names, and servers look them up as listed.
        if signed.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(malformed("SignedHeaders names must be lower-case"));
        }
        Ok(Authorization {
            access,
            signed_headers: signed.split(';').map(str::to_owned).collect(),
            signature,
        })
    }
}

/// A request as it came over the wire, for [`verify`].
#[derive(Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, raw (percent-encoded as sent).
    pub path: &'a str,
    /// The query, raw, without `?`.
    pub query: Option<&'a str>,
    /// Every header as received, in order (names in any case).
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

impl fmt::Debug for ReceivedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers.len())
            .field("body", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A signature that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key ID that signed.
    pub access: String,
    /// The signing time as sent (`YYYYMMDDTHHMMSSZ`).
    pub sdk_date: String,
}

/// Why a received request's signature does not verify. No variant holds the SK, the
/// signature or a header value, but [`VerifyError::Mismatch`] holds the canonical request,
/// which has the signed headers' values (see [`VerifyError::canonical_request`]).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// No signature header, or one of another algorithm.
    NotSigned,
    /// The signature header cannot be read.
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// The signing time header is missing.
    MissingDate,
    /// A header that `SignedHeaders` names was not received.
    MissingSignedHeader {
        /// Its name.
        name: String,
    },
    /// A signed header's value holds a line break, which no HTTP request can carry.
    LineBreakInHeader {
        /// Its name.
        name: String,
    },
    /// The signature is not the one the SK gives for the request as received.
    Mismatch {
        /// The canonical request computed from what was received.
        canonical_request: String,
    },
}

impl VerifyError {
    /// The canonical request computed, on a mismatch: compare it line by line with the one a
    /// gateway's `APIGW.0301` answer holds ([`crate::runtime::ApiError::server_canonical_request`]).
    /// It carries the values of the signed headers (a signed `X-Security-Token` too): pass it
    /// through [`redact_canonical_request`] before it goes anywhere others read.
    pub fn canonical_request(&self) -> Option<&str> {
        match self {
            VerifyError::Mismatch { canonical_request } => Some(canonical_request),
            _ => None,
        }
    }
}

impl fmt::Debug for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Mismatch { canonical_request } => f
                .debug_struct("Mismatch")
                .field(
                    "canonical_request",
                    &redact_canonical_request(canonical_request),
                )
                .finish(),
            other => write!(f, "{other}"),
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::NotSigned => write!(f, "the request carries no {ALGORITHM} signature"),
            VerifyError::Malformed { reason } => write!(f, "unreadable signature header: {reason}"),
            VerifyError::MissingDate => f.write_str("the signing time header is missing"),
            VerifyError::MissingSignedHeader { name } => {
                write!(f, "signed header `{name}` was not received")
            }
            VerifyError::LineBreakInHeader { name } => write!(
                f,
                "the value of signed header `{name}` holds a line break, which no HTTP request can carry"
            ),
            VerifyError::Mismatch { .. } => f.write_str(
                "the signature does not match the request as received with this secret key",
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

/// The values of every signed header `names` lists, as received (repeated headers joined by
/// `,`), trimmed.
fn received_signed_headers(
    headers: &[(String, String)],
    names: &[String],
) -> Result<Vec<(String, String)>, VerifyError> {
    names
        .iter()
        .map(|name| {
            let values: Vec<&str> = headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
                .collect();
            if values.is_empty() {
                return Err(VerifyError::MissingSignedHeader { name: name.clone() });
            }
            if values.iter().any(|v| v.contains(['\r', '\n'])) {
                return Err(VerifyError::LineBreakInHeader { name: name.clone() });
            }
            Ok((name.clone(), values.join(",")))
        })
        .collect()
}

/// The canonical request of a received request over the headers `signed_headers` names (as
/// an `Authorization` value's `SignedHeaders` lists them): what a server hashes and signs.
pub fn canonical_request_of(
    request: &ReceivedRequest<'_>,
    signed_headers: &[String],
) -> Result<String, VerifyError> {
    let signed = received_signed_headers(request.headers, signed_headers)?;
    Ok(canonical_request(
        request.method,
        request.path,
        request.query,
        &signed,
        request.body,
    ))
}

/// Compares two strings in time that does not depend on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Verifies a received request's signature with the SK, as a server does: over exactly the
/// headers its `SignedHeaders` names (headers added after signing are ignored), with the date
/// it sent. On a mismatch the error holds the canonical request computed.
pub fn verify(
    request: &ReceivedRequest<'_>,
    scheme: &crate::runtime::SigningScheme,
    sk: &str,
) -> Result<Verified, VerifyError> {
    verify_named(request, scheme.header, scheme.date_header, sk)
}

/// [`verify`] with the scheme's header names given as text (the signature header, such as
/// `Authorization`, and the date header, such as `X-Sdk-Date`), for tools that read them from
/// a spec at run time.
pub fn verify_named(
    request: &ReceivedRequest<'_>,
    signature_header: &str,
    date_header: &str,
    sk: &str,
) -> Result<Verified, VerifyError> {
    let find = |name: &str| {
        request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    // The signature header of this algorithm, where a request has others of that name too
    // (`Authorization: Basic …` beside it).
    let mut values = request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(signature_header))
        .map(|(_, v)| v.trim());
    let value = values
        .clone()
        .find(|v| v.starts_with(ALGORITHM))
        .or_else(|| values.next())
        .ok_or(VerifyError::NotSigned)?;
    let auth = Authorization::parse(value)?;
    let sdk_date = find(date_header).ok_or(VerifyError::MissingDate)?;
    let canonical = canonical_request_of(request, &auth.signed_headers)?;
    let expected = signature_of(&canonical, sdk_date, sk);
    if constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        Ok(Verified {
            access: auth.access,
            sdk_date: sdk_date.to_owned(),
        })
    } else {
        Err(VerifyError::Mismatch {
            canonical_request: canonical,
        })
    }
}

/// A canonical request with the values of credential-named headers (`x-security-token`,
/// `x-auth-token`, …) and query parameters replaced by `[REDACTED]`
/// ([`crate::runtime::redact::is_credential_name`]).
pub fn redact_canonical_request(canonical: &str) -> String {
    use crate::runtime::redact::{is_credential_name, REDACTED};
    let mut lines: Vec<String> = canonical.split('\n').map(str::to_owned).collect();
    if let Some(query) = lines.get_mut(2) {
        *query = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if is_credential_name(&decode(k.as_bytes())) => {
                    format!("{k}={REDACTED}")
                }
                _ => kv.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
    }
    // The header lines run from the fourth line to the blank line before the last two
    // (SignedHeaders and the payload hash); every line between is looked at, so that no value
    // can hide a line from this by holding a blank line itself.
    let end = lines.len().saturating_sub(3);
    for line in lines.iter_mut().take(end).skip(3) {
        if let Some((name, _)) = line.split_once(':') {
            if is_credential_name(name) && !name.eq_ignore_ascii_case(CONTENT_SHA256_HEADER) {
                *line = format!("{name}:{REDACTED}");
            }
        }
    }
    lines.join("\n")
}
