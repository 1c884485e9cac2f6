//! "Never a panic, whatever the input": every bundled recording, mutated many ways — each value
//! of the response body swapped for values of other types, keys dropped and doubled, the body
//! and the HAR cut short or with bytes flipped — is read and checked in-process, and every report
//! format is rendered. Deterministic (a fixed-seed generator), so a failure names its mutation.

use conformance::check::{self, Verdict};
use conformance::recordings;
use conformance::report::Report;
use conformance::spec::SpecSet;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use test_support::Rng;

/// Values of every JSON type, including awkward ones.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(4.5),
        json!(1e308),
        json!(u64::MAX),
        json!(""),
        json!("RUNNING"),
        json!("2024-02-30T25:61:61Z"),
        json!("2024-06-06T15:55:31.1234567891Z"),
        json!("{\"not\": \"closed\""),
        json!("\u{0}\u{202e}é漢🙂"),
        json!([]),
        json!([null, 1, "x"]),
        json!({}),
        json!({"a": {"b": [1, {"c": null}]}}),
    ]
}

/// Every pointer in `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Structural mutations of a parsed body, each with a description.
fn body_mutations(body: &Value, rng: &mut Rng) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut ptrs = Vec::new();
    pointers(body, String::new(), &mut ptrs);
    for p in &ptrs {
        for r in replacements() {
            let mut b = body.clone();
            if let Some(slot) = b.pointer_mut(p) {
                *slot = r.clone();
            }
            out.push((format!("{p} := {r}"), b.to_string()));
        }
        // Drop the key, and double it with the UPPERCASE spelling (text-level, so both stay).
        if let Some((parent, key)) = p.rsplit_once('/') {
            let mut b = body.clone();
            let value = match b.pointer_mut(parent) {
                Some(Value::Object(m)) => m.remove(key),
                _ => None,
            };
            if let Some(value) = value {
                out.push((format!("{p} removed"), b.to_string()));
                if let Some(Value::Object(m)) = b.pointer_mut(parent) {
                    m.insert(key.to_uppercase(), value.clone());
                }
                let dup = format!("\"{key}\":{value},");
                let doubled = b
                    .to_string()
                    .replacen('{', &format!("{{{dup}"), 1 + rng.below(2));
                out.push((format!("{p} doubled"), doubled));
            }
        }
    }
    out
}

/// Byte-level mutations of a text: cut short, bytes flipped, a non-UTF-8 byte put in.
fn byte_mutations(text: &[u8], rng: &mut Rng, n: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for _ in 0..n {
        let at = rng.below(text.len());
        out.push((format!("cut at {at}"), text[..at].to_vec()));
        let mut flipped = text.to_vec();
        if !flipped.is_empty() {
            flipped[at] ^= 1 << rng.below(8);
        }
        out.push((format!("bit flipped at {at}"), flipped));
        let mut invalid = text.to_vec();
        invalid.insert(at, 0xff);
        out.push((format!("0xff inserted at {at}"), invalid));
    }
    out
}

/// Reads and checks one mutated HAR, renders every format; a panic fails the test.
fn run(specs: &SpecSet, name: &str, bytes: &[u8]) -> usize {
    let Ok(contents) = recordings::parse(name, bytes, None) else {
        return 0;
    };
    let mut reports = Vec::new();
    for ex in &contents.exchanges {
        if let Some(r) = check::check(specs, ex) {
            reports.push(r);
        }
    }
    let failed = reports
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .count();
    let report = Report::new(
        reports,
        contents.skipped,
        false,
        &conformance::rules::Rules::default(),
    );
    let (checked, skipped) = (report.exchanges.len(), report.skipped.len());
    // Every format says what happened to every exchange, however broken the input.
    let json: Value = serde_json::from_str(&report.to_json())
        .unwrap_or_else(|e| panic!("{name}: the JSON report does not parse: {e}"));
    assert_eq!(json["summary"]["checked"], checked, "{name}");
    assert_eq!(json["summary"]["failed"], failed, "{name}");
    assert_eq!(
        json["exchanges"].as_array().map(Vec::len),
        Some(checked),
        "{name}"
    );
    assert_eq!(
        json["skipped"].as_array().map(Vec::len),
        Some(skipped),
        "{name}"
    );
    let human = report.to_human(false);
    let verdict_lines = human
        .lines()
        .filter(|l| l.starts_with("PASS ") || l.starts_with("FAIL "))
        .count();
    assert_eq!(verdict_lines, checked, "{name}: {human}");
    assert_eq!(
        junit_cases(name, &report.to_junit()),
        checked + skipped,
        "{name}"
    );
    failed
}

/// The `<testcase>` elements of a JUnit report, which must be well-formed XML.
fn junit_cases(name: &str, xml: &str) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return cases,
            Ok(Event::Start(e) | Event::Empty(e)) if e.name().as_ref() == b"testcase" => cases += 1,
            Ok(_) => {}
            Err(e) => panic!("{name}: the JUnit report is not well-formed: {e}\n{xml}"),
        }
    }
}

#[test]
fn mutated_recordings_never_panic() {
    let specs = SpecSet::load(&conformance::default_spec_root()).expect("spec loads");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("recordings")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut rng = Rng::new(test_support::seed_or(
        "MUTATIONS_SEED",
        0x9e37_79b9_7f4a_7c15,
    ));
    let (mut cases, mut failing) = (0usize, 0usize);
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let har_text = std::fs::read(file).expect("read");
        let har: Value = serde_json::from_slice(&har_text).expect("recordings are JSON");
        let entries = har["log"]["entries"].as_array().expect("entries").len();
        for e in 0..entries {
            let text_ptr = format!("/log/entries/{e}/response/content/text");
            let Some(body_text) = har.pointer(&text_ptr).and_then(Value::as_str) else {
                continue;
            };
            let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
            if let Ok(body) = serde_json::from_str::<Value>(body_text) {
                for (what, text) in body_mutations(&body, &mut rng) {
                    variants.push((what, text.into_bytes()));
                }
            }
            variants.extend(byte_mutations(body_text.as_bytes(), &mut rng, 10));
            for (what, body) in variants {
                let mut h = har.clone();
                *h.pointer_mut(&text_ptr).unwrap() =
                    Value::String(String::from_utf8_lossy(&body).into_owned());
                let bytes = serde_json::to_vec(&h).unwrap();
                let label = format!("{name} entry {e}: {what}");
                let outcome = catch_unwind(AssertUnwindSafe(|| run(&specs, &label, &bytes)));
                match outcome {
                    Ok(f) => failing += f,
                    Err(_) => panic!("panicked on {label}"),
                }
                cases += 1;
            }
        }
        // The HAR file itself, cut short and with bytes flipped.
        for (what, bytes) in byte_mutations(&har_text, &mut rng, 20) {
            let label = format!("{name}: {what}");
            if catch_unwind(AssertUnwindSafe(|| run(&specs, &label, &bytes))).is_err() {
                panic!("panicked on {label}");
            }
            cases += 1;
        }
    }
    eprintln!("{cases} mutated inputs, {failing} failing exchanges");
    // The mutations really reach the checks: many of them make an exchange fail.
    assert!(cases > 5_000, "{cases} cases");
    assert!(failing > cases / 4, "{failing} failing of {cases}");
}
