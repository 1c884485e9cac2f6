//! `conformance coverage` on traffic whose every count is known: three ServiceStage exchanges
//! written here, and the bundled recordings.

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conformance-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn entry(url: &str, status: u16, body: &Value) -> Value {
    json!({
        "startedDateTime": "2026-12-08T10:00:00.000Z",
        "time": 1,
        "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": [{"name": "Content-Type", "value": "application/json;charset=utf8"},
                        {"name": "X-Auth-Token", "value": "[REDACTED]"}],
            "queryString": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "content": {"size": 1, "mimeType": "application/json", "text": body.to_string()},
            "redirectURL": "", "headersSize": -1, "bodySize": 1},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}
    })
}

/// Three exchanges: two successes (one with the upper-case spelling and a `null`), one 404.
fn known_traffic() -> PathBuf {
    let base = "https://servicestage.cn-north-4.myhuaweicloud.com/v3/p1/cas/jobs/j1";
    let har = json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [
        entry(&format!("{base}?limit=5&desc=true"), 200, &json!({
            "job": {"execution_status": "RUNNING"},
            "tasks": [{"task_status": "SUCCEEDED"}, {"task_status": "SUCCEEDED"}]
        })),
        entry(base, 200, &json!({"job": {"EXECUTION_STATUS": "FAILED", "job_id": null}})),
        entry(base, 404, &json!({"error_code": "SVCSTG.00100404", "error_msg": "no such job"})),
    ]}});
    let file = tmp("known.har");
    std::fs::write(&file, har.to_string()).unwrap();
    file
}

fn run(args: &[&str]) -> Output {
    bin().arg("coverage").args(args).output().unwrap()
}

/// The count of the item of `kind` at `pointer` (and `value`) of ServiceStage's operation.
fn count(report: &Value, kind: &str, pointer: Option<&str>, value: Option<&str>) -> u64 {
    let op = report["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["document"] == "servicestage")
        .unwrap();
    let found: Vec<&Value> = op["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["kind"] == kind && i["pointer"].as_str() == pointer && i["value"].as_str() == value
        })
        .collect();
    assert_eq!(found.len(), 1, "{kind} {pointer:?} {value:?}: {found:?}");
    found[0]["count"].as_u64().unwrap()
}

#[test]
fn every_count_of_known_traffic() {
    let file = known_traffic();
    let out = run(&["--format", "json", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["format_version"], 1);
    assert_eq!(r["exchanges"], 3);
    assert_eq!(count(&r, "operation", None, None), 3);
    assert_eq!(count(&r, "status", None, Some("200")), 2);
    assert_eq!(count(&r, "status", None, Some("404")), 1);
    assert_eq!(count(&r, "status", None, Some("400")), 0);
    assert_eq!(count(&r, "parameter", Some("request:path/job_id"), None), 3);
    assert_eq!(count(&r, "parameter", Some("request:query/limit"), None), 1);
    assert_eq!(
        count(&r, "parameter", Some("request:query/offset"), None),
        0
    );
    assert_eq!(
        count(
            &r,
            "parameter-value",
            Some("request:query/desc"),
            Some("true")
        ),
        1
    );
    assert_eq!(
        count(
            &r,
            "parameter-value",
            Some("request:query/desc"),
            Some("false")
        ),
        0
    );
    assert_eq!(count(&r, "field", Some("/job/execution_status"), None), 2);
    assert_eq!(
        count(
            &r,
            "enum-value",
            Some("/job/execution_status"),
            Some("RUNNING")
        ),
        1
    );
    assert_eq!(
        count(
            &r,
            "enum-value",
            Some("/job/execution_status"),
            Some("FAILED")
        ),
        1
    );
    assert_eq!(
        count(
            &r,
            "enum-value",
            Some("/job/execution_status"),
            Some("ROLLBACKED")
        ),
        0
    );
    assert_eq!(
        count(
            &r,
            "spelling",
            Some("/job/EXECUTION_STATUS"),
            Some("EXECUTION_STATUS")
        ),
        1
    );
    assert_eq!(count(&r, "field", Some("/tasks/*/task_status"), None), 2);
    assert_eq!(
        count(
            &r,
            "enum-value",
            Some("/tasks/*/task_status"),
            Some("SUCCEEDED")
        ),
        2
    );
    assert_eq!(count(&r, "field", Some("/error_code"), None), 1);
    // `job_id` was `null` once and absent once; never seen with a value.
    let job_id = r["operations"][1]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "field" && i["pointer"] == "/job/job_id")
        .cloned()
        .unwrap();
    assert_eq!(
        (
            job_id["count"].as_u64(),
            job_id["null"].as_u64(),
            job_id["absent"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    // The percentage is what the items say.
    let op = &r["operations"][1];
    let items = op["items"].as_array().unwrap();
    let counted: Vec<&Value> = items
        .iter()
        .filter(|i| i["kind"] != "undocumented-status")
        .collect();
    let covered = counted
        .iter()
        .filter(|i| i["count"].as_u64() > Some(0))
        .count();
    assert_eq!(op["total"].as_u64(), Some(counted.len() as u64));
    assert_eq!(op["covered"].as_u64(), Some(covered as u64));
    // CAE was never called: none of its items is covered.
    assert_eq!(r["operations"][0]["covered"], 0);
}

#[test]
fn under_the_threshold_exits_1_and_names_what_is_missing() {
    let file = known_traffic();
    let out = run(&["--fail-under", "100", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is under 100%"), "{err}");
    assert!(
        err.contains("servicestage/get_job_details: value ROLLBACKED of /job/execution_status"),
        "{err}"
    );
    assert!(err.contains("cae/"), "{err}");
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("never seen:")
            && human.contains("value ROLLBACKED of /job/execution_status"),
        "{human}"
    );
    // Under a threshold it meets, 0; whatever the traffic's conformance (the 404 conforms, but
    // the bundled recordings hold failing exchanges).
    let out = run(&["--fail-under", "1", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let recordings = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings");
    let out = run(&["--format", "json", recordings]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["percent"].as_f64().unwrap() > 0.0);
    // The same exchanges `check` checks: its report and the coverage agree on what was answered.
    let checked = bin()
        .args(["check", "--format", "json", recordings])
        .output()
        .unwrap();
    let checked: Value = serde_json::from_slice(&checked.stdout).unwrap();
    let exchanges = checked["exchanges"].as_array().unwrap();
    assert_eq!(r["exchanges"].as_u64(), Some(exchanges.len() as u64));
    let ok_200 = exchanges
        .iter()
        .filter(|e| e["operation"] == "servicestage/get_job_details" && e["status"] == 200)
        .count();
    assert_eq!(count(&r, "status", None, Some("200")), ok_200 as u64);
}

#[test]
fn usage_unreadable_and_nothing_checked() {
    let out = run(&["--fail-under", "101", "x.har"]);
    assert_eq!(out.status.code(), Some(2));
    let missing = tmp("absent.har");
    let out = run(&[missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let empty = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings/empty_export.har");
    let out = run(&[empty]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_human_report_of_known_traffic() {
    let file = known_traffic();
    let out = run(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
