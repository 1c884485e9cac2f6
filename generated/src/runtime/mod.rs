//! Hand-written support code for the generated modules (never generated, never
//! marked `@generated`): request building, response parsing, serde helpers for
//! the spec's extensions, and the operation table types.

#[cfg(feature = "async")]
mod asynchronous;
mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod catalog;
#[cfg(any(feature = "blocking", feature = "async"))]
mod client;
mod datetime;
pub mod pattern;
pub mod redact;
mod request;
mod response;
pub mod serde_helpers;
#[cfg(feature = "signing")]
pub mod signer;
mod timestamp;

#[cfg(feature = "async")]
pub use asynchronous::AsyncClient;
pub use auth::{
    AuthSchemes, Credentials, Secret, SigningScheme, ENV_AK, ENV_SECURITY_TOKEN, ENV_SK, ENV_TOKEN,
};
#[cfg(feature = "blocking")]
pub use blocking::BlockingClient;
pub use catalog::ModuleInfo;
#[cfg(any(feature = "blocking", feature = "async"))]
pub use client::{ClientError, Progress, RetryPolicy, WaitOptions, WaitOutcome};
pub use request::{
    check_length, check_pattern, check_range, expand_server, new_request, push_path_segment,
    set_header, set_json_body, set_sensitive_header, ParamValue, Query, RequestError,
};
pub use response::{
    parse_empty_response, parse_json_response, pointer_of, ApiError, ErrorFields, ResponseError,
};

pub use timestamp::{Timestamp, TimestampError};

pub use datetime::DateTime;
pub use redact::{is_credential_name, redact_body, redact_credentials, redact_url, REDACTED};

/// A strict enum parse met a value the spec does not document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumValue {
    /// The enum's Rust name.
    pub enum_name: &'static str,
    /// The value met.
    pub value: String,
}

impl UnknownEnumValue {
    /// A new error.
    pub fn new(enum_name: &'static str, value: &str) -> Self {
        UnknownEnumValue {
            enum_name,
            value: value.to_owned(),
        }
    }
}

impl std::fmt::Display for UnknownEnumValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a documented value of {}",
            self.value, self.enum_name
        )
    }
}

impl std::error::Error for UnknownEnumValue {}

/// A tool that works on any documented body type: each module's `visit_body` (and the crate's)
/// hands it the Rust type the spec documents for an operation and status. The conformance runner
/// reads bodies into the models with one; nothing in this crate needs it.
pub trait BodyVisitor {
    /// What the visit gives.
    type Output;
    /// Called with the body type.
    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Self::Output;
}

/// An operation of a generated module: how to build its request and read its answer.
/// Implemented by every generated `…Request` type; clients are written against it.
pub trait Operation {
    /// The typed answer of a success status.
    type Output;
    /// How the spec lets this operation authenticate (its module's `AUTH`).
    const AUTH: AuthSchemes;
    /// Builds the request for a base URL (no credentials).
    fn build_request(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, RequestError>;
    /// Reads an answer.
    fn parse_response(
        status: u16,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Self::Output, ResponseError>;
}

/// An enum whose values include terminal ones (`x-terminal` in the spec).
pub trait Terminal {
    /// Whether a job in this state no longer changes.
    fn is_terminal(&self) -> bool;
}

/// A task of a job, as text, for progress reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// Task name.
    pub name: Option<String>,
    /// Task status.
    pub status: Option<String>,
}

/// A body that describes a job (`x-job` in the spec): its state, progress and tasks.
pub trait JobView {
    /// The job's state as on the wire, if present.
    fn job_state(&self) -> Option<String>;
    /// Whether the state is terminal.
    fn job_finished(&self) -> bool;
    /// Progress, if the API reports it.
    fn job_progress(&self) -> Option<f64>;
    /// The tasks, in order.
    fn job_tasks(&self) -> Vec<TaskState>;
}
