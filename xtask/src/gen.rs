//! `cargo xtask gen [--check]`.

use codegen::{generate_crate_sources, EmitOptions, GeneratedFile};
use std::path::Path;
use std::process::ExitCode;

/// What differs between the generated folder and what the spec produces.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Lines describing each difference.
    pub lines: Vec<String>,
}

/// Compares `files` with the `.rs` files of `src_dir`; generated files that no
/// spec produces any more are reported as stale.
pub fn diff(src_dir: &Path, files: &[GeneratedFile], shown_as: &str) -> Diff {
    let mut d = Diff::default();
    for f in files {
        let path = src_dir.join(&f.path);
        match std::fs::read_to_string(&path) {
            Err(_) => d.lines.push(format!(
                "{shown_as}/{}: missing (the spec produces it)",
                f.path
            )),
            Ok(old) if old != f.contents => {
                let (n, want, got) = first_difference(&f.contents, &old);
                d.lines.push(format!(
                    "{shown_as}/{}: differs from the spec's output, first at line {n}:\n    expected: {want}\n    found:    {got}",
                    f.path
                ));
            }
            Ok(_) => {}
        }
    }
    for stale in stale_files(src_dir, files) {
        d.lines.push(format!(
            "{shown_as}/{stale}: stale (generated, but no spec document produces it any more)"
        ));
    }
    d
}

fn first_difference(want: &str, got: &str) -> (usize, String, String) {
    let mut w = want.lines();
    let mut g = got.lines();
    let mut n = 0;
    loop {
        n += 1;
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => {
                return (
                    n,
                    "(end)".into(),
                    "(end, trailing whitespace differs)".into(),
                )
            }
            (a, b) => {
                return (
                    n,
                    a.map(|s| format!("`{s}`"))
                        .unwrap_or_else(|| "(end of file)".into()),
                    b.map(|s| format!("`{s}`"))
                        .unwrap_or_else(|| "(end of file)".into()),
                )
            }
        }
    }
}

/// `.rs` files directly in `src_dir` that carry the `@generated` notice but are not in `files`.
fn stale_files(src_dir: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(src_dir) else {
        return out;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || files.iter().any(|f| f.path == name) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if text.starts_with("// @generated") {
            out.push(name);
        }
    }
    out.sort();
    out
}

pub fn run(check: bool) -> ExitCode {
    let root = crate::root();
    let src = root.join("generated/src");
    let files = match generate_crate_sources(&root.join("spec"), "spec", &EmitOptions::default()) {
        Ok(f) => f,
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!(
                "xtask gen: the spec has {} error(s); nothing was written",
                errors.0.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let d = diff(&src, &files, "generated/src");
    if check {
        if d.lines.is_empty() {
            println!(
                "xtask gen --check: generated/ is up to date with spec/ ({} files)",
                files.len()
            );
            return ExitCode::SUCCESS;
        }
        eprintln!("xtask gen --check: generated/ does not match spec/:");
        for l in &d.lines {
            eprintln!("  {l}");
        }
        eprintln!("run `cargo xtask gen` and commit the result");
        return ExitCode::FAILURE;
    }
    for f in &files {
        if let Err(e) = codegen::write_if_changed(&src.join(&f.path), &f.contents) {
            eprintln!("xtask gen: cannot write generated/src/{}: {e}", f.path);
            return ExitCode::FAILURE;
        }
    }
    for stale in stale_files(&src, &files) {
        if let Err(e) = std::fs::remove_file(src.join(&stale)) {
            eprintln!("xtask gen: cannot remove stale generated/src/{stale}: {e}");
            return ExitCode::FAILURE;
        }
        println!("removed stale generated/src/{stale}");
    }
    if d.lines.is_empty() {
        println!(
            "xtask gen: generated/ was already up to date ({} files)",
            files.len()
        );
    } else {
        println!("xtask gen: updated {} file(s)", d.lines.len());
    }
    ExitCode::SUCCESS
}
