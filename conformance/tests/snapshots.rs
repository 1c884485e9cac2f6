//! One reviewed snapshot of the JSON report per bundled recording.

use conformance::recordings::Source;
use std::path::Path;

#[test]
fn recording_reports() {
    let specs =
        conformance::spec::SpecSet::load(&conformance::default_spec_root()).expect("spec loads");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!(root, "recordings/*.har", |path| {
        let rel = path.strip_prefix(root).expect("inside the package");
        let outcome = conformance::run_check(
            &specs,
            &[Source::File(rel.to_path_buf())],
            None,
            conformance::RunOptions::default(),
        );
        assert!(outcome.unreadable.is_empty(), "{:?}", outcome.unreadable);
        insta::assert_snapshot!(outcome.report.to_json());
    });
}
