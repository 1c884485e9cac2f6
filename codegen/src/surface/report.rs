//! The API change report of `cargo xtask gen`: per module, its changes against the baseline,
//! as text, JSON or Markdown. A report without a breaking change never uses the word.

use super::diff::{Change, Class};

/// One module's part of the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ModuleReport {
    /// The module.
    pub module: String,
    /// The spec file.
    pub spec_file: String,
    /// Whether there was a baseline (the spec committed at git `HEAD`); without one the module
    /// is reported as new.
    pub baseline: bool,
    /// Whether the module is gone (its spec was removed).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    /// The changes.
    pub changes: Vec<Change>,
}

impl ModuleReport {
    /// Counts by class, only the classes that occur, most severe first: `2 additive, 1 docs`.
    pub fn counts(&self) -> String {
        let mut parts = Vec::new();
        for class in [Class::Breaking, Class::Additive, Class::Docs, Class::Wire] {
            let n = self.changes.iter().filter(|c| c.class == class).count();
            if n > 0 {
                parts.push(format!("{n} {}", class.word()));
            }
        }
        if parts.is_empty() {
            "no change".to_owned()
        } else {
            parts.join(", ")
        }
    }

    fn headline(&self) -> String {
        if self.removed {
            format!(
                "{}: module removed ({} deleted)",
                self.module, self.spec_file
            )
        } else if !self.baseline {
            format!(
                "{}: new module ({}; no baseline at git HEAD)",
                self.module, self.spec_file
            )
        } else {
            format!("{}: {}", self.module, self.counts())
        }
    }
}

/// The report as text, one change a line.
pub fn human(modules: &[ModuleReport]) -> String {
    let mut out = String::from("API changes against the spec at git HEAD:\n");
    for m in modules {
        out.push_str(&format!("  {}\n", m.headline()));
        for c in &m.changes {
            out.push_str(&format!(
                "    {:<9} {}: {} ({})\n",
                c.class.word(),
                c.item,
                c.what,
                c.spec
            ));
            if let Some(note) = &c.note {
                out.push_str(&format!("              note: {note}\n"));
            }
        }
    }
    out
}

/// The report as Markdown, for a changelog or a pull request.
pub fn markdown(modules: &[ModuleReport]) -> String {
    let mut out = String::from("## API changes\n");
    for m in modules {
        out.push_str(&format!("\n### `{}`: {}\n\n", m.module, {
            let h = m.headline();
            h.split_once(": ").map_or(h.clone(), |(_, r)| r.to_owned())
        }));
        if m.changes.is_empty() {
            continue;
        }
        out.push_str("| class | item | change | spec |\n| --- | --- | --- | --- |\n");
        for c in &m.changes {
            let what = match &c.note {
                Some(n) => format!("{} ({n})", c.what),
                None => c.what.clone(),
            };
            out.push_str(&format!(
                "| {} | `{}` | {} | `{}` |\n",
                c.class.word(),
                c.item,
                what.replace('|', "\\|"),
                c.spec
            ));
        }
    }
    out
}

/// The report as JSON, for tools (versioned like the runner's reports).
pub fn json(modules: &[ModuleReport]) -> String {
    let value = serde_json::json!({
        "version": 1,
        "baseline": "git HEAD",
        "modules": modules,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Where the baseline specs come from: the committed version of a spec file by its name in
/// `spec/`, and the names committed. `None` from [`Baseline::files`]: no history at all.
pub trait Baseline: Sync {
    /// The names of the spec files committed (`cae.yaml`), or `None` without history.
    fn files(&self) -> Option<Vec<String>>;
    /// A committed spec file's bytes.
    fn read(&self, file: &str) -> Option<Vec<u8>>;
}

/// One committed spec file, read and (when it differs from the working copy) resolved.
pub struct BaselineDoc {
    /// Its name in `spec/`.
    pub file: String,
    /// Hex SHA-256 of the committed bytes.
    pub sha256: String,
    /// Its reading; `None` when the file is the same as the working copy (nothing to compare),
    /// `Some(Err(()))` when the committed version does not resolve.
    pub api: Option<Result<crate::ir::Api, ()>>,
}

/// Where resolved baselines are kept between runs: a folder, and the generator's identity
/// (its build), so that a cached reading is used only for the same committed bytes and the same
/// generator.
pub struct BaselineCache {
    /// The folder (`target/api-baseline`).
    pub dir: std::path::PathBuf,
    /// What identifies the generator's build (the binary's size and time).
    pub generator: String,
}

impl BaselineCache {
    fn path(&self, file: &str, sha256: &str) -> std::path::PathBuf {
        let key = crate::sha256_hex(format!("{file}\n{sha256}\n{}", self.generator).as_bytes());
        self.dir.join(format!("{}.json", &key[..32]))
    }

    fn load(&self, file: &str, sha256: &str) -> Option<crate::ir::Api> {
        let bytes = std::fs::read(self.path(file, sha256)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Best effort: a cache that cannot be written only costs time.
    fn store(&self, file: &str, sha256: &str, api: &crate::ir::Api) {
        if let Ok(bytes) = serde_json::to_vec(api) {
            let _ = std::fs::create_dir_all(&self.dir)
                .and_then(|()| std::fs::write(self.path(file, sha256), bytes));
        }
    }
}

/// The committed documents, resolved: `None` without history. `same_as_working(file, sha)`
/// says whether the working copy of `file` has that SHA-256 (then it is not resolved again).
/// Independent of the working copy's reading, so `cargo xtask gen` runs it beside its own.
/// With a cache, a committed document is resolved once per generator build.
pub fn read_baseline(
    baseline: &dyn Baseline,
    same_as_working: &dyn Fn(&str, &str) -> bool,
    cache: Option<&BaselineCache>,
) -> Option<Vec<BaselineDoc>> {
    let files = baseline.files()?;
    let mut out = Vec::new();
    for file in files {
        let Some(bytes) = baseline.read(&file) else {
            continue;
        };
        let sha256 = crate::sha256_hex(&bytes);
        let api = if same_as_working(&file, &sha256) {
            None
        } else if let Some(api) = cache.and_then(|c| c.load(&file, &sha256)) {
            Some(Ok(api))
        } else {
            let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
            let module = crate::names::module(stem);
            let api = crate::api_from_bytes(&bytes, &format!("spec/{file}"), &module);
            if let (Some(c), Ok(api)) = (cache, &api) {
                c.store(&file, &sha256, api);
            }
            Some(api.map_err(|_| ()))
        };
        out.push(BaselineDoc { file, sha256, api });
    }
    Some(out)
}

/// The report of the documents `current` (resolved from `spec/`) against the baseline, read
/// here.
pub fn compare(current: &[crate::ir::Api], baseline: &dyn Baseline) -> Vec<ModuleReport> {
    let same = |file: &str, sha: &str| {
        current
            .iter()
            .any(|a| a.source_file.rsplit('/').next() == Some(file) && a.source_sha256 == sha)
    };
    compare_with(current, read_baseline(baseline, &same, None).as_deref())
}

/// The report of `current` against the committed documents already read.
pub fn compare_with(
    current: &[crate::ir::Api],
    committed: Option<&[BaselineDoc]>,
) -> Vec<ModuleReport> {
    let mut out = Vec::new();
    for api in current {
        let file = api
            .source_file
            .rsplit('/')
            .next()
            .unwrap_or(&api.source_file);
        let old = committed.and_then(|docs| docs.iter().find(|d| d.file == file));
        let mut m = ModuleReport {
            module: api.module.clone(),
            spec_file: api.source_file.clone(),
            baseline: old.is_some(),
            removed: false,
            changes: Vec::new(),
        };
        match old.map(|d| (&d.api, d.sha256 == api.source_sha256)) {
            Some((Some(Ok(before)), false)) => m.changes = module_changes(before, api),
            // A committed spec that no longer resolves has no API to compare with.
            Some((Some(Err(())), false)) => m.baseline = false,
            _ => {}
        }
        out.push(m);
    }
    for doc in committed.unwrap_or_default() {
        let stem = doc
            .file
            .rsplit_once('.')
            .map_or(doc.file.as_str(), |(s, _)| s);
        let module = crate::names::module(stem);
        if !current.iter().any(|a| a.module == module) {
            out.push(ModuleReport {
                module,
                spec_file: format!("spec/{}", doc.file),
                baseline: true,
                removed: true,
                changes: Vec::new(),
            });
        }
    }
    out
}

/// The changes of one module: the types and operations equal in both readings are left out of
/// the comparison (they cannot differ), unless the server changed (every request type's
/// `build_for_<variable>` follows it).
fn module_changes(before: &crate::ir::Api, after: &crate::ir::Api) -> Vec<super::diff::Change> {
    use std::collections::HashMap;
    let types = |api: &'_ crate::ir::Api| -> HashMap<String, usize> {
        api.types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect()
    };
    let ops = |api: &'_ crate::ir::Api| -> HashMap<String, usize> {
        api.operations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.request_type.clone(), i))
            .collect()
    };
    let (old_types, new_types) = (types(before), types(after));
    let (old_ops, new_ops) = (ops(before), ops(after));
    let server_same = before.server == after.server;
    let old = super::surface_of(
        before,
        &|t| new_types.get(&t.name).map(|&i| &after.types[i]) != Some(t),
        &|o| !server_same || new_ops.get(&o.request_type).map(|&i| &after.operations[i]) != Some(o),
    );
    let new = super::surface_of(
        after,
        &|t| old_types.get(&t.name).map(|&i| &before.types[i]) != Some(t),
        &|o| {
            !server_same || old_ops.get(&o.request_type).map(|&i| &before.operations[i]) != Some(o)
        },
    );
    super::diff::diff(&old, &new)
}
