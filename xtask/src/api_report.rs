//! The API change report of `cargo xtask gen`: the spec at git `HEAD` is the baseline.

use codegen::surface::report::{self, Baseline, BaselineCache, ModuleReport};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The committed `spec/` of the repository at `root`, read with git.
pub struct GitHead {
    root: PathBuf,
}

impl GitHead {
    pub fn new(root: &Path) -> Self {
        GitHead {
            root: root.to_owned(),
        }
    }

    fn git(&self, args: &[&str]) -> Option<Vec<u8>> {
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(args)
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    }
}

impl Baseline for GitHead {
    fn files(&self) -> Option<Vec<String>> {
        let list = self.git(&["ls-tree", "--name-only", "HEAD", "spec/"])?;
        let text = String::from_utf8(list).ok()?;
        Some(
            text.lines()
                .filter_map(|l| l.strip_prefix("spec/"))
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
                .map(str::to_owned)
                .collect(),
        )
    }

    fn read(&self, file: &str) -> Option<Vec<u8>> {
        self.git(&["show", &format!("HEAD:spec/{file}")])
    }
}

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Markdown,
}

impl Format {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "human" => Some(Format::Human),
            "json" => Some(Format::Json),
            "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// The report in a format.
pub fn render(modules: &[ModuleReport], format: Format) -> String {
    match format {
        Format::Human => report::human(modules),
        Format::Json => report::json(modules) + "\n",
        Format::Markdown => report::markdown(modules),
    }
}

/// The cache of resolved baselines in `dir`, keyed to this build of the generator (the
/// running binary's size and modification time), so that a rebuilt generator resolves again.
/// No cache when the binary cannot be told apart.
pub fn cache(dir: PathBuf) -> Option<BaselineCache> {
    let meta = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let time = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(BaselineCache {
        dir,
        generator: format!("{} {}", meta.len(), time.as_nanos()),
    })
}
