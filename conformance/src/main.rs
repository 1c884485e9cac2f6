//! `conformance`: check recorded or live responses against the spec and the generated models.
//!
//! Exit codes: 0 every checked exchange conforms; 1 at least one does not;
//! 2 usage error or unreadable input; 3 nothing was checked (every exchange skipped, or no
//! input files); 4 (`live`) the call failed: no HTTP answer (DNS, TLS, connection, timeout).

#![forbid(unsafe_code)]

use clap::{Parser, Subcommand, ValueEnum};

mod cli_coverage;
use conformance::live::{self, LiveRequest};
use conformance::recordings::{self, Bare};
use conformance::report::{terminal_safe, Report};
use conformance::spec::SpecSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

// Parsing and validating allocate many small values; mimalloc is measurably faster at that
// than the system allocator (see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "conformance",
    version,
    about = "Check Huawei Cloud job-details responses against the spec and the generated models"
)]
struct Cli {
    /// The folder that holds spec/ (default: the workspace this binary was built in).
    #[arg(long, global = true, value_name = "DIR")]
    spec_root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Default, ValueEnum)]
enum Format {
    #[default]
    Human,
    Json,
    Junit,
}

#[derive(clap::Args, Default)]
struct Output {
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Warnings (undocumented fields…) fail the exchange too.
    #[arg(long)]
    strict: bool,
    /// Make a check an error (repeatable; `conformance rules` lists the checks).
    #[arg(long, value_name = "CHECK")]
    deny: Vec<String>,
    /// Make a check a warning (repeatable).
    #[arg(long, value_name = "CHECK")]
    warn: Vec<String>,
    /// Turn a check off (repeatable).
    #[arg(long, value_name = "CHECK")]
    allow: Vec<String>,
}

/// The rules of a run: defaults, then `conformance.toml` beside `spec/`, then the flags.
fn rules(
    spec_root: &std::path::Path,
    output: &Output,
) -> Result<conformance::rules::Rules, ExitCode> {
    let mut rules = conformance::rules::Rules::default();
    let file = spec_root.join(conformance::rules::CONFIG_FILE);
    if file.exists() {
        rules.apply_file(&file).map_err(|e| usage(&e))?;
    }
    rules
        .apply_flags(&output.deny, &output.warn, &output.allow)
        .map_err(|e| usage(&e))?;
    Ok(rules)
}

#[derive(Subcommand)]
enum Command {
    /// Check HAR files, folders of them, bare JSON bodies (with --operation), or `-` (stdin).
    Check(CheckArgs),
    /// Call the real API (HUAWEICLOUD_SDK_AK/SK, or a token in HWC_AUTH_TOKEN) and check the answer.
    Live(LiveArgs),
    /// List the checks with their levels (defaults, then conformance.toml beside spec/).
    Rules,
    /// Replay recordings over HTTP on 127.0.0.1 (prints the address).
    Serve(ServeArgs),
    /// What the traffic exercised of the spec: operations, statuses, parameters, fields, enum
    /// values, spellings (the same inputs as `check`).
    Coverage(cli_coverage::CoverageArgs),
}

/// What `check` and `coverage` read.
#[derive(clap::Args)]
struct Inputs {
    /// Inputs.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// The operation of bare JSON bodies: `module/operationId`, or the id alone when unique.
    #[arg(long, value_name = "ID")]
    operation: Option<String>,
    /// The status of bare JSON bodies.
    #[arg(long, value_name = "N", default_value_t = 200, requires = "operation")]
    status: u16,
    /// Files read at once (0: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    jobs: usize,
}

impl Inputs {
    /// The operation of bare bodies and the files to read; a usage error exits 2, no file 3.
    fn resolve(
        &self,
        specs: &SpecSet,
    ) -> Result<(Option<Bare>, Vec<recordings::Source>), ExitCode> {
        let bare = match &self.operation {
            Some(name) => match specs.find_operation(name) {
                Ok(at) => Some(Bare {
                    operation: at,
                    status: self.status,
                }),
                Err(e) => return Err(usage(&e)),
            },
            None => None,
        };
        let sources = recordings::expand(&self.paths).map_err(|e| usage(&e))?;
        if sources.is_empty() {
            eprintln!(
                "conformance: nothing was checked: no .har or .json files under the given paths"
            );
            return Err(ExitCode::from(3));
        }
        Ok((bare, sources))
    }
}

/// The arguments of `check`.
#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Verify AK/SK signatures with HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK from the
    /// environment (check `request-signature`).
    #[arg(long)]
    verify_signatures: bool,
    #[command(flatten)]
    output: Output,
}

/// The arguments of `live`.
#[derive(clap::Args)]
struct LiveArgs {
    /// `module/operationId`, or the id alone when unique.
    #[arg(long, value_name = "ID")]
    operation: String,
    /// Project ID.
    #[arg(long)]
    project_id: String,
    /// Job ID.
    #[arg(long)]
    job_id: String,
    /// Any other parameter by wire name: `--param X-Environment-ID=env-1`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Region, to fill the spec's server template.
    #[arg(long, conflicts_with = "endpoint")]
    region: Option<String>,
    /// Base URL (https://…, or http:// to loopback only).
    #[arg(long)]
    endpoint: Option<String>,
    /// Write the exchange to this HAR file (credentials redacted).
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    #[command(flatten)]
    output: Output,
}

/// The arguments of `serve`.
#[derive(clap::Args)]
struct ServeArgs {
    /// Folder of HAR files.
    dir: String,
    /// Port (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Connections served at once; more are answered 503 at once.
    #[arg(long, default_value_t = 64)]
    max_connections: usize,
    /// Seconds a client has to send its request; idle and slow ones get 408.
    #[arg(long, default_value_t = 10)]
    timeout_secs: u64,
}

/// A message on standard error; what came from files, recordings or servers is shown escaped.
fn say(msg: &str) {
    eprintln!("conformance: {}", terminal_safe(msg));
}

fn usage(msg: &str) -> ExitCode {
    say(msg);
    ExitCode::from(2)
}

fn load_specs(root: &std::path::Path) -> Result<SpecSet, ExitCode> {
    SpecSet::load(root).map_err(|e| usage(&format!("cannot load the spec: {e}")))
}

/// 1 when an exchange fails, 3 when none was checked, else 0.
fn verdict_code(report: &Report) -> ExitCode {
    if !report.conforms() {
        ExitCode::from(1)
    } else if report.summary.checked == 0 {
        eprintln!(
            "conformance: nothing was checked ({} entr{} skipped): a run that checks nothing is not a pass",
            report.summary.skipped,
            if report.summary.skipped == 1 { "y" } else { "ies" }
        );
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_report(report: &Report, format: Format) {
    let text = match format {
        Format::Human => report.to_human(std::io::stdout().is_terminal()),
        Format::Json => report.to_json() + "\n",
        Format::Junit => report.to_junit(),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// `conformance rules`.
fn rules_command(spec_root: &std::path::Path) -> ExitCode {
    let rules = match rules(spec_root, &Output::default()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let file = spec_root.join(conformance::rules::CONFIG_FILE);
    println!("{:<24} {:<8} {:<8} what", "check", "level", "default");
    for c in conformance::checks::Check::ALL {
        println!(
            "{:<24} {:<8} {:<8} {}",
            c.name(),
            rules.level(c).name(),
            c.default_level().name(),
            c.what()
        );
    }
    if file.exists() {
        println!("\nlevels read from {}", file.display());
    }
    ExitCode::SUCCESS
}

/// `conformance check`.
fn check_command(spec_root: &std::path::Path, args: CheckArgs) -> ExitCode {
    let CheckArgs {
        inputs,
        verify_signatures,
        output,
    } = args;
    let specs = match load_specs(spec_root) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let signature_keys = if verify_signatures {
        let env = |name: &str| std::env::var(name).ok();
        match conformance::signatures::SignatureKeys::from_lookup(&specs, env) {
            Ok(k) => Some(k),
            Err(e) => return usage(&e),
        }
    } else {
        None
    };
    let rules = match rules(spec_root, &output) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let (bare, sources) = match inputs.resolve(&specs) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let progress = std::io::stderr().is_terminal();
    let options = conformance::RunOptions {
        strict: output.strict,
        rules,
        progress,
        jobs: inputs.jobs,
        signature_keys,
        coverage: false,
    };
    let outcome = conformance::run_check(&specs, &sources, bare, options);
    print_report(&outcome.report, output.format);
    if verify_signatures {
        eprintln!("conformance: --verify-signatures: {}", outcome.signatures);
    }
    if !outcome.unreadable.is_empty() {
        for m in &outcome.unreadable {
            say(m);
        }
        return ExitCode::from(2);
    }
    verdict_code(&outcome.report)
}

/// `conformance live`.
fn live_command(spec_root: &std::path::Path, args: LiveArgs) -> ExitCode {
    let LiveArgs {
        operation,
        project_id,
        job_id,
        params,
        region,
        endpoint,
        record,
        timeout,
        output,
    } = args;
    let specs = match load_specs(spec_root) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let rules = match rules(spec_root, &output) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let at = match specs.find_operation(&operation) {
        Ok(at) => at,
        Err(e) => return usage(&e),
    };
    let credentials = match hwc_jobs::runtime::Credentials::from_env() {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    let mut all = vec![
        ("project_id".to_owned(), project_id),
        ("job_id".to_owned(), job_id),
    ];
    for p in params {
        let Some((k, v)) = p.split_once('=') else {
            return usage(&format!("--param {p}: expected NAME=VALUE"));
        };
        match live::param_name(&specs, at, k) {
            Ok(name) => all.push((name, v.to_owned())),
            Err(e) => return usage(&e),
        }
    }
    let req = LiveRequest {
        operation: at,
        params: all,
        region: region.as_deref(),
        endpoint: endpoint.as_deref(),
        credentials,
        timeout: Duration::from_secs(timeout),
    };
    let (exchange, recorded) = match live::call(&specs, &req) {
        Ok(x) => x,
        Err(e @ live::LiveError::Usage(_)) => return usage(&e.to_string()),
        Err(e @ live::LiveError::Call(_)) => {
            say(&e.to_string());
            return ExitCode::from(4);
        }
    };
    if let Some(path) = record {
        let doc = conformance::record::document(std::slice::from_ref(&recorded));
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text) {
            return usage(&format!(
                "{}: cannot write the recording: {e}",
                path.display()
            ));
        }
    }
    let reports: Vec<_> = conformance::check::check(&specs, &exchange)
        .into_iter()
        .collect();
    let report = Report::new(reports, Vec::new(), output.strict, &rules);
    print_report(&report, output.format);
    verdict_code(&report)
}

/// `conformance serve`.
fn serve_command(args: ServeArgs) -> ExitCode {
    let ServeArgs {
        dir,
        port,
        max_connections,
        timeout_secs,
    } = args;
    if !(1..=10_000).contains(&max_connections) || !(1..=3600).contains(&timeout_secs) {
        return usage("--max-connections must be 1 to 10000, --timeout-secs 1 to 3600");
    }
    let limits = conformance::serve::Limits {
        max_connections,
        timeout: std::time::Duration::from_secs(timeout_secs),
        ..conformance::serve::Limits::default()
    };
    let replay = match conformance::serve::Replay::load(&dir) {
        Ok(r) => Arc::new(r),
        Err(e) => return usage(&e),
    };
    let (listener, addr) = match conformance::serve::bind(port) {
        Ok(x) => x,
        Err(e) => return usage(&format!("cannot listen on 127.0.0.1:{port}: {e}")),
    };
    println!("listening on {addr} ({} routes)", replay.len());
    let _ = std::io::stdout().flush();
    conformance::serve::serve(listener, replay, limits);
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let spec_root = cli
        .spec_root
        .clone()
        .unwrap_or_else(conformance::default_spec_root);
    match cli.command {
        Command::Rules => rules_command(&spec_root),
        Command::Check(args) => check_command(&spec_root, args),
        Command::Live(args) => live_command(&spec_root, args),
        Command::Serve(args) => serve_command(args),
        Command::Coverage(args) => cli_coverage::coverage_command(&spec_root, args),
    }
}
