//! Generates one module per spec document into OUT_DIR, as a consumer's build.rs would.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let spec_dir = manifest.join("../../tests/fixtures/ok");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let opts = codegen::EmitOptions {
        runtime_path: "hwc_jobs::runtime".into(),
        ..Default::default()
    };
    if let Err(errors) = codegen::generate_modules(&spec_dir, &out, &opts) {
        // A clear message and a failed build, never a panic trace.
        eprintln!("{errors}");
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed={}", spec_dir.display());
}
