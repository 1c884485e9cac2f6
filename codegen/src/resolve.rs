//! Step 2 of the pipeline: check an OpenAPI 3.1 document and turn it into the IR.
//!
//! Every problem is collected with the file and the JSON pointer where it was
//! found; nothing here panics on any input.

use crate::error::{push_pointer, Error, Errors};
use crate::ir::*;
use crate::names::{dedupe, pascal, snake};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The one signing algorithm the runtime implements (`x-signing.algorithm`).
const SIGNING_ALGORITHM: &str = "SDK-HMAC-SHA256";

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// Methods every generated request type has; a parameter's setter never takes their names.
const REQUEST_METHODS: &[&str] = &[
    "new",
    "build",
    "from_params",
    "parse_response",
    "build_request",
];
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

/// Which structs can derive `Eq`: none with an `f64` inside, directly or through named types
/// (cycles included: a struct is `Eq` until something in it is shown not to be).
fn mark_eq(mut types: Vec<TypeDef>) -> Vec<TypeDef> {
    fn total(ty: &TypeRef, eq: &HashMap<String, bool>) -> bool {
        match ty {
            TypeRef::F64 => false,
            TypeRef::Array(inner) | TypeRef::Map(inner) => total(inner, eq),
            TypeRef::Named(name) => eq.get(name).copied().unwrap_or(false),
            _ => true,
        }
    }
    let mut eq: HashMap<String, bool> = types.iter().map(|t| (t.name.clone(), true)).collect();
    loop {
        let mut changed = false;
        for t in &types {
            let now = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| total(&f.ty, &eq)),
                TypeKind::Enum(_) => true,
                TypeKind::Alias(ty) => total(ty, &eq),
                // The catch-all holds a `serde_json::Value`, which has numbers.
                TypeKind::Union(_) => false,
            };
            if !now && eq.insert(t.name.clone(), false) == Some(true) {
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for t in &mut types {
        if let TypeKind::Struct(s) = &mut t.kind {
            s.eq = eq.get(&t.name).copied().unwrap_or(false);
        }
    }
    types
}

/// Recursive types. A struct field whose named type leads back, by value (through other
/// structs' fields and type aliases, not through a `Vec` or a map, which are on the heap), to
/// the struct it is in would make the struct infinitely large: such fields are boxed. A type
/// alias that refers back to itself (`Tree: {type: array, items: {$ref: Tree}}`) cannot be a
/// Rust `type` at all: returned as (pointer, message) errors.
fn break_cycles(types: &mut [TypeDef]) -> Vec<(String, String)> {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    // Named types a type holds by value.
    fn by_value(ty: &TypeRef, out: &mut Vec<String>) {
        if let TypeRef::Named(n) = ty {
            out.push(n.clone());
        }
    }
    // Named types an alias mentions anywhere (a Rust `type` may not mention itself at all).
    fn mentioned(ty: &TypeRef, out: &mut Vec<String>) {
        match ty {
            TypeRef::Named(n) => out.push(n.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) => mentioned(inner, out),
            _ => {}
        }
    }
    let edges = |t: &TypeDef, alias_deep: bool| -> Vec<String> {
        let mut out = Vec::new();
        match &t.kind {
            TypeKind::Struct(s) if !alias_deep => {
                for f in &s.fields {
                    by_value(&f.ty, &mut out);
                }
            }
            TypeKind::Alias(ty) if alias_deep => mentioned(ty, &mut out),
            TypeKind::Alias(ty) => by_value(ty, &mut out),
            TypeKind::Union(alts) if !alias_deep => {
                for a in alts {
                    by_value(&a.ty, &mut out);
                }
            }
            _ => {}
        }
        out
    };
    // Whether `target` is reachable from `start` over the edges.
    let reaches = |start: &str, target: &str, alias_deep: bool| -> bool {
        let mut seen = vec![false; types.len()];
        let mut stack = vec![start.to_owned()];
        while let Some(n) = stack.pop() {
            if n == target {
                return true;
            }
            let Some(&i) = index.get(&n) else { continue };
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let t = &types[i];
            if alias_deep && !matches!(t.kind, TypeKind::Alias(_)) {
                continue;
            }
            stack.extend(edges(t, alias_deep));
        }
        false
    };
    let mut errors = Vec::new();
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in types.iter().enumerate() {
        match &t.kind {
            TypeKind::Struct(s) => {
                for (fi, f) in s.fields.iter().enumerate() {
                    if let TypeRef::Named(n) = &f.ty {
                        if reaches(n, &t.name, false) {
                            boxes.push((ti, fi));
                        }
                    }
                }
            }
            TypeKind::Alias(ty) => {
                let mut first = Vec::new();
                mentioned(ty, &mut first);
                if first.iter().any(|n| reaches(n, &t.name, true)) {
                    errors.push((
                        t.pointer.clone(),
                        format!("unsupported construct: `{}` is only an array, map or reference of itself, which no Rust type alias can be; make it an object with a property that holds the list", t.schema_name),
                    ));
                }
            }
            TypeKind::Union(alts) => {
                for (ai, a) in alts.iter().enumerate() {
                    if let TypeRef::Named(n) = &a.ty {
                        if reaches(n, &t.name, false) {
                            boxes.push((ti, ai));
                        }
                    }
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    // Objects in a union are boxed too, so that one large alternative does not make every
    // value of the union large (clippy's `large_enum_variant`).
    for (ti, t) in types.iter().enumerate() {
        if let TypeKind::Union(alts) = &t.kind {
            for (ai, a) in alts.iter().enumerate() {
                if let TypeRef::Named(n) = &a.ty {
                    let is_struct = index
                        .get(n)
                        .is_some_and(|&i| matches!(types[i].kind, TypeKind::Struct(_)));
                    if is_struct && !boxes.contains(&(ti, ai)) {
                        boxes.push((ti, ai));
                    }
                }
            }
        }
    }
    for (ti, fi) in boxes {
        match &mut types[ti].kind {
            TypeKind::Struct(s) => s.fields[fi].boxed = true,
            TypeKind::Union(alts) => alts[fi].boxed = true,
            _ => {}
        }
    }
    errors
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

    /// The `apiKey` header schemes of `security` (in order): plain ones carry a token; one
    /// with `x-signing` is AK/SK signing. Other scheme types are not read (documented).
    fn auth(&mut self, root: &Map<String, Value>) -> Auth {
        let schemes = root
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(obj);
        let mut out = Auth::default();
        let Some(reqs) = root.get("security").and_then(Value::as_array) else {
            return out;
        };
        for (i, req) in reqs.iter().enumerate() {
            let Some(req) = obj(req) else { continue };
            for name in req.keys() {
                let Some(s) = schemes.and_then(|s| s.get(name)).and_then(obj) else {
                    self.err(
                        &format!("/security/{i}"),
                        format!("security scheme `{name}` is not defined in /components/securitySchemes"),
                    );
                    continue;
                };
                let ptr = push_pointer("/components/securitySchemes", name);
                let header = match (
                    s.get("type").and_then(Value::as_str),
                    s.get("in").and_then(Value::as_str),
                    s.get("name").and_then(Value::as_str),
                ) {
                    (Some("apiKey"), Some("header"), Some(h)) => h.to_owned(),
                    _ => continue,
                };
                match s.get("x-signing") {
                    None => {
                        if !out.token_headers.contains(&header) {
                            out.token_header.get_or_insert_with(|| header.clone());
                            out.token_headers.push(header);
                        }
                    }
                    Some(sig) => {
                        if let Some(signing) = self.signing(sig, name, header, &ptr) {
                            out.signing.get_or_insert(signing);
                        }
                    }
                }
            }
        }
        out
    }

    /// `x-signing: {algorithm: SDK-HMAC-SHA256, date-header, security-token-header}`.
    fn signing(&mut self, v: &Value, scheme: &str, header: String, ptr: &str) -> Option<Signing> {
        let ptr = push_pointer(ptr, "x-signing");
        let Some(m) = obj(v) else {
            self.err(
                &ptr,
                "`x-signing` must be an object: {algorithm, date-header, security-token-header}",
            );
            return None;
        };
        let mut text = |key: &str| match m.get(key).and_then(Value::as_str) {
            Some(t) if !t.is_empty() => Some(t.to_owned()),
            _ => {
                self.err(
                    &push_pointer(&ptr, key),
                    format!("`x-signing.{key}` must be a non-empty string"),
                );
                None
            }
        };
        let algorithm = text("algorithm");
        let date_header = text("date-header");
        let security_token_header = text("security-token-header");
        if let Some(a) = &algorithm {
            if a != SIGNING_ALGORITHM {
                self.err(
                    &push_pointer(&ptr, "algorithm"),
                    format!("unsupported signing algorithm `{a}`: the runtime signs with `{SIGNING_ALGORITHM}` only"),
                );
                return None;
            }
        }
        for key in m.keys() {
            if !["algorithm", "date-header", "security-token-header"].contains(&key.as_str()) {
                self.err(&push_pointer(&ptr, key), format!("unknown `x-signing` key `{key}` (known: algorithm, date-header, security-token-header)"));
            }
        }
        Some(Signing {
            scheme: scheme.to_owned(),
            header,
            algorithm: algorithm?,
            date_header: date_header?,
            security_token_header: security_token_header?,
        })
    }

    // ---- schemas ------------------------------------------------------------

    fn check_supported(&mut self, schema: &Map<String, Value>, ptr: &str) -> bool {
        for kw in UNSUPPORTED_SCHEMA_KEYWORDS {
            if schema.contains_key(*kw) {
                self.err(
                    &push_pointer(ptr, kw),
                    format!("unsupported construct `{kw}`: this generator does not handle it yet"),
                );
                return false;
            }
        }
        true
    }

    /// The `type` keyword: the non-null type and whether `null` is allowed.
    fn schema_type(&mut self, schema: &Map<String, Value>, ptr: &str) -> (Option<String>, bool) {
        match schema.get("type") {
            None => (None, false),
            Some(Value::String(t)) => (Some(t.clone()), t == "null"),
            Some(Value::Array(ts)) => {
                let mut nullable = false;
                let mut others = Vec::new();
                for t in ts {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(t) => others.push(t.to_owned()),
                        None => {}
                    }
                }
                if others.len() > 1 {
                    self.err(
                        &format!("{ptr}/type"),
                        format!(
                            "unsupported construct: a value of several types ({})",
                            others.join(", ")
                        ),
                    );
                }
                (others.into_iter().next(), nullable)
            }
            Some(_) => {
                self.err(
                    &format!("{ptr}/type"),
                    "`type` must be a string or an array of strings",
                );
                (None, false)
            }
        }
    }

    fn named_type(&mut self, rust: &str, schema_name: &str, schema: &Value, ptr: &str) {
        let Some(map) = obj(schema) else {
            self.err(ptr, "a schema must be a mapping");
            return;
        };
        if !self.check_supported(map, ptr) {
            return;
        }
        let doc = text(map.get("description")).or_else(|| text(map.get("title")));
        let (ty, _) = self.schema_type(map, ptr);
        let kind = if let Some(kind) = self.union(map, ptr, rust) {
            match kind {
                Some(kind) => kind,
                None => return,
            }
        } else if map.contains_key("allOf") {
            let Some((merged, pointers)) = self.merge_all_of(map, ptr, 0) else {
                return;
            };
            let doc = doc.clone().or_else(|| text(merged.get("description")));
            let st = self.structure_at(&merged, ptr, rust, &pointers);
            self.types.push(TypeDef {
                name: rust.to_owned(),
                schema_name: schema_name.to_owned(),
                doc,
                pointer: ptr.to_owned(),
                kind: TypeKind::Struct(st),
            });
            return;
        } else if map.contains_key("$ref") {
            TypeKind::Alias(self.type_ref(schema, ptr, rust))
        } else if map.contains_key("properties")
            || (ty.as_deref() == Some("object") && !map.contains_key("additionalProperties"))
        {
            TypeKind::Struct(self.structure(map, ptr, rust))
        } else if matches!(ty.as_deref(), Some("string") | Some("integer"))
            && map.contains_key("enum")
            && !is_true(map.get("x-boolean-string"))
        {
            match self.enumeration(map, ptr) {
                Some(e) => TypeKind::Enum(e),
                None => return,
            }
        } else {
            TypeKind::Alias(self.type_ref(schema, ptr, rust))
        };
        self.types.push(TypeDef {
            name: rust.to_owned(),
            schema_name: schema_name.to_owned(),
            doc,
            pointer: ptr.to_owned(),
            kind,
        });
    }

    fn enumeration(&mut self, map: &Map<String, Value>, ptr: &str) -> Option<Enum> {
        let eptr = format!("{ptr}/enum");
        let Some(values) = map.get("enum").and_then(Value::as_array) else {
            self.err(&eptr, "`enum` must be a list");
            return None;
        };
        let open = match map.get("x-open-enum") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.err(
                    &format!("{ptr}/x-open-enum"),
                    "`x-open-enum` must be true or false",
                );
                true
            }
        };
        let integer = match map.get("type") {
            Some(Value::String(t)) => t == "integer",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
            _ => false,
        };
        // Names for the values (`x-enum-varnames`, as other generators read it), else from the
        // values themselves (`7` → `V7`).
        let names = self.string_list(
            map.get("x-enum-varnames"),
            &format!("{ptr}/x-enum-varnames"),
            "`x-enum-varnames` must be a list of strings",
        );
        if !names.is_empty() && names.len() != values.len() {
            self.err(
                &format!("{ptr}/x-enum-varnames"),
                format!(
                    "`x-enum-varnames` has {} names for {} values",
                    names.len(),
                    values.len()
                ),
            );
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let vptr = format!("{eptr}/{i}");
            if integer {
                let Some(n) = v.as_i64() else {
                    if !v.is_null() {
                        self.err(&vptr, format!("enum value `{v}` is not an integer"));
                    }
                    continue;
                };
                let wire = n.to_string();
                if variants.iter().any(|v| v.wire == wire) {
                    continue;
                }
                // `-1` → `Minus1` (not `V1`, which `1` has).
                let own = if n < 0 {
                    format!("Minus{}", n.unsigned_abs())
                } else {
                    wire.clone()
                };
                let name = names.get(i).map_or_else(|| pascal(&own), |n| pascal(n));
                variants.push(Variant {
                    wire,
                    rust_name: name,
                });
                continue;
            }
            let Some(wire) = v.as_str() else {
                match v {
                    Value::Null => {}
                    Value::Bool(b) => self.err(
                        &vptr,
                        format!("enum value `{b}` is a boolean, not a string: quote it (YAML reads unquoted on/off/yes/no/true/false as booleans)"),
                    ),
                    _ => self.err(&vptr, format!("enum value `{v}` is not a string: quote it")),
                }
                continue;
            };
            // A value listed twice is the same value: it is kept once.
            if variants.iter().any(|v| v.wire == wire) {
                continue;
            }
            variants.push(Variant {
                wire: wire.to_owned(),
                rust_name: names.get(i).map_or_else(|| pascal(wire), |n| pascal(n)),
            });
        }
        // Values that differ only in spelling (`UNKNOWN`, `Unknown`) get distinct names; the
        // catch-all of open enums keeps `Unrecognized`.
        let bases: Vec<String> = variants.iter().map(|v| v.rust_name.clone()).collect();
        let reserved: &[&str] = if open { &["Unrecognized"] } else { &[] };
        for (v, name) in variants.iter_mut().zip(dedupe(&bases, reserved, "")) {
            v.rust_name = name;
        }
        // An integer enum lists its terminal values as numbers.
        let terminal_numbers: Option<Value> = map.get("x-terminal").map(|t| match t {
            Value::Array(list) if integer => Value::Array(
                list.iter()
                    .map(|v| match v {
                        Value::Number(n) => Value::from(n.to_string()),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            other => other.clone(),
        });
        let terminal = self.string_list(
            terminal_numbers.as_ref(),
            &format!("{ptr}/x-terminal"),
            "`x-terminal` must be a list of enum values",
        );
        for t in &terminal {
            if !variants.iter().any(|v| &v.wire == t) {
                self.err(
                    &format!("{ptr}/x-terminal"),
                    format!("`{t}` is not one of the enum's values"),
                );
            }
        }
        Some(Enum {
            variants,
            open,
            terminal,
            integer,
        })
    }

    /// `oneOf` / `anyOf`: `None` when the schema has neither. The common open-enum spelling
    /// `anyOf: [{enum: [...]}, {type: string}]` is an open enum; `null` alternatives are left out
    /// (they make the property nullable); otherwise a union of the alternatives, in order, each
    /// named after its type (`Job`, `String`, `Integer`, …; numbered when two share a name), with
    /// `Other` for a value none of them reads. `Some(None)` when an error was reported.
    fn union(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        rust: &str,
    ) -> Option<Option<TypeKind>> {
        let (key, parts) = union_parts(map)?;
        let parts: Vec<(usize, Value)> = parts
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, p)| !is_null_schema(p))
            .collect();
        // The open-enum idiom.
        let enum_part = parts.iter().find(|(_, p)| {
            p.get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().all(Value::is_string))
                && p.get("type").is_none_or(|t| t == "string")
        });
        let string_part = parts.iter().find(|(_, p)| {
            p.get("type").and_then(Value::as_str) == Some("string")
                && p.get("enum").is_none()
                && p.get("format").is_none()
                && p.get("x-boolean-string").is_none()
                && p.get("contentMediaType").is_none()
        });
        if let (2, Some((ei, e)), Some(_)) = (parts.len(), enum_part, string_part) {
            let mut m = e.as_object().cloned().unwrap_or_default();
            m.insert("type".into(), Value::from("string"));
            m.insert("x-open-enum".into(), Value::Bool(true));
            let eptr = format!("{ptr}/{key}/{ei}");
            return Some(self.enumeration(&m, &eptr).map(TypeKind::Enum));
        }
        let mut alts = Vec::new();
        for (i, part) in &parts {
            let aptr = format!("{ptr}/{key}/{i}");
            let ty = self.type_ref(
                part,
                &aptr,
                &join_type_name(rust, &format!("Variant{}", i + 1)),
            );
            if ty == TypeRef::BooleanString {
                self.err(&aptr, "unsupported construct: `x-boolean-string` as an alternative of `oneOf`/`anyOf`");
                return Some(None);
            }
            let name = match &ty {
                TypeRef::Named(n) => n.clone(),
                TypeRef::String | TypeRef::JsonString => "String".into(),
                TypeRef::DateTime => "DateTime".into(),
                TypeRef::I32 | TypeRef::I64 => "Integer".into(),
                TypeRef::F64 => "Number".into(),
                TypeRef::Bool | TypeRef::BooleanString => "Boolean".into(),
                TypeRef::Array(_) => "Array".into(),
                TypeRef::Map(_) => "Map".into(),
                TypeRef::Any => "Value".into(),
            };
            alts.push(Alternative {
                rust_name: name,
                ty,
                boxed: false,
            });
        }
        if alts.is_empty() {
            return Some(Some(TypeKind::Alias(TypeRef::Any)));
        }
        let bases: Vec<String> = alts.iter().map(|a| a.rust_name.clone()).collect();
        for (a, n) in alts.iter_mut().zip(dedupe(&bases, &["Other"], "")) {
            a.rust_name = n;
        }
        Some(Some(TypeKind::Union(alts)))
    }

    /// `allOf` of objects, merged into one object schema: the properties of every part (a part
    /// may be a `$ref` to a component, itself an `allOf`) and of the schema itself, `required`
    /// united, `additionalProperties` from the schema itself. Returns the merged schema and each
    /// property's pointer in the document. A part that is not an object, or one property defined
    /// differently by two parts, is refused.
    fn merge_all_of(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        depth: usize,
    ) -> Option<(Map<String, Value>, BTreeMap<String, String>)> {
        if depth > 16 {
            self.err(
                ptr,
                "unsupported construct: `allOf` nested more than 16 deep (a cycle?)",
            );
            return None;
        }
        let mut props: Map<String, Value> = Map::new();
        let mut pointers: BTreeMap<String, String> = BTreeMap::new();
        let mut required: Vec<Value> = Vec::new();
        let mut description: Option<Value> = None;
        let mut add = |r: &mut Self,
                       part: &Map<String, Value>,
                       part_ptr: &str,
                       props: &mut Map<String, Value>,
                       pointers: &mut BTreeMap<String, String>|
         -> bool {
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                for (k, v) in p {
                    let pp = push_pointer(&format!("{part_ptr}/properties"), k);
                    match props.get(k) {
                        Some(old) if old != v => {
                            r.err(
                                &pp,
                                format!("unsupported construct: property `{k}` is defined differently by two parts of `allOf` (first at {})", pointers[k]),
                            );
                            return false;
                        }
                        Some(_) => {}
                        None => {
                            props.insert(k.clone(), v.clone());
                            pointers.insert(k.clone(), pp);
                        }
                    }
                }
            }
            if let Some(req) = part.get("required").and_then(Value::as_array) {
                for x in req {
                    if !required.contains(x) {
                        required.push(x.clone());
                    }
                }
            }
            if description.is_none() {
                description = part.get("description").cloned();
            }
            true
        };
        let parts = match map.get("allOf") {
            Some(Value::Array(parts)) => parts.clone(),
            _ => {
                self.err(&format!("{ptr}/allOf"), "`allOf` must be a list of schemas");
                return None;
            }
        };
        for (i, part) in parts.iter().enumerate() {
            let part_ptr = format!("{ptr}/allOf/{i}");
            let (part_map, part_ptr) = match part.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let Some(name) = r.strip_prefix("#/components/schemas/") else {
                        self.err(&format!("{part_ptr}/$ref"), format!("unsupported `$ref` `{r}`: only local references to #/components/schemas/... are supported"));
                        return None;
                    };
                    let name = unescape(name);
                    let Some(target) = self
                        .components
                        .get(&name)
                        .and_then(Value::as_object)
                        .cloned()
                    else {
                        self.err(
                            &format!("{part_ptr}/$ref"),
                            format!("unknown `$ref` `{r}`: no such schema in /components/schemas"),
                        );
                        return None;
                    };
                    (target, push_pointer("/components/schemas", &name))
                }
                None => match part.as_object() {
                    Some(m) => (m.clone(), part_ptr),
                    None => {
                        self.err(&part_ptr, "a schema must be a mapping");
                        return None;
                    }
                },
            };
            let part_map = if part_map.contains_key("allOf") {
                let (merged, inner_ptrs) = self.merge_all_of(&part_map, &part_ptr, depth + 1)?;
                // Nested parts keep their own pointers.
                for (k, v) in inner_ptrs {
                    pointers.entry(k).or_insert(v);
                }
                merged
            } else {
                part_map
            };
            let is_object = part_map.contains_key("properties")
                || part_map.get("type").and_then(Value::as_str) == Some("object");
            if !is_object {
                self.err(&part_ptr, "unsupported construct: an `allOf` part that is not an object (only objects are merged)");
                return None;
            }
            if !add(self, &part_map, &part_ptr, &mut props, &mut pointers) {
                return None;
            }
        }
        if !add(self, map, ptr, &mut props, &mut pointers) {
            return None;
        }
        let mut merged = Map::new();
        merged.insert("type".into(), Value::from("object"));
        merged.insert("properties".into(), Value::Object(props));
        if !required.is_empty() {
            merged.insert("required".into(), Value::Array(required));
        }
        if let Some(ap) = map.get("additionalProperties") {
            merged.insert("additionalProperties".into(), ap.clone());
        }
        if let Some(d) = description {
            merged.insert("description".into(), d);
        }
        Some((merged, pointers))
    }

    fn structure(&mut self, map: &Map<String, Value>, ptr: &str, type_name: &str) -> Struct {
        self.structure_at(map, ptr, type_name, &BTreeMap::new())
    }

    /// An object's struct; `pointers` gives the place of properties that are not at
    /// `{ptr}/properties/{name}` (merged from `allOf` parts).
    fn structure_at(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        type_name: &str,
        pointers: &BTreeMap<String, String>,
    ) -> Struct {
        let required: BTreeSet<String> = self
            .string_list(
                map.get("required"),
                &format!("{ptr}/required"),
                "`required` must be a list of property names",
            )
            .into_iter()
            .collect();
        let keep_additional = !matches!(map.get("additionalProperties"), Some(Value::Bool(false)));
        let empty = Map::new();
        let props = match map.get("properties") {
            None => &empty,
            Some(Value::Object(p)) => p,
            Some(_) => {
                self.err(
                    &format!("{ptr}/properties"),
                    "`properties` must be a mapping",
                );
                &empty
            }
        };
        for r in &required {
            if !props.contains_key(r) {
                self.err(
                    &format!("{ptr}/required"),
                    format!("`{r}` is required but is not one of the properties"),
                );
            }
        }
        let mut fields = Vec::new();
        // Wire spelling (name or alias) → property.
        let mut spellings: BTreeMap<String, String> = BTreeMap::new();
        for (name, schema) in props {
            let pptr = pointers
                .get(name)
                .cloned()
                .unwrap_or_else(|| push_pointer(&format!("{ptr}/properties"), name));
            let Some(pmap) = obj(schema) else {
                self.err(&pptr, "a property schema must be a mapping");
                continue;
            };
            // Made distinct below, once every property is known.
            let rust_name = snake(name);
            let aliases = self.aliases(pmap, &pptr);
            let tolerated = self.string_list(
                pmap.get("x-tolerated-aliases"),
                &format!("{pptr}/x-tolerated-aliases"),
                "`x-tolerated-aliases` must be a list of strings",
            );
            for spelling in std::iter::once(name)
                .chain(aliases.iter())
                .chain(tolerated.iter())
            {
                if let Some(other) = spellings.get(spelling) {
                    self.err(
                        &pptr,
                        format!(
                            "the spelling `{spelling}` is claimed by both `{other}` and `{name}`"
                        ),
                    );
                }
                spellings.insert(spelling.clone(), name.clone());
            }
            let hint = join_type_name(type_name, &pascal(name));
            let (_, nullable) = self.schema_type(pmap, &pptr);
            let nullable = nullable
                || union_parts(pmap).is_some_and(|(_, parts)| parts.iter().any(is_null_schema));
            let ty = self.type_ref(schema, &pptr, &hint);
            if ty == TypeRef::BooleanString && nullable {
                self.err(
                    &pptr,
                    "unsupported construct: a nullable `x-boolean-string`",
                );
            }
            let const_value = match pmap.get("const") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => {
                    self.err(
                        &format!("{pptr}/const"),
                        "unsupported construct: only string `const` values are supported",
                    );
                    None
                }
            };
            let doc = text(pmap.get("description")).or_else(|| self.ref_description(pmap));
            fields.push(Field {
                wire_name: name.clone(),
                rust_name,
                aliases,
                tolerated,
                doc,
                ty,
                presence: Presence::new(required.contains(name), nullable),
                const_value,
                boxed: false,
                pointer: pptr,
            });
        }
        // Properties that differ only in spelling (`a-b`, `a.b`; `Self`, `self`) get distinct
        // field names; the catch-all `additional_properties` is the generator's.
        let bases: Vec<String> = fields.iter().map(|f: &Field| f.rust_name.clone()).collect();
        let reserved: &[&str] = if keep_additional {
            &["additional_properties"]
        } else {
            &[]
        };
        for (f, name) in fields.iter_mut().zip(dedupe(&bases, reserved, "_")) {
            f.rust_name = name;
        }
        Struct {
            fields,
            keep_additional,
            // Decided once every type is known (`mark_eq`).
            eq: true,
        }
    }

    fn ref_description(&self, pmap: &Map<String, Value>) -> Option<String> {
        let name = pmap
            .get("$ref")?
            .as_str()?
            .strip_prefix("#/components/schemas/")?;
        self.schema_docs.get(&unescape(name))?.clone()
    }

    fn aliases(&mut self, pmap: &Map<String, Value>, pptr: &str) -> Vec<String> {
        self.string_list(
            pmap.get("x-aliases"),
            &format!("{pptr}/x-aliases"),
            "`x-aliases` must be a list of strings",
        )
    }

    /// A keyword that must be a list of strings (absent: empty); anything else is an error.
    fn string_list(&mut self, value: Option<&Value>, ptr: &str, message: &str) -> Vec<String> {
        match value {
            None => Vec::new(),
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(_) => {
                self.err(ptr, message);
                Vec::new()
            }
        }
    }

    /// The type of a schema used in place (a property, an item, a parameter or a body).
    /// Inline objects and enums become named types called `hint`.
    fn type_ref(&mut self, schema: &Value, ptr: &str, hint: &str) -> TypeRef {
        let Some(map) = obj(schema) else {
            if schema == &Value::Bool(true) {
                return TypeRef::Any;
            }
            self.err(ptr, "a schema must be a mapping");
            return TypeRef::Any;
        };
        if map.contains_key("allOf") {
            return self.inline_named(schema, ptr, hint);
        }
        if let Some((key, parts)) = union_parts(map) {
            // `oneOf: [{$ref: X}, {type: 'null'}]`: X, nullable (the caller reads the null).
            let non_null: Vec<(usize, &Value)> = parts
                .iter()
                .enumerate()
                .filter(|(_, p)| !is_null_schema(p))
                .collect();
            if let [(i, only)] = non_null.as_slice() {
                return self.type_ref(only, &format!("{ptr}/{key}/{i}"), hint);
            }
            return self.inline_named(schema, ptr, hint);
        }
        if !self.check_supported(map, ptr) {
            return TypeRef::Any;
        }
        if let Some(r) = map.get("$ref") {
            let rptr = format!("{ptr}/$ref");
            let Some(r) = r.as_str() else {
                self.err(&rptr, "`$ref` must be a string");
                return TypeRef::Any;
            };
            let Some(name) = r.strip_prefix("#/components/schemas/") else {
                self.err(
                    &rptr,
                    format!("unsupported `$ref` `{r}`: only local references to #/components/schemas/... are supported"),
                );
                return TypeRef::Any;
            };
            return match self.schema_names.get(&unescape(name)) {
                Some(rust) => TypeRef::Named(rust.clone()),
                None => {
                    self.err(
                        &rptr,
                        format!("unknown `$ref` `{r}`: no such schema in /components/schemas"),
                    );
                    TypeRef::Any
                }
            };
        }
        let (ty, _) = self.schema_type(map, ptr);
        let boolean_string = is_true(map.get("x-boolean-string"));
        if map.contains_key("x-boolean-string")
            && !matches!(map.get("x-boolean-string"), Some(Value::Bool(_)))
        {
            self.err(
                &format!("{ptr}/x-boolean-string"),
                "`x-boolean-string` must be true or false",
            );
        }
        match ty.as_deref() {
            Some("string") => {
                if boolean_string {
                    return TypeRef::BooleanString;
                }
                if map.contains_key("enum") {
                    return self.inline_named(schema, ptr, hint);
                }
                if let Some(media) = map.get("contentMediaType").and_then(Value::as_str) {
                    if media == "application/json" || media.ends_with("+json") {
                        return TypeRef::JsonString;
                    }
                }
                match map.get("format").and_then(Value::as_str) {
                    Some("date-time") => TypeRef::DateTime,
                    _ => TypeRef::String,
                }
            }
            Some("integer") if map.contains_key("enum") => self.inline_named(schema, ptr, hint),
            Some("integer") => match map.get("format").and_then(Value::as_str) {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("null") => TypeRef::Any,
            Some("array") => match map.get("items") {
                Some(items) => {
                    let item_hint = join_type_name(hint, "Item");
                    let iptr = format!("{ptr}/items");
                    let inner = self.type_ref(items, &iptr, &item_hint);
                    if inner == TypeRef::BooleanString {
                        self.err(
                            &iptr,
                            "unsupported construct: `x-boolean-string` inside an array",
                        );
                    }
                    TypeRef::Array(Box::new(inner))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            Some("object") | None => {
                if map.contains_key("properties") {
                    return self.inline_named(schema, ptr, hint);
                }
                match map.get("additionalProperties") {
                    Some(Value::Object(_)) => {
                        let ap = &map["additionalProperties"];
                        let inner = self.type_ref(
                            ap,
                            &format!("{ptr}/additionalProperties"),
                            &join_type_name(hint, "Value"),
                        );
                        TypeRef::Map(Box::new(inner))
                    }
                    _ if ty.is_some() => TypeRef::Map(Box::new(TypeRef::Any)),
                    _ => TypeRef::Any,
                }
            }
            Some(other) => {
                self.err(&format!("{ptr}/type"), format!("unknown type `{other}`"));
                TypeRef::Any
            }
        }
    }

    fn inline_named(&mut self, schema: &Value, ptr: &str, hint: &str) -> TypeRef {
        let name = self.unique_type_name(hint, ptr);
        self.named_type(&name, &name, schema, ptr);
        TypeRef::Named(name)
    }

    // ---- operations ---------------------------------------------------------

    fn operations(&mut self, root: &Map<String, Value>, server_fn: &str) -> Vec<Operation> {
        let mut out = Vec::new();
        let Some(paths) = root.get("paths") else {
            return out;
        };
        let Some(paths) = obj(paths) else {
            self.err("/paths", "`paths` must be a mapping");
            return out;
        };
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let iptr = push_pointer("/paths", path);
            if !path.starts_with('/') {
                self.err(&iptr, "a path must start with `/`");
                continue;
            }
            let Some(item) = obj(item) else {
                self.err(&iptr, "a path item must be a mapping");
                continue;
            };
            if item.contains_key("$ref") {
                self.err(
                    &format!("{iptr}/$ref"),
                    "unsupported construct: `$ref` on a path item",
                );
                continue;
            }
            let shared = item.get("parameters");
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let optr = push_pointer(&iptr, method);
                let Some(op) = obj(op) else {
                    self.err(&optr, "an operation must be a mapping");
                    continue;
                };
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    self.err(
                        &optr,
                        "missing `operationId`: every operation needs one to name its Rust items",
                    );
                    continue;
                };
                if let Some(first) = ids.get(id) {
                    self.err(
                        &format!("{optr}/operationId"),
                        format!("duplicate operationId `{id}`: also used at {first}"),
                    );
                    continue;
                }
                ids.insert(id.to_owned(), optr.clone());
                let Some((rust_name, type_name, request_type)) = self.op_names.get(&optr).cloned()
                else {
                    continue;
                };
                let body = op
                    .get("requestBody")
                    .and_then(|b| self.request_body(root, b, &optr, &type_name));
                let params = self.params(
                    root,
                    body.is_some(),
                    server_fn,
                    path,
                    shared,
                    &iptr,
                    op.get("parameters"),
                    &optr,
                );
                let responses = self.responses(op.get("responses"), &optr, &type_name);
                let job = op
                    .get("x-job")
                    .and_then(|j| self.job_access(j, &format!("{optr}/x-job"), &responses));
                let Some(method) = Method::parse(method) else {
                    continue;
                };
                out.push(Operation {
                    id: id.to_owned(),
                    rust_name,
                    type_name,
                    request_type,
                    method,
                    path: PathTemplate::parse(path),
                    summary: text(op.get("summary")),
                    description: text(op.get("description")),
                    pointer: optr,
                    params,
                    body,
                    responses,
                    job,
                });
            }
        }
        out
    }

    /// A JSON request body: its type (inline objects named `<Operation>Body`), whether it is
    /// required, and its schema's pointer. A body of another media type only is refused.
    fn request_body(
        &mut self,
        root: &Map<String, Value>,
        body: &Value,
        optr: &str,
        type_name: &str,
    ) -> Option<RequestBody> {
        let mut bptr = format!("{optr}/requestBody");
        let mut body = body;
        if let Some(r) = body.get("$ref").and_then(Value::as_str) {
            let target = r.strip_prefix("#/components/requestBodies/").and_then(|n| {
                root.get("components")?
                    .get("requestBodies")?
                    .get(unescape(n).as_str())
            });
            match target {
                Some(t) => {
                    bptr = r.trim_start_matches('#').to_owned();
                    body = t;
                }
                None => {
                    self.err(
                        &format!("{bptr}/$ref"),
                        format!("unknown `$ref` `{r}`: no such request body in /components/requestBodies"),
                    );
                    return None;
                }
            }
        }
        let Some(content) = body.get("content").and_then(obj) else {
            self.err(&bptr, "a request body needs `content`");
            return None;
        };
        let Some((media, mt)) = content.iter().find(|(m, _)| is_json_media(m)) else {
            let list: Vec<&str> = content.keys().map(String::as_str).collect();
            self.err(
                &format!("{bptr}/content"),
                format!(
                    "unsupported construct: a request body that is not JSON ({})",
                    list.join(", ")
                ),
            );
            return None;
        };
        let mptr = push_pointer(&format!("{bptr}/content"), media);
        let Some(schema) = mt.get("schema") else {
            self.err(&mptr, "a JSON request body needs a `schema`");
            return None;
        };
        let sptr = format!("{mptr}/schema");
        let ty = self.type_ref(schema, &sptr, &join_type_name(type_name, "Body"));
        if ty == TypeRef::BooleanString {
            self.err(
                &sptr,
                "unsupported construct: `x-boolean-string` as a whole request body",
            );
            return None;
        }
        Some(RequestBody {
            ty,
            required: is_true(body.get("required")),
            media: media.clone(),
            schema_pointer: sptr,
        })
    }

    fn deref_param<'v>(
        &mut self,
        root: &'v Map<String, Value>,
        p: &'v Value,
        ptr: &str,
    ) -> Option<&'v Map<String, Value>> {
        let m = obj(p)?;
        if let Some(r) = m.get("$ref").and_then(Value::as_str) {
            let target = r.strip_prefix("#/components/parameters/").and_then(|n| {
                root.get("components")?
                    .get("parameters")?
                    .get(unescape(n).as_str())
            });
            if target.is_none() {
                self.err(
                    &format!("{ptr}/$ref"),
                    format!("unknown `$ref` `{r}`: no such parameter in /components/parameters"),
                );
            }
            return target.and_then(obj);
        }
        Some(m)
    }

    #[allow(clippy::too_many_arguments)]
    fn params(
        &mut self,
        root: &Map<String, Value>,
        has_body: bool,
        server_fn: &str,
        path: &str,
        shared: Option<&Value>,
        iptr: &str,
        own: Option<&Value>,
        optr: &str,
    ) -> Vec<Param> {
        // (location, wire name) → param, operation-level ones overriding path-level ones.
        let mut by_key: Vec<((ParamIn, String), Param, String)> = Vec::new();
        for (list, lptr) in [
            (shared, format!("{iptr}/parameters")),
            (own, format!("{optr}/parameters")),
        ] {
            let Some(list) = list else { continue };
            let Some(list) = list.as_array() else {
                self.err(&lptr, "`parameters` must be a list");
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let pptr = format!("{lptr}/{i}");
                let Some(pm) = self.deref_param(root, p, &pptr) else {
                    self.err(&pptr, "a parameter must be a mapping");
                    continue;
                };
                if let Some(param) = self.param(pm, &pptr) {
                    let key = (param.location, param.wire_name.to_ascii_lowercase());
                    by_key.retain(|(k, _, _)| *k != key);
                    by_key.push((key, param, pptr));
                }
            }
        }
        // Path template names must match path parameters one to one.
        let template: Vec<String> = PathTemplate::parse(path)
            .params()
            .map(str::to_owned)
            .collect();
        for name in &template {
            if !by_key
                .iter()
                .any(|((l, _), p, _)| *l == ParamIn::Path && &p.wire_name == name)
            {
                self.err(
                    optr,
                    format!("the path has `{{{name}}}` but no path parameter `{name}` is defined"),
                );
            }
        }
        for ((l, _), p, pptr) in &by_key {
            if *l == ParamIn::Path && !template.contains(&p.wire_name) {
                self.err(
                    pptr,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        p.wire_name
                    ),
                );
            }
        }
        let order = |l: ParamIn| match l {
            ParamIn::Path => 0,
            ParamIn::Query => 1,
            ParamIn::Header => 2,
        };
        let mut params: Vec<Param> = by_key.into_iter().map(|(_, p, _)| p).collect();
        params.sort_by_key(|p| {
            let pos = template.iter().position(|t| *t == p.wire_name).unwrap_or(0);
            (
                order(p.location),
                if p.location == ParamIn::Path { pos } else { 0 },
            )
        });
        // Parameters are fields and setters of the request type: names that differ only in
        // spelling or place (`limit` in the query and `Limit` as a header) get distinct names,
        // and the request type's own methods keep theirs.
        let bases: Vec<String> = params.iter().map(|p| p.rust_name.clone()).collect();
        let mut reserved: Vec<&str> = REQUEST_METHODS.to_vec();
        reserved.push(server_fn);
        // The request body's field (and setter), when the operation has one.
        if has_body {
            reserved.push("body");
        }
        for (p, name) in params.iter_mut().zip(dedupe(&bases, &reserved, "_")) {
            p.rust_name = name;
        }
        params
    }

    fn param(&mut self, pm: &Map<String, Value>, pptr: &str) -> Option<Param> {
        let Some(name) = pm.get("name").and_then(Value::as_str) else {
            self.err(pptr, "a parameter needs a `name`");
            return None;
        };
        let location = match pm.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            Some("header") => ParamIn::Header,
            Some(other) => {
                self.err(
                    &format!("{pptr}/in"),
                    format!("unsupported construct: parameters `in: {other}`"),
                );
                return None;
            }
            None => {
                self.err(pptr, "a parameter needs `in` (path, query or header)");
                return None;
            }
        };
        let required = matches!(pm.get("required"), Some(Value::Bool(true)));
        if location == ParamIn::Path && !required {
            self.err(
                pptr,
                format!("path parameter `{name}` must have `required: true`"),
            );
        }
        let sptr = format!("{pptr}/schema");
        let Some(schema) = pm.get("schema") else {
            self.err(
                pptr,
                format!("parameter `{name}` needs a `schema` (`content` is not supported)"),
            );
            return None;
        };
        let ty = self.type_ref(schema, &sptr, &pascal(name));
        let scalar = |ty: &TypeRef| {
            matches!(
                ty,
                TypeRef::String
                    | TypeRef::I32
                    | TypeRef::I64
                    | TypeRef::F64
                    | TypeRef::Bool
                    | TypeRef::BooleanString
                    | TypeRef::Named(_)
            )
        };
        let ty = match ty {
            ref t if scalar(t) => ty,
            // An array in the query: the key repeated, once per item (`style: form`,
            // `explode: true`, OpenAPI's default for query parameters).
            TypeRef::Array(ref item) if location == ParamIn::Query && scalar(item) => {
                if matches!(pm.get("explode"), Some(Value::Bool(false))) {
                    self.err(
                        &format!("{pptr}/explode"),
                        "unsupported construct: `explode: false` (comma-joined arrays); the generator sends one key per item",
                    );
                    return None;
                }
                if schema.get("default").is_some() {
                    self.err(
                        &format!("{sptr}/default"),
                        "unsupported construct: a default on an array parameter",
                    );
                    return None;
                }
                ty
            }
            _ => {
                self.err(&sptr, format!("unsupported construct: parameter `{name}` must be a scalar (string, integer, number, boolean, enum), or in the query an array of scalars"));
                return None;
            }
        };
        let default = match schema.get("default") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.err(
                    &format!("{sptr}/default"),
                    "a parameter default must be a scalar",
                );
                None
            }
        };
        if let Some(d) = &default {
            if location == ParamIn::Header && d.contains(['\r', '\n']) {
                self.err(
                    &format!("{sptr}/default"),
                    "a header default must not contain CR or LF",
                );
            }
        }
        let constraints = self.constraints(schema, &ty, &sptr);
        Some(Param {
            wire_name: name.to_owned(),
            rust_name: snake(name),
            location,
            required,
            default,
            ty,
            doc: text(pm.get("description")),
            schema_pointer: sptr,
            constraints,
        })
    }

    /// The bounds a parameter's schema states (for an array, its items'), following one `$ref`.
    /// A `pattern` outside the subset the runtime's matcher reads is refused.
    fn constraints(&mut self, schema: &Value, ty: &TypeRef, sptr: &str) -> Constraints {
        let schema = match ty {
            TypeRef::Array(_) => schema.get("items").unwrap_or(&Value::Null),
            _ => schema,
        };
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix("#/components/schemas/")
                .and_then(|n| self.components.get(&unescape(n)))
                .cloned()
                .unwrap_or(Value::Null),
            None => schema.clone(),
        };
        let number = |k: &str| schema.get(k).and_then(Value::as_f64);
        let count = |k: &str| {
            schema
                .get(k)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let mut c = Constraints {
            minimum: number("minimum"),
            maximum: number("maximum"),
            exclusive_minimum: number("exclusiveMinimum"),
            exclusive_maximum: number("exclusiveMaximum"),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            pattern: schema
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let item = match ty {
            TypeRef::Array(item) => item.as_ref(),
            other => other,
        };
        let item = self.through_aliases(item);
        let numeric = matches!(item, TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
        let text = matches!(item, TypeRef::String);
        // As in JSON Schema, a bound for another type of value does not apply.
        if !numeric {
            c.minimum = None;
            c.maximum = None;
            c.exclusive_minimum = None;
            c.exclusive_maximum = None;
        }
        if !text {
            c.min_length = None;
            c.max_length = None;
            c.pattern = None;
        }
        if let Some(p) = &c.pattern {
            if let Err(e) = crate::pattern::Pattern::new(p) {
                self.err(
                    &format!("{sptr}/pattern"),
                    format!("unsupported construct: the pattern `{p}` cannot be checked by the request builder: {e}"),
                );
            }
        }
        c
    }

    fn responses(
        &mut self,
        responses: Option<&Value>,
        optr: &str,
        type_name: &str,
    ) -> Vec<Response> {
        let rptr = format!("{optr}/responses");
        let Some(responses) = responses.and_then(obj) else {
            self.err(optr, "an operation needs `responses`");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, resp) in responses {
            let kptr = push_pointer(&rptr, key);
            let status = match parse_status(key) {
                Some(s) => s,
                None => {
                    self.err(
                        &kptr,
                        format!("`{key}` is not a status code, a range like `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let Some(resp) = obj(resp) else {
                self.err(&kptr, "a response must be a mapping");
                continue;
            };
            if resp.contains_key("$ref") {
                self.err(
                    &format!("{kptr}/$ref"),
                    "unsupported construct: `$ref` on a response",
                );
                continue;
            }
            let description = text(resp.get("description")).unwrap_or_default();
            let mut body = None;
            let mut schema_pointer = None;
            if let Some(content) = resp.get("content").and_then(obj) {
                let json = content.iter().find(|(media, _)| is_json_media(media));
                if let Some((media, mt)) = json {
                    let mptr = push_pointer(&format!("{kptr}/content"), media);
                    if let Some(schema) = mt.get("schema") {
                        let sptr = format!("{mptr}/schema");
                        let hint = join_type_name(
                            type_name,
                            &pascal(&format!("Response{}", key.to_ascii_uppercase())),
                        );
                        body = Some(self.type_ref(schema, &sptr, &hint));
                        schema_pointer = Some(sptr);
                    }
                }
            }
            out.push(Response {
                status,
                description,
                body,
                schema_pointer,
                success: matches!(status, StatusKey::Code(200..=299) | StatusKey::Range(2)),
            });
        }
        if !out.iter().any(|r| r.success) {
            self.err(&rptr, "an operation needs a documented 2xx response");
        }
        out
    }
}

impl Resolver<'_> {
    /// Follows a JSON pointer through the named struct types; returns the steps and the final type.
    fn model_path(
        &mut self,
        start: &TypeRef,
        pointer: &str,
        at: &str,
    ) -> Option<(Vec<Step>, TypeRef)> {
        let mut ty = start.clone();
        let mut steps = Vec::new();
        for token in pointer.split('/').skip(1) {
            let token = unescape(token);
            let TypeRef::Named(name) = &ty else {
                self.err(
                    at,
                    format!("`{pointer}`: `{token}` is not inside an object"),
                );
                return None;
            };
            let field = self
                .types
                .iter()
                .find(|t| &t.name == name)
                .and_then(|t| match &t.kind {
                    TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire_name == token).cloned(),
                    _ => None,
                });
            let Some(field) = field else {
                self.err(
                    at,
                    format!("`{pointer}`: `{name}` has no property `{token}`"),
                );
                return None;
            };
            if field.presence.is_nullable() {
                self.err(
                    at,
                    format!("`{pointer}`: nullable properties are not supported on this path"),
                );
                return None;
            }
            steps.push(Step {
                field: field.rust_name.clone(),
                optional: !field.presence.is_required(),
            });
            ty = field.ty.clone();
        }
        Some((steps, ty))
    }

    fn job_access(&mut self, job: &Value, at: &str, responses: &[Response]) -> Option<JobAccess> {
        let body = responses
            .iter()
            .find(|r| r.success)
            .and_then(|r| r.body.clone());
        let Some(TypeRef::Named(body_type)) = body else {
            self.err(
                at,
                "`x-job` needs a success response whose body is a named object",
            );
            return None;
        };
        let body = TypeRef::Named(body_type.clone());
        let text = |k: &str| job.get(k).and_then(Value::as_str).map(str::to_owned);
        let Some(status_ptr) = text("status") else {
            self.err(
                at,
                "`x-job` needs `status`: a JSON pointer to the job's state in the body",
            );
            return None;
        };
        let (status, status_ty) = self.model_path(&body, &status_ptr, &format!("{at}/status"))?;
        let terminal_known = match &status_ty {
            TypeRef::Named(n) => self.types.iter().any(|t| {
                &t.name == n && matches!(&t.kind, TypeKind::Enum(e) if !e.terminal.is_empty())
            }),
            _ => false,
        };
        if !terminal_known {
            self.err(
                &format!("{at}/status"),
                "the job state must be an enum that lists its `x-terminal` values",
            );
            return None;
        }
        let progress = match text("progress") {
            Some(p) => {
                let (steps, ty) = self.model_path(&body, &p, &format!("{at}/progress"))?;
                if !matches!(ty, TypeRef::F64 | TypeRef::I64 | TypeRef::I32) {
                    self.err(&format!("{at}/progress"), "the progress must be a number");
                    return None;
                }
                Some((steps, ty))
            }
            None => None,
        };
        let tasks = match text("tasks") {
            Some(p) => {
                let (steps, ty) = self.model_path(&body, &p, &format!("{at}/tasks"))?;
                let TypeRef::Array(item) = ty else {
                    self.err(&format!("{at}/tasks"), "the tasks must be an array");
                    return None;
                };
                let name_ptr = text("task-name").unwrap_or_default();
                let status_ptr = text("task-status").unwrap_or_default();
                let (name, name_ty) =
                    self.model_path(&item, &name_ptr, &format!("{at}/task-name"))?;
                let (tstatus, tstatus_ty) =
                    self.model_path(&item, &status_ptr, &format!("{at}/task-status"))?;
                // Both are shown as text: they must reach a value, not an object or a list.
                for (key, ty) in [("task-name", &name_ty), ("task-status", &tstatus_ty)] {
                    if !self.is_text_like(ty) {
                        self.err(
                            &format!("{at}/{key}"),
                            format!(
                                "`{key}` must point at a string, number, boolean or enum, not {}",
                                describe(ty)
                            ),
                        );
                        return None;
                    }
                }
                Some((steps, name, tstatus))
            }
            None => None,
        };
        Some(JobAccess {
            body_type: body_type.clone(),
            status,
            progress,
            tasks,
        })
    }
}

impl Resolver<'_> {
    /// The type a named alias stands for (through chains of aliases); other types as they are.
    fn through_aliases(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        for _ in 0..32 {
            let TypeRef::Named(n) = &ty else { break };
            match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                _ => break,
            }
        }
        ty
    }

    /// Whether a value of this type can be shown as text (it is a scalar or an enum).
    fn is_text_like(&self, ty: &TypeRef) -> bool {
        let mut ty = ty.clone();
        // Through aliases (bounded: alias cycles are reported elsewhere).
        for _ in 0..32 {
            match &ty {
                TypeRef::Named(n) => {
                    match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                        Some(TypeKind::Enum(_)) => return true,
                        Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                        _ => return false,
                    }
                }
                TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => return false,
                _ => return true,
            }
        }
        false
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

#[cfg(test)]
mod tests {
    use crate::ir::*;

    fn api(yaml: &str) -> Api {
        crate::api_from_bytes(yaml.as_bytes(), "t.yaml", "t").unwrap_or_else(|e| panic!("{e}"))
    }

    fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
        &api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no type {name}: {:?}",
                    api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
                )
            })
            .kind
    }

    fn fields(kind: &TypeKind) -> &[Field] {
        match kind {
            TypeKind::Struct(s) => &s.fields,
            other => panic!("not a struct: {other:?}"),
        }
    }

    const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn operations_carry_method_template_presence_and_success() {
        let a = api(&format!(
            "{HEAD}paths:
  /jobs/{{id}}/logs:
    patch:
      operationId: Self
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      requestBody:
        content: {{application/json: {{schema: {{type: object, properties: {{a: {{type: string}}}}}}}}}}
      responses:
        '204': {{description: none}}
        4XX: {{description: client}}
components:
  schemas:
    SelfRequest: {{type: object, required: [r, rn], properties: {{r: {{type: string}}, rn: {{type: [string, 'null']}}, o: {{type: string}}, on: {{type: [string, 'null']}}}}}}
"
        ));
        let op = &a.operations[0];
        assert_eq!(op.method, Method::Patch);
        assert_eq!(op.path.params().collect::<Vec<_>>(), ["id"]);
        assert_eq!(
            (op.type_name.as_str(), op.request_type.as_str()),
            ("Self", "SelfRequest")
        );
        assert_eq!(
            op.responses.iter().map(|r| r.success).collect::<Vec<_>>(),
            [true, false]
        );
        assert!(op
            .body
            .as_ref()
            .is_some_and(|b| !b.required && b.ty == TypeRef::Named("SelfBody".into())));
        // The schema that had the request type's name is numbered.
        let presences: Vec<Presence> = fields(ty(&a, "SelfRequest2"))
            .iter()
            .map(|f| f.presence)
            .collect();
        assert_eq!(
            presences,
            [
                Presence::Required,
                Presence::RequiredNullable,
                Presence::Optional,
                Presence::OptionalNullable
            ]
        );
    }

    #[test]
    fn unions_all_of_and_recursion() {
        let a = api(&format!(
            "{HEAD}paths: {{}}
components:
  schemas:
    Grows: {{anyOf: [{{enum: [A, B]}}, {{type: string}}]}}
    Either: {{oneOf: [{{$ref: '#/components/schemas/Node'}}, {{type: string}}, {{type: string, format: date-time}}]}}
    Node:
      type: object
      properties:
        next: {{$ref: '#/components/schemas/Node'}}
        maybe: {{oneOf: [{{$ref: '#/components/schemas/Grows'}}, {{type: 'null'}}]}}
    Both:
      allOf:
        - {{$ref: '#/components/schemas/Node'}}
        - {{type: object, required: [extra], properties: {{extra: {{type: integer}}}}}}
"
        ));
        assert!(matches!(ty(&a, "Grows"), TypeKind::Enum(e) if e.open && e.variants.len() == 2));
        let TypeKind::Union(alts) = ty(&a, "Either") else {
            panic!()
        };
        let names: Vec<&str> = alts.iter().map(|x| x.rust_name.as_str()).collect();
        assert_eq!(names, ["Node", "String", "DateTime"]);
        assert!(alts[0].boxed, "an object in a union is boxed");
        let node = fields(ty(&a, "Node"));
        assert!(node[0].boxed, "recursive by value");
        assert_eq!(
            node[1].presence,
            Presence::OptionalNullable,
            "oneOf with null"
        );
        assert_eq!(node[1].ty, TypeRef::Named("Grows".into()));
        let both = fields(ty(&a, "Both"));
        let at: Vec<(&str, &str)> = both
            .iter()
            .map(|f| (f.wire_name.as_str(), f.pointer.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("next", "/components/schemas/Node/properties/next"),
                ("maybe", "/components/schemas/Node/properties/maybe"),
                ("extra", "/components/schemas/Both/allOf/1/properties/extra"),
            ]
        );
        assert_eq!(both[2].presence, Presence::Required);
    }

    #[test]
    fn parameters_arrays_bounds_and_every_error_at_once() {
        let a = api(&format!(
            "{HEAD}paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {{name: ids, in: query, schema: {{type: array, items: {{type: integer, minimum: 1}}}}}}
        - {{name: name, in: query, schema: {{type: [string, 'null'], maxLength: 3, pattern: '^[a-z]+$', minimum: 9}}}}
      responses: {{'200': {{description: ok}}}}
"
        ));
        let p = &a.operations[0].params;
        assert_eq!(p[0].ty, TypeRef::Array(Box::new(TypeRef::I64)));
        assert_eq!(p[0].constraints.minimum, Some(1.0));
        assert_eq!(p[1].ty, TypeRef::String);
        assert_eq!(p[1].constraints.max_length, Some(3));
        assert_eq!(
            p[1].constraints.minimum, None,
            "a number bound on a string does not apply"
        );
        let errors = crate::api_from_bytes(
            format!(
                "{HEAD}paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {{name: q, in: query, schema: {{type: string, pattern: '(?!no)'}}}}
        - {{name: h, in: header, schema: {{type: array, items: {{type: string}}}}}}
      responses: {{'200': {{description: ok}}}}
"
            )
            .as_bytes(),
            "t.yaml",
            "t",
        )
        .expect_err("refused");
        let places: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(places.len(), 2, "{places:?}");
        assert!(
            places[0].contains("#/paths/~1x/get/parameters/0/schema/pattern"),
            "{places:?}"
        );
        assert!(
            places[1].contains("#/paths/~1x/get/parameters/1/schema"),
            "{places:?}"
        );
    }
}
