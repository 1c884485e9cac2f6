//! The `conformance` binary as a user runs it: exit codes, formats, inputs, and
//! what each check catches (a recording that passes it and one that fails it).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod cli_support;

use cli_support::*;

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
