//! `cargo xtask import`: the two doc pages the spec documents come from (`spec/pages/`, copies
//! of `../shared/seeds/`) import into drafts that hold what `spec/` states from them, with no
//! drift either way; the drafts load and generate; drift is found when there is some.

use codegen::import::{self, drift, NoteKind};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(workspace().join(rel)).unwrap()
}

fn spec(name: &str) -> Value {
    codegen::load::parse_str(&read(&format!("spec/{name}.yaml")), name).unwrap()
}

const PAGES: &[(&str, &str)] = &[
    ("cae", "000_52b5c72ae922b842.txt"),
    ("servicestage", "002_daec54cab6d2fcc1.txt"),
];

#[test]
fn the_pages_in_spec_are_the_seed_pages() {
    let seeds = workspace().join("../shared/seeds");
    if !seeds.exists() {
        eprintln!("../shared/seeds is not here: nothing to compare");
        return;
    }
    for (name, seed) in PAGES {
        assert_eq!(
            read(&format!("spec/pages/{name}.txt")),
            std::fs::read_to_string(seeds.join(seed)).unwrap(),
            "spec/pages/{name}.txt differs from the seed {seed}"
        );
    }
}

#[test]
fn seed_pages_import_with_no_drift_and_generate() {
    for (name, _) in PAGES {
        let imported = import::import(&read(&format!("spec/pages/{name}.txt"))).unwrap();
        let unplaced: Vec<String> = imported
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Unplaced)
            .map(ToString::to_string)
            .collect();
        assert!(unplaced.is_empty(), "{name}: {unplaced:#?}");
        let d = drift::diff(&spec(name), &imported.draft);
        assert!(d.is_empty(), "{name}: {d:#?}");
        // The YAML reads back as the draft, and the generator takes it.
        let yaml = imported.yaml();
        let back: Value = serde_saphyr::from_str(&yaml).unwrap();
        assert_eq!(back, imported.draft.doc);
        let dir = workspace().join("target/import-drafts");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}.yaml"));
        std::fs::write(&file, &yaml).unwrap();
        let api = codegen::load_api(&file, &format!("{name}.yaml"))
            .unwrap_or_else(|e| panic!("{name}: the draft does not generate: {e}\n{yaml}"));
        assert_eq!(api.operations.len(), 1);
        let module = codegen::emit::module_source(&api, &codegen::EmitOptions::default()).unwrap();
        assert!(module.contains("pub struct GetJobDetailsRequest"), "{name}");
    }
}

#[test]
fn the_servicestage_quirks_become_extensions() {
    let imported = import::import(&read("spec/pages/servicestage.txt")).unwrap();
    let doc = &imported.draft.doc;
    let job = &doc["components"]["schemas"]["Job"]["properties"];
    assert_eq!(
        job["execution_status"]["x-aliases"],
        serde_json::json!(["EXECUTION_STATUS"])
    );
    assert!(job.get("EXECUTION_STATUS").is_none());
    let task = &doc["components"]["schemas"]["Task"]["properties"];
    assert_eq!(
        task["update_at"]["x-aliases"],
        serde_json::json!(["UPDATE_AT"])
    );
    assert_eq!(task["update_at"]["format"], "date-time");
    assert_eq!(task["messages"]["contentMediaType"], "application/json");
    let desc = doc
        .pointer("/paths/~1v3~1{project_id}~1cas~1jobs~1{job_id}/get/parameters/4/schema")
        .unwrap();
    assert_eq!(desc["x-boolean-string"], true);
    assert_eq!(desc["enum"], serde_json::json!(["true", "false"]));
    // Table fields the example does not show are reported, with their lines.
    let reported: Vec<String> = imported.notes.iter().map(ToString::to_string).collect();
    assert!(
        reported
            .iter()
            .any(|n| n.starts_with("line 174: quirk: `ORDER_ID`")),
        "{reported:#?}"
    );
    // The token header is the security scheme, not a parameter; the page mentions AK/SK.
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["name"],
        "X-Auth-Token"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["aksk"]["x-signing"]["algorithm"],
        "SDK-HMAC-SHA256"
    );
}

#[test]
fn drift_is_found_both_ways_with_pointers_and_lines() {
    let imported = import::import(&read("spec/pages/servicestage.txt")).unwrap();
    let mut changed = spec("servicestage");
    // The spec drops a documented enum value, states a field the page does not, loses one it
    // does, and makes a parameter optional.
    let statuses = changed
        .pointer_mut("/components/schemas/TaskStatus/enum")
        .unwrap();
    statuses.as_array_mut().unwrap().retain(|v| v != "SKIPPED");
    changed["components"]["schemas"]["Job"]["properties"]["rollback_enabled"] =
        serde_json::json!({"type": "boolean"});
    changed["components"]["schemas"]["Task"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("task_index");
    *changed
        .pointer_mut("/paths/~1v3~1{project_id}~1cas~1jobs~1{job_id}/get/parameters/5/required")
        .unwrap() = Value::Bool(false);
    let d = drift::diff(&changed, &imported.draft);
    let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
    let has = |kind: &str, what: &str| {
        d.iter()
            .any(|x| x.kind == kind && x.subject.ends_with(what))
    };
    assert!(has("changed", "body /tasks/[]/task_status"), "{shown:#?}");
    assert!(has("removed", "body /job/rollback_enabled"), "{shown:#?}");
    assert!(has("added", "body /tasks/[]/task_index"), "{shown:#?}");
    assert!(
        has("changed", "header parameter content-type"),
        "{shown:#?}"
    );
    assert_eq!(d.len(), 4, "{shown:#?}");
    let status = d
        .iter()
        .find(|x| x.subject.ends_with("task_status"))
        .unwrap();
    assert_eq!(
        status.spec_pointer,
        "/components/schemas/Task/properties/task_status"
    );
    assert_eq!(status.page_line, Some(230));
    let added = d.iter().find(|x| x.kind == "added").unwrap();
    assert_eq!(added.page_line, Some(218));
}

#[test]
fn a_page_that_is_not_an_api_page_is_refused() {
    for text in [
        "",
        "Frequently asked questions\nHow do I pay?\nBy card.",
        "|\nEdition |\nPrice |\n|---|---|\n|\nBasic |\nFree |",
    ] {
        let e = import::import(text).unwrap_err();
        assert!(e.to_string().contains("URI line"), "{e}");
    }
}
