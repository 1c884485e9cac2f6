//! Reading responses: typed bodies and typed errors.

use std::fmt;

/// A non-success answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Whether the spec documents this status for the operation.
    pub documented: bool,
    /// The error code: the spec's field (`error_code`), else `code`, `errorCode`, or the same
    /// in a nested `error` object.
    pub error_code: Option<String>,
    /// The message: the spec's field (`error_msg`), else `message`, `errorMsg`, or the same in
    /// a nested `error` object.
    pub error_msg: Option<String>,
    /// The `X-Request-Id` response header, or the body's `request_id`.
    pub request_id: Option<String>,
    /// The body as text, when it is not JSON or carries no recognizable error fields.
    pub raw_body: Option<String>,
}

impl ApiError {
    /// The best message there is: `error_msg`, else the raw body (credentials the server quoted
    /// back are already replaced by `[REDACTED]`).
    pub fn message(&self) -> Option<&str> {
        self.error_msg.as_deref().or(self.raw_body.as_deref())
    }

    /// For `APIGW.0301` (the gateway could not verify an AK/SK signature): the canonical request
    /// the gateway computed, which its message quotes with `|` for line breaks, as lines —
    /// compare it with your own to see what differs (usually a header, the query order or the
    /// clock). Credentials in it are redacted. `None` for any other error.
    pub fn server_canonical_request(&self) -> Option<String> {
        if self.error_code.as_deref() != Some("APIGW.0301") {
            return None;
        }
        let msg = self.message()?;
        let start = [
            "GET|", "POST|", "PUT|", "DELETE|", "PATCH|", "HEAD|", "OPTIONS|",
        ]
        .iter()
        .filter_map(|m| msg.find(m))
        .min()?;
        Some(msg[start..].trim_end().replace('|', "\n"))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.documented {
            f.write_str(" (not documented for this operation)")?;
        }
        if let Some(c) = &self.error_code {
            write!(f, " {c}")?;
        }
        if let Some(m) = self.message() {
            write!(f, ": {}", excerpt(m))?;
        }
        if let Some(r) = &self.request_id {
            write!(f, " (request id {r})")?;
        }
        Ok(())
    }
}

/// Why a response did not give the typed result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// The API answered with an error status.
    Api(ApiError),
    /// A success status, but the body does not match the model.
    Decode {
        /// HTTP status.
        status: u16,
        /// The `X-Request-Id` response header.
        request_id: Option<String>,
        /// What serde said, with line and column.
        message: String,
        /// JSON pointer (RFC 6901) of the value the model could not read (`/tasks/0/task_index`;
        /// `""`: the body as a whole, such as JSON that does not parse).
        pointer: String,
        /// The body as text (lossy UTF-8, credentials removed).
        raw_body: String,
    },
}

impl ResponseError {
    /// The request id, whatever the error.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ResponseError::Api(e) => e.request_id.as_deref(),
            ResponseError::Decode { request_id, .. } => request_id.as_deref(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            ResponseError::Api(e) => e.status,
            ResponseError::Decode { status, .. } => *status,
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Api(e) => write!(f, "API error: {e}"),
            ResponseError::Decode {
                status,
                request_id,
                message,
                pointer,
                raw_body,
            } => {
                write!(f, "HTTP {status}: the body does not match the model")?;
                if !pointer.is_empty() {
                    write!(f, " at {pointer}")?;
                }
                write!(f, ": {message}")?;
                if let Some(r) = request_id {
                    write!(f, " (request id {r})")?;
                }
                write!(f, "; body: {}", excerpt(raw_body))
            }
        }
    }
}

impl std::error::Error for ResponseError {}

fn excerpt(s: &str) -> String {
    const MAX: usize = 300;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

fn header_request_id(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn str_field(obj: &serde_json::Map<String, serde_json::Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match obj.get(*n)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(x) => Some(x.to_string()),
        _ => None,
    })
}

/// The fields of an API's error body, as its spec declares them (each generated module's
/// `ERROR_FIELDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorFields {
    /// The error code field (`error_code`).
    pub code: Option<&'static str>,
    /// The message field (`error_msg`).
    pub message: Option<&'static str>,
    /// The request id field (`request_id`).
    pub request_id: Option<&'static str>,
}

/// The spellings Huawei's SDKs accept besides the spec's, in the one place they are listed:
/// code, message and request id, also looked for one level down under `error`.
const LENIENT_CODE: &[&str] = &["error_code", "errorCode", "code"];
const LENIENT_MESSAGE: &[&str] = &["error_msg", "errorMsg", "message"];
const LENIENT_REQUEST_ID: &[&str] = &["request_id", "requestId"];

/// Reads an error body leniently: the fields the spec declares (`fields`), then the
/// spellings Huawei's SDKs also accept, the same one level down under `error`, and anything
/// else as raw text.
pub(crate) fn api_error(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    documented: bool,
    fields: &ErrorFields,
) -> ApiError {
    let mut err = ApiError {
        status,
        documented,
        error_code: None,
        error_msg: None,
        request_id: header_request_id(headers),
        raw_body: None,
    };
    let names = |spec: Option<&'static str>, lenient: &'static [&'static str]| {
        spec.into_iter()
            .chain(lenient.iter().copied())
            .collect::<Vec<&str>>()
    };
    let code = names(fields.code, LENIENT_CODE);
    let msg = names(fields.message, LENIENT_MESSAGE);
    let request_id = names(fields.request_id, LENIENT_REQUEST_ID);
    if let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(body) {
        let nested = obj.get("error").and_then(serde_json::Value::as_object);
        err.error_code =
            str_field(&obj, &code).or_else(|| nested.and_then(|n| str_field(n, &code)));
        err.error_msg = str_field(&obj, &msg).or_else(|| nested.and_then(|n| str_field(n, &msg)));
        if err.request_id.is_none() {
            err.request_id = str_field(&obj, &request_id);
        }
    }
    if err.error_code.is_none() && err.error_msg.is_none() && !body.is_empty() {
        err.raw_body = Some(clean_text(body));
    }
    // The gateway quotes signed headers back (APIGW.0301): keep no credential.
    if let Some(text) = &mut err.error_msg {
        if let std::borrow::Cow::Owned(clean) = super::redact_credentials(text) {
            *text = clean;
        }
    }
    err
}

/// A body as text to keep in an error: credentials removed ([`super::redact_body`]), lossy UTF-8.
fn clean_text(body: &[u8]) -> String {
    String::from_utf8_lossy(&super::redact_body(body)).into_owned()
}

/// A JSON response: `T` for a success status, otherwise a typed error.
pub fn parse_json_response<T: serde::de::DeserializeOwned>(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    is_success: bool,
    documented: bool,
    fields: &ErrorFields,
) -> Result<T, ResponseError> {
    if !is_success {
        return Err(ResponseError::Api(api_error(
            status, headers, body, documented, fields,
        )));
    }
    serde_json::from_slice(body).map_err(|e| {
        // Read again with the path tracked (only on this failure path: no cost when the body
        // reads fine), so that the error says where.
        let mut de = serde_json::Deserializer::from_slice(body);
        let pointer = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(tracked) => pointer_of(tracked.path()),
            Ok(_) => String::new(),
        };
        ResponseError::Decode {
            status,
            request_id: header_request_id(headers),
            message: super::redact_credentials(&e.to_string()).into_owned(),
            pointer,
            raw_body: clean_text(body),
        }
    })
}

/// A response without a documented body: `()` for a success status, otherwise a typed error.
pub fn parse_empty_response(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    is_success: bool,
    documented: bool,
    fields: &ErrorFields,
) -> Result<(), ResponseError> {
    if is_success {
        Ok(())
    } else {
        Err(ResponseError::Api(api_error(
            status, headers, body, documented, fields,
        )))
    }
}

/// A JSON pointer (RFC 6901) from a serde path (`/tasks/0/task_index`): what decode errors
/// carry, and what tools that read bodies into the models report.
pub fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => break,
        }
    }
    out
}
