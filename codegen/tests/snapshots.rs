//! Snapshots of the generator: one per construct fixture, one per broken spec.

use std::path::Path;

fn module_for(path: &Path) -> String {
    let name = format!(
        "fixtures/ok/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let api =
        codegen::load_api(path, &name).unwrap_or_else(|e| panic!("{name} should resolve:\n{e}"));
    codegen::emit::module_source(&api, &codegen::EmitOptions::default()).expect("emits")
}

#[test]
fn constructs() {
    insta::glob!("fixtures/ok/*.yaml", |path| {
        insta::assert_snapshot!(module_for(path));
    });
}

#[test]
fn broken_specs_name_file_and_place() {
    insta::glob!("fixtures/errors/*.yaml", |path| {
        let name = format!(
            "fixtures/errors/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let errors = codegen::load_api(path, &name).expect_err("a broken spec must be refused");
        for e in &errors.0 {
            assert_eq!(e.file, name, "every error names the file");
            assert_ne!(
                e.location,
                codegen::Location::File,
                "every error names a place: {e}"
            );
        }
        insta::assert_snapshot!(errors.to_string());
    });
}

#[test]
fn output_is_deterministic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let opts = codegen::EmitOptions::default();
    let a = codegen::generate_crate_sources(&dir, "spec", &opts).unwrap();
    let b = codegen::generate_crate_sources(&dir, "spec", &opts).unwrap();
    assert_eq!(a, b);
    for f in &a {
        assert!(
            f.contents.starts_with("// @generated"),
            "{} lacks the notice",
            f.path
        );
        // What comes from the spec names its hash; the runtime file the generator copies names
        // where it comes from.
        let source = if f.path.starts_with("runtime/") {
            "from codegen/src/"
        } else {
            "sha256 "
        };
        assert!(f.contents.contains(source), "{} lacks {source:?}", f.path);
    }
}

#[test]
fn unreadable_and_non_utf8_files_are_errors_not_panics() {
    let missing = codegen::load_api(Path::new("/nonexistent/x.yaml"), "x.yaml").unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("error: x.yaml: cannot read the file"),
        "{missing}"
    );
    let bad = codegen::api_from_bytes(b"openapi: \xff\xfe", "bin.yaml", "bin").unwrap_err();
    assert!(
        bad.to_string().contains("bin.yaml: the file is not UTF-8"),
        "{bad}"
    );
    let scalar = codegen::api_from_bytes(b"42", "scalar.yaml", "scalar").unwrap_err();
    assert!(
        scalar
            .to_string()
            .contains("scalar.yaml#/: the document must be a mapping"),
        "{scalar}"
    );
}

#[test]
fn adding_a_document_adds_a_module() {
    let tmp = std::env::temp_dir().join(format!("codegen-add-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for f in codegen::spec_files(&spec).unwrap() {
        std::fs::copy(&f, tmp.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok/aliases.yaml"),
        tmp.join("newservice.yaml"),
    )
    .unwrap();
    let before =
        codegen::generate_crate_sources(&spec, "spec", &codegen::EmitOptions::default()).unwrap();
    let files =
        codegen::generate_crate_sources(&tmp, "spec", &codegen::EmitOptions::default()).unwrap();
    // One file more than for spec/ as it is, whatever spec/ holds: the new module, in order.
    let mut expected: Vec<&str> = before.iter().map(|f| f.path.as_str()).collect();
    let at = expected
        .iter()
        .position(|p| p.starts_with("runtime/") || (*p != "lib.rs" && *p > "newservice.rs"))
        .unwrap_or(expected.len());
    expected.insert(at, "newservice.rs");
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, expected);
    assert!(files[0].contents.contains("pub mod newservice;"));
    assert!(!before[0].contents.contains("pub mod newservice;"));
    let module = &files[names.iter().position(|n| *n == "newservice.rs").unwrap()];
    assert!(
        module.contents.contains("source: spec/newservice.yaml"),
        "{}",
        module.contents
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    // A document large enough to be split over threads.
    let mut yaml = String::from("openapi: 3.1.0\ninfo: {title: big, version: '1'}\npaths:\n");
    for i in 0..40 {
        yaml.push_str(&format!(
            "  /r{i}/{{id}}:\n    get:\n      operationId: get_r{i}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200': {{description: OK, content: {{application/json: {{schema: {{$ref: '#/components/schemas/S{i}'}}}}}}}}\n"
        ));
    }
    yaml.push_str("components:\n  schemas:\n");
    for i in 0..40 {
        yaml.push_str(&format!("    S{i}:\n      type: object\n      properties:\n        a: {{type: string, x-aliases: [A]}}\n"));
    }
    let api = codegen::api_from_bytes(yaml.as_bytes(), "big.yaml", "big").unwrap();
    let one = codegen::emit::module_source(
        &api,
        &codegen::EmitOptions {
            threads: 1,
            ..Default::default()
        },
    )
    .unwrap();
    for threads in [2, 3, 7] {
        let many = codegen::emit::module_source(
            &api,
            &codegen::EmitOptions {
                threads,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(one, many, "{threads} threads");
    }
    assert!(one.matches("pub struct GetR").count() == 40);
}
