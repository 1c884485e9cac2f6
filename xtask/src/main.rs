//! Project tasks: `cargo xtask gen [--check]`, `bench`, `vendor-check`, `import PAGE`.

#![forbid(unsafe_code)]

mod api_report;
mod bench;
mod gen;
mod import;
mod vendor;

use std::path::PathBuf;

// The generator allocates many small token trees; mimalloc roughly halves the time spent in the
// allocator (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  gen [--format human|json|markdown]
                 regenerate generated/src from every OpenAPI document in spec/, then report
                 what changed in the generated public API against the spec at git HEAD
  gen --check    write nothing; exit 1 with a summary if generated/ differs from spec/
                 (the same API change report follows)
  bench          measure generation time and peak memory (spec/ and a synthetic spec)
  vendor-check   copy generated/ out of the workspace, build it alone, count its dependencies
  import PAGE [--out FILE] [--diff spec/NAME.yaml] [--format human|json]
                 a Huawei API reference page (text) → an OpenAPI 3.1 draft; --diff: its drift
                 against a spec document (exit 0 none, 1 drift, 2 unreadable)";

/// `gen [--check] [--format F]`, in any order.
fn gen_args(args: &[&str]) -> ExitCode {
    let mut check = false;
    let mut format = api_report::Format::Human;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--check" => check = true,
            "--format" => match rest.next().and_then(|f| api_report::Format::parse(f)) {
                Some(f) => format = f,
                None => {
                    eprintln!("--format takes human, json or markdown\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    gen::run(check, format)
}

/// The workspace root.
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["gen", rest @ ..] => gen_args(rest),
        ["bench"] => bench::run(),
        ["vendor-check"] => vendor::run(),
        ["import", rest @ ..] => import::run(rest),
        ["bench-child", dir, mode] => bench::child(dir, mode),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
