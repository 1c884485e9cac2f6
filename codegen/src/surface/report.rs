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
pub trait Baseline {
    /// The names of the spec files committed (`cae.yaml`), or `None` without history.
    fn files(&self) -> Option<Vec<String>>;
    /// A committed spec file's bytes.
    fn read(&self, file: &str) -> Option<Vec<u8>>;
}

/// The report of the documents `current` (resolved from `spec/`) against the baseline; a module
/// whose committed spec is the same file is compared without being resolved again.
pub fn compare(current: &[crate::ir::Api], baseline: &dyn Baseline) -> Vec<ModuleReport> {
    let committed = baseline.files();
    let mut out = Vec::new();
    for api in current {
        let file = api
            .source_file
            .rsplit('/')
            .next()
            .unwrap_or(&api.source_file);
        let old = committed
            .as_ref()
            .filter(|names| names.iter().any(|n| n == file))
            .and_then(|_| baseline.read(file));
        let mut m = ModuleReport {
            module: api.module.clone(),
            spec_file: api.source_file.clone(),
            baseline: old.is_some(),
            removed: false,
            changes: Vec::new(),
        };
        if let Some(bytes) = old {
            if crate::sha256_hex(&bytes) != api.source_sha256 {
                match crate::api_from_bytes(&bytes, &api.source_file, &api.module) {
                    Ok(before) => {
                        m.changes =
                            super::diff::diff(&super::surface(&before), &super::surface(api));
                    }
                    // A committed spec that no longer resolves has no API to compare with.
                    Err(_) => m.baseline = false,
                }
            }
        }
        out.push(m);
    }
    for file in committed.unwrap_or_default() {
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
        let module = crate::names::module(stem);
        if !current.iter().any(|a| a.module == module) {
            out.push(ModuleReport {
                module,
                spec_file: format!("spec/{file}"),
                baseline: true,
                removed: true,
                changes: Vec::new(),
            });
        }
    }
    out
}
