//! `cargo xtask import` as a user runs it: a draft on stdout (exit 0), drift (exit 1), an
//! unreadable or foreign page (exit 2), notes on stderr, JSON for tools.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(["import"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn exit_codes_and_outputs() {
    let out = xtask(&["spec/pages/servicestage.txt"]);
    assert_eq!(out.status.code(), Some(0));
    let draft = String::from_utf8(out.stdout).unwrap();
    assert!(draft.starts_with("openapi: \"3.1.0\"\n"), "{draft}");
    let notes = String::from_utf8(out.stderr).unwrap();
    assert!(
        notes.contains("spec/pages/servicestage.txt:line 174: quirk: `ORDER_ID`"),
        "{notes}"
    );

    let out = xtask(&["spec/pages/cae.txt", "--diff", "spec/cae.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("no drift"));

    // The CAE page against an edited copy of its spec: drift, both ways, as JSON.
    let edited = std::fs::read_to_string(root().join("spec/cae.yaml"))
        .unwrap()
        .replace("        kind:\n", "        kinds:\n");
    let edited_path = root().join("target/import-cli-cae-edited.yaml");
    std::fs::write(&edited_path, edited).unwrap();
    let out = xtask(&[
        "spec/pages/cae.txt",
        "--diff",
        edited_path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let drift = report["drift"].as_array().unwrap();
    let kinds: Vec<&str> = drift.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["added", "removed"], "{drift:#?}");
    assert!(drift[0]["subject"]
        .as_str()
        .unwrap()
        .ends_with("200 body /kind"));
    assert_eq!(drift[0]["page_line"], 64);
    assert_eq!(drift[0]["spec_pointer"], "/components/schemas/JobDetails");
    assert_eq!(
        drift[1]["spec_pointer"],
        "/components/schemas/JobDetails/properties/kinds"
    );
    // Against the other service's spec: the page's operation is not there at all.
    let out = xtask(&[
        "spec/pages/cae.txt",
        "--diff",
        "spec/servicestage.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["drift"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["drift"][0]["subject"],
        "GET /v1/{project_id}/cae/jobs/{job_id}"
    );

    let out = xtask(&["codegen/import/tests/import_pages/bad_not_api.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an API reference page"));
    for args in [
        &["no/such/page.txt"][..],
        &["spec/pages/cae.txt", "--diff", "no/such.yaml"],
        &["spec/pages/cae.txt", "--format", "xml"],
        &[],
    ] {
        assert_eq!(xtask(args).status.code(), Some(2), "{args:?}");
    }

    let out_file = root().join("target/import-cli-draft.yaml");
    let out = xtask(&["spec/pages/cae.txt", "--out", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(std::fs::read_to_string(&out_file)
        .unwrap()
        .contains("operationId: get_job_details"));
}
