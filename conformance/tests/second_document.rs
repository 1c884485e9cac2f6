//! End to end, as a user adding a document would: a copy of the workspace gets a second
//! ServiceStage document (more operations on the same server), is regenerated with the
//! generator's library (what `cargo xtask gen` runs), the runner is rebuilt from the copy, and
//! recordings of both documents are checked by it.
//!
//! The copy and its build stay in `target/e2e-second-document/` (built incrementally on later
//! runs).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const SECOND: &str = r##"openapi: 3.1.0
info:
  title: ServiceStage applications
  version: v3
servers:
  - url: https://servicestage.{region}.myhuaweicloud.com
    variables:
      region: {default: cn-north-4}
security:
  - token: []
paths:
  /v3/{project_id}/cas/jobs/search:
    get:
      operationId: search_jobs
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/JobList"}
  /v3/{project_id}/cas/jobs/query:
    post:
      operationId: query_jobs
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [states]
              properties:
                states: {type: array, items: {type: string}}
                limit: {type: integer, minimum: 1}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/JobList"}
  /v3/{project_id}/cas/applications/{application_id}:
    get:
      operationId: show_application
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: application_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Application"}
components:
  securitySchemes:
    token: {type: apiKey, in: header, name: X-Auth-Token}
  schemas:
    JobList:
      type: object
      properties:
        count: {type: integer}
        jobs: {type: array, items: {type: string}}
    Application:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
        state: {type: string, enum: [RUNNING, STOPPED]}
"##;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn entry(url: &str, body: &Value) -> Value {
    entry_with(url, body, "GET", None)
}

fn entry_with(url: &str, body: &Value, method: &str, request_body: Option<&str>) -> Value {
    let mut e = json!({
        "startedDateTime": "2026-11-30T00:00:00Z", "time": 1,
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "X-Auth-Token", "value": "[REDACTED]"}],
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": "Content-Type", "value": "application/json"}],
                     "cookies": [],
                     "content": {"size": 0, "mimeType": "application/json", "text": body.to_string()},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    });
    e["request"]["method"] = Value::from(method);
    if let Some(text) = request_body {
        e["request"]["postData"] = json!({"mimeType": "application/json", "text": text});
    }
    e
}

/// A copy of the workspace under `root` with the second document added, regenerated as
/// `cargo xtask gen` does, and its runner rebuilt: (the copy, the runner's binary).
fn workspace_with_second_document(root: &Path) -> (PathBuf, PathBuf) {
    let ws = root.join("workspace");
    // Unchanged files keep their times, so the copy's build stays incremental.
    test_support::copy_dir(&workspace(), &ws, &["target", ".git"]).unwrap();
    let spec = ws.join("spec/servicestage_apps.yaml");
    std::fs::write(&spec, SECOND).unwrap();
    // Regenerate, as `cargo xtask gen` does.
    let files = codegen::generate_crate_sources(&ws.join("spec"), "spec", &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    for f in &files {
        codegen::write_if_changed(&ws.join("generated/src").join(&f.path), &f.contents).unwrap();
    }
    assert!(files.iter().any(|f| f.path == "servicestage_apps.rs"));
    // Rebuild the runner from the copy.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // In the workspace's own target folder, so that the dependencies already built there (same
    // lock file, features and profile) are reused. The copy's crates have the same names and
    // the same paths relative to their workspace as the originals, which would give them the
    // same artifacts: their versions are made distinct, so that the copy's `hwc-jobs` (with the
    // second document) can never stand in for the workspace's; its runner gets a name of its own.
    for krate in ["generated", "codegen", "conformance"] {
        let manifest = ws.join(krate).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(
            text.contains("\nversion = \"0.1.0\"\n"),
            "{krate}: its package version"
        );
        let mut text = text.replacen(
            "\nversion = \"0.1.0\"\n",
            "\nversion = \"0.1.0-second-document\"\n",
            1,
        );
        if krate == "conformance" {
            text = text.replacen("[package]\n", "[package]\nautobins = false\n", 1)
                + "\n[[bin]]\nname = \"conformance-second-document\"\npath = \"src/main.rs\"\n";
        }
        std::fs::write(&manifest, text).unwrap();
    }
    let _ = root;
    let target = workspace().join("target");
    let status = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--offline",
            "-p",
            "conformance",
            "--bin",
            "conformance-second-document",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&ws)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the copied workspace's runner builds");
    let bin = target.join("debug/conformance-second-document");
    (ws, bin)
}

/// (check, pointer) of each finding of exchange `i` of a JSON report.
fn findings_of(report: &Value, i: usize) -> Vec<(&str, &str)> {
    report["exchanges"][i]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["check"].as_str().unwrap(), f["pointer"].as_str().unwrap()))
        .collect()
}

#[test]
#[ignore = "nested-cargo tier: a cargo build of its own; run with `cargo test --workspace --all-features -- --ignored` (.ci/run does)"]
fn a_second_document_on_the_same_host_is_generated_built_and_checked() {
    let root = workspace().join("target/e2e-second-document");
    let (ws, bin) = workspace_with_second_document(&root);

    let host = "https://servicestage.ap-southeast-1.myhuaweicloud.com";
    let doc_example: Value = serde_json::from_str(
        &std::fs::read_to_string(
            workspace().join("conformance/recordings/servicestage_doc_example.har"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut entries = vec![
        // The first document's operation, on the shared host.
        doc_example["log"]["entries"][0].clone(),
        // `/jobs/search` is a literal where the first document has `{job_id}`: the literal wins.
        entry(
            &format!("{host}/v3/p1/cas/jobs/search?limit=2"),
            &json!({"count": 2, "jobs": ["a", "b"]}),
        ),
        entry(
            &format!("{host}/v3/p1/cas/applications/app-1"),
            &json!({"id": "app-1", "state": "RUNNING"}),
        ),
        // A JSON request body, checked against the spec's.
        entry_with(
            &format!("{host}/v3/p1/cas/jobs/query"),
            &json!({"count": 0, "jobs": []}),
            "POST",
            Some(r#"{"states": ["RUNNING"], "limit": 5}"#),
        ),
    ];
    let har = |entries: &[Value]| json!({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}});
    let file = root.join("both.har");
    // Writes the entries as a HAR and checks it with the rebuilt runner: (exit code, report).
    let check = |entries: &[Value]| -> (Option<i32>, Value) {
        std::fs::write(&file, har(entries).to_string()).unwrap();
        let out = Command::new(&bin)
            .args([
                "--spec-root",
                ws.to_str().unwrap(),
                "check",
                "--format",
                "json",
            ])
            .arg(&file)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), report)
    };
    let (code, report) = check(&entries);
    let ops: Vec<&str> = report["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        [
            "servicestage/get_job_details",
            "servicestage_apps/search_jobs",
            "servicestage_apps/show_application",
            "servicestage_apps/query_jobs"
        ],
        "{report:#}"
    );
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["summary"]["skipped"], 0);

    // The second document's schema is enforced, and its model is used.
    entries[2] = entry(
        &format!("{host}/v3/p1/cas/applications/app-1"),
        &json!({"id": 7, "state": "GONE"}),
    );
    let (code, report) = check(&entries);
    assert_eq!(code, Some(1), "{report:#}");
    let pointers = findings_of(&report, 2);
    assert!(pointers.contains(&("schema", "/id")), "{pointers:?}");
    assert!(pointers.contains(&("open-enum", "/state")), "{pointers:?}");
    assert!(pointers.contains(&("model", "/id")), "{pointers:?}");

    // A request body that breaks its schema, and a missing required one.
    entries[2] = entry(
        &format!("{host}/v3/p1/cas/applications/app-1"),
        &json!({"id": "app-1"}),
    );
    entries[3] = entry_with(
        &format!("{host}/v3/p1/cas/jobs/query"),
        &json!({"count": 0}),
        "POST",
        Some(r#"{"limit": 0}"#),
    );
    let (code, report) = check(&entries);
    assert_eq!(code, Some(1), "{report:#}");
    let found = findings_of(&report, 3);
    assert!(
        found.contains(&("request-body", "request:body")),
        "{found:?}"
    );
    assert!(
        found.contains(&("request-body", "request:body/limit")),
        "{found:?}"
    );
    entries[3] = entry_with(
        &format!("{host}/v3/p1/cas/jobs/query"),
        &json!({}),
        "POST",
        None,
    );
    let (code, report) = check(&entries);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(
        report["exchanges"][3]["findings"][0]["check"],
        "request-body"
    );
}
