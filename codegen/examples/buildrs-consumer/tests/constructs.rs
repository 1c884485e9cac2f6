//! The generated code of each construct, compiled and exercised.

use buildrs_consumer::*;
use serde_json::json;

#[test]
fn aliases_read_every_spelling_and_write_the_canonical_one() {
    for body in [
        json!({"execution_status": "RUNNING", "update_at": "x"}),
        json!({"EXECUTION_STATUS": "RUNNING", "UPDATE_AT": "x"}),
        json!({"executionStatus": "RUNNING", "update_at": "x"}),
    ] {
        let t: aliases::Thing = serde_json::from_value(body).unwrap();
        assert_eq!(t.execution_status.as_deref(), Some("RUNNING"));
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            json!({"execution_status": "RUNNING", "update_at": "x"})
        );
    }
    let both = serde_json::from_value::<aliases::Thing>(
        json!({"execution_status": "A", "EXECUTION_STATUS": "B"}),
    );
    assert!(both.is_err(), "two spellings of one field are refused");
}

#[test]
fn open_enums_keep_unknown_values_and_documented_unknown_is_distinct() {
    use open_enums::{Closed, Status, Thing, ThingInline};
    let t: Thing =
        serde_json::from_value(json!({"status": "PAUSED", "closed": "on", "inline": "2xx"}))
            .unwrap();
    assert_eq!(t.status, Some(Status::Unrecognized("PAUSED".into())));
    assert_eq!(t.inline, Some(ThingInline::V2xx));
    assert_eq!(serde_json::to_value(&t).unwrap()["status"], "PAUSED");
    assert_eq!(Status::from("UNKNOWN"), Status::Unknown);
    assert!(Status::Unknown.is_known());
    assert!(!Status::from("PAUSED").is_known());
    assert!(
        "PAUSED".parse::<Status>().is_err(),
        "strict parse refuses unlisted values"
    );
    assert_eq!(Status::VALUES, ["RUNNING", "SUCCEEDED", "UNKNOWN"]);
    // A closed enum refuses values it does not list.
    let err = serde_json::from_value::<Closed>(json!("dim")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid value: string \"dim\", expected one of on, off"
    );
    assert!(serde_json::from_value::<Closed>(json!(1)).is_err());
    // From text (borrowed) and from a `String` (owned) alike.
    assert_eq!(
        serde_json::from_str::<Closed>("\"on\"").unwrap(),
        Closed::On
    );
    assert_eq!(
        serde_json::from_str::<Status>("\"PAUSED\"").unwrap(),
        Status::Unrecognized("PAUSED".into())
    );
    assert_eq!(
        serde_json::from_str::<Status>("\"RUN\\u004eING\"").unwrap(),
        Status::Running,
        "an escaped string arrives owned"
    );
    assert_eq!(
        serde_json::from_value::<Closed>(json!("off")).unwrap(),
        Closed::Off
    );
    // Users can build an unrecognized value in their own tests.
    let mine = Status::Unrecognized("NEW".into());
    assert_eq!(mine.as_str(), "NEW");
}

#[test]
fn consts_are_typed_and_documented() {
    assert_eq!(consts::Thing::KIND_FIXED, "Job");
    assert_eq!(consts::Thing::API_VERSION_FIXED, "v1");
    let t: consts::Thing = serde_json::from_value(json!({"kind": "Job"})).unwrap();
    assert_eq!(t.kind, "Job");
    assert!(
        serde_json::from_value::<consts::Thing>(json!({})).is_err(),
        "kind is required"
    );
}

#[test]
fn nested_arrays_maps_and_closed_objects() {
    let body = json!({
        "matrix": [[1.5, 2.0], []],
        "tags": [{"name": "a"}],
        "labels": {"k": "v"},
        "points": [{"x": 3}]
    });
    let t: nested_arrays::Thing = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(t.matrix.as_ref().unwrap()[0], vec![1.5, 2.0]);
    assert_eq!(t.points.as_ref().unwrap()[0].x, Some(3i32));
    assert_eq!(serde_json::to_value(&t).unwrap(), body);
    // additionalProperties: false: no catch-all map, unknown fields ignored.
    let tag: nested_arrays::Tag = serde_json::from_value(json!({"name": "a", "other": 1})).unwrap();
    assert_eq!(serde_json::to_value(&tag).unwrap(), json!({"name": "a"}));
    // `Eq` where nothing inside is a number, recursive types included (the snapshot shows that
    // `Thing` and `Holder`, which hold numbers, derive only `PartialEq`).
    fn total<T: Eq>() {}
    total::<nested_arrays::Tag>();
    total::<nested_arrays::Node>();
    let node: nested_arrays::Node =
        serde_json::from_value(json!({"name": "a", "children": [{"name": "b"}]})).unwrap();
    assert_eq!(
        node.children.as_ref().unwrap()[0].name.as_deref(),
        Some("b")
    );
}

#[test]
fn optional_and_nullable_are_told_apart() {
    use optional_nullable::Thing;
    let absent: Thing = serde_json::from_value(json!({"id": "1", "note": null})).unwrap();
    assert_eq!(absent.comment, None);
    assert_eq!(absent.note, None);
    let null: Thing =
        serde_json::from_value(json!({"id": "1", "note": "n", "comment": null, "count": null}))
            .unwrap();
    assert_eq!(null.comment, Some(None));
    assert_eq!(
        null.count, None,
        "null in a plain optional field reads as absent"
    );
    assert_eq!(
        serde_json::to_value(&null).unwrap(),
        json!({"id": "1", "note": "n", "comment": null})
    );
    let err = serde_json::from_value::<Thing>(json!({"id": "1"})).unwrap_err();
    assert!(
        err.to_string().contains("note"),
        "a required nullable field must be present: {err}"
    );
    let when: Thing =
        serde_json::from_value(json!({"id": "1", "note": null, "when": "2024-06-06T15:55:31.36Z"}))
            .unwrap();
    assert!(matches!(when.when, Some(Some(_))));
    // A required date-time: Default is the epoch; the text received is written back.
    let stamp = optional_nullable::Stamp::default();
    assert_eq!(stamp.at.as_str(), "1970-01-01T00:00:00Z");
    let body = json!({"at": "2024-06-06T23:55:31.040+08:00"});
    let stamp: optional_nullable::Stamp = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(stamp.at.instant().to_string(), "2024-06-06T15:55:31.04Z");
    assert_eq!(serde_json::to_value(&stamp).unwrap(), body);
    assert!(serde_json::from_value::<optional_nullable::Stamp>(json!({})).is_err());
}

#[test]
fn keywords_and_odd_names_become_identifiers() {
    let body = json!({"type": "t", "ref": "r", "self": true, "2fa": false, "content-type": "c", "@odd name!": "o"});
    let t: keywords::Thing = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(t.type_.as_deref(), Some("t"));
    assert_eq!(t.ref_.as_deref(), Some("r"));
    assert_eq!(t.self_, Some(true));
    assert_eq!(t.n_2fa, Some(false));
    assert_eq!(t.content_type.as_deref(), Some("c"));
    assert_eq!(t.odd_name.as_deref(), Some("o"));
    assert_eq!(serde_json::to_value(&t).unwrap(), body);
    assert_eq!(keywords::Self_::from("1st"), keywords::Self_::V1st);
    assert_eq!(keywords::Self_::Match.as_str(), "match");
}

#[test]
fn json_in_a_string_has_a_typed_accessor() {
    let t: json_string::Thing =
        serde_json::from_value(json!({"payload": "{\"a\":[1]}", "messages": "not json"})).unwrap();
    assert_eq!(t.payload_json().unwrap(), json!({"a": [1]}));
    assert!(t.messages_json().unwrap().is_err());
    let none: json_string::Thing = serde_json::from_value(json!({"payload": "{}"})).unwrap();
    assert!(none.messages_json().is_none());
}

#[test]
fn boolean_strings_are_bools_in_rust() {
    use string_boolean::{ListThingsRequest, Thing};
    let t: Thing = serde_json::from_value(json!({"enabled": "true", "visible": "false"})).unwrap();
    assert!(t.enabled);
    assert_eq!(t.visible, Some(false));
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"enabled": "true", "visible": "false"})
    );
    assert!(serde_json::from_value::<Thing>(json!({"enabled": "yes"})).is_err());

    let req = ListThingsRequest::new("trace-1")
        .desc(true)
        .build_for_region("r2")
        .unwrap();
    assert_eq!(req.uri(), "https://api.r2.example.com/things?desc=true");
    assert_eq!(req.headers()["x-trace"], "trace-1");
    assert_eq!(req.headers()["accept-language"], "en-us", "default applied");
    let no_query = ListThingsRequest::new("t")
        .build("http://127.0.0.1:1/")
        .unwrap();
    assert_eq!(no_query.uri(), "http://127.0.0.1:1/things");
}

#[test]
fn status_ranges_and_default_responses() {
    use string_boolean::ListThingsRequest as R;
    let h = http::HeaderMap::new();
    let e = R::parse_response(404, &h, br#"{"error_code":"X.404"}"#).unwrap_err();
    assert_eq!(e.status(), 404);
    struct Roundtrip(serde_json::Value);
    impl hwc_jobs::runtime::BodyVisitor for Roundtrip {
        type Output = serde_json::Value;
        fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> serde_json::Value {
            serde_json::to_value(T::deserialize(self.0).unwrap()).unwrap()
        }
    }
    assert_eq!(
        string_boolean::visit_body(
            "list_things",
            418,
            Roundtrip(json!({"error_code": "c", "extra": 1}))
        )
        .unwrap(),
        json!({"error_code": "c", "extra": 1})
    );
    assert!(
        string_boolean::visit_body("list_things", 500, Roundtrip(json!({}))).is_none(),
        "default has no body"
    );
}

#[test]
fn names_that_collide_with_rust_and_the_generator_get_distinct_names() {
    use naming::{GetThing2Request, GetThingRequest, GetThingRequest2, SelfRequest};
    // Enum values that differ only in spelling keep their exact wire text.
    for (wire, variant) in [
        ("UNKNOWN", naming::String::Unknown),
        ("Unknown", naming::String::Unknown2),
        ("true", naming::String::True),
        ("TRUE", naming::String::True2),
        ("a", naming::String::A),
        ("A", naming::String::A3),
        ("A2", naming::String::A2),
        ("Unrecognized", naming::String::Unrecognized2),
    ] {
        let v: naming::String = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(v, variant, "{wire}");
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(wire));
    }
    let other: naming::String = serde_json::from_value(json!("zzz")).unwrap();
    assert_eq!(other, naming::String::Unrecognized("zzz".into()));
    // A closed enum may list `Unrecognized`: it has no catch-all.
    assert_eq!(
        serde_json::from_value::<naming::Error>(json!("Unrecognized")).unwrap(),
        naming::Error::Unrecognized
    );
    // Properties that differ only in spelling, and one named like the catch-all.
    let body = json!({
        "default": {"a-b": "1", "a.b": "2", "Self": "3", "self": "4",
                     "additional_properties": "5", "type": "x", "type_": "y",
                     "messages": "{}", "messages_": "[1]", "extra": true}
    });
    let b: naming::Box = serde_json::from_value(body.clone()).unwrap();
    let d = &b.default;
    assert_eq!(
        (
            d.a_b.as_deref(),
            d.a_b_2.as_deref(),
            d.self_.as_deref(),
            d.self_2.as_deref()
        ),
        (Some("1"), Some("2"), Some("3"), Some("4"))
    );
    assert_eq!(d.additional_properties_2.as_deref(), Some("5"));
    assert_eq!(d.additional_properties["extra"], json!(true));
    assert_eq!(naming::Default::TYPE_2_FIXED, "y");
    assert_eq!(d.messages_2_json().unwrap().unwrap(), json!([1]));
    assert_eq!(
        serde_json::to_value(&b).unwrap(),
        body,
        "written back unchanged"
    );
    // Request types keep `<Operation>Request`; the schema that had that name is numbered.
    let r = GetThingRequest::new("x")
        .build_2("b")
        .new_2("n")
        .limit(3)
        .limit_2("h")
        .build_for_region_2("q");
    let built = r.build_for_region("r1").unwrap();
    assert_eq!(
        built.uri().to_string(),
        "https://things.r1.example.com/things/x?limit=3&build=b&new=n&build_for_region=q"
    );
    assert_eq!(built.headers()["Limit"], "h");
    let _: GetThingRequest2 = serde_json::from_value(json!({"option": {}})).unwrap();
    assert_eq!(GetThing2Request::OPERATION_ID, "GetThing");
    assert_eq!(SelfRequest::OPERATION_ID, "Self");
    assert_eq!(SelfRequest::default(), SelfRequest::new());
}

#[test]
fn recursive_types_are_boxed_and_read_any_depth() {
    let body = json!({
        "name": "leaf",
        "parent": {"name": "mid", "parent": {"name": "root"}},
        "children": [{"name": "c", "children": []}],
        "by_name": {"k": {"name": "v"}},
        "pair": {"left": {"name": "l"}, "right": {"name": "r"}}
    });
    let n: recursive::Node = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        n.parent.as_ref().unwrap().parent.as_ref().unwrap().name,
        "root"
    );
    assert_eq!(n.pair.as_ref().unwrap().right.as_ref().unwrap().name, "r");
    assert_eq!(serde_json::to_value(&n).unwrap(), body);
}

#[test]
fn array_query_parameters_repeat_the_key_and_nullable_ones_are_optional() {
    use params::{ListThingsRequest, StatesItem};
    let r = ListThingsRequest::new("t1", vec![3, 1])
        .tags(vec!["b".into(), "a b".into()])
        .states(vec![StatesItem::Done, StatesItem::from("NEW")])
        .note("n");
    let built = r.build("https://h").unwrap();
    assert_eq!(
        built.uri().to_string(),
        "https://h/things/t1?tags=b&tags=a%20b&ids=3&ids=1&states=DONE&states=NEW&note=n"
    );
    // Nothing set: nothing sent (a required but empty list sends no key).
    let built = ListThingsRequest::new("t1", vec![])
        .build("https://h")
        .unwrap();
    assert_eq!(built.uri().to_string(), "https://h/things/t1");
    assert!(built.headers().get("X-Trace").is_none());
}

#[test]
fn all_of_parts_are_merged_into_one_struct() {
    let body = json!({
        "id": "j1", "name": "build", "state": "DONE", "created_at": "2026-01-01T00:00:00Z",
        "owner": {"id": "u1", "email": "a@b.c"}, "extra": 1
    });
    let job: all_of::Job = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(job.id, "j1", "required through two levels of allOf");
    assert_eq!(job.state, all_of::JobState::Done);
    assert_eq!(job.name.as_deref(), Some("build"));
    let owner = job.owner.as_ref().unwrap();
    assert_eq!(
        (owner.id.as_str(), owner.email.as_deref()),
        ("u1", Some("a@b.c"))
    );
    assert_eq!(job.additional_properties["extra"], json!(1));
    assert_eq!(serde_json::to_value(&job).unwrap(), body);
    assert!(
        serde_json::from_value::<all_of::Job>(json!({"id": "j1"})).is_err(),
        "`state` is required by the second part"
    );
}

#[test]
fn one_of_and_any_of_try_each_alternative_and_keep_what_fits_none() {
    use one_of::{Cat, Dog, Expr, Holder, HolderInline, Pet, Status, Sum};
    let h: Holder = serde_json::from_value(json!({
        "pet": {"barks": 3},
        "pets": [{"meows": true}, "tiger", 7, {"quacks": 1}],
        "owner": null,
        "status": "PAUSED",
        "expr": {"left": 1.5, "right": {"left": 2, "right": 3}},
        "inline": ["a"]
    }))
    .unwrap();
    // Object alternatives are boxed.
    assert!(matches!(&h.pet, Some(Pet::Dog(d)) if matches!(**d, Dog { barks: 3, .. })));
    let pets = h.pets.as_ref().unwrap();
    assert!(matches!(&pets[0], Pet::Cat(c) if matches!(**c, Cat { meows: true, .. })));
    assert_eq!(pets[1], Pet::String("tiger".into()));
    assert_eq!(pets[2], Pet::Integer(7));
    assert_eq!(pets[3], Pet::Other(json!({"quacks": 1})), "fits none: kept");
    assert_eq!(h.owner, Some(None), "oneOf with null: a nullable Cat");
    // `anyOf: [{enum}, {type: string}]` is an open enum.
    assert_eq!(h.status, Some(Status::Unrecognized("PAUSED".into())));
    assert_eq!(Status::from("DONE"), Status::Done);
    // Recursive through a union: boxed.
    match h.expr.as_ref().unwrap() {
        Expr::Sum(sum) => {
            let Sum { left, right, .. } = sum.as_ref();
            assert_eq!(**left, Expr::Number(1.5));
            assert!(matches!(**right, Expr::Sum(_)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.inline, Some(HolderInline::Array(vec!["a".into()])));
    // Written back unchanged.
    let again = serde_json::to_value(&h).unwrap();
    assert_eq!(
        again["pets"],
        json!([{"meows": true}, "tiger", 7, {"quacks": 1}])
    );
    assert_eq!(
        again["expr"],
        json!({"left": 1.5, "right": {"left": 2.0, "right": 3.0}})
    );
}

#[test]
fn integer_enums_are_numbers_on_the_wire() {
    use hwc_jobs::runtime::Terminal;
    use integer_enums::{GetRoleRequest, Level, Permission, Role, RolePhase};
    let r: Role =
        serde_json::from_value(json!({"permission": 7, "levels": [0, 10], "phase": -1})).unwrap();
    assert_eq!(
        r.permission,
        Some(Permission::Manage),
        "named by x-enum-varnames"
    );
    assert_eq!(r.levels, Some(vec![Level::V0, Level::V10]));
    assert_eq!(r.phase, Some(RolePhase::Minus1));
    assert!(r.phase.as_ref().unwrap().is_terminal());
    assert!(!RolePhase::V1.is_terminal());
    assert_eq!(RolePhase::TERMINAL, ["-1", "3"]);
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"permission": 7, "levels": [0, 10], "phase": -1})
    );
    // Open: an unlisted number is kept; closed: refused.
    let p: Permission = serde_json::from_value(json!(4)).unwrap();
    assert_eq!(p, Permission::Unrecognized(4));
    assert_eq!(
        (p.as_i64(), p.is_known(), p.to_string()),
        (4, false, "4".to_owned())
    );
    assert!(serde_json::from_value::<Level>(json!(5)).is_err());
    assert!(
        serde_json::from_value::<Level>(json!("1")).is_err(),
        "a number, not text"
    );
    assert_eq!(Permission::VALUES, [7, 1, 2]);
    assert_eq!(
        Level::VALUES,
        [0, 1, 10],
        "a value listed twice is one value"
    );
    assert!("4".parse::<Permission>().is_err(), "strict parse");
    assert_eq!("2".parse::<Permission>().unwrap(), Permission::Write);
    // As a query parameter.
    let url = GetRoleRequest::new("r")
        .level(Level::V10)
        .build("https://h")
        .unwrap();
    assert_eq!(url.uri().to_string(), "https://h/roles/r?level=10");
}
