//! `cargo xtask bench`: generation time and peak memory.
//!
//! Each measurement runs in a child process (`xtask bench-child DIR MODE`) so that
//! its peak resident memory (VmHWM) is its own. The baseline, measured in the same
//! run on the same input, is loading the YAML alone (`load` mode); the full
//! pipeline (`gen` mode) is reported as a ratio to it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const ITERATIONS: usize = 5;

/// Writes a synthetic OpenAPI document with `ops` operations and `2 * ops` schemas.
pub fn synthetic_spec(ops: usize) -> String {
    let schemas = ops * 2;
    let mut s = String::with_capacity(ops * 1200);
    s.push_str("openapi: 3.1.0\ninfo:\n  title: synthetic\n  version: \"1\"\n");
    s.push_str("servers:\n  - url: https://svc.{region}.example.com\n    variables:\n      region:\n        default: r1\n");
    s.push_str("paths:\n");
    for i in 0..ops {
        let _ = write!(
            s,
            "  /v1/{{project_id}}/items{i}/{{item_id}}:
    get:
      operationId: get_item_{i}
      summary: Get item {i}.
      parameters:
        - {{name: project_id, in: path, required: true, schema: {{type: string}}}}
        - {{name: item_id, in: path, required: true, schema: {{type: string}}}}
        - {{name: limit, in: query, schema: {{type: integer}}}}
        - {{name: desc, in: query, schema: {{type: string, enum: [\"true\", \"false\"], x-boolean-string: true}}}}
        - {{name: X-Env, in: header, required: true, schema: {{type: string}}}}
      responses:
        \"200\":
          description: OK
          content:
            application/json:
              schema: {{$ref: \"#/components/schemas/Schema{}\"}}
        default:
          description: Error
          content:
            application/json:
              schema: {{$ref: \"#/components/schemas/Error\"}}
",
            (i * 2) % schemas
        );
    }
    s.push_str("components:\n  schemas:\n");
    s.push_str("    Error:\n      type: object\n      properties:\n        error_code: {type: string}\n        error_msg: {type: string}\n");
    s.push_str("    Status:\n      type: string\n      enum: [SUBMITTED, RUNNING, FAILED, SUCCEEDED, UNKNOWN]\n");
    for i in 0..schemas {
        let _ = write!(
            s,
            "    Schema{i}:
      type: object
      description: Synthetic schema {i}.
      properties:
        name: {{type: string, description: Name., x-aliases: [NAME]}}
        count: {{type: integer}}
        updated_at: {{type: string, format: date-time}}
        status: {{$ref: \"#/components/schemas/Status\"}}
        messages: {{type: string, contentMediaType: application/json}}
        next:
          type: array
          items: {{$ref: \"#/components/schemas/Schema{}\"}}
",
            (i + 1) % schemas
        );
    }
    s
}

/// Child: runs one mode over a folder `ITERATIONS` times; prints `best_ms peak_kib`.
pub fn child(dir: &str, mode: &str) -> ExitCode {
    let dir = Path::new(dir);
    let mut best = f64::MAX;
    let mut first = None;
    for _ in 0..ITERATIONS {
        let start = Instant::now();
        let ok = match mode {
            "load" => codegen::spec_files(dir).map(|files| {
                for f in files {
                    let text = std::fs::read_to_string(&f).unwrap_or_default();
                    let _ = codegen::load::parse_str(&text, "bench");
                }
            }),
            "gen" => {
                codegen::generate_crate_sources(dir, "bench", &codegen::EmitOptions::default())
                    .map(|_| ())
                    .map_err(|e| e.0.into_iter().next().expect("errors are never empty"))
            }
            // `gen` plus the API change report against the baseline folder `<dir>.baseline`
            // (the same documents with one edit), as `cargo xtask gen` computes it.
            "report" => report_mode(dir),
            _ => {
                eprintln!("unknown mode {mode}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = ok {
            eprintln!("bench: {e}");
            return ExitCode::FAILURE;
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        first.get_or_insert(ms);
        best = best.min(ms);
    }
    // The first run is the cold one (for `report`: the baseline is resolved, not yet cached).
    println!(
        "{best:.3} {} {:.3}",
        peak_kib().unwrap_or(0),
        first.unwrap_or(best)
    );
    ExitCode::SUCCESS
}

/// `gen` plus the report, run as `cargo xtask gen` runs them: the baseline is read and resolved
/// on another thread beside the working copy's reading and emission.
fn report_mode(dir: &Path) -> Result<(), codegen::Error> {
    use codegen::surface::report::{compare_with, read_baseline};
    let baseline = DirBaseline(dir.with_extension("baseline"));
    let cache = crate::api_report::cache(dir.with_extension("cache"));
    let same = |file: &str, sha: &str| {
        std::fs::read(dir.join(file)).is_ok_and(|b| codegen::sha256_hex(&b) == sha)
    };
    let (loaded, committed) = std::thread::scope(|scope| {
        let committed = scope.spawn(|| read_baseline(&baseline, &same, cache.as_ref()));
        let loaded = codegen::load_dir(dir, "bench").and_then(|apis| {
            codegen::crate_sources(&apis, "bench", &codegen::EmitOptions::default())
                .map(|f| (apis, f))
        });
        (loaded, committed.join().ok().flatten())
    });
    let (apis, files) =
        loaded.map_err(|e| e.0.into_iter().next().expect("errors are never empty"))?;
    let report = compare_with(&apis, committed.as_deref());
    std::hint::black_box((files, report));
    Ok(())
}

/// A baseline read from a folder (the bench's edited copy of its documents).
struct DirBaseline(PathBuf);

impl codegen::surface::report::Baseline for DirBaseline {
    fn files(&self) -> Option<Vec<String>> {
        let files = codegen::spec_files(&self.0).ok()?;
        Some(
            files
                .iter()
                .filter_map(|f| f.file_name()?.to_str().map(str::to_owned))
                .collect(),
        )
    }

    fn read(&self, file: &str) -> Option<Vec<u8>> {
        std::fs::read(self.0.join(file)).ok()
    }
}

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn measure(dir: &Path, mode: &str) -> Result<(f64, u64, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["bench-child", &dir.display().to_string(), mode])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let ms = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or("bad child output")?;
    let kib = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or("bad child output")?;
    let first = parts.next().and_then(|p| p.parse().ok()).unwrap_or(ms);
    Ok((ms, kib, first))
}

pub fn run() -> ExitCode {
    if cfg!(debug_assertions) {
        // Figures from an unoptimized build mean nothing: run the release build instead.
        eprintln!("xtask bench: building and running the release build of xtask");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "xtask",
                "--",
                "bench",
            ])
            .current_dir(crate::root())
            .status();
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("xtask bench: cannot run cargo: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let tmp = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    let mut cases: Vec<(String, PathBuf)> =
        vec![("spec/ (2 documents)".into(), crate::root().join("spec"))];
    for ops in [250usize, 500, 1000] {
        let dir = tmp.join(format!("ops{ops}"));
        let spec = synthetic_spec(ops);
        // The report's baseline: the same document with one field's type changed.
        let edited = spec.replacen("count: {type: integer}", "count: {type: number}", 1);
        let baseline = dir.with_extension("baseline");
        if let Err(e) = std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(dir.join("synthetic.yaml"), &spec))
            .and_then(|_| std::fs::create_dir_all(&baseline))
            .and_then(|_| std::fs::write(baseline.join("synthetic.yaml"), edited))
        {
            eprintln!("bench: cannot write the synthetic spec: {e}");
            return ExitCode::FAILURE;
        }
        cases.push((
            format!("synthetic: {ops} operations, {} schemas", ops * 2),
            dir,
        ));
    }
    println!("best of {ITERATIONS} runs, each case in its own process; baseline = YAML parsing alone, same input, same run");
    println!("gen+report: generation and the API change report against a baseline with one edit (spec/: there is no baseline folder, so the report only says so);");
    println!("  best run (the baseline's reading cached, as from the second `cargo xtask gen` on), and the first, cold run against gen's first run");
    println!(
        "{:<42} {:>10} {:>10} {:>8} {:>12} {:>14} {:>12} {:>18}",
        "case",
        "load ms",
        "gen ms",
        "gen/load",
        "peak RSS MiB",
        "gen+report ms",
        "report cost",
        "cold report cost"
    );
    let mut per_op = Vec::new();
    for (name, dir) in &cases {
        let load = measure(dir, "load");
        let gen = measure(dir, "gen");
        let report = measure(dir, "report");
        match (load, gen, report) {
            (Ok((lms, _, _)), Ok((gms, kib, gfirst)), Ok((rms, _, cold))) => {
                println!(
                    "{name:<42} {lms:>10.2} {gms:>10.2} {:>7.1}x {:>12.1} {rms:>14.2} {:>+11.1}% {:>+17.1}%",
                    gms / lms,
                    kib as f64 / 1024.0,
                    (rms / gms - 1.0) * 100.0,
                    (cold / gfirst - 1.0) * 100.0
                );
                if let Some(ops) = name
                    .strip_prefix("synthetic: ")
                    .and_then(|s| s.split(' ').next())
                    .and_then(|n| n.parse::<f64>().ok())
                {
                    per_op.push((ops, gms / ops));
                }
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                eprintln!("bench: {name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if let (Some(first), Some(last)) = (per_op.first(), per_op.last()) {
        println!(
            "linearity: {:.3} ms/operation at {} operations, {:.3} ms/operation at {} ({:.2}x)",
            first.1,
            first.0,
            last.1,
            last.0,
            last.1 / first.1
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
    ExitCode::SUCCESS
}
