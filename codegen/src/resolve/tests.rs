//! Resolver unit tests.

use crate::ir::*;

fn api(yaml: &str) -> Api {
    crate::api_from_bytes(yaml.as_bytes(), "t.yaml", "t").unwrap_or_else(|e| panic!("{e}"))
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name}: {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
        .kind
}

fn fields(kind: &TypeKind) -> &[Field] {
    match kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("not a struct: {other:?}"),
    }
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn operations_carry_method_template_presence_and_success() {
    let a = api(&format!(
            "{HEAD}paths:
  /jobs/{{id}}/logs:
    patch:
      operationId: Self
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      requestBody:
        content: {{application/json: {{schema: {{type: object, properties: {{a: {{type: string}}}}}}}}}}
      responses:
        '204': {{description: none}}
        4XX: {{description: client}}
components:
  schemas:
    SelfRequest: {{type: object, required: [r, rn], properties: {{r: {{type: string}}, rn: {{type: [string, 'null']}}, o: {{type: string}}, on: {{type: [string, 'null']}}}}}}
"
        ));
    let op = &a.operations[0];
    assert_eq!(op.method, Method::Patch);
    assert_eq!(op.path.params().collect::<Vec<_>>(), ["id"]);
    assert_eq!(
        (op.type_name.as_str(), op.request_type.as_str()),
        ("Self", "SelfRequest")
    );
    assert_eq!(
        op.responses.iter().map(|r| r.success).collect::<Vec<_>>(),
        [true, false]
    );
    assert!(op
        .body
        .as_ref()
        .is_some_and(|b| !b.required && b.ty == TypeRef::Named("SelfBody".into())));
    // The schema that had the request type's name is numbered.
    let presences: Vec<Presence> = fields(ty(&a, "SelfRequest2"))
        .iter()
        .map(|f| f.presence)
        .collect();
    assert_eq!(
        presences,
        [
            Presence::Required,
            Presence::RequiredNullable,
            Presence::Optional,
            Presence::OptionalNullable
        ]
    );
}

#[test]
fn unions_all_of_and_recursion() {
    let a = api(&format!(
            "{HEAD}paths: {{}}
components:
  schemas:
    Grows: {{anyOf: [{{enum: [A, B]}}, {{type: string}}]}}
    Either: {{oneOf: [{{$ref: '#/components/schemas/Node'}}, {{type: string}}, {{type: string, format: date-time}}]}}
    Node:
      type: object
      properties:
        next: {{$ref: '#/components/schemas/Node'}}
        maybe: {{oneOf: [{{$ref: '#/components/schemas/Grows'}}, {{type: 'null'}}]}}
    Both:
      allOf:
        - {{$ref: '#/components/schemas/Node'}}
        - {{type: object, required: [extra], properties: {{extra: {{type: integer}}}}}}
"
        ));
    assert!(matches!(ty(&a, "Grows"), TypeKind::Enum(e) if e.open && e.variants.len() == 2));
    let TypeKind::Union(alts) = ty(&a, "Either") else {
        panic!()
    };
    let names: Vec<&str> = alts.iter().map(|x| x.rust_name.as_str()).collect();
    assert_eq!(names, ["Node", "String", "DateTime"]);
    assert!(alts[0].boxed, "an object in a union is boxed");
    let node = fields(ty(&a, "Node"));
    assert!(node[0].boxed, "recursive by value");
    assert_eq!(
        node[1].presence,
        Presence::OptionalNullable,
        "oneOf with null"
    );
    assert_eq!(node[1].ty, TypeRef::Named("Grows".into()));
    let both = fields(ty(&a, "Both"));
    let at: Vec<(&str, &str)> = both
        .iter()
        .map(|f| (f.wire_name.as_str(), f.pointer.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            ("next", "/components/schemas/Node/properties/next"),
            ("maybe", "/components/schemas/Node/properties/maybe"),
            ("extra", "/components/schemas/Both/allOf/1/properties/extra"),
        ]
    );
    assert_eq!(both[2].presence, Presence::Required);
}

#[test]
fn parameters_arrays_bounds_and_every_error_at_once() {
    let a = api(&format!(
            "{HEAD}paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {{name: ids, in: query, schema: {{type: array, items: {{type: integer, minimum: 1}}}}}}
        - {{name: name, in: query, schema: {{type: [string, 'null'], maxLength: 3, pattern: '^[a-z]+$', minimum: 9}}}}
      responses: {{'200': {{description: ok}}}}
"
        ));
    let p = &a.operations[0].params;
    assert_eq!(p[0].ty, TypeRef::Array(Box::new(TypeRef::I64)));
    assert_eq!(p[0].constraints.minimum, Some(1.0));
    assert_eq!(p[1].ty, TypeRef::String);
    assert_eq!(p[1].constraints.max_length, Some(3));
    assert_eq!(
        p[1].constraints.minimum, None,
        "a number bound on a string does not apply"
    );
    let errors = crate::api_from_bytes(
        format!(
            "{HEAD}paths:
  /x:
    get:
      operationId: get_x
      parameters:
        - {{name: q, in: query, schema: {{type: string, pattern: '(?!no)'}}}}
        - {{name: h, in: header, schema: {{type: array, items: {{type: string}}}}}}
      responses: {{'200': {{description: ok}}}}
"
        )
        .as_bytes(),
        "t.yaml",
        "t",
    )
    .expect_err("refused");
    let places: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    assert_eq!(places.len(), 2, "{places:?}");
    assert!(
        places[0].contains("#/paths/~1x/get/parameters/0/schema/pattern"),
        "{places:?}"
    );
    assert!(
        places[1].contains("#/paths/~1x/get/parameters/1/schema"),
        "{places:?}"
    );
}

#[test]
fn a_bad_type_is_reported_once() {
    let yaml = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Thing:
      type: object
      properties:
        a: {{type: 5}}
        b: {{type: [string, integer]}}
"
    );
    let errors = crate::api_from_bytes(yaml.as_bytes(), "t.yaml", "t").unwrap_err();
    let text = errors.to_string();
    for place in ["properties/a/type", "properties/b/type"] {
        assert_eq!(text.matches(place).count(), 1, "{text}");
    }
}
