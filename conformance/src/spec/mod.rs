//! The spec documents, their compiled validators, and walking a body alongside its schema.

use codegen::ir::{Api, TypeKind, TypeRef};
use hwc_jobs::runtime::{AuthSchemes, ModuleInfo, SigningScheme};
use jsonschema::{Draft, Registry, Validator};
use serde_json::Value;
use std::path::Path;

mod paths;
mod shapes;
mod walk;

pub use paths::PathMatcher;
use shapes::render;
pub use shapes::{PropShape, Seg, Shape, Shapes, Spellings};
pub use walk::{walk, Conflict, OpenEnumValue, Renames, Spelling, Undocumented, WalkFindings};

/// One spec document with the generated module built from it.
pub struct SpecModule {
    /// The generated module's name (`servicestage`).
    pub name: String,
    /// The spec file, relative to the workspace (`spec/servicestage.yaml`).
    pub spec_file: String,
    /// The document's security schemes, for the runtime's credentials (`live`).
    pub auth: AuthSchemes,
    /// The document as JSON.
    pub doc: Value,
    /// Validators, per operation (index in `api.operations`) and response (index in its `responses`).
    pub response_validators: Vec<Vec<Option<Validator>>>,
    /// Validators of parameters, per operation and parameter (in the IR's order).
    pub param_validators: Vec<Vec<Option<Validator>>>,
    /// Path matchers, per operation.
    pub paths: Vec<PathMatcher>,
    /// Compiled shapes for the walk.
    pub shapes: Shapes,
    /// Shape of each response body, per operation and response.
    pub response_shapes: Vec<Vec<usize>>,
    /// Per operation: the validator of its JSON request body, whether the body is required, and
    /// the schema's pointer.
    pub request_bodies: Vec<Option<(Validator, bool, String)>>,
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
            .filter(|(_, m)| module.is_none_or(|want| m.name == want))
            .flat_map(|(mi, m)| {
                m.api
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
                    m.api
                        .operations
                        .iter()
                        .map(|o| format!("{}/{}", m.name, o.id))
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
    pub fn operation(&self, at: (usize, usize)) -> &codegen::ir::Operation {
        self.modules[at.0].ir_operation(at.1)
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
        for op in &api.operations {
            response_shapes.push(
                op.responses
                    .iter()
                    .map(|r| r.body.as_ref().map_or(0, |ty| shapes.of(&api, ty)))
                    .collect(),
            );
            let mut rs = Vec::new();
            for r in &op.responses {
                rs.push(match &r.schema_pointer {
                    Some(p) => Some(build(p)?),
                    None => None,
                });
            }
            response_validators.push(rs);
            let mut ps = Vec::new();
            for p in &op.params {
                ps.push(Some(build(&p.schema_pointer)?));
            }
            param_validators.push(ps);
            request_bodies.push(match &op.body {
                Some(b) => Some((
                    build(&b.schema_pointer)?,
                    b.required,
                    b.schema_pointer.clone(),
                )),
                None => None,
            });
        }
        let paths = api
            .operations
            .iter()
            .map(|op| PathMatcher::new(&op.path))
            .collect();
        Ok(SpecModule {
            name: info.name.to_owned(),
            paths,
            spec_file: info.spec_file.to_owned(),
            auth: auth_schemes(&api.auth),
            doc,
            response_validators,
            param_validators,
            shapes,
            response_shapes,
            request_bodies,
            api,
        })
    }

    /// The generator's reading of operation `oi` (an index into `api.operations`).
    pub fn ir_operation(&self, oi: usize) -> &codegen::ir::Operation {
        &self.api.operations[oi]
    }

    /// The value at a JSON pointer of the document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }
}

/// The runtime's view of the document's security schemes (what the generated module's `AUTH`
/// holds), from the IR. Its names are leaked once per loaded document: the runtime's type holds
/// `&'static str` because generated modules build it as a constant.
fn auth_schemes(auth: &codegen::ir::Auth) -> AuthSchemes {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    AuthSchemes {
        token_header: auth.token_header.as_deref().map(leak),
        signing: auth.signing.as_ref().map(|s| SigningScheme {
            header: leak(&s.header),
            date_header: leak(&s.date_header),
            security_token_header: leak(&s.security_token_header),
        }),
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
