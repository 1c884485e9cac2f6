//! The intermediate representation: plain data, resolved and validated.
//! The emitter reads only this; it never looks at the OpenAPI document.

/// One OpenAPI document, ready to emit as one Rust module.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Api {
    /// Rust module name (from the file stem).
    pub module: String,
    /// The spec file as named in the `@generated` notice (e.g. `spec/cae.yaml`).
    pub source_file: String,
    /// Hex SHA-256 of the spec file's bytes.
    pub source_sha256: String,
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The first server, if any.
    pub server: Option<Server>,
    /// The security schemes the document's `security` accepts.
    pub auth: Auth,
    /// Named types, in document order (components first, then synthesized ones).
    pub types: Vec<TypeDef>,
    /// Operations, in document order.
    pub operations: Vec<Operation>,
}

/// How requests authenticate: the `apiKey` header schemes of the document's `security`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Auth {
    /// The header of the first plain `apiKey` header scheme (a token such as `X-Auth-Token`).
    pub token_header: Option<String>,
    /// Every plain `apiKey` header scheme's header (the token header first).
    pub token_headers: Vec<String>,
    /// The first `apiKey` header scheme with `x-signing` (AK/SK signing).
    pub signing: Option<Signing>,
}

impl Auth {
    /// Whether the document declares any scheme this generator understands.
    pub fn is_empty(&self) -> bool {
        self.token_headers.is_empty() && self.signing.is_none()
    }
}

/// An AK/SK signing scheme (`x-signing` on an `apiKey` header scheme).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signing {
    /// The scheme's name in `components/securitySchemes`.
    pub scheme: String,
    /// The header of the signature (the scheme's `name`, `Authorization`).
    pub header: String,
    /// `x-signing.algorithm` (`SDK-HMAC-SHA256`): the scheme word that starts the header.
    pub algorithm: String,
    /// `x-signing.date-header` (`X-Sdk-Date`).
    pub date_header: String,
    /// `x-signing.security-token-header` (`X-Security-Token`).
    pub security_token_header: String,
}

/// A server URL template such as `https://cae.{region}.myhuaweicloud.com`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Server {
    /// The template as written.
    pub url: String,
    /// Its variables.
    pub variables: Vec<ServerVariable>,
    /// Name of the request types' method that builds against this server
    /// (`build_for_region` for one variable `region`, else `build_for_server`).
    pub build_fn: String,
}

/// A variable of a server URL template.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServerVariable {
    /// Name inside the braces.
    pub name: String,
    /// Default value.
    pub default: String,
    /// Description.
    pub description: Option<String>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TypeDef {
    /// Rust type name.
    pub name: String,
    /// The schema name in the document (or the synthesized name).
    pub schema_name: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// JSON pointer of the schema, for the rustdoc and for reports.
    pub pointer: String,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum.
    Enum(Enum),
    /// Anything else, as a type alias.
    Alias(TypeRef),
    /// `oneOf` / `anyOf`: one of several shapes, tried in order; a value that fits none is kept.
    Union(Vec<Alternative>),
}

/// One alternative of a `oneOf` / `anyOf`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Alternative {
    /// Rust variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Held in a `Box`: the type leads back to the union (a recursive type).
    pub boxed: bool,
}

/// An object schema.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Struct {
    /// Properties, in document order.
    pub fields: Vec<Field>,
    /// Whether unlisted properties are kept in a map (true unless `additionalProperties: false`).
    pub keep_additional: bool,
    /// Whether every value inside compares totally (no `number` anywhere, through named types):
    /// then the struct derives `Eq` (and `Hash` is left out: maps have no order-free hash).
    pub eq: bool,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Property name on the wire (canonical spelling, written on output).
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// Other spellings accepted on input (`x-aliases`).
    pub aliases: Vec<String>,
    /// Spellings the models also accept that the docs do not state (`x-tolerated-aliases`):
    /// a leniency toward real traffic, not a documented spelling.
    pub tolerated: Vec<String>,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// Value type.
    pub ty: TypeRef,
    /// Whether the property must be there, and whether it may be `null`.
    pub presence: Presence,
    /// The `const` value, if the field is a fixed value.
    pub const_value: Option<String>,
    /// Held in a `Box`: the field's type leads back to the struct it is in (a recursive type).
    pub boxed: bool,
    /// JSON pointer of the property's schema in the document.
    pub pointer: String,
}

/// Whether a property must be present, and whether `null` is allowed: one value, so that every
/// reader of the IR makes the same four cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Presence {
    /// Listed in `required`, never `null`: `T`.
    Required,
    /// Listed in `required`, may be `null`: `Option<T>` (`None` is the explicit `null`).
    RequiredNullable,
    /// Not required, never `null`: `Option<T>` (absent and `null` read alike).
    Optional,
    /// Not required, may be `null`: `Option<Option<T>>` (absent vs. explicit `null`).
    OptionalNullable,
}

impl Presence {
    /// From `required` and the schema's `null`.
    pub fn new(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }

    /// Listed in `required`.
    pub fn is_required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }

    /// `null` allowed.
    pub fn is_nullable(self) -> bool {
        matches!(
            self,
            Presence::RequiredNullable | Presence::OptionalNullable
        )
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Enum {
    /// The documented values.
    pub variants: Vec<Variant>,
    /// Whether values not listed are kept (`x-open-enum`, true unless set to false).
    pub open: bool,
    /// Values after which a job no longer changes (`x-terminal`); empty when not declared.
    pub terminal: Vec<String>,
    /// An integer enum (`type: integer`): the values are numbers on the wire, and `wire` holds
    /// their decimal text.
    pub integer: bool,
}

/// One documented enum value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Variant {
    /// The value on the wire.
    pub wire: String,
    /// Rust variant name.
    pub rust_name: String,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TypeRef {
    /// `string`.
    String,
    /// `string` with `format: date-time` (RFC 3339).
    DateTime,
    /// `string` carrying `true`/`false` (`x-boolean-string`): `bool` in Rust.
    BooleanString,
    /// `string` carrying a JSON document (`contentMediaType: application/json`).
    JsonString,
    /// `integer` with `format: int32`.
    I32,
    /// `integer`.
    I64,
    /// `number`.
    F64,
    /// `boolean`.
    Bool,
    /// Any JSON value.
    Any,
    /// `array`.
    Array(Box<TypeRef>),
    /// `object` with only `additionalProperties`.
    Map(Box<TypeRef>),
    /// A named type (Rust name).
    Named(String),
}

/// An HTTP operation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// Rust name base in snake_case.
    pub rust_name: String,
    /// Rust name base in PascalCase.
    pub type_name: String,
    /// Name of the generated request type (`<TypeName>Request`, numbered if a schema had it).
    pub request_type: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/v1/{project_id}/cae/jobs/{job_id}`, parsed.
    pub path: PathTemplate,
    /// The operation's `summary`.
    pub summary: Option<String>,
    /// The operation's `description`.
    pub description: Option<String>,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Parameters: path ones in template order, then query, then header.
    pub params: Vec<Param>,
    /// The JSON request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// Documented responses, in document order.
    pub responses: Vec<Response>,
    /// Where the job's state is in the success body (`x-job`), for waiting on a job.
    pub job: Option<JobAccess>,
}

/// A JSON request body.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RequestBody {
    /// Its type.
    pub ty: TypeRef,
    /// `required: true` on the request body.
    pub required: bool,
    /// The media type (`application/json`, or a `+json` one).
    pub media: String,
    /// JSON pointer of its schema in the document.
    pub schema_pointer: String,
}

/// One step of a path through the model: a field, and whether it is an `Option`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// Rust field name.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// Paths (`x-job`) from the success body to the job's state, progress and tasks.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobAccess {
    /// Rust type of the success body.
    pub body_type: String,
    /// Path to the state (an enum with `x-terminal`).
    pub status: Vec<Step>,
    /// Path to the progress (a number), and its type, if any.
    pub progress: Option<(Vec<Step>, TypeRef)>,
    /// Path to the task list, and within a task the paths to its name and status.
    pub tasks: Option<(Vec<Step>, Vec<Step>, Vec<Step>)>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ParamIn {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// A request parameter.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamIn,
    /// Required by the document.
    pub required: bool,
    /// Default value (as wire text) used when the caller sets none.
    pub default: Option<String>,
    /// Value type (a scalar).
    pub ty: TypeRef,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// JSON pointer of the parameter's schema in the document.
    pub schema_pointer: String,
    /// Constraints the spec states, checked by the request builder.
    pub constraints: Constraints,
}

/// Constraints on a parameter's value (of its items, for an array).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Constraints {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (a number, as in OpenAPI 3.1).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (an ECMA-262 regular expression, unanchored).
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether any bound on numbers is stated.
    pub fn has_range(&self) -> bool {
        self.minimum.is_some()
            || self.maximum.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
    }

    /// Whether any bound on length is stated.
    pub fn has_length(&self) -> bool {
        self.min_length.is_some() || self.max_length.is_some()
    }
}

/// Status of a documented response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StatusKey {
    /// One code.
    Code(u16),
    /// A range such as `4XX` (the digit).
    Range(u16),
    /// `default`.
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

impl Operation {
    /// The index of the response documented for `status`: an exact code first, then a range,
    /// then `default`.
    pub fn response_for(&self, status: u16) -> Option<usize> {
        let by = |want: fn(&StatusKey) -> bool| {
            self.responses
                .iter()
                .position(|r| want(&r.status) && r.status.matches(status))
        };
        by(|k| matches!(k, StatusKey::Code(_)))
            .or_else(|| by(|k| matches!(k, StatusKey::Range(_))))
            .or_else(|| by(|k| matches!(k, StatusKey::Default)))
    }
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Response {
    /// Which statuses.
    pub status: StatusKey,
    /// Description.
    pub description: String,
    /// The JSON body type, if the response has a JSON body.
    pub body: Option<TypeRef>,
    /// JSON pointer of the body schema in the document.
    pub schema_pointer: Option<String>,
    /// A success: a 2xx code or the `2XX` range.
    pub success: bool,
}

/// An HTTP method of an operation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Every method, in the order OpenAPI lists them in a path item.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// Upper case, as on the wire (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// From a path item's key (`get`) or a request line (`GET`), in any case.
    pub fn parse(name: &str) -> Option<Self> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

mod path;
pub use path::{Part, PathTemplate};

#[cfg(test)]
mod tests;
