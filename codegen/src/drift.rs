//! What differs between a folder of generated files and what the spec produces: the one
//! comparison behind `cargo xtask gen --check` and the test that holds `generated/` to `spec/`.

use crate::GeneratedFile;
use std::path::Path;

/// What differs between the generated folder and what the spec produces.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Lines describing each difference.
    pub lines: Vec<String>,
}

/// Compares `files` with the `.rs` files of `src_dir`; generated files that no
/// spec produces any more are reported as stale.
pub fn diff(src_dir: &Path, files: &[GeneratedFile], shown_as: &str) -> Diff {
    let mut d = Diff::default();
    for f in files {
        let path = src_dir.join(&f.path);
        match std::fs::read_to_string(&path) {
            Err(_) => d.lines.push(format!(
                "{shown_as}/{}: missing (the spec produces it)",
                f.path
            )),
            Ok(old) if old != f.contents => {
                let (n, want, got) = first_difference(&f.contents, &old);
                d.lines.push(format!(
                    "{shown_as}/{}: differs from the spec's output, first at line {n}:\n    expected: {want}\n    found:    {got}",
                    f.path
                ));
            }
            Ok(_) => {}
        }
    }
    for stale in stale_files(src_dir, files) {
        d.lines.push(format!(
            "{shown_as}/{stale}: stale (generated, but no spec document produces it any more)"
        ));
    }
    d
}

fn first_difference(want: &str, got: &str) -> (usize, String, String) {
    let mut w = want.lines();
    let mut g = got.lines();
    let mut n = 0;
    loop {
        n += 1;
        match (w.next(), g.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => {
                return (
                    n,
                    "(end)".into(),
                    "(end, trailing whitespace differs)".into(),
                )
            }
            (a, b) => {
                return (
                    n,
                    a.map(|s| format!("`{s}`"))
                        .unwrap_or_else(|| "(end of file)".into()),
                    b.map(|s| format!("`{s}`"))
                        .unwrap_or_else(|| "(end of file)".into()),
                )
            }
        }
    }
}

/// `.rs` files directly in `src_dir` that carry the `@generated` notice but are not in `files`.
pub fn stale_files(src_dir: &Path, files: &[GeneratedFile]) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(src_dir) else {
        return out;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || files.iter().any(|f| f.path == name) {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if text.starts_with("// @generated") {
            out.push(name);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_changed_and_stale_files_are_all_reported() {
        let dir = std::env::temp_dir().join(format!("codegen-drift-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = |path: &str, contents: &str| GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        };
        std::fs::write(dir.join("same.rs"), "// @generated\nA\n").unwrap();
        std::fs::write(dir.join("changed.rs"), "// @generated\nold\n").unwrap();
        // A module of a deleted document, and a hand-written file that is left alone.
        std::fs::write(dir.join("deleted_doc.rs"), "// @generated\nX\n").unwrap();
        std::fs::write(dir.join("hand.rs"), "// written by hand\n").unwrap();
        let files = [
            file("same.rs", "// @generated\nA\n"),
            file("changed.rs", "// @generated\nnew\n"),
            file("missing.rs", "// @generated\n"),
        ];
        let d = diff(&dir, &files, "src");
        let text = d.lines.join("\n");
        assert_eq!(d.lines.len(), 3, "{text}");
        assert!(
            text.contains("src/changed.rs: differs") && text.contains("line 2"),
            "{text}"
        );
        assert!(text.contains("src/missing.rs: missing"), "{text}");
        assert!(text.contains("src/deleted_doc.rs: stale"), "{text}");
        assert_eq!(stale_files(&dir, &files), ["deleted_doc.rs"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
