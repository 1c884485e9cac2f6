//! Requests Huawei's official Python SDK signed, through `conformance check --verify-signatures`:
//! they verify and every alteration fails; the SDK's ServiceStage v3 and CAE v1 clients against
//! `conformance serve` through a recording proxy; the reviewed capture; recordings that cannot
//! be verified as they are. The oracle is found as in `sdk_oracle.rs` (`HWC_SDK_ORACLE_PYTHON`).

mod oracle;

use hwc_jobs::runtime::{signer, Timestamp};
use hwc_jobs::servicestage;
use oracle::har::*;
use oracle::proxy::*;
use oracle::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};

/// Requests the SDK signed (random ids and query keys, both operations) pass
/// `check --verify-signatures`; every copy altered after signing fails `request-signature`.
#[test]
fn sdk_signed_requests_verify_in_the_runner_and_every_alteration_fails() {
    let Some(python) = oracle() else { return };
    let seed = seed();
    eprintln!("SDK_ORACLE_SEED={seed}");
    let mut rng = Rng::new(seed);
    let mut cases: Vec<Case> = (0..40)
        .map(|_| {
            let mut c = random_case(&mut rng, &["GET"]);
            c.request.body_mut().clear();
            c.ak = TEST_AK.into();
            c.sk = TEST_SK.into();
            c
        })
        .collect();
    // One signed with another key pair, to be reported as not verified.
    cases[0].ak = "ANOTHERACCESSKEY0000".into();
    let answers = ask(
        &python,
        &json!({"mode": "sign", "cases": cases.iter().map(sign_job).collect::<Vec<_>>()}),
    );
    let mut entries = Vec::new();
    let mut expected: Vec<&'static str> = Vec::new();
    for (case, answer) in cases.iter().zip(answers.as_array().unwrap()) {
        let wire = python_wire("GET", answer, b"");
        let origin = format!("https://{}", signer::host_of(case.request.uri()).unwrap());
        let response = if wire.path_and_query.starts_with("/v3/") {
            doc_response("servicestage_doc_example.har")
        } else {
            doc_response("cae_doc_example.har")
        };
        let started = rfc3339(&case.date);
        if case.ak != TEST_AK {
            entries.push(har_entry(&origin, &wire, &started, &response));
            expected.push("another key");
            continue;
        }
        entries.push(har_entry(&origin, &wire, &started, &response));
        expected.push("verified");
        for (what, altered) in alterations(&wire) {
            entries.push(har_entry(&origin, &altered, &started, &response));
            expected.push(what);
        }
        // Valid, but recorded 20 minutes after it was signed.
        let later = Timestamp::new(
            signer::parse_sdk_date(&case.date).unwrap().as_second() + 1200,
            0,
        );
        entries.push(har_entry(
            &origin,
            &wire,
            &later.unwrap().to_string(),
            &response,
        ));
        expected.push("skewed");
    }
    let dir = std::env::temp_dir().join(format!("sdk-oracle-har-{}-{seed}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sdk_signed.har");
    std::fs::write(&file, serde_json::to_vec_pretty(&har(entries)).unwrap()).unwrap();
    let (code, report, stderr) = check_verifying(&file, Some((TEST_AK, TEST_SK)));
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let found = signature_findings(&report);
    for (i, what) in expected.iter().enumerate() {
        let f = found
            .get(&i)
            .unwrap_or_else(|| panic!("entry {i} ({what}) was not checked: {report}"));
        let levels: Vec<&str> = f.iter().map(|f| f["level"].as_str().unwrap()).collect();
        match *what {
            "verified" => assert!(f.is_empty(), "entry {i}: {f:?}"),
            "another key" => {
                assert_eq!(levels, ["note"], "entry {i}: {f:?}");
                assert!(f[0]["message"]
                    .as_str()
                    .unwrap()
                    .contains("another access key"));
            }
            "skewed" => {
                assert_eq!(levels, ["error"], "entry {i}: {f:?}");
                assert!(
                    f[0]["message"]
                        .as_str()
                        .unwrap()
                        .contains("20 minutes before"),
                    "{f:?}"
                );
            }
            altered => assert_eq!(levels, ["error"], "entry {i} ({altered} altered): {f:?}"),
        }
    }
    let text = report.to_string();
    assert!(!text.contains(TEST_SK), "the SK never reaches a report");
    std::fs::remove_dir_all(&dir).ok();
}

/// Without both variables the flag is a usage error naming them.
#[test]
fn verify_signatures_needs_both_variables() {
    let file = recording_dir().join("servicestage_doc_example.har");
    for keys in [None, Some((TEST_AK, ""))] {
        let (code, _, stderr) = check_verifying(&file, keys);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("HUAWEICLOUD_SDK_AK") && stderr.contains("HUAWEICLOUD_SDK_SK"),
            "{stderr}"
        );
    }
}

/// The official SDK's ServiceStage v3 and CAE v1 clients, pointed at `conformance serve`
/// through a recording proxy: they parse what it replays, and their captured traffic passes
/// `check --verify-signatures`; a copy with one signed header changed fails it.
/// `SDK_ORACLE_WRITE_RECORDING=1` writes the capture to `conformance/recordings/` (review it).
#[test]
fn the_sdk_clients_traffic_verifies() {
    use std::io::BufRead as _;
    let Some(python) = oracle() else { return };
    let dir = std::env::temp_dir().join(format!("sdk-oracle-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["servicestage_doc_example.har", "cae_doc_example.har"] {
        std::fs::copy(recording_dir().join(f), dir.join(f)).unwrap();
    }
    let mut serve = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("serve")
        .arg(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(serve.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let upstream = line.split_whitespace().nth(2).unwrap();
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let (port, proxy) = recording_proxy(upstream, 2);
    let endpoint = format!("http://127.0.0.1:{port}");
    let parsed = ask(
        &python,
        &json!({
            "mode": "clients", "endpoint": endpoint, "ak": TEST_AK, "sk": TEST_SK,
            "project_id": "0a1b2c3d4e5f", "servicestage_job_id": "JOB17cb1778-07b1-4c8f-a183-c86cffbe8f9e",
            "cae_project_id": "0a1b2c3d4e5f", "cae_job_id": "5b2c1f0e-job", "environment_id": "env-7d3f",
        }),
    );
    let captured = proxy.join().unwrap();
    serve.kill().ok();
    serve.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
    // Both clients read what `serve` replayed.
    assert_eq!(
        parsed["servicestage"]["execution_status"], "SUCCEEDED",
        "{parsed}"
    );
    assert!(
        parsed["servicestage"]["task_count"].as_u64() > Some(0),
        "{parsed}"
    );
    assert!(parsed["cae"]["status"].is_string(), "{parsed}");
    assert_eq!(captured.len(), 2);
    let started = Timestamp::now().to_string();
    let recording = har_of(&captured, &endpoint, &started);
    let tmp = std::env::temp_dir().join(format!("sdk-oracle-capture-{}.har", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec_pretty(&recording).unwrap()).unwrap();
    let (code, report, stderr) = check_verifying(&tmp, Some((TEST_AK, TEST_SK)));
    assert_eq!(code, 0, "{stderr}\n{report}");
    assert!(
        signature_findings(&report).values().all(Vec::is_empty),
        "{report}"
    );
    assert_eq!(report["summary"]["checked"], 2, "{report}");
    // One signed header changed after signing.
    let mut altered: Vec<Captured> = captured
        .iter()
        .map(|c| Captured {
            request: copy(&c.request),
            status: c.status,
            response_headers: c.response_headers.clone(),
            response_body: c.response_body.clone(),
        })
        .collect();
    edit_header(&mut altered[0].request, "user-agent", |v| {
        format!("{v} changed")
    });
    std::fs::write(
        &tmp,
        serde_json::to_vec_pretty(&har_of(&altered, &endpoint, &started)).unwrap(),
    )
    .unwrap();
    let (code, report, _) = check_verifying(&tmp, Some((TEST_AK, TEST_SK)));
    assert_eq!(code, 1, "{report}");
    let found = signature_findings(&report);
    assert_eq!(found[&0].len(), 1, "{report}");
    assert!(found[&1].is_empty(), "{report}");
    std::fs::remove_file(&tmp).ok();
    if std::env::var_os("SDK_ORACLE_WRITE_RECORDING").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SDK_RECORDING);
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&recording).unwrap() + "\n",
        )
        .unwrap();
        eprintln!("wrote {}", path.display());
    }
}

/// The reviewed capture of the official SDK's clients verifies with the test keys, needs no
/// oracle, and fails once its signature is altered.
#[test]
fn the_reviewed_sdk_recording_verifies() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(SDK_RECORDING);
    let (code, report, stderr) = check_verifying(&file, Some((TEST_AK, TEST_SK)));
    assert_eq!(code, 0, "{stderr}\n{report}");
    // The run says what it verified, so that verifying nothing cannot pass for verifying all.
    assert!(
        stderr.contains("2 signature(s) verified, 0 failed, 0 not verified"),
        "{stderr}"
    );
    let found = signature_findings(&report);
    assert_eq!(found.len(), 2, "{report}");
    assert!(found.values().all(Vec::is_empty), "{report}");
    let text = std::fs::read_to_string(&file).unwrap();
    let i = text
        .find("Signature=")
        .expect("the recording keeps its signatures")
        + 10;
    let flipped = if &text[i..=i] == "0" { "1" } else { "0" };
    let altered = format!("{}{flipped}{}", &text[..i], &text[i + 1..]);
    let tmp =
        std::env::temp_dir().join(format!("sdk-recording-altered-{}.har", std::process::id()));
    std::fs::write(&tmp, altered).unwrap();
    let (code, report, _) = check_verifying(&tmp, Some((TEST_AK, TEST_SK)));
    std::fs::remove_file(&tmp).ok();
    assert_eq!(code, 1, "{report}");
    assert_eq!(signature_findings(&report)[&0].len(), 1, "{report}");
    // Another SK: every signature fails.
    let (code, _, _) = check_verifying(&file, Some((TEST_AK, "another-sk")));
    assert_eq!(code, 1);
}

/// A request to the ServiceStage operation signed by our signer with the test keys.
fn signed_by_us(extra: &[(&str, &str)], body: &[u8], token: Option<&str>) -> Wire {
    let mut r = servicestage::GetJobDetailsRequest::new("0a1b2c3d4e5f", "JOB1")
        .build("https://servicestage.cn-north-4.myhuaweicloud.com")
        .unwrap();
    for (n, v) in extra {
        r.headers_mut().insert(
            http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    *r.body_mut() = body.to_vec();
    signer::sign(
        &mut r,
        &scheme(),
        TEST_AK,
        TEST_SK,
        token,
        "20261207T120000Z",
    )
    .unwrap();
    Wire::of(&r)
}

/// The review's cases (recordings the author did not write it for): each gets the verdict that
/// says what happened, and no credential reaches any report format.
#[test]
fn recordings_that_cannot_be_verified_as_they_are_say_why() {
    let origin = "https://servicestage.cn-north-4.myhuaweicloud.com";
    let response = doc_response("servicestage_doc_example.har");
    let started = "2026-12-07T12:00:05Z";
    let mut entries = Vec::new();
    let mut expected: Vec<(&str, &str)> = Vec::new();
    // A signed header whose value holds a blank line, with a signed security token.
    let mut w = signed_by_us(&[("X-A", "v")], b"", Some("SECTOKEN-1234"));
    edit_header(&mut w, "x-a", |_| "v\n\nz".into());
    entries.push(har_entry(origin, &w, started, &response));
    expected.push(("error", "line break"));
    // An unreadable startedDateTime: verified, the date not compared.
    let w = signed_by_us(&[], b"", None);
    entries.push(har_entry(origin, &w, "2026-12-07T12:00:05", &response));
    expected.push(("note", "not compared"));
    // The signed security token redacted by whoever exported the recording.
    let mut w = signed_by_us(&[], b"", Some("SECTOKEN-5678"));
    edit_header(&mut w, "x-security-token", |_| "[REDACTED]".into());
    entries.push(har_entry(origin, &w, started, &response));
    expected.push(("note", "`x-security-token` was redacted"));
    // The algorithm in lower case.
    let mut w = signed_by_us(&[], b"", None);
    edit_header(&mut w, "authorization", |v| {
        v.replacen("SDK-HMAC-SHA256", "sdk-hmac-sha256", 1)
    });
    entries.push(har_entry(origin, &w, started, &response));
    expected.push(("error", "is written `SDK-HMAC-SHA256`"));
    // HTTP/2: `:authority` instead of `Host`; verifies.
    let mut w = signed_by_us(&[], b"", None);
    w.headers
        .iter_mut()
        .filter(|(n, _)| n == "host")
        .for_each(|(n, _)| *n = ":authority".into());
    entries.push(har_entry(origin, &w, started, &response));
    expected.push(("none", ""));
    // A JSON body recorded base64-encoded (as some exporters do) verifies.
    let w = signed_by_us(&[("Content-Type", "application/json")], b"{\"a\":1}", None);
    let mut entry = har_entry(origin, &w, started, &response);
    entry["request"]["postData"]["text"] = Value::from(b64(b"{\"a\":1}"));
    entry["request"]["postData"]["encoding"] = Value::from("base64");
    entries.push(entry);
    expected.push(("none", ""));
    // A body recorded as form params only: not verified, not a mismatch.
    let w = signed_by_us(&[("Content-Type", "application/json")], b"{\"a\":1}", None);
    let mut entry = har_entry(origin, &w, started, &response);
    entry["request"]["postData"] =
        json!({"mimeType": "application/json", "params": [{"name": "a", "value": "1"}]});
    entries.push(entry);
    expected.push(("note", "postData.params"));
    // A first Authorization that is no signature, then the real one: verified, and the same
    // with the signature altered fails (so it was verified, not passed over).
    for (altered, want) in [(false, ("none", "")), (true, ("error", "does not match"))] {
        let mut w = signed_by_us(&[], b"", None);
        if altered {
            edit_header(&mut w, "authorization", |v| {
                v.replace("Signature=", "Signature=0")
            });
        }
        w.headers
            .insert(0, ("Authorization".into(), "Basic dXNlcjpwYXNz".into()));
        entries.push(har_entry(origin, &w, started, &response));
        expected.push(want);
    }
    let file = std::env::temp_dir().join(format!("sdk-review-cases-{}.har", std::process::id()));
    std::fs::write(&file, serde_json::to_vec_pretty(&har(entries)).unwrap()).unwrap();
    let (code, report, stderr) = check_verifying(&file, Some((TEST_AK, TEST_SK)));
    assert!(code == 0 || code == 1, "{stderr}");
    let found = signature_findings(&report);
    for (i, (level, text)) in expected.iter().enumerate() {
        let f = &found[&i];
        if *level == "none" {
            assert!(f.is_empty(), "entry {i}: {f:?}");
        } else {
            assert_eq!(f.len(), 1, "entry {i}: {f:?}");
            assert_eq!(f[0]["level"], *level, "entry {i}: {f:?}");
            let message = f[0]["message"].as_str().unwrap();
            assert!(message.contains(text), "entry {i}: {message}");
        }
    }
    // No format leaks the tokens, the SK or a signature.
    for format in ["human", "json", "junit"] {
        let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
            .args(["check", "--verify-signatures", "--format", format])
            .arg(&file)
            .env("HUAWEICLOUD_SDK_AK", TEST_AK)
            .env("HUAWEICLOUD_SDK_SK", TEST_SK)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for secret in ["SECTOKEN-1234", "SECTOKEN-5678", TEST_SK, "Signature="] {
            assert!(!all.contains(secret), "{format} shows {secret}:\n{all}");
        }
    }
    std::fs::remove_file(&file).ok();
}
