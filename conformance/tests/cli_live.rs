//! The `conformance` binary's `live` and `serve` as a user runs them, and credentials that never
//! reach any output.

mod cli_support;

use cli_support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

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
