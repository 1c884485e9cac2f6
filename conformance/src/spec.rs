//! The spec documents, their compiled validators, and walking a body alongside its schema.

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
    /// Validators of parameters, per operation and parameter.
    pub param_validators: Vec<Vec<Option<Validator>>>,
    /// Compiled shapes for the walk.
    pub shapes: Shapes,
    /// Shape of each response body, per operation and response.
    pub response_shapes: Vec<Vec<usize>>,
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
    pub fn load(root: &Path) -> Result<Self, String> {
        let mut modules = Vec::new();
        for info in hwc_jobs::MODULES {
            let path = root.join(info.spec_file);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read the spec: {e}", path.display()))?;
            let doc = codegen::load::parse_str(&text, info.spec_file).map_err(|e| e.to_string())?;
            modules.push(SpecModule::new(info, doc)?);
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
        let mut response_validators = Vec::new();
        let mut param_validators = Vec::new();
        let mut shapes = Shapes::default();
        let mut response_shapes = Vec::new();
        for op in info.operations {
            response_shapes.push(
                op.responses
                    .iter()
                    .map(|r| {
                        r.schema_pointer
                            .map(|p| shapes.compile(&doc, p))
                            .unwrap_or(0)
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
            for p in op.params {
                ps.push(Some(build(p.schema_pointer)?));
            }
            param_validators.push(ps);
        }
        Ok(SpecModule {
            info,
            doc,
            response_validators,
            param_validators,
            shapes,
            response_shapes,
        })
    }

    /// The value at a JSON pointer of the document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }

    /// Follows `$ref`s (local ones) from a schema pointer to the schema that holds the keywords.
    /// Returns the pointer and the schema, stopping after 32 hops (a cycle of refs).
    pub fn deref(&self, pointer: &str) -> Option<(String, &Value)> {
        deref_in(&self.doc, pointer)
    }
}

/// What the walk of a body found: notes, warnings and violations the JSON Schema
/// validator cannot see by itself.
#[derive(Debug, Default)]
pub struct WalkFindings {
    /// (instance pointer, canonical name, spelling seen, schema pointer of the property)
    pub aliases_seen: Vec<(String, String, String, String)>,
    /// (instance pointer of the object, canonical name, spellings) — more than one spelling present.
    pub duplicate_spellings: Vec<(String, String, Vec<String>, String)>,
    /// (instance pointer, schema pointer of the object) — a property the spec does not list.
    pub undocumented: Vec<(String, String)>,
    /// (instance pointer, value, schema pointer of the enum) — an unlisted value of an open enum.
    pub open_enum_values: Vec<(String, String, String)>,
}

/// A property of an object shape.
#[derive(Debug, Clone)]
pub struct PropShape {
    /// Canonical name.
    pub name: String,
    /// Other accepted spellings (`x-aliases`).
    pub aliases: Vec<String>,
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
    /// Compiles the schema at `pointer` (following `$ref`s); cycles are fine.
    pub fn compile(&mut self, module_doc: &Value, pointer: &str) -> usize {
        let Some((sp, schema)) = deref_in(module_doc, pointer) else {
            return 0;
        };
        if let Some(&id) = self.memo.get(&sp) {
            return id;
        }
        let id = self.arena.len();
        self.arena.push(Shape::Any);
        self.memo.insert(sp.clone(), id);
        let shape = if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            Shape::Enum {
                pointer: format!("{sp}/enum"),
                values: values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                open: schema
                    .get("x-open-enum")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            }
        } else if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let props = props
                .iter()
                .map(|(name, p)| {
                    let pointer = format!("{sp}/properties/{}", escape(name));
                    let aliases = p
                        .get("x-aliases")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    let shape = self.compile(module_doc, &pointer);
                    PropShape {
                        name: name.clone(),
                        aliases,
                        shape,
                        pointer,
                    }
                })
                .collect();
            Shape::Object {
                pointer: sp.clone(),
                props,
                extra_allowed: !matches!(
                    schema.get("additionalProperties"),
                    Some(Value::Bool(false))
                ),
            }
        } else if schema.get("items").is_some() {
            let items = self.compile(module_doc, &format!("{sp}/items"));
            Shape::Array { items }
        } else {
            Shape::Any
        };
        self.arena[id] = shape;
        id
    }
}

fn deref_in<'a>(doc: &'a Value, pointer: &str) -> Option<(String, &'a Value)> {
    let mut p = pointer.to_owned();
    for _ in 0..32 {
        let schema = doc.pointer(&p)?;
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(target) => p = target.to_owned(),
            None => return Some((p, schema)),
        }
    }
    None
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

/// Which property a key spells: (property index, whether it is the canonical spelling).
fn spelling_of(props: &[PropShape], key: &str) -> Option<(usize, bool)> {
    props.iter().enumerate().find_map(|(i, p)| {
        if p.name == key {
            Some((i, true))
        } else if p.aliases.iter().any(|a| a == key) {
            Some((i, false))
        } else {
            None
        }
    })
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
                .push((render(path), s.clone(), pointer.clone()));
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
            },
            Value::Object(obj),
        ) => {
            // One pass over the keys: which property each spells, and which are unlisted.
            let mut aliased: Vec<(usize, String)> = Vec::new();
            let mut seen = vec![0u8; props.len()];
            let mut child_shapes: Vec<Option<usize>> = Vec::with_capacity(obj.len());
            for key in obj.keys() {
                let found = spelling_of(props, key);
                child_shapes
                    .push(found.and_then(|(i, canonical)| canonical.then_some(props[i].shape)));
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
                    spellings.extend(p.aliases.iter().filter(|a| obj.contains_key(*a)).cloned());
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
                out.aliases_seen.push((
                    at,
                    p.name.clone(),
                    alias,
                    format!("{}/x-aliases", p.pointer),
                ));
            }
            for (n, (key, child)) in obj.iter_mut().enumerate() {
                // After a rename the key order changed: look the key up again.
                let shape = if renamed {
                    spelling_of(props, key)
                        .and_then(|(i, canonical)| canonical.then_some(props[i].shape))
                } else {
                    child_shapes[n]
                };
                if let Some(shape) = shape {
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

/// Escapes a JSON pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
