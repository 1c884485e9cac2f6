//! `conformance coverage`: the command line of [`conformance::coverage`].

use super::{load_specs, say, usage};
use clap::ValueEnum;
use conformance::report::terminal_safe;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Default, ValueEnum)]
pub(crate) enum CoverageFormat {
    #[default]
    Human,
    Json,
}

/// The arguments of `coverage`.
#[derive(clap::Args)]
pub(crate) struct CoverageArgs {
    #[command(flatten)]
    inputs: super::Inputs,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: CoverageFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit 1 when the overall coverage is under PCT percent (default: `fail-under` of the
    /// `[coverage]` table of conformance.toml beside spec/).
    #[arg(long, value_name = "PCT")]
    fail_under: Option<f64>,
}

/// The threshold of a coverage run: the flag, else `[coverage] fail-under` of conformance.toml.
fn fail_under(spec_root: &std::path::Path, flag: Option<f64>) -> Result<Option<f64>, ExitCode> {
    if let Some(pct) = flag {
        if !(0.0..=100.0).contains(&pct) {
            return Err(usage(&format!(
                "--fail-under {pct} is not a percentage (0 to 100)"
            )));
        }
        return Ok(Some(pct));
    }
    let file = spec_root.join(conformance::rules::CONFIG_FILE);
    if !file.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| usage(&format!("{}: cannot read: {e}", file.display())))?;
    conformance::rules::coverage_fail_under(&text)
        .map_err(|e| usage(&format!("{}: {e}", file.display())))
}

/// `conformance coverage`: 0 whatever the traffic's conformance, 1 under the threshold, 2 usage
/// or unreadable input, 3 nothing checked.
pub(crate) fn coverage_command(spec_root: &std::path::Path, args: CoverageArgs) -> ExitCode {
    let specs = match load_specs(spec_root) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let threshold = match fail_under(spec_root, args.fail_under) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let (bare, sources) = match args.inputs.resolve(&specs) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let options = conformance::RunOptions {
        progress: std::io::stderr().is_terminal(),
        jobs: args.inputs.jobs,
        coverage: true,
        ..Default::default()
    };
    let outcome = conformance::run_check(&specs, &sources, bare, options);
    for m in &outcome.unreadable {
        say(m);
    }
    if !outcome.unreadable.is_empty() {
        return ExitCode::from(2);
    }
    if outcome.report.summary.checked == 0 {
        eprintln!("conformance: nothing was checked: a coverage of no traffic is not a coverage");
        return ExitCode::from(3);
    }
    let counts = outcome
        .coverage
        .unwrap_or_else(|| conformance::coverage::Coverage::new(&specs));
    let report = conformance::coverage::CoverageReport::new(&specs, &counts);
    let text = match args.format {
        CoverageFormat::Human => report.to_human(),
        CoverageFormat::Json => report.to_json() + "\n",
    };
    match &args.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                return usage(&format!("{}: cannot write: {e}", path.display()));
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
    match threshold {
        Some(pct) if report.percent < pct => {
            let missing = report.missing();
            say(&format!(
                "coverage {:.1}% is under {pct}%: {} item{} never seen:",
                report.percent,
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            ));
            for m in &missing {
                eprintln!("  {}", terminal_safe(m));
            }
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}
