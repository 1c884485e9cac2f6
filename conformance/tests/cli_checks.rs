//! What each check of the `conformance` binary catches (a recording that passes it and one
//! that fails it), findings at the spelling received, and rule levels from flags and
//! `conformance.toml`.

mod cli_support;

use cli_support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

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
