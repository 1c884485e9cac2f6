//! `cargo xtask import`: the two doc pages the spec documents come from (`spec/pages/`, copies
//! of `../shared/seeds/`) import into drafts that hold what `spec/` states from them, with no
//! drift either way; the drafts load and generate; drift is found when there is some.

use import::{drift, NoteKind};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
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

/// The project's own test pages (`tests/import_pages/`, both layouts, the variations of
/// `docs/doc-page-variations.md`): each draft is pinned by a snapshot (draft, then the notes),
/// and loads and generates.
#[test]
fn test_pages_import_into_drafts_that_generate() {
    insta::glob!("import_pages/*.txt", |path| {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        if name.starts_with("bad_") {
            let e = import::import(&text).unwrap_err();
            insta::assert_snapshot!(e.to_string());
            return;
        }
        let imported = import::import(&text).unwrap();
        let yaml = imported.yaml();
        let notes: Vec<String> = imported.notes.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("{yaml}\n# notes\n{}\n", notes.join("\n")));
        let dir = workspace().join("target/import-drafts");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(name.replace(".txt", ".yaml"));
        std::fs::write(&file, &yaml).unwrap();
        let api = codegen::load_api(&file, &name)
            .unwrap_or_else(|e| panic!("{name}: the draft does not generate: {e}"));
        codegen::emit::module_source(&api, &codegen::EmitOptions::default()).unwrap();
    });
}

/// What the test pages' README says each draft must hold, checked fact by fact.
#[test]
fn test_page_facts() {
    let page =
        |n: &str| import::import(&read(&format!("codegen/import/tests/import_pages/{n}"))).unwrap();
    let w = page("widget_pipe.txt");
    let d = &w.draft.doc;
    let op = d
        .pointer("/paths/~1v2~1{project_id}~1wfs~1pools~1{pool_id}~1widgets/get")
        .unwrap();
    assert_eq!(op["operationId"], "list_widgets");
    assert_eq!(
        d["servers"][0]["url"],
        "https://wfs.{region}.myhuaweicloud.com"
    );
    let params = op["parameters"].as_array().unwrap();
    let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "project_id",
            "pool_id",
            "limit",
            "offset",
            "name",
            "sort_dir",
            "X-Workspace-Id"
        ]
    );
    assert_eq!(
        params[2]["schema"],
        serde_json::json!({"type": "integer", "default": 10, "minimum": 1, "maximum": 500})
    );
    assert!(params[4]["description"]
        .as_str()
        .unwrap()
        .contains("red|blue"));
    assert!(params[3]["description"].as_str().unwrap().contains("NOTE:"));
    assert_eq!(
        params[5]["schema"]["enum"],
        serde_json::json!(["asc", "desc"])
    );
    let item = &d["components"]["schemas"]["WidgetItem"]["properties"];
    assert_eq!(
        item["state"]["enum"],
        serde_json::json!(["ACTIVE", "FROZEN", "DELETING"])
    );
    assert!(item["color"].get("enum").is_none());
    assert_eq!(item["last_operation"]["enum"], serde_json::json!([1, 2, 3]));
    assert_eq!(item["created_at"]["format"], "date-time");
    let limits = item["limits"]["$ref"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    let limits = &d["components"]["schemas"][limits]["properties"];
    assert_eq!(limits["max_size_gb"]["type"], "number");
    let body = op
        .pointer("/responses/200/content/application~1json/schema/$ref")
        .unwrap()
        .as_str()
        .unwrap();
    let body = &d["components"]["schemas"][body.rsplit('/').next().unwrap()]["properties"];
    assert_eq!(body["api_version"]["const"], "v2");
    assert!(w.notes.iter().any(|n| n.line == 119
        && n.message
            .contains("`color`: the description announces values")));

    let g = page("gadget_lines.txt");
    let d = &g.draft.doc;
    assert!(d.get("servers").is_none());
    let op = d
        .pointer("/paths/~1v1~1{project_id}~1gas~1gadgets~1{gadget_id}/get")
        .unwrap();
    assert_eq!(op["operationId"], "get_gadget_details");
    let params = op["parameters"].as_array().unwrap();
    assert!(params[1]["description"]
        .as_str()
        .unwrap()
        .starts_with("Gadget ID, returned when the gadget was created."));
    assert!(params[1]["schema"].get("default").is_none());
    assert_eq!(
        params[2]["schema"],
        serde_json::json!({"type": "string", "enum": ["basic", "full"], "default": "basic"})
    );
    assert_eq!(
        params[3]["schema"]["default"],
        "application/json;charset=utf8"
    );
    let gadget = &d["components"]["schemas"]["Gadget"]["properties"];
    assert_eq!(gadget["reusable"]["x-boolean-string"], true);
    assert_eq!(gadget["settings"]["contentMediaType"], "application/json");
    assert_eq!(gadget["created_at"]["format"], "date-time");
    assert_eq!(
        gadget["owner_id"]["x-aliases"],
        serde_json::json!(["OWNER_ID"])
    );
    assert_eq!(gadget["revision"]["x-from-example"], true);
    assert!(gadget["revision"].get("x-aliases").is_none());
    let reported: Vec<String> = g.notes.iter().map(ToString::to_string).collect();
    assert!(
        reported.iter().any(|n| n.contains("`revision`")),
        "{reported:#?}"
    );
    assert!(
        reported
            .iter()
            .any(|n| n.starts_with("line 198:") && n.contains("OWNER_ID")),
        "{reported:#?}"
    );
    assert!(
        !g.notes.iter().any(|n| n.kind == NoteKind::Unplaced),
        "{reported:#?}"
    );
}

/// Mutations of every page we have (lines dropped, duplicated, swapped, cut short, joined):
/// the importer never panics, and always ends in a draft that reads back and a list of notes,
/// or in "not an API page". `IMPORT_FUZZ_SEED` / `IMPORT_FUZZ_COUNT` widen a run.
#[test]
fn mutated_pages_never_panic() {
    let seed: u64 = std::env::var("IMPORT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x1_2026_1130);
    let count: usize = std::env::var("IMPORT_FUZZ_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    let mut pages: Vec<String> = PAGES
        .iter()
        .map(|(n, _)| read(&format!("spec/pages/{n}.txt")))
        .collect();
    for e in std::fs::read_dir(workspace().join("codegen/import/tests/import_pages")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            pages.push(std::fs::read_to_string(p).unwrap());
        }
    }
    let mut x = seed | 1;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    };
    let specs = [spec("cae"), spec("servicestage")];
    for case in 0..count {
        let page = &pages[next(pages.len())];
        let mut lines: Vec<String> = page.lines().map(str::to_owned).collect();
        for _ in 0..1 + next(6) {
            if lines.is_empty() {
                break;
            }
            let i = next(lines.len());
            match next(6) {
                0 => {
                    lines.remove(i);
                }
                1 => {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
                2 => {
                    let j = next(lines.len());
                    lines.swap(i, j);
                }
                3 => {
                    let l = &lines[i];
                    let cut = l
                        .char_indices()
                        .nth(next(l.chars().count() + 1))
                        .map_or(l.len(), |(k, _)| k);
                    lines[i] = l[..cut].to_owned();
                }
                4 if i + 1 < lines.len() => {
                    let l = lines.remove(i + 1);
                    lines[i].push_str(&l);
                }
                _ => {
                    let k = next(lines.len());
                    let block: Vec<String> = lines.drain(i.min(k)..i.max(k)).collect();
                    let at = next(lines.len() + 1);
                    for (n, l) in block.into_iter().enumerate() {
                        lines.insert(at + n, l);
                    }
                }
            }
        }
        let text = lines.join("\n");
        match import::import(&text) {
            Ok(imported) => {
                let yaml = imported.yaml();
                let back: Value = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| {
                    panic!("case {case} (seed {seed}): the draft is not YAML: {e}\n{yaml}")
                });
                assert_eq!(back, imported.draft.doc, "case {case} (seed {seed})");
                for s in &specs {
                    let _ = drift::diff(s, &imported.draft);
                }
            }
            Err(e) => assert!(
                e.to_string().starts_with("not an API reference page"),
                "case {case}: {e}"
            ),
        }
    }
}

/// Cases a review found (pages in `import_pages/`, README there).
#[test]
fn reviewed_cases() {
    let page =
        |n: &str| import::import(&read(&format!("codegen/import/tests/import_pages/{n}"))).unwrap();
    // The same page with and without lone `|` lines gives the same draft.
    let bare = page("lantern_bare_pipe.txt");
    assert_eq!(bare.yaml(), page("lantern_pipe.txt").yaml());
    // A top-level array body.
    let list = page("lantern_list_lines.txt");
    let schema = list.draft.doc.pointer("/paths/~1v3~1{project_id}~1lhs~1lanterns/get/responses/200/content/application~1json/schema").unwrap();
    assert_eq!(
        schema,
        &serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/LanternSummary"}})
    );
    // The only success status listed takes the body.
    let async_page = page("lantern_async_lines.txt");
    let responses = async_page
        .draft
        .doc
        .pointer("/paths/~1v2~1{project_id}~1bys~1buoys~1{buoy_id}~1restart/post/responses")
        .unwrap();
    assert!(
        responses.get("200").is_none() && responses["202"]["content"].is_object(),
        "{responses}"
    );
    // Prose is not a value list.
    let buoy = page("buoy_phrases_pipe.txt");
    let props = &buoy.draft.doc["components"]["schemas"]["UpdateBuoyRequestBody"]["properties"];
    for field in ["alias", "kind", "weight", "region", "note", "ttl"] {
        assert!(
            props[field].get("enum").is_none(),
            "{field}: {}",
            props[field]
        );
    }
    assert_eq!(
        props["tier"]["enum"],
        serde_json::json!(["Standard storage", "Archive storage"])
    );
    assert_eq!(
        props["size"]["enum"],
        serde_json::json!(["small", "medium", "large"])
    );
    // Rows that lost cells are reported, not silently misread.
    let reef = page("reef_missing_cells_pipe.txt");
    assert!(reef
        .notes
        .iter()
        .any(|n| n.line == 30 && n.message.contains("`Owner details.` is not a type")));
    // Drift sees the request body.
    let mut spec = bare.draft.doc.clone();
    spec["components"]["schemas"]["CreateLanternOption"]["properties"]["brightness"]["type"] =
        serde_json::json!("string");
    let d = drift::diff(&spec, &bare.draft);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].subject.ends_with("request body /lantern/brightness")
            && d[0].attribute == Some("type"),
        "{d:#?}"
    );
    // A spec with other operations: only the page's is compared.
    let mut multi = self::spec("servicestage");
    let other = multi["paths"]["/v3/{project_id}/cas/jobs/{job_id}"].clone();
    multi["paths"]["/v3/{project_id}/cas/other/{job_id}"] = other;
    let ss = import::import(&read("spec/pages/servicestage.txt")).unwrap();
    assert!(drift::diff(&multi, &ss.draft).is_empty());
}
