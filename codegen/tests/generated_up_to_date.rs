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
    let mut stale = Vec::new();
    for f in &files {
        let on_disk =
            std::fs::read_to_string(root.join("generated/src").join(&f.path)).unwrap_or_default();
        if on_disk != f.contents {
            stale.push(f.path.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "generated/src is out of date with spec/ ({}): run `cargo xtask gen` and commit the result",
        stale.join(", ")
    );
}
