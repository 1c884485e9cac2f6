//! Credentials: a token (`X-Auth-Token`) or an AK/SK pair (request signing, feature `signing`).
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
    /// An IAM token, sent as `X-Auth-Token`.
    Token(Secret),
    /// An access key pair; requests are signed (`SDK-HMAC-SHA256`, feature `signing`).
    AkSk {
        /// Access key ID (not secret; it is sent in the `Authorization` header).
        ak: String,
        /// Secret access key.
        sk: Secret,
        /// Security token of temporary credentials, sent as `X-Security-Token`.
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

    /// Authenticates a built request: sets `X-Auth-Token`, or signs it with the AK/SK at
    /// `now` (which becomes `X-Sdk-Date`). Call it again for each retry, so the date is fresh.
    pub fn apply(
        &self,
        request: &mut http::Request<Vec<u8>>,
        now: super::Timestamp,
    ) -> Result<(), RequestError> {
        match self {
            Credentials::Token(t) => set_sensitive_header(request, "X-Auth-Token", t.expose()),
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                #[cfg(feature = "signing")]
                {
                    super::signer::sign(
                        request,
                        ak,
                        sk.expose(),
                        security_token.as_ref().map(Secret::expose),
                        &super::signer::sdk_date(now),
                    )
                }
                #[cfg(not(feature = "signing"))]
                {
                    let _ = (ak, sk, security_token, now, request);
                    Err(RequestError::SigningUnavailable)
                }
            }
        }
    }
}
