//! The generator: OpenAPI 3.1 documents in `spec/` → Rust modules.
//!
//! The pipeline runs in one direction:
//! [`load`] (YAML → JSON value, syntax errors with line and column) →
//! [`resolve`] (checks, names, builds the plain-data [`ir`]; semantic errors with a JSON pointer) →
//! [`emit`] (IR → tokens with `quote!` → source formatted by prettyplease) → files.
//!
//! # From a `build.rs`
//!
//! ```no_run
//! // build.rs of a crate that depends on the vendored `hwc-jobs` crate for its runtime:
//! let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
//! let opts = codegen::EmitOptions { runtime_path: "hwc_jobs::runtime".into(), ..Default::default() };
//! if let Err(errors) = codegen::generate_modules(std::path::Path::new("spec"), &out, &opts) {
//!     panic!("{errors}");
//! }
//! println!("cargo:rerun-if-changed=spec");
//! ```
//! Then `pub mod cae { include!(concat!(env!("OUT_DIR"), "/cae.rs")); }`.

#![forbid(unsafe_code)]

pub mod drift;
pub mod emit;
pub mod error;
pub mod import;
pub mod ir;
pub mod load;
pub mod names;
/// The runtime's `pattern` matcher, compiled here too: the generator refuses, with the spec's
/// pointer, a pattern that the request builder could not check.
#[path = "../../generated/src/runtime/pattern.rs"]
pub mod pattern;
pub mod resolve;

pub use emit::EmitOptions;
pub use error::{Error, Errors, Location};

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One output file: a path relative to the output folder, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path, with `/` separators.
    pub path: String,
    /// Full text.
    pub contents: String,
}

/// The spec documents in a folder: `*.yaml`, `*.yml` and `*.json`, sorted by name.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error {
        file: dir.display().to_string(),
        location: Location::File,
        message: format!("cannot read the spec folder: {e}"),
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Loads and resolves one document. `display_name` is how messages and the
/// `@generated` notice name the file (e.g. `spec/cae.yaml`).
pub fn load_api(path: &Path, display_name: &str) -> Result<ir::Api, Errors> {
    let bytes = std::fs::read(path).map_err(|e| Error {
        file: display_name.to_owned(),
        location: Location::File,
        message: format!("cannot read the file: {e}"),
    })?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    api_from_bytes(&bytes, display_name, &names::module(stem))
}

/// Resolves a document held in memory into the IR of module `module`.
pub fn api_from_bytes(bytes: &[u8], display_name: &str, module: &str) -> Result<ir::Api, Errors> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error {
        file: display_name.to_owned(),
        location: Location::File,
        message: format!(
            "the file is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })?;
    let doc = load::parse_str(text, display_name)?;
    let sha = sha256_hex(bytes);
    resolve::resolve(&resolve::Input {
        doc: &doc,
        file: display_name,
        module,
        sha256: &sha,
    })
}

/// Loads every document of a folder; errors of all files are returned together.
/// `display_prefix` is put before file names in messages (`spec`).
pub fn load_dir(spec_dir: &Path, display_prefix: &str) -> Result<Vec<ir::Api>, Errors> {
    let files = spec_files(spec_dir)?;
    let mut apis: Vec<ir::Api> = Vec::new();
    let mut errors = Vec::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let display = if display_prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{display_prefix}/{name}")
        };
        match load_api(f, &display) {
            Ok(api) => {
                if let Some(other) = apis.iter().find(|a| a.module == api.module) {
                    errors.push(Error {
                        file: display,
                        location: Location::File,
                        message: format!(
                            "the module name `{}` is also produced by {}: rename one file",
                            api.module, other.source_file
                        ),
                    });
                } else {
                    apis.push(api);
                }
            }
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(apis)
    } else {
        Err(Errors(errors))
    }
}

fn emit_error(api_file: &str, message: String) -> Errors {
    Errors(vec![Error {
        file: api_file.to_owned(),
        location: Location::File,
        message,
    }])
}

/// All files of the generated crate's `src/` for the documents of `spec_dir`:
/// `lib.rs` and one `<module>.rs` per document (the runtime is hand-written and not included).
pub fn generate_crate_sources(
    spec_dir: &Path,
    display_prefix: &str,
    opts: &EmitOptions,
) -> Result<Vec<GeneratedFile>, Errors> {
    let apis = load_dir(spec_dir, display_prefix)?;
    let mut out = Vec::new();
    out.push(GeneratedFile {
        path: "lib.rs".into(),
        contents: emit::lib_source(&apis, opts).map_err(|m| emit_error(display_prefix, m))?,
    });
    for api in &apis {
        out.push(GeneratedFile {
            path: format!("{}.rs", api.module),
            contents: emit::module_source(api, opts)
                .map_err(|m| emit_error(&api.source_file, m))?,
        });
    }
    Ok(out)
}

/// For a consumer's `build.rs`: writes one `<module>.rs` per document of `spec_dir`
/// into `out_dir` (files are rewritten only when their text changes) and returns their paths.
pub fn generate_modules(
    spec_dir: &Path,
    out_dir: &Path,
    opts: &EmitOptions,
) -> Result<Vec<PathBuf>, Errors> {
    let apis = load_dir(spec_dir, &spec_dir.display().to_string())?;
    let mut written = Vec::new();
    for api in &apis {
        let text = emit::module_source(api, opts).map_err(|m| emit_error(&api.source_file, m))?;
        let path = out_dir.join(format!("{}.rs", api.module));
        write_if_changed(&path, &text)
            .map_err(|e| emit_error(&path.display().to_string(), format!("cannot write: {e}")))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a file unless it already has exactly this text.
pub fn write_if_changed(path: &Path, text: &str) -> std::io::Result<bool> {
    if std::fs::read(path).ok().as_deref() == Some(text.as_bytes()) {
        return Ok(false);
    }
    std::fs::write(path, text)?;
    Ok(true)
}
