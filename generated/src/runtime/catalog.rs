//! The operation table: what each generated module documents, as data.

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// A documented parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamInfo {
    /// Wire name.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamLocation,
    /// Required by the spec.
    pub required: bool,
    /// The spec gives a default that the request builder sends when unset.
    pub has_default: bool,
    /// JSON pointer of the parameter's schema in the spec document.
    pub schema_pointer: &'static str,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKey {
    /// One status code.
    Code(u16),
    /// A range such as `4XX` (holds the first digit).
    Range(u16),
    /// `default`: any status not documented otherwise.
    Default,
}

impl StatusKey {
    /// Whether `status` falls under this key (`Default` matches everything).
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusKey::Code(c) => c == status,
            StatusKey::Range(d) => status / 100 == d,
            StatusKey::Default => true,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseInfo {
    /// Which statuses.
    pub status: StatusKey,
    /// JSON pointer of the body schema in the spec document, if the body is JSON.
    pub schema_pointer: Option<&'static str>,
    /// The Rust type the body is read into.
    pub rust_type: Option<&'static str>,
}

/// A documented operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// Generated module.
    pub module: &'static str,
    /// Spec file, relative to the workspace (`spec/cae.yaml`).
    pub spec_file: &'static str,
    /// `operationId`.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// JSON pointer of the operation in the spec document.
    pub pointer: &'static str,
    /// Parameters.
    pub params: &'static [ParamInfo],
    /// Documented responses.
    pub responses: &'static [ResponseInfo],
    /// The spec's security schemes (its module's `AUTH`).
    pub auth: super::AuthSchemes,
}

impl OperationInfo {
    /// The response documented for `status`: an exact code first, then a range, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&'static ResponseInfo> {
        let by = |want: fn(&StatusKey) -> bool| {
            self.responses
                .iter()
                .find(|r| want(&r.status) && r.status.matches(status))
        };
        by(|k| matches!(k, StatusKey::Code(_)))
            .or_else(|| by(|k| matches!(k, StatusKey::Range(_))))
            .or_else(|| by(|k| matches!(k, StatusKey::Default)))
    }
}

/// Signature of a module's `build_request`: operation id, parameter lookup by wire name,
/// base URL → the request, or `None` for an unknown operation.
pub type BuildFn = fn(
    &str,
    &dyn Fn(&str) -> Option<String>,
    &str,
) -> Option<Result<http::Request<Vec<u8>>, crate::runtime::RequestError>>;

/// One generated module.
#[derive(Debug, Clone, Copy)]
pub struct ModuleInfo {
    /// Module name.
    pub name: &'static str,
    /// Spec file.
    pub spec_file: &'static str,
    /// Hex SHA-256 of the spec file the module was generated from, so that a tool reading the
    /// spec can tell whether it is the one these models came from.
    pub spec_sha256: &'static str,
    /// Its operations.
    pub operations: &'static [OperationInfo],
    /// Builds a request from parameter values given as text (see the module's `build_request`).
    pub build_request: BuildFn,
}
