//! `cargo xtask import PAGE [--out FILE] [--diff spec/NAME.yaml] [--format human|json]`: the
//! importer (`hwc-jobs-import`, `codegen/import/`), wrapped. Exit 0: a draft (or no drift); 1: drift; 2: the page
//! or the spec could not be read, or the page is not an API reference page.

use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask import PAGE [--out FILE] [--diff spec/NAME.yaml] [--format human|json]";

fn fail(msg: &str) -> ExitCode {
    eprintln!("xtask import: {msg}");
    ExitCode::from(2)
}

pub fn run(args: &[&str]) -> ExitCode {
    let mut page = None;
    let mut out = None;
    let mut spec = None;
    let mut json = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--out" => out = it.next().copied(),
            "--diff" => spec = it.next().copied(),
            "--format" => match it.next().copied() {
                Some("json") => json = true,
                Some("human") => json = false,
                other => {
                    return fail(&format!(
                        "--format {}: expected human or json\n{USAGE}",
                        other.unwrap_or("")
                    ))
                }
            },
            p if page.is_none() && !p.starts_with("--") => page = Some(p),
            other => return fail(&format!("unexpected argument `{other}`\n{USAGE}")),
        }
    }
    let Some(page) = page else {
        return fail(USAGE);
    };
    let text = match std::fs::read(page) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => return fail(&format!("{page}: cannot read: {e}")),
    };
    let imported = match import::import(&text) {
        Ok(i) => i,
        Err(e) => return fail(&format!("{page}: {e}")),
    };
    for n in &imported.notes {
        eprintln!("{page}:{n}");
    }
    let yaml = imported.yaml();
    if let Some(path) = out {
        if let Err(e) = std::fs::write(path, &yaml) {
            return fail(&format!("{path}: cannot write: {e}"));
        }
    }
    let Some(spec_path) = spec else {
        if out.is_none() {
            print!("{yaml}");
        }
        return ExitCode::SUCCESS;
    };
    let spec_text = match std::fs::read_to_string(spec_path) {
        Ok(t) => t,
        Err(e) => return fail(&format!("{spec_path}: cannot read: {e}")),
    };
    let spec_doc = match codegen::load::parse_str(&spec_text, spec_path) {
        Ok(d) => d,
        Err(e) => return fail(&e.to_string()),
    };
    let drift = import::drift::diff(&spec_doc, &imported.draft);
    if json {
        let report = serde_json::json!({"page": page, "spec": spec_path, "drift": drift});
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else if drift.is_empty() {
        println!("no drift: {page} states what {spec_path} states");
    } else {
        println!("drift between {spec_path} and {page}:");
        for d in &drift {
            println!("  {d}");
        }
        println!("{} difference(s)", drift.len());
    }
    if drift.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
