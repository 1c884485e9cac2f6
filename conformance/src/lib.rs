//! The conformance runner: checks recorded or live responses against the spec's JSON Schemas
//! and against the generated models. The binary (`conformance`) is a thin CLI over this.

#![forbid(unsafe_code)]

pub mod build;
pub mod check;
pub mod checks;
pub mod coverage;
pub mod live;
pub mod model;
pub mod record;
pub mod recordings;
pub mod redact;
pub mod report;
pub mod rules;
pub mod serve;
pub mod signatures;
pub mod spec;
pub mod url;

use recordings::{Bare, Source};
use report::Report;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The workspace root this binary was built in (where `spec/` is).
pub fn default_spec_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// What a `check` run produced.
pub struct Outcome {
    /// The report of everything that could be read.
    pub report: Report,
    /// What `--verify-signatures` found in the exchanges checked.
    pub signatures: signatures::Tally,
    /// Inputs that could not be read, each with a message naming it and why.
    pub unreadable: Vec<String>,
    /// What the exchanges exercised of the spec (`RunOptions::coverage`).
    pub coverage: Option<coverage::Coverage>,
}

type FileResult = Result<
    (
        Vec<check::ExchangeReport>,
        Vec<recordings::Skipped>,
        signatures::Tally,
        Option<coverage::Coverage>,
    ),
    String,
>;

fn check_source(
    specs: &spec::SpecSet,
    source: &Source,
    bare: Option<Bare>,
    keys: Option<&signatures::SignatureKeys>,
    count_coverage: bool,
) -> FileResult {
    let bytes = recordings::read(source)?;
    let contents = recordings::parse_verifying(&source.name(), &bytes, bare, keys)?;
    drop(bytes);
    let mut reports = Vec::new();
    let mut skipped = contents.skipped;
    let entry_index = |source: &str| {
        source
            .rsplit('/')
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let mut tally = signatures::Tally::default();
    let mut cov = count_coverage.then(|| coverage::Coverage::new(specs));
    for ex in &contents.exchanges {
        let mut seen = |at, body: Option<&serde_json::Value>| {
            if let Some(c) = cov.as_mut() {
                c.observe(specs, at, ex, body);
            }
        };
        match check::check_seen(specs, ex, &mut seen) {
            Some(r) => {
                tally.count(ex.signature.as_ref());
                reports.push(r)
            }
            None => skipped.push(recordings::Skipped {
                source: ex.source.clone(),
                reason: format!(
                    "not an operation of the spec: {} {}",
                    ex.method,
                    ex.url.as_deref().unwrap_or("")
                ),
            }),
        }
    }
    skipped.sort_by_key(|s| entry_index(&s.source));
    Ok((reports, skipped, tally, cov))
}

/// The progress bar drawn on a terminal: `[#####...............] 25% 1250/5000 files`.
pub fn progress_line(done: usize, total: usize) -> String {
    const WIDTH: usize = 20;
    let done = done.min(total);
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    format!(
        "[{}{}] {percent:>3}% {done}/{total} files",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled)
    )
}

/// How a `check` run goes.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Warnings fail the exchange too.
    pub strict: bool,
    /// The level of each check.
    pub rules: rules::Rules,
    /// Draw a progress bar on standard error once the run has taken more than a second.
    pub progress: bool,
    /// Files checked at once; 0 means one per core.
    pub jobs: usize,
    /// Verify AK/SK signatures with these keys (`--verify-signatures`).
    pub signature_keys: Option<signatures::SignatureKeys>,
    /// Count what the exchanges exercise of the spec (`conformance coverage`).
    pub coverage: bool,
}

/// Checks every source, files in parallel (one file in memory per worker, one worker per core
/// unless `options.jobs` says otherwise), and returns the report in input order.
pub fn run_check(
    specs: &spec::SpecSet,
    sources: &[Source],
    bare: Option<Bare>,
    options: RunOptions,
) -> Outcome {
    let RunOptions {
        strict,
        rules,
        progress,
        jobs,
        signature_keys,
        coverage: count_coverage,
    } = options;
    let results: Mutex<Vec<Option<FileResult>>> =
        Mutex::new((0..sources.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let workers = if jobs == 0 { cores } else { jobs }.min(sources.len().max(1));
    std::thread::scope(|scope| {
        if progress {
            scope.spawn(|| {
                let start = Instant::now();
                let mut drawn = false;
                while !finished.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if start.elapsed() > Duration::from_secs(1) {
                        drawn = true;
                        let line = progress_line(done.load(Ordering::Relaxed), sources.len());
                        eprint!("\r{line}");
                    }
                }
                if drawn {
                    eprintln!("\r{}", progress_line(sources.len(), sources.len()));
                }
            });
        }
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(source) = sources.get(i) else { break };
                    let r =
                        check_source(specs, source, bare, signature_keys.as_ref(), count_coverage);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                })
            })
            .collect();
        for h in handles {
            let _ = h.join();
        }
        finished.store(true, Ordering::Relaxed);
    });
    let mut exchanges = Vec::new();
    let mut skipped = Vec::new();
    let mut tally = signatures::Tally::default();
    let mut unreadable = Vec::new();
    let mut total = count_coverage.then(|| coverage::Coverage::new(specs));
    for (i, r) in results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        match r {
            Some(Ok((e, s, t, c))) => {
                exchanges.extend(e);
                skipped.extend(s);
                tally.add(&t);
                if let (Some(total), Some(c)) = (total.as_mut(), c) {
                    total.add(&c);
                }
            }
            Some(Err(msg)) => unreadable.push(msg),
            None => unreadable.push(format!(
                "{}: was not checked (internal error)",
                sources[i].name()
            )),
        }
    }
    Outcome {
        report: Report::new(exchanges, skipped, strict, &rules),
        signatures: tally,
        unreadable,
        coverage: total,
    }
}

#[cfg(test)]
mod tests {
    use super::progress_line;

    #[test]
    fn progress_bar() {
        assert_eq!(
            progress_line(0, 5000),
            "[....................]   0% 0/5000 files"
        );
        assert_eq!(
            progress_line(1250, 5000),
            "[#####...............]  25% 1250/5000 files"
        );
        assert_eq!(
            progress_line(5000, 5000),
            "[####################] 100% 5000/5000 files"
        );
        assert_eq!(progress_line(0, 0), "[####################] 100% 0/0 files");
        assert_eq!(
            progress_line(7, 3),
            progress_line(3, 3),
            "never past the end"
        );
    }
}
