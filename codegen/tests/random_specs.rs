//! Property test: random valid OpenAPI documents, with names drawn from Rust keywords, the
//! prelude, the generator's own item names and odd characters, enum values and properties that
//! collide in spelling, recursion, nullable, nested arrays and maps. Every document must be
//! accepted, and all of them, generated into one crate, must compile clippy-clean
//! (`-D warnings`).
//!
//! The documents come from a seeded generator, so a failure is reproducible: the seed is printed,
//! `RANDOM_SPECS_SEED=N` replays it, `RANDOM_SPECS_COUNT=N` changes how many documents are made.
//! The crate is left in `target/random-specs/crate` for a look.

use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

use test_support::Rng;

/// Names that have broken generators: keywords, prelude and std names, names the generator
/// makes itself, odd characters, and spellings that differ only in case or separators.
const NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Box",
    "Vec",
    "Value",
    "Error",
    "DateTime",
    "Request",
    "Response",
    "Default",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "self",
    "type",
    "Type",
    "ref",
    "match",
    "async",
    "await",
    "dyn",
    "crate",
    "super",
    "Fn",
    "Iterator",
    "Into",
    "From",
    "ToString",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Eq",
    "PartialEq",
    "Hash",
    "Debug",
    "Display",
    "FromStr",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Map",
    "Key",
    "HeaderMap",
    "Cow",
    "Unrecognized",
    "additional_properties",
    "new",
    "build",
    "from_params",
    "parse_response",
    "build_request",
    "as_str",
    "is_known",
    "VALUES",
    "TERMINAL",
    "Terminal",
    "JobView",
    "OPERATIONS",
    "MODULES",
    "base_url",
    "visit_body",
    "Visitor",
    "V",
    "BodyVisitor",
    "a-b",
    "a.b",
    "a_b",
    "A_B",
    "aB",
    "2fa",
    "@odd name!",
    "ünïcödé",
    "x y",
    "",
    "_",
    "__x",
    "EXECUTION_STATUS",
    "execution_status",
    "executionStatus",
    "UPDATE_AT",
    "update_at",
    "messages",
    "messages_json",
    "task_count",
    "TASK_COUNT",
    "GetThingRequest",
    "get_thing",
    "GetThing",
    "slot_a",
    "map",
    "key",
    "serializer",
    "deserializer",
    "value",
    "v",
    "f",
    "t",
];

const ENUM_VALUES: &[&str] = &[
    "UNKNOWN",
    "Unknown",
    "unknown",
    "true",
    "TRUE",
    "True",
    "a",
    "A",
    "A2",
    "Unrecognized",
    "1st",
    "2xx",
    "-",
    "",
    " ",
    "a-b",
    "a.b",
    "Self",
    "self",
    "None",
    "Some",
    "RUNNING",
    "running",
    "Running",
];

fn name(rng: &mut Rng) -> String {
    let base = *rng.pick(NAMES);
    if rng.chance(15) {
        format!("{base}{}", *rng.pick(NAMES))
    } else {
        base.to_owned()
    }
}

/// A schema in place: a scalar, an array, a map, a reference, or an inline object or enum.
///
/// `x-boolean-string` only where the generator supports it: a property's own schema, not
/// nullable, not inside an array or a map (refused with a pointer, see spec/README.md).
fn schema(rng: &mut Rng, refs: &[String], depth: usize, property: bool) -> Value {
    let mut roll = rng.below(if depth > 2 { 9 } else { 15 });
    if roll == 6 && !property {
        roll = 0;
    }
    let mut s = match roll {
        0 => json!({"type": "string"}),
        1 => json!({"type": "integer"}),
        2 => json!({"type": "integer", "format": "int32"}),
        3 => json!({"type": "number"}),
        4 => json!({"type": "boolean"}),
        5 => json!({"type": "string", "format": "date-time"}),
        6 => json!({"type": "string", "x-boolean-string": true}),
        7 => json!({"type": "string", "contentMediaType": "application/json"}),
        8 if !refs.is_empty() => {
            json!({"$ref": format!("#/components/schemas/{}", escape(&refs[rng.below(refs.len())]))})
        }
        8 => json!({"type": "string", "const": *rng.pick(ENUM_VALUES)}),
        9 => json!({"type": "array", "items": schema(rng, refs, depth + 1, false)}),
        10 => {
            json!({"type": "object", "additionalProperties": schema(rng, refs, depth + 1, false)})
        }
        11 if rng.chance(20) => {
            // Deep nullable nesting: a nullable array of nullable arrays of maps.
            json!({"type": ["array", "null"], "items": {"type": ["array", "null"], "items": {
                "type": ["object", "null"], "additionalProperties": schema(rng, refs, depth + 3, false)}}})
        }
        11 => enum_schema(rng),
        12 => object(rng, refs, depth + 1),
        // `oneOf`/`anyOf` of a few alternatives, sometimes with `null`.
        13 => {
            let key = *rng.pick(&["oneOf", "anyOf"]);
            let mut parts: Vec<Value> = (0..1 + rng.below(3))
                .map(|_| schema(rng, refs, depth + 1, false))
                .collect();
            if rng.chance(30) {
                parts.push(json!({"type": "null"}));
            }
            json!({ key: parts })
        }
        // The usual spelling of an enum that will grow.
        _ => {
            let n = 1 + rng.below(4);
            let values: Vec<&str> = (0..n).map(|_| *rng.pick(ENUM_VALUES)).collect();
            json!({"anyOf": [{"enum": values}, {"type": "string"}]})
        }
    };
    // Nullable, the 3.1 way (not on `$ref`, not on the string-carried boolean).
    if rng.chance(20)
        && s.get("type").is_some_and(Value::is_string)
        && s.get("x-boolean-string").is_none()
    {
        let t = s["type"].clone();
        s["type"] = json!([t, "null"]);
    }
    if rng.chance(20) {
        s["description"] = Value::from(description(rng));
    }
    s
}

fn enum_schema(rng: &mut Rng) -> Value {
    let n = 1 + rng.below(6);
    if rng.chance(25) {
        let values: Vec<i64> = (0..n).map(|_| rng.below(7) as i64 - 3).collect();
        return json!({"type": "integer", "enum": values, "x-open-enum": rng.chance(50)});
    }
    let values: Vec<&str> = (0..n).map(|_| *rng.pick(ENUM_VALUES)).collect();
    let mut s = json!({"type": "string", "enum": values});
    if rng.chance(30) {
        s["x-open-enum"] = Value::Bool(false);
    }
    s
}

fn object(rng: &mut Rng, refs: &[String], depth: usize) -> Value {
    let mut props = Map::new();
    for _ in 0..rng.below(6) {
        props.insert(name(rng), schema(rng, refs, depth, true));
    }
    let keys: Vec<String> = props.keys().cloned().collect();
    let required: Vec<&String> = keys.iter().filter(|_| rng.chance(30)).collect();
    let mut s = json!({"type": "object", "properties": props});
    if !required.is_empty() {
        s["required"] = json!(required);
    }
    if rng.chance(20) {
        s["additionalProperties"] = Value::Bool(false);
    }
    s
}

fn description(rng: &mut Rng) -> String {
    (*rng.pick(&[
        "Plain text.",
        "Like `[Error_ID]` and <project_id>, see https://support.example.com/x.",
        "Example:\n```\n{\"job\": 1}\n```",
        "Command:\n\n    curl -X GET https://x.example/v1/<p>\n    fn main() {}\n",
        "~~~\nassert!(false);\n~~~",
        "Unclosed:\n```rust\npanic!()",
        "*/ /* `` ` [link](not a url) ]] [[",
    ]))
    .to_owned()
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A parameter's schema: every scalar type, every string format a field supports, nullable,
/// arrays in the query, enums, and bounds (sometimes ones that do not apply to the type).
fn param_schema(rng: &mut Rng, place: &str) -> Value {
    let ty = *rng.pick(&["string", "integer", "boolean", "number"]);
    let mut schema = json!({"type": ty});
    // Strings of every format a field supports: a parameter takes them too.
    if ty == "string" && rng.chance(50) {
        schema = match rng.below(4) {
            0 => json!({"type": "string", "format": "date-time"}),
            1 => json!({"type": "string", "contentMediaType": "application/json"}),
            2 => json!({"type": "string", "format": "byte"}),
            _ => json!({"type": "string", "format": "uri"}),
        };
    }
    if rng.chance(20) {
        schema["type"] = json!([schema["type"].clone(), "null"]);
    } else if place == "query" && rng.chance(25) {
        schema = json!({"type": "array", "items": schema});
    } else if rng.chance(15) {
        schema = enum_schema(rng);
    }
    // Bounds, sometimes ones that do not apply to the type (ignored, as JSON Schema does).
    let target = if schema.get("items").is_some() {
        &mut schema["items"]
    } else {
        &mut schema
    };
    if rng.chance(30) {
        target["minimum"] = json!(rng.below(5));
        target["exclusiveMaximum"] = json!(10.5);
    }
    if rng.chance(30) {
        target["minLength"] = json!(1);
        target["maxLength"] = json!(rng.below(9) + 1);
    }
    if rng.chance(20) {
        target["pattern"] = json!(*rng.pick(&[
            "^[A-Z0-9-]+$",
            "^[a-z][a-z0-9-]{0,62}[a-z0-9]$",
            "\\d{3}",
            "^(?:x|y)*$",
            "\"quoted\"|`tick`|#{not}",
        ]));
    }
    schema
}

/// One document: a few component schemas (references, recursion included), a few operations.
fn document(rng: &mut Rng) -> Value {
    let mut names: Vec<String> = Vec::new();
    for _ in 0..1 + rng.below(5) {
        let n = name(rng);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let mut schemas = Map::new();
    for n in &names {
        // References may point anywhere, the schema itself included (recursion); a schema that
        // is only a reference, array or map of itself is refused (documented), so the top level
        // of a component is an object or an enum, or a scalar.
        let s = match rng.below(4) {
            0 => enum_schema(rng),
            1 => json!({"type": "string"}),
            _ => object(rng, &names, 1),
        };
        schemas.insert(n.clone(), s);
    }
    // `allOf` of an object component and an inline object (its own property names, so that no
    // property is defined twice).
    let objects: Vec<String> = names
        .iter()
        .filter(|n| schemas[n.as_str()].get("properties").is_some())
        .cloned()
        .collect();
    if !objects.is_empty() && rng.chance(40) {
        let base = &objects[rng.below(objects.len())];
        let mut own = Map::new();
        for i in 0..rng.below(3) {
            own.insert(format!("allof_{i}"), schema(rng, &names, 2, true));
        }
        schemas.insert(
            format!("{base}AllOf"),
            json!({"allOf": [
                {"$ref": format!("#/components/schemas/{}", escape(base))},
                {"type": "object", "properties": own}
            ]}),
        );
    }
    let mut paths = Map::new();
    let mut ids: Vec<String> = Vec::new();
    for i in 0..1 + rng.below(3) {
        let id = name(rng);
        if ids.contains(&id) {
            continue;
        }
        ids.push(id.clone());
        let mut params = vec![
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        ];
        let mut seen = vec![("path".to_owned(), "id".to_owned())];
        for _ in 0..rng.below(4) {
            let place = *rng.pick(&["query", "header"]);
            let pname = name(rng);
            let key = (place.to_owned(), pname.to_ascii_lowercase());
            if pname.is_empty() || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let schema = param_schema(rng, place);
            params.push(
                json!({"name": pname, "in": place, "required": rng.chance(30), "schema": schema}),
            );
        }
        let body = match rng.below(3) {
            0 if !names.is_empty() => {
                json!({"$ref": format!("#/components/schemas/{}", escape(&names[rng.below(names.len())]))})
            }
            _ => object(rng, &names, 1),
        };
        let mut responses = json!({"200": {"description": "OK", "content": {"application/json": {"schema": body}}}});
        if rng.chance(50) {
            responses["default"] = json!({"description": "error", "content": {"application/json": {"schema": object(rng, &names, 2)}}});
        }
        let mut op = json!({"operationId": id, "parameters": params, "responses": responses});
        if rng.chance(30) {
            op["description"] = Value::from(description(rng));
        }
        // A JSON request body, on a method that takes one.
        let method = if rng.chance(35) {
            op["requestBody"] = json!({
                "required": rng.chance(50),
                "content": {"application/json": {"schema": schema(rng, &names, 1, false)}}
            });
            *rng.pick(&["post", "put", "patch", "delete"])
        } else {
            "get"
        };
        // Paths of every shape: the root, two parameters side by side, the usual one.
        let path = match rng.below(6) {
            0 if !paths.contains_key("/") => {
                op["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|p| p["in"] != "path");
                "/".to_owned()
            }
            1 => {
                op["parameters"].as_array_mut().unwrap().push(
                    json!({"name": "id2", "in": "path", "required": true, "schema": {"type": "string"}}),
                );
                format!("/p{i}/{{id}}/{{id2}}")
            }
            _ => format!("/p{i}/{{id}}"),
        };
        paths.insert(path, json!({ method: op }));
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "random", "version": "1", "description": description(rng)},
        "servers": [{"url": "https://svc.{region}.example.com", "variables": {"region": {"default": "r1"}}}],
        "paths": paths,
        "components": {"schemas": schemas}
    });
    security(rng, &mut doc);
    doc
}

/// None, one or both of a token scheme and an AK/SK signing scheme, under random names.
fn security(rng: &mut Rng, doc: &mut Value) {
    const HEADERS: &[&str] = &["X-Auth-Token", "Authorization", "api_key", "X-Sig", "Token"];
    let mut schemes = serde_json::Map::new();
    let mut security = Vec::new();
    if rng.chance(60) {
        let name = *rng.pick(&["token", "Option", "api key", "self"]);
        schemes.insert(
            name.into(),
            json!({"type": "apiKey", "in": "header", "name": *rng.pick(HEADERS)}),
        );
        security.push(json!({ name: [] }));
    }
    if rng.chance(50) {
        let name = *rng.pick(&["aksk", "signing", "Result"]);
        schemes.insert(
            name.into(),
            json!({
                "type": "apiKey", "in": "header", "name": *rng.pick(HEADERS),
                "x-signing": {
                    "algorithm": "SDK-HMAC-SHA256",
                    "date-header": *rng.pick(&["X-Sdk-Date", "X-Date"]),
                    "security-token-header": *rng.pick(&["X-Security-Token", "X-Temp"])
                }
            }),
        );
        security.push(json!({ name: [] }));
    }
    if !security.is_empty() {
        doc["security"] = Value::Array(security);
        doc["components"]["securitySchemes"] = Value::Object(schemes);
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
#[ignore = "nested-cargo tier: a cargo build of its own; run with `cargo test --workspace --all-features -- --ignored` (.ci/run does)"]
fn random_valid_documents_generate_and_compile_clippy_clean() {
    let seed: u64 = std::env::var("RANDOM_SPECS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_1130);
    let count: usize = std::env::var("RANDOM_SPECS_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(250);
    eprintln!("random specs: seed {seed}, {count} documents");
    let root = workspace().join("target/random-specs");
    let krate = root.join("crate");
    let spec_dir = krate.join("spec");
    let src = krate.join("src");
    let _ = std::fs::remove_dir_all(&krate);
    std::fs::create_dir_all(&spec_dir).unwrap();
    std::fs::create_dir_all(&src).unwrap();

    let mut rng = Rng::new(seed | 1);
    for i in 0..count {
        let doc = document(&mut rng);
        let path = spec_dir.join(format!("m{i:04}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
        // Each one is accepted on its own: a valid document is never refused for its names.
        if let Err(e) = codegen::load_api(&path, &path.display().to_string()) {
            panic!("seed {seed}: document {i} was refused:\n{e}");
        }
    }
    let opts = codegen::EmitOptions {
        runtime_path: "hwc_jobs::runtime".into(),
        ..Default::default()
    };
    let written = codegen::generate_modules(&spec_dir, &src, &opts)
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    assert_eq!(written.len(), count);
    let mut lib = String::from("//! Random documents, generated.\n#![allow(missing_docs)]\n");
    for i in 0..count {
        lib.push_str(&format!("pub mod m{i:04};\n"));
    }
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let generated = workspace().join("generated");
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"random-specs\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nhwc-jobs = {{ path = {:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\nhttp = \"1\"\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 1\n\n[workspace]\n",
            generated.display().to_string()
        ),
    )
    .unwrap();
    // The workspace's lock file: the same dependency versions, no registry look-up needed.
    std::fs::copy(workspace().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Clippy when the toolchain has it (CI installs it); otherwise the compiler alone, still
    // with warnings denied.
    let has_clippy = Command::new(&cargo)
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let mut cmd = Command::new(&cargo);
    if has_clippy {
        cmd.args(["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"]);
        cmd.env_remove("RUSTFLAGS");
    } else {
        eprintln!("random specs: clippy is not installed; checking with the compiler alone");
        cmd.args(["check", "--quiet", "--all-targets"]);
        cmd.env("RUSTFLAGS", "-D warnings");
    }
    let out = cmd
        // The workspace's target folder: dependencies are built with the workspace's versions
        // (its lock file), features and profile, so they are shared, not built again.
        .env("CARGO_TARGET_DIR", workspace().join("target"))
        .current_dir(&krate)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "seed {seed}: the generated crate does not compile clippy-clean ({}):\n{}",
        krate.display(),
        stderr.chars().take(20_000).collect::<String>()
    );
}
