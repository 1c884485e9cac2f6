//! Step 2 of the pipeline: check an OpenAPI 3.1 document and turn it into the IR.
//!
//! Every problem is collected with the file and the JSON pointer where it was
//! found; nothing here panics on any input.

use crate::error::{push_pointer, Error, Errors};
use crate::ir::*;
use crate::names::{dedupe, pascal, snake};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod auth;
mod enums;
mod job;
mod operations;
mod params;
mod schema;
mod structs;
#[cfg(test)]
mod tests;
mod types;
mod view;

use params::{ParamLists, ParamNames};
use types::{break_cycles, mark_eq};
use view::SchemaView;

/// The one signing algorithm the runtime implements (`x-signing.algorithm`).
const SIGNING_ALGORITHM: &str = "SDK-HMAC-SHA256";

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// Methods every generated request type has; a parameter's setter never takes their names.
const REQUEST_METHODS: &[&str] = &["new", "build", "parse_response", "build_request"];
const UNSUPPORTED_SCHEMA_KEYWORDS: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "patternProperties",
    "prefixItems",
    "$dynamicRef",
];

/// What the resolver needs besides the document.
pub struct Input<'a> {
    /// The parsed document.
    pub doc: &'a Value,
    /// How errors and the `@generated` notice name the file.
    pub file: &'a str,
    /// Rust module name.
    pub module: &'a str,
    /// Hex SHA-256 of the file.
    pub sha256: &'a str,
}

/// Resolves a document into the IR, or returns every problem found.
pub fn resolve(input: &Input<'_>) -> Result<Api, Errors> {
    let mut r = Resolver {
        file: input.file,
        errors: Vec::new(),
        types: Vec::new(),
        schema_names: BTreeMap::new(),
        taken_type_names: BTreeMap::new(),
        schema_docs: BTreeMap::new(),
        op_names: BTreeMap::new(),
        components: input
            .doc
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    };
    let api = r.api(input);
    if r.errors.is_empty() {
        Ok(api)
    } else {
        Err(Errors(r.errors))
    }
}

struct Resolver<'a> {
    file: &'a str,
    errors: Vec<Error>,
    types: Vec<TypeDef>,
    /// components/schemas name → Rust type name.
    schema_names: BTreeMap<String, String>,
    /// Rust type name → pointer of what took it.
    taken_type_names: BTreeMap<String, String>,
    /// components/schemas name → its description, for properties that only `$ref` it.
    schema_docs: BTreeMap<String, Option<String>>,
    /// Operation pointer → (snake name, Pascal name, request type name).
    op_names: BTreeMap<String, (String, String, String)>,
    /// `components/schemas`, for merging `allOf` parts that are references.
    components: Map<String, Value>,
}

fn obj(v: &Value) -> Option<&Map<String, Value>> {
    v.as_object()
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Resolver<'_> {
    fn err(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(Error::at(self.file, pointer, message));
    }

    fn api(&mut self, input: &Input<'_>) -> Api {
        let doc = input.doc;
        let empty = Map::new();
        let root = match obj(doc) {
            Some(m) => m,
            None => {
                self.err("", "the document must be a mapping (an OpenAPI object)");
                &empty
            }
        };
        match root.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.1.") => {}
            Some(v) => self.err(
                "/openapi",
                format!("unsupported OpenAPI version `{v}`: this generator reads OpenAPI 3.1.x"),
            ),
            None => self.err("", "missing `openapi: 3.1.0`"),
        }
        let info = root.get("info").and_then(obj);
        let title = info
            .and_then(|i| text(i.get("title")))
            .unwrap_or_else(|| input.module.to_owned());
        let description = info.and_then(|i| text(i.get("description")));
        let version = info
            .and_then(|i| i.get("version"))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_default();
        let server = self.server(root);
        let auth = self.auth(root);

        self.name_operations(root);
        // Reserve the names of all component schemas first, so that references
        // resolve whatever their order.
        let schemas_ptr = "/components/schemas";
        let schemas = root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(obj);
        if let Some(schemas) = schemas {
            for name in schemas.keys() {
                let ptr = push_pointer(schemas_ptr, name);
                let rust = self.unique_type_name(&pascal(name), &ptr);
                self.schema_names.insert(name.clone(), rust);
                let doc = schemas[name].get("description").and_then(|d| text(Some(d)));
                self.schema_docs.insert(name.clone(), doc);
            }
            for (name, schema) in schemas {
                let ptr = push_pointer(schemas_ptr, name);
                let rust = self.schema_names[name].clone();
                self.named_type(&rust, name, schema, &ptr);
            }
        }
        let server_fn = server
            .as_ref()
            .map_or_else(String::new, |s| s.build_fn.clone());
        let operations = self.operations(root, &server_fn);
        let mut types = mark_eq(std::mem::take(&mut self.types));
        for (ptr, message) in break_cycles(&mut types) {
            self.err(&ptr, message);
        }
        Api {
            module: input.module.to_owned(),
            source_file: input.file.to_owned(),
            source_sha256: input.sha256.to_owned(),
            title,
            description,
            version,
            server,
            auth,
            types,
            operations,
        }
    }

    /// A Rust type name of its own for `base`: `base` when it is free, else `base2`, `base3`, …
    /// (names are taken first come: request types, then component schemas in document order,
    /// then inline types as they are met).
    fn unique_type_name(&mut self, base: &str, ptr: &str) -> String {
        let stem = base.trim_end_matches('_');
        let mut name = base.to_owned();
        let mut n = 2u32;
        while self.taken_type_names.contains_key(&name) {
            name = format!("{stem}{n}");
            n += 1;
        }
        self.taken_type_names.insert(name.clone(), ptr.to_owned());
        name
    }

    /// Names every operation before any schema is named, so that the request types
    /// (`<Operation>Request`) keep their names: operationIds that differ only in spelling get
    /// distinct names, and a schema that would take a request type's name is numbered instead.
    fn name_operations(&mut self, root: &Map<String, Value>) {
        // The type parameter of the generated `visit_body`: no schema may take its name.
        self.taken_type_names.insert(
            "Visitor".to_owned(),
            "(the type parameter of `visit_body`)".to_owned(),
        );
        let mut found: Vec<(String, String)> = Vec::new();
        let Some(paths) = root.get("paths").and_then(obj) else {
            return;
        };
        for (path, item) in paths {
            let iptr = push_pointer("/paths", path);
            let Some(item) = obj(item) else { continue };
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                if found.iter().any(|(_, other)| other == id) {
                    continue;
                }
                found.push((push_pointer(&iptr, method), id.to_owned()));
            }
        }
        let snakes: Vec<String> = found.iter().map(|(_, id)| snake(id)).collect();
        let pascals: Vec<String> = found
            .iter()
            .map(|(_, id)| pascal(id).trim_end_matches('_').to_owned())
            .collect();
        let snakes = dedupe(&snakes, &[], "_");
        let pascals = dedupe(&pascals, &[], "");
        for (((optr, _), rust_name), type_name) in found.into_iter().zip(snakes).zip(pascals) {
            let request = self.unique_type_name(&format!("{type_name}Request"), &optr);
            self.op_names.insert(optr, (rust_name, type_name, request));
        }
    }

    fn server(&mut self, root: &Map<String, Value>) -> Option<Server> {
        let first = root.get("servers")?.as_array()?.first()?;
        let ptr = "/servers/0";
        let url = match first.get("url").and_then(Value::as_str) {
            Some(u) => u.to_owned(),
            None => {
                self.err(ptr, "a server needs a `url`");
                return None;
            }
        };
        let mut variables = Vec::new();
        if let Some(vars) = first.get("variables").and_then(obj) {
            for (name, var) in vars {
                let vptr = push_pointer(&format!("{ptr}/variables"), name);
                let default = match var.get("default").and_then(Value::as_str) {
                    Some(d) => d.to_owned(),
                    None => {
                        self.err(&vptr, "a server variable needs a string `default`");
                        continue;
                    }
                };
                if !url.contains(&format!("{{{name}}}")) {
                    self.err(&vptr, format!("the server url has no `{{{name}}}`"));
                }
                variables.push(ServerVariable {
                    name: name.clone(),
                    default,
                    description: text(var.get("description")),
                });
            }
        }
        let build_fn = match variables.as_slice() {
            [one] => format!("build_for_{}", snake(&one.name)),
            _ => "build_for_server".to_owned(),
        };
        Some(Server {
            url,
            variables,
            build_fn,
        })
    }
}

/// A type in words, for messages.
fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => format!("`{n}`"),
        TypeRef::Array(_) => "an array".to_owned(),
        TypeRef::Map(_) => "a map".to_owned(),
        TypeRef::Any => "an untyped value".to_owned(),
        other => format!("{other:?}"),
    }
}

/// The alternatives of a `oneOf` or `anyOf` (the keyword, and the list).
fn union_parts(map: &Map<String, Value>) -> Option<(&'static str, &Vec<Value>)> {
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get(key) {
            return Some((key, parts));
        }
    }
    None
}

/// `{type: 'null'}` (or `{const: null}`, `{enum: [null]}`).
fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        || v.get("const") == Some(&Value::Null)
        || v.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

/// A type name made of two: the `_` that kept a part off a keyword (`Self_`) is dropped, so the
/// result stays UpperCamelCase (`SelfItem`, not `Self_Item`).
fn join_type_name(a: &str, b: &str) -> String {
    let joined = format!("{}{}", a.trim_end_matches('_'), b.trim_end_matches('_'));
    if crate::names::is_keyword(&joined) || joined.is_empty() {
        format!("{joined}_")
    } else {
        joined
    }
}

fn is_true(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// Whether a media type (`application/json; charset=utf-8`, `application/problem+json`) is JSON.
pub fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn parse_status(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    let b = key.as_bytes();
    if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) {
        if b[1..].iter().all(u8::is_ascii_digit) {
            return key.parse().ok().map(StatusKey::Code);
        }
        if b[1..].eq_ignore_ascii_case(b"XX") {
            return Some(StatusKey::Range(u16::from(b[0] - b'0')));
        }
    }
    None
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
