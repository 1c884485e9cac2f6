//! `cargo xtask gen [--check]`.

use codegen::drift::{diff, stale_files};
use codegen::{generate_crate_sources, EmitOptions};
use std::process::ExitCode;

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
