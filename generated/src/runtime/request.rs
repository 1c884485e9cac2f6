//! Building `http::Request`s: URL assembly, percent-encoding, header checks.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;
use std::fmt;

/// Everything but RFC 3986 "unreserved" characters (`A-Z a-z 0-9 - . _ ~`) is encoded,
/// so a value can never add a path segment, a query or a fragment.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a request could not be built. Header values are never included: they may be secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// The base URL is not `http(s)://host[:port][/prefix]`, or the result is not a valid URI.
    InvalidBaseUrl {
        /// What is wrong.
        reason: String,
    },
    /// A path parameter is empty (it would change the path's shape).
    EmptyPathParameter {
        /// The parameter's wire name.
        name: &'static str,
    },
    /// A header value holds CR, LF or another character a header cannot carry.
    InvalidHeaderValue {
        /// The header's name (the value is not shown).
        name: String,
    },
    /// A header name is not a valid token.
    InvalidHeaderName {
        /// The name.
        name: String,
    },
    /// A parameter (or the JSON body) cannot be sent as given.
    InvalidParameter {
        /// The parameter's wire name.
        name: String,
        /// Why.
        reason: String,
    },
    /// AK/SK credentials were given, but the crate was built without the `signing` feature.
    SigningUnavailable,
    /// Credentials of a kind the spec declares no security scheme for (a token where only
    /// AK/SK signing is declared, or the reverse).
    SchemeNotDeclared {
        /// The kind of credentials given: `token` or `AK/SK signing`.
        kind: &'static str,
    },
    /// A server variable (such as a region) is not a DNS label.
    InvalidServerVariable {
        /// The variable.
        name: String,
        /// The value given.
        value: String,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidBaseUrl { reason } => write!(f, "invalid base URL: {reason}"),
            RequestError::EmptyPathParameter { name } => {
                write!(f, "path parameter `{name}` is empty")
            }
            RequestError::InvalidHeaderValue { name } => write!(
                f,
                "the value of header `{name}` contains CR, LF or another character not allowed in a header (value not shown)"
            ),
            RequestError::InvalidHeaderName { name } => {
                write!(f, "`{name}` is not a valid header name")
            }
            RequestError::InvalidParameter { name, reason } => {
                write!(f, "parameter `{name}`: {reason}")
            }
            RequestError::SigningUnavailable => f.write_str(
                "AK/SK credentials need request signing: enable the `signing` feature of hwc-jobs",
            ),
            RequestError::SchemeNotDeclared { kind } => write!(
                f,
                "{kind} credentials were given, but the spec declares no {kind} security scheme for this API"
            ),
            RequestError::InvalidServerVariable { name, value } => write!(
                f,
                "server variable `{name}` must be letters, digits, `-` and `.` (got {value:?})"
            ),
        }
    }
}

impl std::error::Error for RequestError {}

/// A value that can be sent as a path, query or header parameter.
pub trait ParamValue {
    /// The text sent on the wire (before percent-encoding).
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for bool {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
display_param!(i32, i64, u32, u64, f64);

/// Puts `value` as the JSON body of `request`, with `Content-Type: media` unless a header
/// parameter already set one. The body is part of what AK/SK signing hashes.
pub fn set_json_body<T: serde::Serialize + ?Sized>(
    request: &mut http::Request<Vec<u8>>,
    value: &T,
    media: &'static str,
) -> Result<(), RequestError> {
    let bytes = serde_json::to_vec(value).map_err(|e| RequestError::InvalidParameter {
        name: "body".to_owned(),
        reason: e.to_string(),
    })?;
    *request.body_mut() = bytes;
    if !request.headers().contains_key(http::header::CONTENT_TYPE) {
        let value =
            http::HeaderValue::from_str(media).map_err(|_| RequestError::InvalidHeaderValue {
                name: "Content-Type".to_owned(),
            })?;
        request
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    Ok(())
}

/// Checks a number against the bounds its spec states (`minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`), before anything is sent.
pub fn check_range(name: &str, value: f64, bounds: [Option<f64>; 4]) -> Result<(), RequestError> {
    let [min, max, exclusive_min, exclusive_max] = bounds;
    let fail = |why: String| RequestError::InvalidParameter {
        name: name.to_owned(),
        reason: why,
    };
    if let Some(m) = min.filter(|m| value < *m) {
        return Err(fail(format!("{value} is below the minimum {m}")));
    }
    if let Some(m) = max.filter(|m| value > *m) {
        return Err(fail(format!("{value} is above the maximum {m}")));
    }
    if let Some(m) = exclusive_min.filter(|m| value <= *m) {
        return Err(fail(format!("{value} is not above {m}")));
    }
    if let Some(m) = exclusive_max.filter(|m| value >= *m) {
        return Err(fail(format!("{value} is not below {m}")));
    }
    Ok(())
}

/// Checks a text's length in characters against `minLength` / `maxLength`, before anything is
/// sent. The message gives the length, never the text (it may be a secret).
pub fn check_length(
    name: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), RequestError> {
    let n = value.chars().count();
    let why = match (min, max) {
        (Some(m), _) if n < m => format!("{n} characters long, fewer than the minimum {m}"),
        (_, Some(m)) if n > m => format!("{n} characters long, more than the maximum {m}"),
        _ => return Ok(()),
    };
    Err(RequestError::InvalidParameter {
        name: name.to_owned(),
        reason: why,
    })
}

/// Checks a text against the spec's `pattern` (unanchored, as JSON Schema reads it), before
/// anything is sent. The message names the pattern, never the text.
pub fn check_pattern(name: &str, value: &str, pattern: &str) -> Result<(), RequestError> {
    let fail = |why: String| RequestError::InvalidParameter {
        name: name.to_owned(),
        reason: why,
    };
    let compiled = super::pattern::Pattern::new(pattern).map_err(|e| {
        fail(format!(
            "the spec's pattern `{pattern}` cannot be checked: {e}"
        ))
    })?;
    if compiled.is_match(value) {
        Ok(())
    } else {
        Err(fail(format!("does not match the pattern `{pattern}`")))
    }
}

/// Appends `/`-free, percent-encoded `value` to `path` as one segment.
/// Empty values are refused; `.` and `..` are encoded so they cannot be normalized away.
pub fn push_path_segment(
    path: &mut String,
    name: &'static str,
    value: &str,
) -> Result<(), RequestError> {
    if value.is_empty() {
        return Err(RequestError::EmptyPathParameter { name });
    }
    if value.bytes().all(|b| b == b'.') {
        for _ in 0..value.len() {
            path.push_str("%2E");
        }
        return Ok(());
    }
    path.extend(utf8_percent_encode(value, COMPONENT));
    Ok(())
}

/// A query string under construction; only parameters that are set are pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Adds `name=value` (both percent-encoded when the query is finished).
    pub fn push(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_owned(), value.to_owned()));
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The encoded query, without the leading `?`.
    pub fn encode(&self) -> String {
        let mut s = String::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                s.push('&');
            }
            s.extend(utf8_percent_encode(k, COMPONENT));
            s.push('=');
            s.extend(utf8_percent_encode(v, COMPONENT));
        }
        s
    }
}

/// A request with no body for `base_url` + `path` + `query`.
pub fn new_request(
    method: http::Method,
    base_url: &str,
    path: &str,
    query: &Query,
) -> Result<http::Request<Vec<u8>>, RequestError> {
    let bad = |reason: &str| RequestError::InvalidBaseUrl {
        reason: reason.to_owned(),
    };
    let base = base_url.trim_end_matches('/');
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .ok_or_else(|| bad("it must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(bad("it has no host"));
    }
    if rest.contains(['?', '#', '@']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            "it must not contain a query, a fragment, user info or spaces",
        ));
    }
    let mut uri = String::with_capacity(base.len() + path.len() + 32);
    uri.push_str(base);
    uri.push_str(path);
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query.encode());
    }
    let uri: http::Uri = uri
        .parse()
        .map_err(|e: http::uri::InvalidUri| bad(&e.to_string()))?;
    let mut request = http::Request::new(Vec::new());
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    Ok(request)
}

fn header_parts(
    name: &str,
    value: &str,
) -> Result<(http::HeaderName, http::HeaderValue), RequestError> {
    let header_name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        RequestError::InvalidHeaderName {
            name: name.to_owned(),
        }
    })?;
    let header_value =
        http::HeaderValue::from_str(value).map_err(|_| RequestError::InvalidHeaderValue {
            name: name.to_owned(),
        })?;
    Ok((header_name, header_value))
}

/// Sets a header, refusing values with CR, LF or other control characters.
pub fn set_header<B>(
    request: &mut http::Request<B>,
    name: &str,
    value: &str,
) -> Result<(), RequestError> {
    let (n, v) = header_parts(name, value)?;
    request.headers_mut().insert(n, v);
    Ok(())
}

/// Sets a credential header (such as `X-Auth-Token`): like [`set_header`], and the value
/// is marked sensitive, so `Debug` of the request shows `Sensitive` instead of it.
pub fn set_sensitive_header<B>(
    request: &mut http::Request<B>,
    name: &str,
    value: &str,
) -> Result<(), RequestError> {
    let (n, mut v) = header_parts(name, value)?;
    v.set_sensitive(true);
    request.headers_mut().insert(n, v);
    Ok(())
}

/// Fills a server URL template such as `https://cae.{region}.myhuaweicloud.com`.
/// Values must be non-empty DNS labels (`a-z A-Z 0-9 - .`), so they cannot change the host.
pub fn expand_server(template: &str, vars: &[(&str, &str)]) -> Result<String, RequestError> {
    let mut url = template.to_owned();
    for (name, value) in vars {
        let ok = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !value.starts_with(['.', '-'])
            && !value.contains("..");
        if !ok {
            return Err(RequestError::InvalidServerVariable {
                name: (*name).to_owned(),
                value: (*value).to_owned(),
            });
        }
        url = url.replace(&format!("{{{name}}}"), value);
    }
    Ok(url)
}
