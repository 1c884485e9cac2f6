//! The `conformance` binary as a user runs it: exit codes, formats, inputs, and
//! what each check catches (a recording that passes it and one that fails it).

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_conformance"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn json_report(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn checks(report: &Value) -> Vec<(String, String)> {
    report["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["findings"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["level"].as_str().unwrap().to_owned(),
                f["check"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conformance-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn exit_0_when_everything_conforms() {
    let (code, r) = json_report(&[
        "recordings/servicestage_doc_example.har",
        "recordings/cae_doc_example.har",
    ]);
    assert_eq!(code, 0);
    assert_eq!(r["summary"]["passed"], 2);
    assert!(checks(&r).is_empty());
}

#[test]
fn exit_1_when_one_does_not() {
    let (code, r) = json_report(&[
        "recordings/servicestage_doc_example.har",
        "recordings/servicestage_wrong_types.har",
    ]);
    assert_eq!(code, 1);
    assert_eq!(r["summary"]["failed"], 1);
}

#[test]
fn exit_2_on_usage_errors_and_unreadable_input() {
    for args in [
        vec!["check"],
        vec!["check", "does/not/exist.har"],
        vec!["check", "--operation", "nope", "recordings"],
        vec!["check", "--format", "xml", "recordings"],
        vec!["check", "--jobs", "many", "recordings"],
        vec!["frobnicate"],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty(), "{args:?} says why");
    }
    // A HAR that is not JSON, and a file that is neither HAR nor (without --operation) a body.
    let truncated = tmp("truncated.har");
    std::fs::write(&truncated, br#"{"log": {"entries": [{"request""#).unwrap();
    let out = run(&["check", truncated.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(
        msg.contains("truncated.har") && msg.contains("not valid JSON"),
        "{msg}"
    );
    let binary = tmp("binary.har");
    std::fs::write(&binary, b"\xff\xfe\x00garbage").unwrap();
    assert_eq!(
        run(&["check", binary.to_str().unwrap()]).status.code(),
        Some(2)
    );
    // Ambiguous operation id (both modules have get_job_details).
    let out = run(&["check", "--operation", "get_job_details", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ambiguous"));
}

#[test]
fn exit_3_when_nothing_was_checked() {
    // Only other APIs' traffic: every entry skipped.
    let other = tmp("only_other_apis.har");
    let har: Value = serde_json::from_str(
        &std::fs::read_to_string("recordings/mixed_export_other_apis.har").unwrap(),
    )
    .unwrap();
    let mut only = har.clone();
    only["log"]["entries"] = Value::Array(vec![har["log"]["entries"][0].clone()]);
    std::fs::write(&other, serde_json::to_vec(&only).unwrap()).unwrap();
    let empty_dir = tmp("empty-folder");
    std::fs::create_dir_all(&empty_dir).unwrap();
    for args in [
        vec!["check", "recordings/empty_export.har"],
        vec!["check", other.to_str().unwrap()],
        vec!["check", "--format", "json", other.to_str().unwrap()],
        vec!["check", empty_dir.to_str().unwrap()],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("nothing was checked"),
            "{args:?} says why"
        );
    }
    // One exchange checked beside skipped ones is a normal run.
    let (code, r) = json_report(&["recordings/mixed_export_other_apis.har"]);
    assert_eq!(code, 0);
    assert_eq!(r["summary"]["checked"], 1);
}

#[test]
fn a_spec_that_is_not_the_one_the_models_came_from_is_refused() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = |name: &str| {
        let root = tmp(name);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("spec")).unwrap();
        for f in ["cae.yaml", "servicestage.yaml"] {
            std::fs::copy(workspace.join("spec").join(f), root.join("spec").join(f)).unwrap();
        }
        root
    };
    let args = |root: &Path| {
        vec![
            "--spec-root".to_owned(),
            root.display().to_string(),
            "check".to_owned(),
            "recordings/servicestage_doc_example.har".to_owned(),
        ]
    };
    // The same documents: fine.
    let same = copy("spec-same");
    let out = bin().args(args(&same)).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One changed byte, a document added, a document removed: refused, saying what to run.
    let changed = copy("spec-changed");
    let p = changed.join("spec/servicestage.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("description", "description ", 1)).unwrap();
    let added = copy("spec-added");
    std::fs::copy(
        workspace.join("spec/cae.yaml"),
        added.join("spec/cae2.yaml"),
    )
    .unwrap();
    let removed = copy("spec-removed");
    std::fs::remove_file(removed.join("spec/cae.yaml")).unwrap();
    for (root, says) in [
        (&changed, "has changed since"),
        (&added, "has no generated module"),
        (&removed, "cannot read the spec"),
    ] {
        let out = bin().args(args(root)).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(says) && err.contains("cargo xtask gen"),
            "{err}"
        );
    }
}

/// A bare ServiceStage job-details body checked from standard input: (exit code, JSON report).
fn check_servicestage_body(body: &[u8]) -> (Option<i32>, Value) {
    let out = run_stdin(
        &[
            "check",
            "--format",
            "json",
            "--operation",
            "servicestage/get_job_details",
            "-",
        ],
        body,
    );
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn a_null_the_spec_does_not_allow_is_one_finding() {
    let body = br#"{"task_count": null, "job": {"execution_status": "RUNNING"}, "tasks": null}"#;
    let (code, r) = check_servicestage_body(body);
    assert_eq!(code, Some(1));
    let findings = r["exchanges"][0]["findings"].as_array().unwrap();
    // One finding per null (no `spec-model-disagreement` beside them), each saying the models
    // accept it.
    let at: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["check"].as_str().unwrap(), f["pointer"].as_str().unwrap()))
        .collect();
    assert_eq!(
        at,
        [("schema", "/task_count"), ("schema", "/tasks")],
        "{findings:#?}"
    );
    for f in findings {
        assert!(f["message"]
            .as_str()
            .unwrap()
            .contains("the generated models accept null"));
    }
}

#[test]
fn findings_point_at_the_spelling_received() {
    let body = br#"{"TASK_COUNT": "2", "JOB": {"EXECUTION_STATUS": "PAUSED", "odd": 1}}"#;
    let (_, r) = check_servicestage_body(body);
    let at: Vec<(String, String)> = r["exchanges"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_owned(),
                f["pointer"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for want in [
        ("schema", "/TASK_COUNT"),
        ("model", "/TASK_COUNT"),
        ("open-enum", "/JOB/EXECUTION_STATUS"),
        ("undocumented-field", "/JOB/odd"),
        ("alias", "/JOB/EXECUTION_STATUS"),
    ] {
        assert!(
            at.iter().any(|(c, p)| c == want.0 && p == want.1),
            "{want:?} in {at:?}"
        );
    }
    assert!(
        !at.iter()
            .any(|(_, p)| p.starts_with("/task_count") || p.starts_with("/job")),
        "no pointer names a spelling that is not in the body: {at:?}"
    );
}

#[test]
fn human_output_shows_control_characters_escaped() {
    let mut har: Value = serde_json::from_str(
        &std::fs::read_to_string("recordings/servicestage_doc_example.har").unwrap(),
    )
    .unwrap();
    let entry = &mut har["log"]["entries"][0];
    let text = entry["response"]["content"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut body: Value = serde_json::from_str(&text).unwrap();
    body["job"]["\u{1b}[2Jkey"] = Value::from("x");
    body["job"]["execution_status"] = Value::from("RUN\u{1b}[31mNING\r\n\u{7}");
    entry["response"]["content"]["text"] = Value::from(body.to_string());
    // A second entry for another API, whose URL carries an escape sequence: skipped, and shown.
    let mut other = har["log"]["entries"][0].clone();
    other["request"]["url"] = Value::from("https://evil.example.com/\u{1b}]0;title\u{7}");
    har["log"]["entries"].as_array_mut().unwrap().push(other);
    let file = tmp("escapes.har");
    std::fs::write(&file, serde_json::to_vec(&har).unwrap()).unwrap();
    let out = run(&["check", "--strict", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07),
        "{stdout}"
    );
    assert!(stdout.contains("\\u{1b}[2Jkey"), "{stdout}");
    assert!(
        stdout.contains("RUN\\u{1b}[31mNING\\u{d}\\u{a}\\u{7}"),
        "{stdout}"
    );
    assert!(stdout.contains("\\u{1b}]0;title\\u{7}"), "{stdout}");
    // A file name with an escape sequence, unreadable: the message on stderr is escaped too.
    let out = run(&["check", "does-not-exist-\u{1b}[2J.har"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !out.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // JSON stays JSON (its own escaping).
    let out = run(&["check", "--format", "json", file.to_str().unwrap()]);
    assert!(!out.stdout.contains(&0x1b));
    serde_json::from_slice::<Value>(&out.stdout).unwrap();
}

#[test]
fn live_exit_4_when_the_call_fails() {
    // A port nobody listens on: connection refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    // A server that accepts and never answers: the timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hang = format!("http://{}", silent.local_addr().unwrap());
    for (endpoint, timeout) in [(refused.as_str(), "5"), (hang.as_str(), "1")] {
        let out = bin()
            .args([
                "live",
                "--operation",
                "servicestage/get_job_details",
                "--project-id",
                "p",
                "--job-id",
                "j",
                "--endpoint",
                endpoint,
                "--timeout",
                timeout,
            ])
            .env("HWC_AUTH_TOKEN", PLANTED)
            .env_remove("HUAWEICLOUD_SDK_AK")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{endpoint}: {err}");
        assert!(err.contains("the call failed"), "{err}");
        assert!(!err.contains(PLANTED), "{err}");
    }
    drop(silent);
}

#[test]
fn bare_bodies_from_files_and_stdin() {
    let body = std::fs::read_to_string("recordings/servicestage_doc_example.har").unwrap();
    let har: Value = serde_json::from_str(&body).unwrap();
    let text = har["log"]["entries"][0]["response"]["content"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = run_stdin(
        &["check", "--operation", "servicestage/get_job_details", "-"],
        text.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The same body as an error status: it is not an error body.
    let out = run_stdin(
        &[
            "check",
            "--format",
            "json",
            "--operation",
            "servicestage/get_job_details",
            "--status",
            "404",
            "-",
        ],
        text.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = br#"{"error_code":"SVCSTG.00100429","error_msg":"job not found"}"#;
    let out = run_stdin(
        &[
            "check",
            "--operation",
            "servicestage/get_job_details",
            "--status",
            "404",
            "-",
        ],
        err,
    );
    assert_eq!(out.status.code(), Some(0));
    // Bodies that are not JSON are verdicts, not crashes.
    for bad in [&b""[..], b"{\"job\": {", b"\xff\xfe\xfd", b"null"] {
        let out = run_stdin(&["check", "--operation", "cae/get_job_details", "-"], bad);
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
    }
}

#[test]
fn hostile_inputs_never_panic() {
    // Deeply nested JSON (beyond serde_json's recursion limit) and a multi-megabyte body.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let out = run_stdin(
        &["check", "--operation", "cae/get_job_details", "-"],
        deep.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let deep_ok = format!(
        "{{\"spec\": {{\"tasks\": [{{\"name\": {}1{}}}]}}}}",
        "[".repeat(100),
        "]".repeat(100)
    );
    let out = run_stdin(
        &[
            "check",
            "--format",
            "json",
            "--operation",
            "cae/get_job_details",
            "-",
        ],
        deep_ok.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let tasks: Vec<String> = (0..40_000)
        .map(|i| format!(r#"{{"task_id":"Task-{i}","task_index":{i},"task_name":"N","task_status":"RUNNING","messages":"{{}}"}}"#))
        .collect();
    let big = format!(
        r#"{{"job":{{"execution_status":"RUNNING"}},"tasks":[{}],"task_count":40000}}"#,
        tasks.join(",")
    );
    assert!(big.len() > 3_000_000);
    let out = run_stdin(
        &["check", "--operation", "servicestage/get_job_details", "-"],
        big.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A HAR with no entries, and one whose log has no entries at all: read, but nothing checked.
    for text in [r#"{"log": {"entries": []}}"#, r#"{"log": {}}"#] {
        let out = run_stdin(&["check", "--format", "json", "-"], text.as_bytes());
        assert_eq!(out.status.code(), Some(3));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["summary"]["checked"], 0);
    }
    // Entries with missing parts are skipped with a reason, not fatal.
    let odd = r#"{"log": {"entries": [{}, {"request": {}, "response": {}}, {"request": {"url": 5}, "response": {"status": "x"}}]}}"#;
    let out = run_stdin(&["check", "--format", "json", "-"], odd.as_bytes());
    assert_eq!(out.status.code(), Some(3));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["skipped"], 3);
}

#[test]
fn each_check_has_a_passing_and_a_failing_recording() {
    // (recording, expected exit, a (severity, check) that must be present, or None: no findings)
    type Case<'a> = (&'a str, i32, Option<(&'a str, &'a str)>);
    let cases: &[Case] = &[
        ("servicestage_doc_example", 0, None),
        (
            "servicestage_401_undocumented_status",
            1,
            Some(("error", "status")),
        ),
        ("cae_error_default_400", 0, None),
        (
            "servicestage_json_labelled_text",
            1,
            Some(("error", "content-type")),
        ),
        ("servicestage_truncated_body", 1, Some(("error", "body"))),
        ("servicestage_empty_body", 1, Some(("error", "body"))),
        ("servicestage_wrong_types", 1, Some(("error", "schema"))),
        ("servicestage_timestamps_2_and_6_digits", 0, None),
        (
            "servicestage_uppercase_v2_spelling",
            0,
            Some(("note", "alias")),
        ),
        (
            "servicestage_both_spellings",
            1,
            Some(("error", "alias-conflict")),
        ),
        ("servicestage_wrong_types", 1, Some(("error", "model"))),
        (
            "servicestage_integer_as_float",
            1,
            Some(("error", "spec-model-disagreement")),
        ),
        (
            "cae_fixed_value_changed",
            1,
            Some(("error", "spec-model-disagreement")),
        ),
        (
            "servicestage_extra_fields",
            0,
            Some(("warning", "undocumented-field")),
        ),
        (
            "servicestage_unknown_enum_values",
            1,
            Some(("error", "open-enum")),
        ),
        (
            "cae_missing_environment_header",
            1,
            Some(("error", "request-param")),
        ),
        (
            "servicestage_no_credentials_bad_query",
            1,
            Some(("error", "request-auth")),
        ),
        ("servicestage_missing_optional_fields", 0, None),
        ("cae_base64_content", 0, None),
    ];
    for (name, code, finding) in cases {
        let path = format!("recordings/{name}.har");
        let (got, r) = json_report(&[&path]);
        assert_eq!(got, *code, "{name}");
        let found = checks(&r);
        match finding {
            Some((sev, check)) => assert!(
                found.iter().any(|(s, c)| s == sev && c == check),
                "{name}: expected {sev}[{check}] in {found:?}"
            ),
            None => assert!(found.is_empty(), "{name}: {found:?}"),
        }
    }
}

#[test]
fn strict_turns_warnings_into_failures() {
    let (code, _) = json_report(&["recordings/servicestage_extra_fields.har"]);
    assert_eq!(code, 0);
    let (code, r) = json_report(&["--strict", "recordings/servicestage_extra_fields.har"]);
    assert_eq!(code, 1);
    assert_eq!(r["summary"]["strict"], true);
}

/// A folder that holds a copy of `spec/` and, when given, a `conformance.toml`.
fn spec_root_with(name: &str, config: Option<&str>) -> PathBuf {
    let root = tmp(name);
    let spec = root.join("spec");
    std::fs::create_dir_all(&spec).unwrap();
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, spec.join(p.file_name().unwrap())).unwrap();
        }
    }
    match config {
        Some(text) => std::fs::write(root.join("conformance.toml"), text).unwrap(),
        None => {
            let _ = std::fs::remove_file(root.join("conformance.toml"));
        }
    }
    root
}

#[test]
fn rule_levels_from_flags_and_conformance_toml() {
    let enums = "recordings/servicestage_unknown_enum_values.har";
    let extra = "recordings/servicestage_extra_fields.har";
    // Defaults: a value outside a documented enum is an error; an undocumented field a warning.
    let (code, r) = json_report(&[enums]);
    assert_eq!(code, 1);
    assert!(checks(&r).contains(&("error".into(), "open-enum".into())));
    assert_eq!(r["summary"]["rules"], serde_json::json!({}));
    // Per run, like clippy's lints.
    let (code, r) = json_report(&["--warn", "open-enum", enums]);
    assert_eq!(code, 0);
    assert!(checks(&r).iter().all(|(l, _)| l != "error"), "{r}");
    assert!(checks(&r).contains(&("warning".into(), "open-enum".into())));
    assert_eq!(
        r["summary"]["rules"],
        serde_json::json!({"open-enum": "warning"})
    );
    let (code, r) = json_report(&["--allow", "open-enum", enums]);
    assert_eq!(code, 0);
    assert!(!checks(&r).iter().any(|(_, c)| c == "open-enum"), "{r}");
    let (code, _) = json_report(&["--deny", "undocumented-field", extra]);
    assert_eq!(code, 1);
    // JUnit and human output carry level and check.
    let out = run(&["check", "--format", "junit", "--warn", "open-enum", enums]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("warning[open-enum] at /job/execution_status"));
    // Bad names and contradictions are usage errors.
    for args in [
        &["check", "--deny", "no-such-check", extra][..],
        &["check", "--deny", "schema", "--allow", "schema", extra][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("schema"),
            "{args:?}"
        );
    }

    // conformance.toml beside spec/; the command line wins over it.
    let root = spec_root_with(
        "rules-root",
        Some("# levels for this workspace\n[rules]\nopen-enum = \"note\"\nundocumented-field = \"error\"\n"),
    );
    let root_arg = root.to_str().unwrap();
    let (code, r) = json_report(&["--spec-root", root_arg, enums]);
    assert_eq!(code, 0, "{r}");
    assert!(checks(&r).contains(&("note".into(), "open-enum".into())));
    let (code, r) = json_report(&["--spec-root", root_arg, extra]);
    assert_eq!(code, 1, "{r}");
    let (code, _) = json_report(&[
        "--spec-root",
        root_arg,
        "--warn",
        "undocumented-field",
        extra,
    ]);
    assert_eq!(code, 0);
    let listed = run(&["--spec-root", root_arg, "rules"]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.lines().any(|l| l
            .split_whitespace()
            .take(3)
            .eq(["open-enum", "note", "error"])),
        "{listed}"
    );

    // A broken file: exit 2, the file, line and column, what is wrong.
    let root = spec_root_with("rules-bad", Some("[rules]\nschema = \"loud\"\n"));
    let out = run(&["--spec-root", root.to_str().unwrap(), "check", extra]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("conformance.toml:2:1: `loud` is not a level"),
        "{err}"
    );
}

#[test]
fn folders_other_apis_and_skips() {
    let (code, r) = json_report(&["recordings"]);
    assert_eq!(code, 1);
    let n = std::fs::read_dir("recordings").unwrap().count();
    assert!(r["summary"]["checked"].as_u64().unwrap() as usize >= n - 1);
    let skipped: Vec<&str> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(
        skipped
            .iter()
            .any(|s| s.starts_with("not an operation of the spec")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|s| s.contains("status 0")),
        "{skipped:?}"
    );
}

#[test]
fn human_report_names_pointer_keyword_values_and_rule() {
    let out = run(&["check", "recordings/servicestage_wrong_types.har"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("FAIL recordings/servicestage_wrong_types.har#/log/entries/0"),
        "{text}"
    );
    assert!(text.contains("at /tasks/0/task_index"));
    assert!(text.contains("keyword: type"));
    assert!(text.contains("expected: \"integer\""));
    assert!(text.contains("actual: \"4\""));
    assert!(text.contains(
        "rule: spec/servicestage.yaml#/components/schemas/Task/properties/task_index/type"
    ));
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn junit_is_well_formed_xml() {
    let out = run(&["check", "--format", "junit", "recordings"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut skipped, mut depth) = (0, 0, 0, 0i32);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            Ok(quick_xml::events::Event::Empty(e)) => match e.name().as_ref() {
                b"testcase" => cases += 1,
                b"skipped" => skipped += 1,
                _ => {}
            },
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{xml}",
                reader.buffer_position()
            ),
        }
    }
    assert_eq!(depth, 0);
    let (_, r) = json_report(&["recordings"]);
    let s = &r["summary"];
    assert_eq!(
        cases,
        s["checked"].as_u64().unwrap() + s["skipped"].as_u64().unwrap()
    );
    assert_eq!(failures, s["failed"].as_u64().unwrap());
    assert_eq!(skipped, s["skipped"].as_u64().unwrap());
}

#[test]
fn json_report_is_stable_and_versioned() {
    let (_, a) = json_report(&["recordings"]);
    let (_, b) = json_report(&["recordings"]);
    assert_eq!(a, b, "parallel runs report in input order");
    let (_, one) = json_report(&["--jobs", "1", "recordings"]);
    let (_, three) = json_report(&["--jobs", "3", "recordings"]);
    assert_eq!(a, one, "one worker reports the same");
    assert_eq!(a, three, "more workers than cores report the same");
    assert_eq!(a["format_version"], 2);
}

/// Starts `conformance serve DIR` and returns the child and its address.
fn serve(dir: &Path) -> (std::process::Child, String) {
    let mut child = bin()
        .args(["serve", dir.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line
        .split_whitespace()
        .nth(2)
        .expect("listening on ADDR")
        .to_owned();
    (child, addr)
}

fn replay_dir(name: &str, recordings: &[&str]) -> PathBuf {
    let dir = tmp(name);
    std::fs::create_dir_all(&dir).unwrap();
    for r in recordings {
        std::fs::copy(format!("recordings/{r}.har"), dir.join(format!("{r}.har"))).unwrap();
    }
    dir
}

const PLANTED: &str = "PLANTED-SECRET-7f3a9c";

#[test]
fn live_params_are_checked_against_the_operation() {
    let dir = replay_dir("replay-params", &["cae_doc_example"]);
    let (mut server, addr) = serve(&dir);
    let live = |operation: &str, param: &str| {
        bin()
            .args([
                "live",
                "--operation",
                operation,
                "--project-id",
                "0a1b2c3d4e5f",
                "--job-id",
                "5b2c1f0e-job",
                "--param",
                param,
                "--endpoint",
                &addr,
                "--format",
                "json",
            ])
            .env("HWC_AUTH_TOKEN", PLANTED)
            .output()
            .unwrap()
    };
    // A header name in another case is that header.
    let ok = live("cae/get_job_details", "x-environment-id=env-7d3f");
    // A query name in the wrong case, and a name the operation does not have: usage errors.
    let wrong_case = live("servicestage/get_job_details", "Limit=5");
    let unknown = live("servicestage/get_job_details", "colour=blue");
    server.kill().unwrap();
    let _ = server.wait();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(report["exchanges"][0]["status"], 200);
    for (out, says) in [
        (&wrong_case, "did you mean `limit`"),
        (&unknown, "no such parameter"),
    ] {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says) && err.contains("limit, offset"), "{err}");
    }
}

#[test]
fn live_against_the_replay_server() {
    let dir = replay_dir(
        "replay-ok",
        &["servicestage_doc_example", "cae_doc_example"],
    );
    let (mut server, addr) = serve(&dir);
    let record = tmp("live-ok.har");
    let out = bin()
        .args([
            "live",
            "--operation",
            "servicestage/get_job_details",
            "--project-id",
            "0a1b2c3d4e5f",
            "--job-id",
            "JOB17cb1778-07b1-4c8f-a183-c86cffbe8f9e",
            "--endpoint",
            &addr,
            "--format",
            "json",
            "--record",
            record.to_str().unwrap(),
        ])
        .env("HWC_AUTH_TOKEN", PLANTED)
        .output()
        .unwrap();
    let cae = bin()
        .args([
            "live",
            "--operation",
            "cae/get_job_details",
            "--project-id",
            "0a1b2c3d4e5f",
            "--job-id",
            "5b2c1f0e-job",
            "--param",
            "X-Environment-ID=env-7d3f",
            "--endpoint",
            &addr,
        ])
        .env("HWC_AUTH_TOKEN", PLANTED)
        .output()
        .unwrap();
    let missing = bin()
        .args([
            "live",
            "--operation",
            "servicestage/get_job_details",
            "--project-id",
            "p",
            "--job-id",
            "nope",
            "--endpoint",
            &addr,
        ])
        .env("HWC_AUTH_TOKEN", PLANTED)
        .output()
        .unwrap();
    server.kill().unwrap();
    let _ = server.wait();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["exchanges"][0]["status"], 200);
    assert_eq!(
        cae.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&cae.stdout)
    );
    // The replay server answers what it has no recording of with a Huawei-style 404, which the
    // spec documents: it conforms.
    assert_eq!(
        missing.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&missing.stdout)
    );
    assert!(String::from_utf8_lossy(&missing.stdout).contains("→ 404"));
    // The recording is a HAR the checker reads, with the token redacted.
    let recorded = std::fs::read_to_string(&record).unwrap();
    assert!(!recorded.contains(PLANTED));
    assert!(recorded.contains("[REDACTED]"));
    let out = run(&["check", record.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn live_reports_a_nonconforming_answer() {
    let dir = replay_dir("replay-401", &["servicestage_401_undocumented_status"]);
    let (mut server, addr) = serve(&dir);
    let out = bin()
        .args([
            "live",
            "--operation",
            "servicestage/get_job_details",
            "--project-id",
            "0a1b2c3d4e5f",
            "--job-id",
            "JOB17cb1778-07b1-4c8f-a183-c86cffbe8f9e",
            "--endpoint",
            &addr,
        ])
        .env("HWC_AUTH_TOKEN", PLANTED)
        .output()
        .unwrap();
    server.kill().unwrap();
    let _ = server.wait();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("status 401 is not documented"));
}

#[test]
fn live_refuses_plain_http_except_to_loopback_and_needs_a_token() {
    let args = [
        "live",
        "--operation",
        "cae/get_job_details",
        "--project-id",
        "p",
        "--job-id",
        "j",
        "--endpoint",
        "http://example.com",
    ];
    let out = bin()
        .args(args)
        .env("HWC_AUTH_TOKEN", PLANTED)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only https://"));
    let out = bin()
        .args(args)
        .env_remove("HWC_AUTH_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HWC_AUTH_TOKEN"));
}

#[test]
fn credentials_never_reach_any_output() {
    // A recording as a proxy would capture it, secrets and all.
    let har = serde_json::json!({"log": {"entries": [{
        "request": {
            "method": "GET",
            "url": format!("https://servicestage.cn-north-4.myhuaweicloud.com/v3/p/cas/jobs/j?limit=1&token={PLANTED}"),
            "headers": [
                {"name": "X-Auth-Token", "value": PLANTED},
                {"name": "Authorization", "value": format!("SDK-HMAC-SHA256 Access={PLANTED}, SignedHeaders=host;x-sdk-date, Signature={PLANTED}")},
                {"name": "X-Security-Token", "value": PLANTED},
                {"name": "Content-Type", "value": "application/json"}
            ]
        },
        "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": PLANTED}],
                     "content": {"mimeType": "application/json", "text": "{\"job\": {\"execution_status\": 42}}"}}
    }]}});
    no_secret_anywhere("secret", &har, "j", 1);
    // The gateway's answer to a bad AK/SK signature quotes the signed headers back, the
    // security token among them (APIGW.0301); here as a body that fails the schema, so that the
    // report prints it.
    let echo = format!(
        "GET|/v3/p/cas/jobs/j2/||content-type:application/json|host:h|x-sdk-date:20261123T010203Z|x-security-token:{PLANTED}|content-type;host;x-sdk-date;x-security-token|e3b0c442"
    );
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "https://servicestage.cn-north-4.myhuaweicloud.com/v3/p/cas/jobs/j2",
                    "headers": [{"name": "Content-Type", "value": "application/json"}]},
        "response": {"status": 400, "headers": [],
                     "content": {"mimeType": "application/json",
                                 "text": serde_json::to_string(&serde_json::json!({"error_code": 301, "error_msg": echo})).unwrap()}}
    }, {
        "request": {"method": "GET", "url": "https://servicestage.cn-north-4.myhuaweicloud.com/v3/p/cas/jobs/j3",
                    "headers": [{"name": "Content-Type", "value": "application/json"}]},
        "response": {"status": 400, "headers": [],
                     "content": {"mimeType": "application/json", "text": serde_json::Value::String(echo.clone()).to_string()}}
    }]}});
    no_secret_anywhere("echo", &har, "j3", 1);
}

/// Checks a HAR in every format, replays it with `serve` and records it again with `live`:
/// `PLANTED` must appear in no output and no file.
fn no_secret_anywhere(name: &str, har: &Value, live_job: &str, expected_code: i32) {
    let path = tmp(&format!("{name}.har"));
    std::fs::write(&path, har.to_string()).unwrap();
    for format in ["human", "json", "junit"] {
        for strict in [false, true] {
            let mut args = vec!["check", "--format", format, path.to_str().unwrap()];
            if strict {
                args.insert(1, "--strict");
            }
            let out = run(&args);
            assert_eq!(out.status.code(), Some(expected_code));
            let all = [out.stdout, out.stderr].concat();
            let all = String::from_utf8_lossy(&all);
            assert!(!all.contains(PLANTED), "{format}: {all}");
            assert!(
                all.contains("servicestage/get_job_details"),
                "{format}: {all}"
            );
        }
    }
    // Replayed and re-recorded: still nothing.
    let dir = tmp(&format!("replay-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&path, dir.join(format!("{name}.har"))).unwrap();
    let (mut server, addr) = serve(&dir);
    let record = tmp(&format!("{name}-live.har"));
    let out = bin()
        .args([
            "live",
            "--operation",
            "servicestage/get_job_details",
            "--project-id",
            "p",
            "--job-id",
            live_job,
            "--endpoint",
            &addr,
            "--param",
            "limit=1",
            "--record",
            record.to_str().unwrap(),
        ])
        .env("HWC_AUTH_TOKEN", PLANTED)
        .output()
        .unwrap();
    server.kill().unwrap();
    let _ = server.wait();
    let recorded = std::fs::read(&record).unwrap();
    assert!(!recorded.is_empty());
    let all = [out.stdout, out.stderr, recorded].concat();
    assert!(
        !String::from_utf8_lossy(&all).contains(PLANTED),
        "{}",
        String::from_utf8_lossy(&all)
    );
}

/// The README's "first run" shows real output: every line it prints (but the `…` that stands
/// for the lines left out) is in what the command prints today, from the workspace root.
#[test]
fn the_readme_first_run_is_what_the_command_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "cargo run -p conformance -- check conformance/recordings\n```\n";
    let after = &readme[readme
        .find(command)
        .expect("the README shows the first run")
        + command.len()..];
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map(|(block, _)| block)
        .expect("followed by its output");
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .current_dir(root)
        .args(["check", "conformance/recordings"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "some bundled recordings fail on purpose"
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let shown: Vec<&str> = block.lines().filter(|l| l.trim() != "…").collect();
    assert!(shown.len() > 5, "{block}");
    for line in shown {
        assert!(
            printed.lines().any(|p| p == line),
            "the README shows a line the command does not print:\n{line}\n--- printed:\n{printed}"
        );
    }
}

/// `request-auth` takes what the spec's schemes accept: a non-empty token, or a signature of
/// the declared algorithm with a well-formed signing time.
#[test]
fn request_auth_follows_the_security_schemes() {
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string("recordings/servicestage_doc_example.har").unwrap(),
    )
    .unwrap();
    let entry = &base["log"]["entries"][0];
    let with = |headers: &[(&str, &str)]| {
        let mut e = entry.clone();
        e["request"]["headers"] = Value::Array(
            headers
                .iter()
                .map(|(n, v)| serde_json::json!({"name": n, "value": v}))
                .collect(),
        );
        e
    };
    // (request headers, a request-auth message to expect, or none)
    type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>);
    let cases: &[Case] = &[
        (
            &[
                (
                    "Authorization",
                    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
                ),
                ("X-Sdk-Date", "20261130T010203Z"),
            ],
            None,
        ),
        (
            &[
                ("Authorization", "Bearer abc"),
                ("X-Sdk-Date", "20261130T010203Z"),
            ],
            Some("carries `Bearer` credentials"),
        ),
        (
            &[
                ("Authorization", "SDK-HMAC-SHA256 Signature=abc"),
                ("X-Sdk-Date", "yesterday"),
            ],
            Some("is not `YYYYMMDDTHHMMSSZ`"),
        ),
        (&[("X-Auth-Token", "")], Some("no credentials were sent")),
        (
            &[("X-Security-Token", "st")],
            Some("a security token (`X-Security-Token`) was sent without"),
        ),
        (&[("x-auth-token", "t")], None),
    ];
    let har = serde_json::json!({"log": {"entries": cases.iter().map(|(h, _)| with(h)).collect::<Vec<_>>()}});
    let path = tmp("auth-cases.har");
    std::fs::write(&path, har.to_string()).unwrap();
    let (_, r) = json_report(&[path.to_str().unwrap()]);
    for (i, (headers, want)) in cases.iter().enumerate() {
        let auth: Vec<&str> = r["exchanges"][i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == "request-auth")
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        match want {
            None => assert!(auth.is_empty(), "{headers:?}: {auth:?}"),
            Some(w) => assert!(
                auth.len() == 1 && auth[0].contains(w),
                "{headers:?}: {auth:?}"
            ),
        }
    }
}
