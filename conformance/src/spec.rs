//! The spec documents, their compiled validators, and walking a body alongside its schema.

use hwc_jobs::runtime::{ModuleInfo, OperationInfo};
use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value};
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
        for op in info.operations {
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
        })
    }

    /// The value at a JSON pointer of the document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }

    /// Follows `$ref`s (local ones) from a schema pointer to the schema that holds the keywords.
    /// Returns the pointer and the schema, stopping after 32 hops (a cycle of refs).
    pub fn deref(&self, pointer: &str) -> Option<(String, &Value)> {
        let mut p = pointer.to_owned();
        for _ in 0..32 {
            let schema = self.at(&p)?;
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

/// Walks `instance` alongside the schema at `pointer`: renames alias spellings to the canonical
/// name in `instance` (so the validator sees canonical names) and records what it saw.
pub fn walk(
    module: &SpecModule,
    pointer: &str,
    instance: &mut Value,
    at: &str,
    out: &mut WalkFindings,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Some((sp, schema)) = module.deref(pointer) else {
        return;
    };
    // Open enum values.
    if let (Some(values), Value::String(s)) =
        (schema.get("enum").and_then(Value::as_array), &*instance)
    {
        let open = schema
            .get("x-open-enum")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if open && !values.iter().any(|v| v.as_str() == Some(s)) {
            out.open_enum_values
                .push((at.to_owned(), s.clone(), format!("{sp}/enum")));
        }
    }
    match instance {
        Value::Object(obj) => {
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            rename_aliases(props, &sp, obj, at, out);
            let extra_allowed =
                !matches!(schema.get("additionalProperties"), Some(Value::Bool(false)));
            let is_alias = |key: &str| {
                props.values().any(|p| {
                    p.get("x-aliases")
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(key)))
                })
            };
            let keys: Vec<String> = obj.keys().cloned().collect();
            for key in keys {
                let child_at = format!("{at}/{}", escape(&key));
                if props.contains_key(&key) {
                    let child_sp = format!("{sp}/properties/{}", escape(&key));
                    if let Some(child) = obj.get_mut(&key) {
                        walk(module, &child_sp, child, &child_at, out, depth + 1);
                    }
                } else if extra_allowed && !is_alias(&key) {
                    out.undocumented.push((child_at, sp.clone()));
                }
            }
        }
        Value::Array(items) if schema.get("items").is_some() => {
            let item_sp = format!("{sp}/items");
            for (i, item) in items.iter_mut().enumerate() {
                walk(module, &item_sp, item, &format!("{at}/{i}"), out, depth + 1);
            }
        }
        _ => {}
    }
}

fn rename_aliases(
    props: &Map<String, Value>,
    sp: &str,
    obj: &mut Map<String, Value>,
    at: &str,
    out: &mut WalkFindings,
) {
    for (name, pschema) in props {
        let Some(aliases) = pschema.get("x-aliases").and_then(Value::as_array) else {
            continue;
        };
        let mut present: Vec<String> = Vec::new();
        if obj.contains_key(name) {
            present.push(name.clone());
        }
        for a in aliases.iter().filter_map(Value::as_str) {
            if obj.contains_key(a) {
                present.push(a.to_owned());
            }
        }
        let prop_sp = format!("{sp}/properties/{}", escape(name));
        match present.as_slice() {
            [] => {}
            [only] if only == name => {}
            [alias] => {
                if let Some(v) = obj.remove(alias) {
                    obj.insert(name.clone(), v);
                }
                out.aliases_seen.push((
                    format!("{at}/{}", escape(alias)),
                    name.clone(),
                    alias.clone(),
                    format!("{prop_sp}/x-aliases"),
                ));
            }
            many => {
                out.duplicate_spellings.push((
                    at.to_owned(),
                    name.clone(),
                    many.to_vec(),
                    format!("{prop_sp}/x-aliases"),
                ));
            }
        }
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
