//! `cargo bench -p conformance`: checking throughput against parse-only throughput.
//!
//! 20,000 synthetic ServiceStage job-details bodies of 1–50 tasks each are made here. In the
//! same run, on one core, the same bytes are (a) parsed into `serde_json::Value` (the baseline)
//! and (b) fully checked (parse, alias walk, JSON Schema validation with formats, generated-model
//! round-trip and re-validation). Then a folder of 5,000 of them, one file each, is checked with
//! the directory runner, with one worker and with one per core.
//!
//! `CONFORMANCE_BENCH_ONLY=setup|parse|check` runs one phase alone over 1,000 bodies (or
//! `CONFORMANCE_BENCH_BODIES`), for counting instructions under callgrind (docs/benchmarks.md).

use conformance::recordings::{Exchange, Source};
use conformance::spec::SpecSet;
use std::time::Instant;

// The same allocator as the `conformance` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BODIES: usize = 20_000;
const FILES: usize = 5_000;

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() as usize) % list.len()]
    }
}

fn body(rng: &mut Lcg) -> Vec<u8> {
    const STATES: &[&str] = &[
        "SUBMITTED",
        "RUNNING",
        "SUCCEEDED",
        "FAILED",
        "SKIPPED",
        "ROLLBACKED",
    ];
    let n = 1 + (rng.next() % 50) as usize;
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let frac = rng.next() % 1000;
        tasks.push(format!(
            r#"{{"task_id":"Task-{:08x}-0b04-4f4b-b669-0bad38fcdd97","task_index":{i},"task_name":"VMAPP_STEP_{i:03}","task_status":"{}","created_at":"2024-06-06T15:55:31.{frac:03}Z","update_at":"2024-06-06T15:56:{:02}.36Z","messages":"{{}}"}}"#,
            rng.next(),
            rng.pick(STATES),
            rng.next() % 60
        ));
    }
    format!(
        r#"{{"job":{{"execution_status":"{}","job_id":"JOB{:08x}-07b1-4c8f-a183-c86cffbe8f9e","job_type":"PROVISION"}},"tasks":[{}],"task_count":{n}}}"#,
        rng.pick(&["RUNNING", "SUCCEEDED", "FAILED"]),
        rng.next(),
        tasks.join(",")
    )
    .into_bytes()
}

/// The folder runner on the first [`FILES`] bodies, one file each: the best of three runs with
/// one worker and with one per core — (seconds with one, seconds with all, bytes).
fn folder_runs(specs: &SpecSet, bodies: &[Vec<u8>], op: (usize, usize)) -> (f64, f64, usize) {
    // A folder, one file per body, all cores.
    let dir = std::env::temp_dir().join(format!("conformance-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    let mut file_bytes = 0usize;
    for (i, b) in bodies.iter().take(FILES).enumerate() {
        let p = dir.join(format!("{i:05}.json"));
        std::fs::write(&p, b).expect("write");
        file_bytes += b.len();
        files.push(Source::File(p));
    }
    let bare = Some(conformance::recordings::Bare {
        operation: op,
        status: 200,
    });
    // One worker, then one per core, three times over; the best of each (the folder is in the
    // page cache after the first pass, so this measures checking plus per-file work).
    let mut one_s = f64::INFINITY;
    let mut all_s = f64::INFINITY;
    for _ in 0..3 {
        for jobs in [1, 0] {
            let options = conformance::RunOptions {
                jobs,
                ..conformance::RunOptions::default()
            };
            let t = Instant::now();
            let outcome = conformance::run_check(specs, &files, bare, options);
            let s = t.elapsed().as_secs_f64();
            assert_eq!(outcome.report.summary.passed, FILES);
            if jobs == 1 {
                one_s = one_s.min(s);
            } else {
                all_s = all_s.min(s);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    (one_s, all_s, file_bytes)
}

/// Parse only, check, and check with coverage, interleaved over 10 slices of the corpus: the
/// parse and check times, the parse/check ratio and the (check + coverage)/check ratio per
/// slice.
fn slices(
    specs: &SpecSet,
    bodies: &[Vec<u8>],
    exchanges: &[Exchange],
) -> (f64, f64, Vec<f64>, Vec<f64>) {
    let mut parse_s = 0.0;
    let mut check_s = 0.0;
    let mut ratios = Vec::new();
    // `conformance coverage`'s cost: the same check with the coverage counted, in the same
    // slices (ratio to the check alone).
    let mut coverage = conformance::coverage::Coverage::new(specs);
    let mut coverage_ratios = Vec::new();
    for slice in 0..10 {
        let range = slice * BODIES / 10..(slice + 1) * BODIES / 10;
        let t = Instant::now();
        let mut parsed = 0usize;
        for b in &bodies[range.clone()] {
            let v: serde_json::Value = serde_json::from_slice(b).expect("valid");
            parsed += usize::from(v.is_object());
        }
        let p = t.elapsed().as_secs_f64();
        assert_eq!(parsed, range.len());
        let t = Instant::now();
        let mut passed = 0usize;
        for ex in &exchanges[range.clone()] {
            let r = conformance::check::check(specs, ex).expect("checked");
            passed += usize::from(r.verdict == conformance::check::Verdict::Pass);
        }
        let c = t.elapsed().as_secs_f64();
        assert_eq!(passed, range.len(), "every synthetic body conforms");
        let t = Instant::now();
        for ex in &exchanges[range.clone()] {
            let mut seen = |at, body: Option<&serde_json::Value>| {
                coverage.observe(specs, at, ex, body);
            };
            conformance::check::check_seen(specs, ex, &mut seen).expect("checked");
        }
        coverage_ratios.push(t.elapsed().as_secs_f64() / c);
        parse_s += p;
        check_s += c;
        ratios.push(p / c);
    }
    assert_eq!(coverage.exchanges, BODIES as u64);
    (parse_s, check_s, ratios, coverage_ratios)
}

fn main() {
    let specs = SpecSet::load(&conformance::default_spec_root()).expect("spec loads");
    let op = specs
        .find_operation("servicestage/get_job_details")
        .expect("operation");
    let only = std::env::var("CONFORMANCE_BENCH_ONLY").ok();
    let n = match &only {
        Some(_) => std::env::var("CONFORMANCE_BENCH_BODIES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_000),
        None => BODIES,
    };
    let mut rng = Lcg(42);
    let bodies: Vec<Vec<u8>> = (0..n).map(|_| body(&mut rng)).collect();
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let mb = bytes as f64 / 1e6;

    // Baseline (parse only) and full check, interleaved: the corpus is cut into 10 slices, and
    // each slice is parsed and then checked, so both see the same machine state; the ratio
    // reported is the median of the 10 slices' ratios (this VM's speed drifts by ±30% over a
    // few seconds, which separate phases would pick up as a false difference).
    let exchanges: Vec<Exchange> = bodies
        .iter()
        .map(|b| Exchange {
            source: "bench".into(),
            status: 200,
            content_type: Some("application/json".into()),
            body: b.clone(),
            forced_operation: Some(op),
            request_body: None,
            ..Exchange::default()
        })
        .collect();
    if let Some(only) = only {
        // One phase alone, for an instruction count under callgrind (see docs/benchmarks.md):
        // `setup` is the cost of everything above, to subtract from the other two.
        let mut done = 0usize;
        match only.as_str() {
            "parse" => {
                for b in &bodies {
                    let v: serde_json::Value = serde_json::from_slice(b).expect("valid");
                    done += usize::from(v.is_object());
                }
            }
            "check" => {
                for ex in &exchanges {
                    let r = conformance::check::check(&specs, ex).expect("checked");
                    done += usize::from(r.verdict == conformance::check::Verdict::Pass);
                }
            }
            _ => done = n,
        }
        assert_eq!(done, n);
        println!("{only}: {n} bodies");
        return;
    }
    let (parse_s, check_s, mut ratios, mut coverage_ratios) = slices(&specs, &bodies, &exchanges);
    ratios.sort_by(|a, b| a.total_cmp(b));
    let median = (ratios[4] + ratios[5]) / 2.0;
    coverage_ratios.sort_by(|a, b| a.total_cmp(b));
    let coverage_median = (coverage_ratios[4] + coverage_ratios[5]) / 2.0;

    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let (one_s, all_s, file_bytes) = folder_runs(&specs, &bodies, op);

    println!("corpus: {BODIES} bodies, {mb:.1} MB, 1–50 tasks each");
    println!(
        "parse only (serde_json::Value), 1 core: {:>9.0} bodies/s {:>7.1} MB/s",
        BODIES as f64 / parse_s,
        mb / parse_s
    );
    println!(
        "full check, 1 core:                     {:>9.0} bodies/s {:>7.1} MB/s  = {:.2}x parse-only (median of 10 interleaved slices; range {:.2}x–{:.2}x)",
        BODIES as f64 / check_s,
        mb / check_s,
        median,
        ratios[0],
        ratios[9]
    );
    println!(
        "check + coverage counted, 1 core:       = {:.2}x the check alone (median of the same 10 slices; range {:.2}x–{:.2}x)",
        coverage_median, coverage_ratios[0], coverage_ratios[9]
    );
    let file_mb = file_bytes as f64 / 1e6;
    println!(
        "folder of {FILES} files, 1 worker:         {:>9.0} bodies/s {:>7.1} MB/s",
        FILES as f64 / one_s,
        file_mb / one_s,
    );
    println!(
        "folder of {FILES} files, {cores} workers:        {:>9.0} bodies/s {:>7.1} MB/s  = {:.2}x one worker",
        FILES as f64 / all_s,
        file_mb / all_s,
        one_s / all_s
    );
}
