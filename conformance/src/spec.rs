//! The spec documents, their compiled validators, and walking a body alongside its schema.

use codegen::ir::{Api, TypeKind, TypeRef};
use hwc_jobs::runtime::{ModuleInfo, OperationInfo};
use jsonschema::{Draft, Registry, Validator};
use serde_json::Value;
use std::path::Path;

/// One spec document with the generated module built from it.
pub struct SpecModule {
    /// The generated module.
    pub info: &'static ModuleInfo,
    /// The document as JSON.
    pub doc: Value,
    /// Validators, per operation (index in `info.operations`) and response (index in its `responses`).
    pub response_validators: Vec<Vec<Option<Validator>>>,
    /// Validators of parameters, per operation and parameter (in the IR's order).
    pub param_validators: Vec<Vec<Option<Validator>>>,
    /// Compiled shapes for the walk.
    pub shapes: Shapes,
    /// Shape of each response body, per operation and response.
    pub response_shapes: Vec<Vec<usize>>,
    /// Per operation: the validator of its JSON request body, whether the body is required, and
    /// the schema's pointer.
    pub request_bodies: Vec<Option<(Validator, bool, String)>>,
    /// For each operation of `info.operations`, its index in `api.operations`.
    pub ir_ops: Vec<usize>,
    /// The generator's reading of the document: the only interpretation the runner uses
    /// (the JSON document itself only feeds the JSON Schema validators and quotes the spec).
    pub api: Api,
}

/// Every spec document of the generated crate.
pub struct SpecSet {
    /// Modules, in the generated crate's order.
    pub modules: Vec<SpecModule>,
}

fn uri(module: &str) -> String {
    format!("urn:hwc-jobs-spec:{module}")
}

impl SpecSet {
    /// Loads `<root>/<spec_file>` for each generated module and builds all validators once.
    /// Refuses, saying what to run, when `<root>/spec/` is not what the compiled models were
    /// generated from: a document changed since (its SHA-256 differs), added (no module) or
    /// removed.
    pub fn load(root: &Path) -> Result<Self, String> {
        Self::load_modules(root, hwc_jobs::MODULES)
    }

    /// [`SpecSet::load`] for a given module table.
    pub fn load_modules(root: &Path, table: &'static [ModuleInfo]) -> Result<Self, String> {
        const REBUILD: &str =
            "run `cargo xtask gen`, then rebuild the runner (`cargo build -p conformance`)";
        let mut modules = Vec::new();
        for info in table {
            let path = root.join(info.spec_file);
            let bytes = std::fs::read(&path).map_err(|e| {
                format!(
                    "{}: cannot read the spec the models were generated from ({e}); {REBUILD}",
                    path.display()
                )
            })?;
            let sha = codegen::sha256_hex(&bytes);
            if sha != info.spec_sha256 {
                return Err(format!(
                    "{}: the spec has changed since the models in this runner were generated (sha256 {sha}, models from {}); {REBUILD}",
                    path.display(),
                    info.spec_sha256
                ));
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: the spec is not UTF-8", path.display()))?;
            let doc = codegen::load::parse_str(&text, info.spec_file).map_err(|e| e.to_string())?;
            modules.push(SpecModule::new(info, doc)?);
        }
        if let Ok(files) = codegen::spec_files(&root.join("spec")) {
            for f in files {
                let name = format!(
                    "spec/{}",
                    f.file_name().and_then(|n| n.to_str()).unwrap_or("?")
                );
                if !table.iter().any(|m| m.spec_file == name) {
                    return Err(format!(
                        "{}: this document has no generated module in this runner; {REBUILD}",
                        f.display()
                    ));
                }
            }
        }
        Ok(SpecSet { modules })
    }

    /// The operation `module/id`, or `id` alone when only one module has it.
    pub fn find_operation(&self, name: &str) -> Result<(usize, usize), String> {
        let (module, id) = match name.split_once('/') {
            Some((m, i)) => (Some(m), i),
            None => (None, name),
        };
        let hits: Vec<(usize, usize)> = self
            .modules
            .iter()
            .enumerate()
            .filter(|(_, m)| module.is_none_or(|want| m.info.name == want))
            .flat_map(|(mi, m)| {
                m.info
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.id == id)
                    .map(move |(oi, _)| (mi, oi))
            })
            .collect();
        let all = || {
            self.modules
                .iter()
                .flat_map(|m| {
                    m.info
                        .operations
                        .iter()
                        .map(|o| format!("{}/{}", m.info.name, o.id))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match hits.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!("unknown operation `{name}`; known: {}", all())),
            _ => Err(format!(
                "operation `{name}` is ambiguous; name it as module/id: {}",
                all()
            )),
        }
    }

    /// The operation at an index pair.
    pub fn operation(&self, at: (usize, usize)) -> &'static OperationInfo {
        &self.modules[at.0].info.operations[at.1]
    }
}

impl SpecModule {
    fn new(info: &'static ModuleInfo, doc: Value) -> Result<Self, String> {
        let base = uri(info.name);
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(&base, doc.clone())
            .and_then(|b| b.prepare())
            .map_err(|e| format!("{}: {e}", info.spec_file))?;
        let build = |pointer: &str| -> Result<Validator, String> {
            let wrapper = serde_json::json!({ "$ref": format!("{base}#{}", fragment(pointer)) });
            jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(&registry)
                .should_validate_formats(true)
                .build(&wrapper)
                .map_err(|e| {
                    format!(
                        "{}#{pointer}: cannot build a validator: {e}",
                        info.spec_file
                    )
                })
        };
        // The generator's reading of the document: aliases, open and closed enums and object
        // shapes come from its IR, never from a second reading of the YAML.
        let api = codegen::resolve::resolve(&codegen::resolve::Input {
            doc: &doc,
            file: info.spec_file,
            module: info.name,
            sha256: info.spec_sha256,
        })
        .map_err(|e| e.to_string())?;
        let mut response_validators = Vec::new();
        let mut param_validators = Vec::new();
        let mut shapes = Shapes::default();
        let mut response_shapes = Vec::new();
        let mut request_bodies = Vec::new();
        let mut ir_ops = Vec::new();
        for op in info.operations {
            let ir_index = api.operations.iter().position(|o| o.id == op.id);
            ir_ops.push(ir_index.unwrap_or(0));
            let ir_op = ir_index.map(|i| &api.operations[i]).ok_or_else(|| {
                format!(
                    "{}: operation `{}` of the generated module is not in the spec",
                    info.spec_file, op.id
                )
            })?;
            response_shapes.push(
                op.responses
                    .iter()
                    .map(|r| {
                        ir_op
                            .responses
                            .iter()
                            .find(|x| x.schema_pointer.as_deref() == r.schema_pointer)
                            .and_then(|x| x.body.as_ref())
                            .map_or(0, |ty| shapes.of(&api, ty))
                    })
                    .collect(),
            );
            let mut rs = Vec::new();
            for r in op.responses {
                rs.push(match r.schema_pointer {
                    Some(p) => Some(build(p)?),
                    None => None,
                });
            }
            response_validators.push(rs);
            let mut ps = Vec::new();
            for p in &ir_op.params {
                ps.push(Some(build(&p.schema_pointer)?));
            }
            param_validators.push(ps);
            request_bodies.push(match &ir_op.body {
                Some(b) => Some((
                    build(&b.schema_pointer)?,
                    b.required,
                    b.schema_pointer.clone(),
                )),
                None => None,
            });
        }
        Ok(SpecModule {
            info,
            doc,
            response_validators,
            param_validators,
            shapes,
            response_shapes,
            request_bodies,
            ir_ops,
            api,
        })
    }

    /// The generator's reading of operation `oi` (an index into `info.operations`).
    pub fn ir_operation(&self, oi: usize) -> &codegen::ir::Operation {
        &self.api.operations[self.ir_ops[oi]]
    }

    /// The value at a JSON pointer of the document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }
}

/// What the walk of a body found: notes, warnings and violations the JSON Schema
/// validator cannot see by itself.
#[derive(Debug, Default)]
pub struct WalkFindings {
    /// (instance pointer, canonical name, spelling seen, schema pointer of the property)
    pub aliases_seen: Vec<(String, String, String, String)>,
    /// The same, for spellings the models tolerate but the docs do not state
    /// (`x-tolerated-aliases`).
    pub tolerated_seen: Vec<(String, String, String, String)>,
    /// (instance pointer of the object, canonical name, spellings) — more than one spelling present.
    pub duplicate_spellings: Vec<(String, String, Vec<String>, String)>,
    /// (instance pointer, schema pointer of the object) — a property the spec does not list.
    pub undocumented: Vec<(String, String)>,
    /// (instance pointer, value, schema pointer of the enum) — an unlisted value of an open enum.
    pub open_enum_values: Vec<(String, Value, String)>,
}

/// A property of an object shape.
#[derive(Debug, Clone)]
pub struct PropShape {
    /// Canonical name.
    pub name: String,
    /// Other accepted spellings (`x-aliases`).
    pub aliases: Vec<String>,
    /// Spellings tolerated though undocumented (`x-tolerated-aliases`).
    pub tolerated: Vec<String>,
    /// The shape of its value.
    pub shape: usize,
    /// Pointer of the property schema.
    pub pointer: String,
}

/// What the walk needs of a schema, compiled once per response so that walking a body
/// does no pointer lookups.
#[derive(Debug, Clone)]
pub enum Shape {
    /// An object with listed properties.
    Object {
        /// Pointer of the object schema.
        pointer: String,
        /// Its properties.
        props: Vec<PropShape>,
        /// Whether unlisted properties are allowed (then they are warnings).
        extra_allowed: bool,
        /// Every spelling (canonical names and aliases), looked up for each key of a body.
        spellings: Spellings,
    },
    /// An array.
    Array {
        /// The shape of its items.
        items: usize,
    },
    /// A string enum.
    Enum {
        /// Pointer of the `enum` keyword.
        pointer: String,
        /// Documented values.
        values: Vec<String>,
        /// Whether other values are accepted (`x-open-enum`, default true).
        open: bool,
    },
    /// Nothing to walk.
    Any,
}

/// Compiled shapes; index 0 is always [`Shape::Any`].
#[derive(Debug, Clone)]
pub struct Shapes {
    arena: Vec<Shape>,
    memo: std::collections::HashMap<String, usize>,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes {
            arena: vec![Shape::Any],
            memo: std::collections::HashMap::new(),
        }
    }
}

impl Shapes {
    /// The shape of a type of the generator's IR (named types compiled once; cycles are fine).
    pub fn of(&mut self, api: &Api, ty: &TypeRef) -> usize {
        match ty {
            TypeRef::Array(items) => {
                let items = self.of(api, items);
                self.arena.push(Shape::Array { items });
                self.arena.len() - 1
            }
            TypeRef::Named(name) => self.named(api, name),
            // Nothing to walk in a scalar, and map values are not walked.
            _ => 0,
        }
    }

    fn named(&mut self, api: &Api, name: &str) -> usize {
        if let Some(&id) = self.memo.get(name) {
            return id;
        }
        let Some(t) = api.types.iter().find(|t| t.name == name) else {
            return 0;
        };
        if let TypeKind::Alias(inner) = &t.kind {
            // The shape of what it names (the resolver refuses aliases that name themselves).
            let id = self.of(api, inner);
            self.memo.insert(name.to_owned(), id);
            return id;
        }
        let id = self.arena.len();
        self.arena.push(Shape::Any);
        self.memo.insert(name.to_owned(), id);
        let shape = match &t.kind {
            TypeKind::Enum(e) => Shape::Enum {
                pointer: format!("{}/enum", t.pointer),
                values: e.variants.iter().map(|v| v.wire.clone()).collect(),
                open: e.open,
            },
            TypeKind::Struct(st) => {
                let props: Vec<PropShape> = st
                    .fields
                    .iter()
                    .map(|f| PropShape {
                        name: f.wire_name.clone(),
                        aliases: f.aliases.clone(),
                        tolerated: f.tolerated.clone(),
                        shape: self.of(api, &f.ty),
                        pointer: f.pointer.clone(),
                    })
                    .collect();
                let spellings = Spellings::new(&props);
                Shape::Object {
                    pointer: t.pointer.clone(),
                    props,
                    spellings,
                    extra_allowed: st.keep_additional,
                }
            }
            // Which alternative a value is depends on the value: the JSON Schema validator
            // judges `oneOf`/`anyOf`, the walk does not go inside.
            TypeKind::Alias(_) | TypeKind::Union(_) => Shape::Any,
        };
        self.arena[id] = shape;
        id
    }
}

/// One step of a JSON pointer, kept unrendered until a finding needs it.
#[derive(Debug, Clone)]
pub enum Seg<'v> {
    /// An object key.
    Key(&'v str),
    /// An array index.
    Index(usize),
}

fn render(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for t in path {
        s.push('/');
        match t {
            Seg::Key(k) => s.push_str(&escape(k)),
            Seg::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

/// The spellings of an object's properties (names and `x-aliases`) in a small open-addressing
/// hash table: a body's key is hashed once (FNV-1a) and compared with one or two entries.
#[derive(Debug, Clone)]
pub struct Spellings {
    /// (spelling, property index, whether it is the canonical name).
    entries: Vec<(String, usize, bool)>,
    /// Entry index + 1 per slot; 0 is empty. The length is a power of two, at least twice the
    /// number of entries.
    slots: Vec<u32>,
}

fn fnv1a(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Spellings {
    /// Spellings are distinct: the generator refuses a spelling claimed twice.
    fn new(props: &[PropShape]) -> Self {
        let mut entries: Vec<(String, usize, bool)> = Vec::new();
        for canonical in [true, false] {
            for (i, p) in props.iter().enumerate() {
                let names: Vec<&String> = if canonical {
                    vec![&p.name]
                } else {
                    p.aliases.iter().chain(&p.tolerated).collect()
                };
                for n in names {
                    if !entries.iter().any(|(s, _, _)| s == n) {
                        entries.push((n.clone(), i, canonical));
                    }
                }
            }
        }
        let size = (entries.len() * 2).next_power_of_two().max(4);
        let mut slots = vec![0u32; size];
        for (e, (name, _, _)) in entries.iter().enumerate() {
            let mut at = fnv1a(name) as usize & (size - 1);
            while slots[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = u32::try_from(e + 1).unwrap_or(u32::MAX);
        }
        Spellings { entries, slots }
    }

    /// Which property `key` spells: (property index, whether it is the canonical spelling).
    fn get(&self, key: &str) -> Option<(usize, bool)> {
        let mask = self.slots.len() - 1;
        let mut at = fnv1a(key) as usize & mask;
        loop {
            let e = *self.slots.get(at)? as usize;
            let (name, prop, canonical) = self.entries.get(e.checked_sub(1)?)?;
            if name == key {
                return Some((*prop, *canonical));
            }
            at = (at + 1) & mask;
        }
    }
}

/// Walks `instance` alongside a compiled shape: renames alias spellings to the canonical name
/// in `instance` (so the validator sees canonical names) and records what it saw.
pub fn walk<'v>(
    shapes: &Shapes,
    shape: usize,
    instance: &'v mut Value,
    path: &mut Vec<Seg<'v>>,
    out: &mut WalkFindings,
) {
    if path.len() > 128 {
        return;
    }
    match (&shapes.arena[shape], instance) {
        (
            Shape::Enum {
                pointer,
                values,
                open,
            },
            Value::String(s),
        ) if *open && !values.iter().any(|v| v == s) => {
            out.open_enum_values
                .push((render(path), Value::from(s.clone()), pointer.clone()));
        }
        // An integer enum (its values are kept as decimal text).
        (
            Shape::Enum {
                pointer,
                values,
                open,
            },
            Value::Number(n),
        ) if *open && !values.iter().any(|v| *v == n.to_string()) => {
            out.open_enum_values
                .push((render(path), Value::Number(n.clone()), pointer.clone()));
        }
        (Shape::Array { items }, Value::Array(list)) => {
            for (i, item) in list.iter_mut().enumerate() {
                path.push(Seg::Index(i));
                walk(shapes, *items, item, path, out);
                path.pop();
            }
        }
        (
            Shape::Object {
                pointer,
                props,
                extra_allowed,
                spellings,
            },
            Value::Object(obj),
        ) => {
            // One pass over the keys: which property each spells, and which are unlisted.
            let mut aliased: Vec<(usize, String)> = Vec::new();
            let mut seen_small = [0u8; 32];
            let mut seen_large = Vec::new();
            let seen: &mut [u8] = if props.len() <= seen_small.len() {
                &mut seen_small[..props.len()]
            } else {
                seen_large.resize(props.len(), 0u8);
                &mut seen_large
            };
            // Each key's property, kept for the second loop when the object is small.
            let mut found_small = [None; 32];
            for (n, key) in obj.keys().enumerate() {
                let found = spellings.get(key);
                if let Some(slot) = found_small.get_mut(n) {
                    *slot = found;
                }
                match found {
                    Some((i, canonical)) => {
                        seen[i] = seen[i].saturating_add(1);
                        if !canonical {
                            aliased.push((i, key.clone()));
                        }
                    }
                    None if *extra_allowed => {
                        let at = format!("{}/{}", render(path), escape(key));
                        out.undocumented.push((at, pointer.clone()));
                    }
                    None => {}
                }
            }
            for (i, p) in props.iter().enumerate() {
                if seen[i] > 1 {
                    let mut spellings: Vec<String> = Vec::new();
                    if obj.contains_key(&p.name) {
                        spellings.push(p.name.clone());
                    }
                    spellings.extend(
                        p.aliases
                            .iter()
                            .chain(&p.tolerated)
                            .filter(|a| obj.contains_key(*a))
                            .cloned(),
                    );
                    out.duplicate_spellings.push((
                        render(path),
                        p.name.clone(),
                        spellings,
                        format!("{}/x-aliases", p.pointer),
                    ));
                }
            }
            let renamed = !aliased.is_empty();
            for (i, alias) in aliased {
                let p = &props[i];
                if seen[i] != 1 {
                    continue;
                }
                if let Some(v) = obj.remove(&alias) {
                    obj.insert(p.name.clone(), v);
                }
                let at = format!("{}/{}", render(path), escape(&alias));
                if p.tolerated.contains(&alias) {
                    out.tolerated_seen.push((
                        at,
                        p.name.clone(),
                        alias,
                        format!("{}/x-tolerated-aliases", p.pointer),
                    ));
                } else {
                    out.aliases_seen.push((
                        at,
                        p.name.clone(),
                        alias,
                        format!("{}/x-aliases", p.pointer),
                    ));
                }
            }
            let small = obj.len() <= found_small.len();
            for (n, (key, child)) in obj.iter_mut().enumerate() {
                // After a rename the key order changed: look the key up again.
                let found = if small && !renamed {
                    found_small[n]
                } else {
                    spellings.get(key)
                };
                let shape = found.and_then(|(i, canonical)| canonical.then_some(props[i].shape));
                // Nothing to walk in an `Any` (a plain string, number, …).
                if let Some(shape) = shape.filter(|s| !matches!(shapes.arena[*s], Shape::Any)) {
                    path.push(Seg::Key(key));
                    walk(shapes, shape, child, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// Percent-encodes a JSON pointer for use as a URI fragment.
pub fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for c in pointer.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A JSON pointer reference token (`~` → `~0`, `/` → `~1`): the generator's helper.
pub use codegen::error::escape_token as escape;
