//! `cargo xtask vendor-check`: copies `generated/` out of the workspace, as a user
//! vendoring it would, builds it there, and counts its default dependency graph.

use std::process::{Command, ExitCode};

/// The most packages (the crate included) the default-feature graph may have.
const MAX_PACKAGES: usize = 11;

pub fn run() -> ExitCode {
    let root = crate::root();
    let dest = std::env::temp_dir().join(format!("hwc-jobs-vendored-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dest);
    if let Err(e) =
        test_support::copy_dir(&root.join("generated"), &dest.join("hwc-jobs"), &["target"])
    {
        eprintln!("vendor-check: cannot copy generated/: {e}");
        return ExitCode::FAILURE;
    }
    let krate = dest.join("hwc-jobs");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root.join("target/vendor-check");
    let build = Command::new(&cargo)
        .args(["build", "--quiet", "--all-targets"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&krate)
        .status();
    if !matches!(build, Ok(s) if s.success()) {
        eprintln!("vendor-check: the copied crate does not build on its own");
        return ExitCode::FAILURE;
    }
    let signing = Command::new(&cargo)
        .args([
            "test",
            "--quiet",
            "--features",
            "signing",
            "--test",
            "signing",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&krate)
        .status();
    if !matches!(signing, Ok(s) if s.success()) {
        eprintln!(
            "vendor-check: the copied crate's `signing` feature does not build or pass its tests"
        );
        return ExitCode::FAILURE;
    }
    let tree = Command::new(&cargo)
        .args(["tree", "--quiet", "-e", "normal", "--prefix", "none"])
        .current_dir(&krate)
        .output();
    let Ok(tree) = tree else {
        eprintln!("vendor-check: cannot run cargo tree");
        return ExitCode::FAILURE;
    };
    let text = String::from_utf8_lossy(&tree.stdout);
    let mut packages: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim())
        .filter(|l| !l.is_empty())
        .collect();
    packages.sort_unstable();
    packages.dedup();
    let _ = std::fs::remove_dir_all(&dest);
    println!(
        "vendor-check: the copied crate builds on its own; {} packages with default features (limit {MAX_PACKAGES}):",
        packages.len()
    );
    for p in &packages {
        println!("  {p}");
    }
    if packages.len() > MAX_PACKAGES || packages.is_empty() {
        eprintln!(
            "vendor-check: dependency graph has {} packages",
            packages.len()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
