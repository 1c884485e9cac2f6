//! Credentials: a token or an AK/SK pair (request signing, feature `signing`), sent the ways
//! the spec's security schemes declare ([`AuthSchemes`], generated per module as `AUTH`).
//! Secrets never appear in `Debug` output or in errors.

use super::request::{set_sensitive_header, RequestError};
use std::fmt;

/// Environment variable of a token.
pub const ENV_TOKEN: &str = "HWC_AUTH_TOKEN";
/// Environment variable of the access key ID (the name Huawei's SDKs use).
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable of the secret access key (the name Huawei's SDKs use).
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable of the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";

/// How a spec lets requests authenticate: its security schemes, as the generator read them.
/// Each generated module has one, `AUTH`; [`Credentials::apply`] sends credentials its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthSchemes {
    /// The header of the token scheme (an `apiKey` header scheme), when the spec declares one.
    pub token_header: Option<&'static str>,
    /// The AK/SK signing scheme (an `apiKey` header scheme with `x-signing`), when declared.
    pub signing: Option<SigningScheme>,
}

impl AuthSchemes {
    /// Every header that can carry a credential under these schemes.
    pub fn headers(&self) -> impl Iterator<Item = &'static str> {
        let signing = self
            .signing
            .map(|s| [s.header, s.security_token_header])
            .into_iter()
            .flatten();
        self.token_header.into_iter().chain(signing)
    }
}

/// An AK/SK signing scheme (`SDK-HMAC-SHA256`): which headers carry the signature, its time,
/// and the security token of temporary credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningScheme {
    /// The header of the signature (`Authorization`).
    pub header: &'static str,
    /// The header of the signing time (`X-Sdk-Date`, `YYYYMMDDTHHMMSSZ`).
    pub date_header: &'static str,
    /// The header of the security token of temporary credentials (`X-Security-Token`).
    pub security_token_header: &'static str,
}

/// A secret string: readable on purpose with [`Secret::expose`], redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

/// How requests are authenticated.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An IAM token, sent in the header of the spec's token scheme.
    Token(Secret),
    /// An access key pair; requests are signed (`SDK-HMAC-SHA256`, feature `signing`).
    AkSk {
        /// Access key ID (not secret; it is sent in the signature header).
        ak: String,
        /// Secret access key.
        sk: Secret,
        /// Security token of temporary credentials, sent in the scheme's security token header.
        security_token: Option<Secret>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Credentials::Token([REDACTED])"),
            Credentials::AkSk {
                ak, security_token, ..
            } => write!(
                f,
                "Credentials::AkSk {{ ak: {ak:?}, sk: [REDACTED], security_token: {} }}",
                if security_token.is_some() {
                    "[REDACTED]"
                } else {
                    "None"
                }
            ),
        }
    }
}

impl Credentials {
    /// A token.
    pub fn token(token: impl Into<String>) -> Self {
        Credentials::Token(Secret::new(token))
    }

    /// An AK/SK pair.
    pub fn ak_sk(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        Credentials::AkSk {
            ak: ak.into(),
            sk: Secret::new(sk),
            security_token: None,
        }
    }

    /// Adds the security token of temporary credentials (no effect on a token).
    pub fn with_security_token(self, token: impl Into<String>) -> Self {
        match self {
            Credentials::AkSk { ak, sk, .. } => Credentials::AkSk {
                ak,
                sk,
                security_token: Some(Secret::new(token)),
            },
            other => other,
        }
    }

    /// From the environment: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK` (with
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` when set), else `HWC_AUTH_TOKEN`.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Like [`Credentials::from_env`], with any lookup (for tests and configuration files).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        match (get(ENV_AK), get(ENV_SK)) {
            (Some(ak), Some(sk)) => {
                let c = Credentials::ak_sk(ak, sk);
                Ok(match get(ENV_SECURITY_TOKEN) {
                    Some(t) => c.with_security_token(t),
                    None => c,
                })
            }
            (Some(_), None) | (None, Some(_)) => Err(format!("set both {ENV_AK} and {ENV_SK}")),
            (None, None) => get(ENV_TOKEN).map(Credentials::token).ok_or_else(|| {
                format!("no credentials: set {ENV_AK} and {ENV_SK}, or {ENV_TOKEN}")
            }),
        }
    }

    /// Authenticates a built request the way `schemes` (the module's `AUTH`) declare: sets the
    /// token header, or signs the request with the AK/SK at `now` (which becomes the signing
    /// date). Call it again for each retry, so the date is fresh. Credentials of a kind the
    /// spec does not declare are refused ([`RequestError::SchemeNotDeclared`]).
    pub fn apply(
        &self,
        request: &mut http::Request<Vec<u8>>,
        now: super::Timestamp,
        schemes: &AuthSchemes,
    ) -> Result<(), RequestError> {
        match self {
            Credentials::Token(t) => {
                let header = schemes
                    .token_header
                    .ok_or(RequestError::SchemeNotDeclared { kind: "token" })?;
                set_sensitive_header(request, header, t.expose())
            }
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                let scheme = schemes.signing.ok_or(RequestError::SchemeNotDeclared {
                    kind: "AK/SK signing",
                })?;
                #[cfg(feature = "signing")]
                {
                    super::signer::sign(
                        request,
                        &scheme,
                        ak,
                        sk.expose(),
                        security_token.as_ref().map(Secret::expose),
                        &super::signer::sdk_date(now),
                    )
                }
                #[cfg(not(feature = "signing"))]
                {
                    let _ = (ak, sk, security_token, now, request, scheme);
                    Err(RequestError::SigningUnavailable)
                }
            }
        }
    }
}
