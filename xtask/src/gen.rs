//! `cargo xtask gen [--check] [--format human|json|markdown]`.

use crate::api_report::{render, Format, GitHead};
use codegen::drift::{diff, stale_files};
use codegen::surface::report::{compare_with, read_baseline};
use codegen::{crate_sources, load_dir, EmitOptions};
use std::process::ExitCode;

/// Regenerates `generated/src` (or, with `check`, only compares), then prints what the change
/// does to the generated public API against the spec committed at git `HEAD`. With
/// `--format json|markdown` the report is the only thing on standard output.
pub fn run(check: bool, format: Format) -> ExitCode {
    let root = crate::root();
    let src = root.join("generated/src");
    let spec_dir = root.join("spec");
    let head = GitHead::new(&root);
    let cache = crate::api_report::cache(root.join("target/api-baseline"));
    // The committed documents are read and resolved beside the working copy's reading and
    // emission (on another core), for the API change report.
    let same = |file: &str, sha: &str| {
        std::fs::read(spec_dir.join(file)).is_ok_and(|b| codegen::sha256_hex(&b) == sha)
    };
    let (loaded, committed) = std::thread::scope(|scope| {
        let committed = scope.spawn(|| read_baseline(&head, &same, cache.as_ref()));
        let loaded = load_dir(&spec_dir, "spec").and_then(|apis| {
            crate_sources(&apis, "spec", &EmitOptions::default()).map(|f| (apis, f))
        });
        (loaded, committed.join().ok().flatten())
    });
    let (apis, files) = match loaded {
        Ok(x) => x,
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!(
                "xtask gen: the spec has {} error(s); nothing was written",
                errors.0.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let report = compare_with(&apis, committed.as_deref());
    let say = |line: String| {
        if format == Format::Human {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
    };
    let d = diff(&src, &files, "generated/src");
    if check {
        if d.lines.is_empty() {
            say(format!(
                "xtask gen --check: generated/ is up to date with spec/ ({} files)",
                files.len()
            ));
            print!("{}", render(&report, format));
            return ExitCode::SUCCESS;
        }
        eprintln!("xtask gen --check: generated/ does not match spec/:");
        for l in &d.lines {
            eprintln!("  {l}");
        }
        eprintln!("run `cargo xtask gen` and commit the result");
        print!("{}", render(&report, format));
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
        say(format!("removed stale generated/src/{stale}"));
    }
    if d.lines.is_empty() {
        say(format!(
            "xtask gen: generated/ was already up to date ({} files)",
            files.len()
        ));
    } else {
        say(format!("xtask gen: updated {} file(s)", d.lines.len()));
    }
    print!("{}", render(&report, format));
    ExitCode::SUCCESS
}
