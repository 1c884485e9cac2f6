//! `generated/src` must be exactly what `spec/` produces (the same check as
//! `cargo xtask gen --check`).

use std::path::Path;

#[test]
fn generated_crate_matches_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = codegen::generate_crate_sources(
        &root.join("spec"),
        "spec",
        &codegen::EmitOptions::default(),
    )
    .unwrap_or_else(|e| panic!("spec/ does not resolve:\n{e}"));
    // The comparison `cargo xtask gen --check` makes: missing, changed and stale files (the
    // module of a deleted document) all fail.
    let d = codegen::drift::diff(&root.join("generated/src"), &files, "generated/src");
    assert!(
        d.lines.is_empty(),
        "generated/src is out of date with spec/:\n{}\nrun `cargo xtask gen` and commit the result",
        d.lines.join("\n")
    );
}
