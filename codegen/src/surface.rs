//! The public Rust API a module is generated with, as plain data read from the IR, so that two
//! versions of a spec can be compared for what they change in it ([`diff`]) without emitting
//! or compiling either. It follows the emitter's decisions one to one (names, types, boxes,
//! derives, constructors, setters); `codegen/tests/api_changes.rs` checks the classification
//! against cargo-semver-checks run on the two generated crates.

use crate::ir::{Api, Enum, Field, Operation, Presence, Struct, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub mod diff;
pub mod report;

/// What kind of public item an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A struct (a model or a request type).
    Struct,
    /// A struct's public field.
    Field,
    /// An enum (a string, integer or `oneOf` type).
    Enum,
    /// An enum's variant.
    Variant,
    /// A type alias.
    Alias,
    /// An associated or module-level function or method.
    Function,
    /// An associated or module-level constant.
    Constant,
}

/// One public item of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What it is.
    pub kind: Kind,
    /// Its Rust signature as it matters to callers: a field's or alias's type, a function's
    /// parameters and result, a type's derives and `non_exhaustive`, a variant's payload.
    pub signature: String,
    /// For enums: `open` (unlisted values kept) or `closed`; empty otherwise.
    pub openness: &'static str,
    /// A constant's value (a change of it is a wire-level change, not an API one).
    pub value: String,
    /// What the item does on the wire that its Rust signature does not show (accepted
    /// spellings, documented statuses).
    pub wire: String,
    /// Its rustdoc text from the spec.
    pub doc: String,
    /// The JSON pointer in the spec of what it is generated from.
    pub pointer: String,
    /// For a type, what it is generated from whatever its Rust name: the schema's pointer, or
    /// `operation <operationId>` for a request type (empty for other items).
    pub identity: String,
}

/// Every public item of one generated module, by path inside the module: `Type`, `Type.field`,
/// `Type::Variant`, `Type::method()`, `Type::CONSTANT`, `function()`, `CONSTANT`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    /// The module name.
    pub module: String,
    /// The spec file.
    pub source_file: String,
    /// The items.
    pub items: BTreeMap<String, Entry>,
}

impl Surface {
    fn add(&mut self, path: String, entry: Entry) {
        self.items.insert(path, entry);
    }
}

fn entry(kind: Kind, signature: impl Into<String>, pointer: &str) -> Entry {
    Entry {
        kind,
        signature: signature.into(),
        openness: "",
        value: String::new(),
        wire: String::new(),
        doc: String::new(),
        pointer: pointer.to_owned(),
        identity: String::new(),
    }
}

/// The public API the emitter generates for `api`.
pub fn surface(api: &Api) -> Surface {
    surface_of(api, &|_| true, &|_| true)
}

/// The public API of `api`'s module-level items and of the types and operations kept: the
/// report leaves out those equal in both versions, which cannot differ.
pub fn surface_of(
    api: &Api,
    keep_type: &dyn Fn(&TypeDef) -> bool,
    keep_op: &dyn Fn(&Operation) -> bool,
) -> Surface {
    let mut s = Surface {
        module: api.module.clone(),
        source_file: api.source_file.clone(),
        items: BTreeMap::new(),
    };
    let mut auth = entry(Kind::Constant, "AuthSchemes", "/components/securitySchemes");
    auth.value = format!("{:?}", api.auth);
    s.add("AUTH".into(), auth);
    s.add(
        "ERROR_FIELDS".into(),
        entry(Kind::Constant, "ErrorFields", "/paths"),
    );
    if let Some(server) = &api.server {
        let mut url = entry(Kind::Constant, "&str", "/servers/0");
        url.value.clone_from(&server.url);
        s.add("SERVER_URL_TEMPLATE".into(), url);
        let args: Vec<String> = server
            .variables
            .iter()
            .map(|v| format!("{}: &str", v.name))
            .collect();
        for v in &server.variables {
            let mut d = entry(Kind::Constant, "&str", "/servers/0/variables");
            d.value.clone_from(&v.default);
            s.add(format!("DEFAULT_{}", v.name.to_ascii_uppercase()), d);
        }
        s.add(
            "base_url()".into(),
            entry(
                Kind::Function,
                format!("fn({}) -> Result<String, RequestError>", args.join(", ")),
                "/servers/0",
            ),
        );
    }
    s.add(
        "visit_body()".into(),
        entry(
            Kind::Function,
            "fn<V: BodyVisitor>(&str, u16, V) -> Option<V::Output>",
            "/paths",
        ),
    );
    for t in api.types.iter().filter(|t| keep_type(t)) {
        type_def(&mut s, t);
    }
    for op in api.operations.iter().filter(|o| keep_op(o)) {
        operation(&mut s, api, op);
    }
    s
}

/// A type as the emitter writes it (without the `std::`/`crate::runtime::` paths).
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String | TypeRef::JsonString => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::BooleanString | TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Any => "serde_json::Value".into(),
        TypeRef::Array(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("Map<String, {}>", type_text(inner)),
        TypeRef::Named(n) => n.clone(),
    }
}

/// A field's type: boxed for recursion, wrapped in `Option`s by its presence.
fn field_text(f: &Field) -> String {
    let base = type_text(&f.ty);
    let base = if f.boxed {
        format!("Box<{base}>")
    } else {
        base
    };
    match f.presence {
        Presence::Required => base,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{base}>"),
        Presence::OptionalNullable => format!("Option<Option<{base}>>"),
    }
}

/// Whether the emitter can derive `Default` for a struct: no required field of a named type.
pub fn struct_has_default(s: &Struct) -> bool {
    s.fields
        .iter()
        .all(|f| f.presence != Presence::Required || !matches!(f.ty, TypeRef::Named(_)))
}

fn derives(traits: &[&str]) -> String {
    format!("derive({})", traits.join(", "))
}

fn type_def(s: &mut Surface, t: &TypeDef) {
    let mut head = match &t.kind {
        TypeKind::Struct(st) => {
            let mut traits = vec!["Debug", "Clone", "PartialEq"];
            if st.eq {
                traits.push("Eq");
            }
            if struct_has_default(st) {
                traits.push("Default");
            }
            entry(
                Kind::Struct,
                format!("{} non_exhaustive", derives(&traits)),
                &t.pointer,
            )
        }
        TypeKind::Enum(e) => {
            let mut head = entry(
                Kind::Enum,
                format!(
                    "{} non_exhaustive{}",
                    derives(&["Debug", "Clone", "PartialEq", "Eq", "Hash"]),
                    if e.integer { " integer" } else { "" }
                ),
                &t.pointer,
            );
            head.openness = if e.open { "open" } else { "closed" };
            head
        }
        TypeKind::Union(_) => entry(
            Kind::Enum,
            format!(
                "{} non_exhaustive",
                derives(&["Debug", "Clone", "PartialEq"])
            ),
            &t.pointer,
        ),
        TypeKind::Alias(ty) => entry(Kind::Alias, type_text(ty), &t.pointer),
    };
    head.doc = t.doc.clone().unwrap_or_default();
    head.identity.clone_from(&t.pointer);
    s.add(t.name.clone(), head);
    match &t.kind {
        TypeKind::Struct(st) => structure(s, &t.name, st),
        TypeKind::Enum(e) => enumeration(s, &t.name, e, &t.pointer),
        TypeKind::Union(alts) => {
            for a in alts {
                let ty = type_text(&a.ty);
                let ty = if a.boxed { format!("Box<{ty}>") } else { ty };
                s.add(
                    format!("{}::{}", t.name, a.rust_name),
                    entry(Kind::Variant, format!("({ty})"), &t.pointer),
                );
            }
            s.add(
                format!("{}::Other", t.name),
                entry(Kind::Variant, "(serde_json::Value)", &t.pointer),
            );
        }
        TypeKind::Alias(_) => {}
    }
}

fn structure(s: &mut Surface, name: &str, st: &Struct) {
    for f in &st.fields {
        let mut e = entry(Kind::Field, field_text(f), &f.pointer);
        e.doc = f.doc.clone().unwrap_or_default();
        let mut wire = vec![format!("wire name {}", f.wire_name)];
        if !f.aliases.is_empty() {
            wire.push(format!("also accepted: {}", f.aliases.join(", ")));
        }
        if !f.tolerated.is_empty() {
            wire.push(format!("tolerated: {}", f.tolerated.join(", ")));
        }
        if let Some(v) = &f.const_value {
            wire.push(format!("fixed value {v}"));
        }
        if f.presence.is_required() {
            wire.push("required".into());
        }
        e.wire = wire.join("; ");
        s.add(format!("{name}.{}", f.rust_name), e);
        if let Some(v) = &f.const_value {
            let cname = format!(
                "{}_FIXED",
                f.rust_name.trim_end_matches('_').to_ascii_uppercase()
            );
            let mut c = entry(Kind::Constant, "&str", &f.pointer);
            c.value.clone_from(v);
            s.add(format!("{name}::{cname}"), c);
        }
        if f.ty == TypeRef::JsonString {
            let result = "Result<serde_json::Value, serde_json::Error>";
            let sig = if f.presence == Presence::Required {
                format!("fn(&self) -> {result}")
            } else {
                format!("fn(&self) -> Option<{result}>")
            };
            s.add(
                format!("{name}::{}_json()", f.rust_name.trim_end_matches('_')),
                entry(Kind::Function, sig, &f.pointer),
            );
        }
    }
    if st.keep_additional {
        s.add(
            format!("{name}.additional_properties"),
            entry(
                Kind::Field,
                "Map<String, serde_json::Value>",
                &format!("{}/additionalProperties", pointer_of(st)),
            ),
        );
    }
    if !struct_has_default(st) {
        let args: Vec<String> = st
            .fields
            .iter()
            .filter(|f| f.presence == Presence::Required && matches!(f.ty, TypeRef::Named(_)))
            .map(|f| format!("{}: {}", f.rust_name, field_text(f)))
            .collect();
        s.add(
            format!("{name}::new()"),
            entry(
                Kind::Function,
                format!("fn({}) -> Self", args.join(", ")),
                &pointer_of(st),
            ),
        );
    }
}

/// The pointer of a struct: its first field's parent (the pointer of the type is on the entry).
fn pointer_of(st: &Struct) -> String {
    st.fields
        .first()
        .and_then(|f| {
            f.pointer
                .rsplit_once("/properties/")
                .map(|(p, _)| p.to_owned())
        })
        .unwrap_or_default()
}

fn enumeration(s: &mut Surface, name: &str, e: &Enum, pointer: &str) {
    for v in &e.variants {
        let mut variant = entry(Kind::Variant, "", pointer);
        variant.wire = format!("value {}", v.wire);
        s.add(format!("{name}::{}", v.rust_name), variant);
    }
    if e.open {
        let payload = if e.integer { "(i64)" } else { "(String)" };
        s.add(
            format!("{name}::Unrecognized"),
            entry(Kind::Variant, payload, pointer),
        );
    }
    let (accessor, ty) = if e.integer {
        ("as_i64()", "fn(&self) -> i64")
    } else {
        ("as_str()", "fn(&self) -> &str")
    };
    s.add(
        format!("{name}::{accessor}"),
        entry(Kind::Function, ty, pointer),
    );
    if e.integer {
        s.add(
            format!("{name}::from_i64()"),
            entry(Kind::Function, "fn(i64) -> Result<Self, i64>", pointer),
        );
    }
    let mut values = entry(
        Kind::Constant,
        if e.integer { "&[i64]" } else { "&[&str]" },
        pointer,
    );
    values.value = e
        .variants
        .iter()
        .map(|v| v.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    s.add(format!("{name}::VALUES"), values);
    if !e.terminal.is_empty() {
        let mut t = entry(Kind::Constant, "&[&str]", pointer);
        t.value = e.terminal.join(", ");
        s.add(format!("{name}::TERMINAL"), t);
    }
}

fn operation(s: &mut Surface, api: &Api, op: &Operation) {
    let name = &op.request_type;
    let mut head = entry(
        Kind::Struct,
        format!(
            "{} non_exhaustive",
            derives(
                &if op.params.iter().any(|p| p.required && p.default.is_none())
                    || op.body.as_ref().is_some_and(|b| b.required)
                {
                    vec!["Debug", "Clone", "PartialEq"]
                } else {
                    vec!["Debug", "Clone", "PartialEq", "Default"]
                }
            )
        ),
        &op.pointer,
    );
    head.doc = [op.summary.as_deref(), op.description.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    head.identity = format!("operation {}", op.id);
    s.add(name.clone(), head);
    let mut ctor = params(s, op);
    if let Some(b) = &op.body {
        let ty = type_text(&b.ty);
        let pointer = &b.schema_pointer;
        if b.required {
            s.add(format!("{name}.body"), entry(Kind::Field, &ty, pointer));
            ctor.push(format!("body: {ty}"));
        } else {
            s.add(
                format!("{name}.body"),
                entry(Kind::Field, format!("Option<{ty}>"), pointer),
            );
            s.add(
                format!("{name}::body()"),
                entry(Kind::Function, format!("fn(self, {ty}) -> Self"), pointer),
            );
        }
    }
    s.add(
        format!("{name}::new()"),
        entry(
            Kind::Function,
            format!("fn({}) -> Self", ctor.join(", ")),
            &op.pointer,
        ),
    );
    for (c, v) in [
        ("OPERATION_ID", op.id.clone()),
        ("METHOD", op.method.as_str().to_owned()),
        ("PATH", op.path.text.clone()),
    ] {
        let mut e = entry(Kind::Constant, "&str", &op.pointer);
        e.value = v;
        s.add(format!("{name}::{c}"), e);
    }
    s.add(
        format!("{name}::build()"),
        entry(
            Kind::Function,
            "fn(&self, &str) -> Result<Request<Vec<u8>>, RequestError>",
            &op.pointer,
        ),
    );
    if let Some(server) = &api.server {
        s.add(
            format!("{name}::{}()", server.build_fn),
            entry(
                Kind::Function,
                "fn(&self, &str) -> Result<Request<Vec<u8>>, RequestError>",
                "/servers/0",
            ),
        );
    }
    s.add(format!("{name}::parse_response()"), parse_response(op));
}

/// A request type's parameters: its fields and setters; the constructor's arguments returned.
fn params(s: &mut Surface, op: &Operation) -> Vec<String> {
    let name = &op.request_type;
    let mut ctor = Vec::new();
    for p in &op.params {
        let ty = type_text(&p.ty);
        let is_arg = p.required && p.default.is_none();
        let field_ty = if is_arg {
            ty.clone()
        } else {
            format!("Option<{ty}>")
        };
        let mut f = entry(Kind::Field, field_ty, &p.schema_pointer);
        f.doc = p.doc.clone().unwrap_or_default();
        f.wire = format!(
            "{:?} parameter {}{}",
            p.location,
            p.wire_name,
            p.default
                .as_deref()
                .map(|d| format!("; default {d}"))
                .unwrap_or_default()
        )
        .to_lowercase();
        s.add(format!("{name}.{}", p.rust_name), f);
        let arg_ty = if p.ty == TypeRef::String {
            "impl Into<String>".to_owned()
        } else {
            ty.clone()
        };
        if is_arg {
            ctor.push(format!("{}: {arg_ty}", p.rust_name));
        } else {
            s.add(
                format!("{name}::{}()", p.rust_name),
                entry(
                    Kind::Function,
                    format!("fn(self, {arg_ty}) -> Self"),
                    &p.schema_pointer,
                ),
            );
        }
    }
    ctor
}

/// `parse_response`: its output type, and the documented statuses (a wire-level fact).
fn parse_response(op: &Operation) -> Entry {
    let output = op
        .responses
        .iter()
        .find(|r| r.success)
        .and_then(|r| r.body.as_ref())
        .map_or("()".to_owned(), type_text);
    let mut parse = entry(
        Kind::Function,
        format!("fn(u16, &HeaderMap, &[u8]) -> Result<{output}, ResponseError>"),
        &format!("{}/responses", op.pointer),
    );
    parse.wire = op
        .responses
        .iter()
        .map(|r| {
            let status = match r.status {
                crate::ir::StatusKey::Code(c) => c.to_string(),
                crate::ir::StatusKey::Range(d) => format!("{d}XX"),
                crate::ir::StatusKey::Default => "default".into(),
            };
            match &r.body {
                Some(b) => format!("{status} {}", type_text(b)),
                None => status,
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    parse
}
