//! The API change report of `cargo xtask gen` on a suite of spec edits: the lines each edit
//! must give (fast), and the breaking/additive split against cargo-semver-checks run on the two
//! generated crates (the nested-cargo tier).

#[path = "api_changes/suite.rs"]
mod suite;

use codegen::surface::diff::Class;
use codegen::surface::report::{human, ModuleReport};

#[test]
fn each_edit_gives_its_report_lines() {
    let mut failures = Vec::new();
    for e in suite::edits() {
        let changes = suite::changes(&e.spec);
        for (class, item) in &e.expect {
            if !changes.iter().any(|c| c.class == *class && c.item == *item) {
                failures.push(format!(
                    "{}: no `{} {item}` in {changes:#?}",
                    e.name,
                    class.word()
                ));
            }
        }
        let allowed: Vec<Class> = e
            .expect
            .iter()
            .map(|(c, _)| *c)
            .chain(e.also.iter().copied())
            .collect();
        for c in &changes {
            if !allowed.contains(&c.class) {
                failures.push(format!("{}: unexpected {c:?}", e.name));
            }
        }
        for c in &changes {
            assert!(
                c.spec.starts_with("spec/t.yaml#/"),
                "{}: every change names its place in the spec: {c:?}",
                e.name
            );
        }
        // A report without a breaking change does not say the word.
        let report = human(&[ModuleReport {
            module: "t".into(),
            spec_file: "spec/t.yaml".into(),
            baseline: true,
            removed: false,
            changes: changes.clone(),
        }]);
        let breaking = changes.iter().any(|c| c.class == Class::Breaking);
        assert_eq!(
            report.contains("breaking"),
            breaking,
            "{}:\n{report}",
            e.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_document_reports_nothing() {
    assert!(suite::changes(suite::BASE).is_empty());
}

/// Edits where the report and cargo-semver-checks disagree on "breaking", by design, with why
/// (the README's "API change report" section says the same).
const DISAGREE: &[(&str, &str)] = &[
    (
        "changed_type",
        "cargo-semver-checks 0.51 has no lint for a public field whose type changed",
    ),
    (
        "closed_enum_value",
        "generated enums are #[non_exhaustive], so a new variant compiles; but a closed enum refuses unlisted values, so a crate built before fails on the new value on the wire",
    ),
    (
        "field_boxed_for_recursion",
        "a field's type changed (`T` → `Box<T>`): no lint for field types",
    ),
    (
        "x_boolean_string_removed",
        "a field's type changed (`bool` → an enum): no lint for field types",
    ),
    (
        "date_time",
        "a field's type changed (`String` → `DateTime`): no lint for field types",
    ),
    (
        "nullable",
        "a field's type changed (`Option<T>` → `Option<Option<T>>`): no lint for field types",
    ),
];

fn workspace() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A crate with one module per document (`e00`, `e01`, …), generated as a `build.rs` user would.
fn generated_crate(dir: &std::path::Path, docs: &[&str]) {
    let _ = std::fs::remove_dir_all(dir);
    let (spec, src) = (dir.join("spec"), dir.join("src"));
    std::fs::create_dir_all(&spec).unwrap();
    std::fs::create_dir_all(&src).unwrap();
    let mut lib =
        String::from("//! Generated for the API change suite.\n#![allow(missing_docs)]\n");
    for (i, doc) in docs.iter().enumerate() {
        std::fs::write(spec.join(format!("e{i:02}.yaml")), doc).unwrap();
        lib.push_str(&format!("pub mod e{i:02};\n"));
    }
    let opts = codegen::EmitOptions {
        runtime_path: "hwc_jobs::runtime".into(),
        ..Default::default()
    };
    codegen::generate_modules(&spec, &src, &opts).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"api-changes\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nhwc-jobs = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\nhttp = \"1\"\n\n[workspace]\n",
            workspace().join("generated").display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// The modules (`e03`) cargo-semver-checks reports a failure in, with the lints.
fn semver_failures(output: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut lint = String::new();
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = rest.split(':').next().unwrap_or("").to_owned();
            continue;
        }
        // `api_changes::e03::Job` or, for a field or variant, `… previously in file …/src/e03.rs:43`.
        let at = line
            .find("api_changes::e")
            .map(|i| i + "api_changes::".len())
            .or_else(|| line.find("/old/src/e").map(|i| i + "/old/src/".len()))
            .or_else(|| line.find("/new/src/e").map(|i| i + "/new/src/".len()));
        if let Some(i) = at {
            let module: String = line[i..].chars().take(3).collect();
            let lints = out.entry(module).or_default();
            if !lints.contains(&lint) {
                lints.push(lint.clone());
            }
        }
    }
    out
}

#[test]
#[ignore = "nested-cargo tier: runs cargo-semver-checks on two generated crates (.ci/run installs it); run with `cargo test --workspace --all-features -- --ignored`"]
fn the_breaking_split_agrees_with_cargo_semver_checks() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let has_tool = std::process::Command::new(&cargo)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tool {
        assert!(
            std::env::var_os("CI").is_none(),
            "cargo-semver-checks is not installed (.ci/run installs it)"
        );
        eprintln!("skipped: cargo-semver-checks is not installed (cargo install cargo-semver-checks --locked)");
        return;
    }
    let edits = suite::edits();
    let root = workspace().join("target/api-changes");
    let base: Vec<&str> = edits.iter().map(|_| suite::BASE).collect();
    let edited: Vec<&str> = edits.iter().map(|e| e.spec.as_str()).collect();
    generated_crate(&root.join("old"), &base);
    generated_crate(&root.join("new"), &edited);
    let out = std::process::Command::new(&cargo)
        .args([
            "semver-checks",
            "check-release",
            "--release-type",
            "minor",
            "--manifest-path",
        ])
        .arg(root.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(root.join("old"))
        .env("CARGO_TARGET_DIR", workspace().join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo-semver-checks runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("Checked") || text.contains("Summary"),
        "cargo-semver-checks did not check the crates:\n{text}"
    );
    let failures = semver_failures(&text);
    let mut disagreements = Vec::new();
    for (i, e) in edits.iter().enumerate() {
        let ours = suite::changes(&e.spec)
            .iter()
            .any(|c| c.class == Class::Breaking);
        let module = format!("e{i:02}");
        let theirs = failures.get(&module);
        if ours != theirs.is_some() {
            disagreements.push(format!(
                "{} (ours: {}, cargo-semver-checks: {})",
                e.name,
                if ours { "breaking" } else { "not breaking" },
                theirs.map_or("nothing".to_owned(), |l| l.join(", "))
            ));
        }
    }
    let documented: Vec<&str> = DISAGREE.iter().map(|(name, _)| *name).collect();
    let found: Vec<&str> = disagreements
        .iter()
        .map(|d| d.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        found,
        documented,
        "disagreements with cargo-semver-checks:\n{}\n\nits output:\n{text}",
        disagreements.join("\n")
    );
}
