//! The suite of spec edits the API change report is checked with: one base document, and for
//! each edit the document after it and the report lines expected (class, item).

use codegen::surface::diff::{diff, Change, Class};
use codegen::surface::surface;

/// The document every edit starts from.
pub const BASE: &str = r#"openapi: 3.1.0
info: {title: Jobs, version: '1'}
servers:
  - url: 'https://jobs.{region}.example.com'
    variables: {region: {default: r1}}
paths:
  /v1/{project_id}/jobs/{job_id}:
    get:
      operationId: get_job
      parameters:
        - {name: project_id, in: path, required: true, schema: {type: string}}
        - {name: job_id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: OK
          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}
        '404':
          description: Not found
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
components:
  schemas:
    Job:
      type: object
      properties:
        id: {type: string, description: The job's id.}
        status: {$ref: '#/components/schemas/Status'}
        kind: {$ref: '#/components/schemas/Kind'}
        flag: {type: string, enum: ['true', 'false'], x-boolean-string: true}
        created: {type: string}
        child: {$ref: '#/components/schemas/Node'}
    Status: {type: string, enum: [RUNNING, DONE]}
    Kind: {type: string, enum: [A, B], x-open-enum: false}
    Node:
      type: object
      properties:
        name: {type: string}
    Error:
      type: object
      properties:
        code: {type: string}
    Thing:
      type: object
      properties:
        a: {type: string}
    thing:
      type: object
      properties:
        b: {type: string}
"#;

/// One edit: a name, the document after it, and the (class, item) lines the report must have.
/// Items are `module::path`; every other line of the report must be of a class listed in
/// `also` (so that an edit is not reported as more than it is).
pub struct Edit {
    pub name: &'static str,
    pub spec: String,
    pub expect: Vec<(Class, &'static str)>,
    pub also: Vec<Class>,
}

fn edit(name: &'static str, from: &str, to: &str, expect: &[(Class, &'static str)]) -> Edit {
    assert!(
        BASE.contains(from),
        "edit {name}: `{from}` is not in the base document"
    );
    Edit {
        name,
        spec: BASE.replacen(from, to, 1),
        expect: expect.to_vec(),
        also: Vec::new(),
    }
}

/// Every edit of the suite.
pub fn edits() -> Vec<Edit> {
    use Class::*;
    let job_props = "        child: {$ref: '#/components/schemas/Node'}\n";
    let params = "        - {name: limit, in: query, schema: {type: integer}}\n";
    let mut v = vec![
        edit(
            "new_optional_field",
            job_props,
            &format!("{job_props}        extra: {{type: string}}\n"),
            &[(Additive, "t::Job.extra")],
        ),
        edit(
            "new_required_param",
            params,
            &format!("{params}        - {{name: zone, in: query, required: true, schema: {{type: string}}}}\n"),
            &[(Breaking, "t::GetJobRequest::new()"), (Additive, "t::GetJobRequest.zone")],
        ),
        edit(
            "new_optional_param",
            params,
            &format!("{params}        - {{name: page, in: query, schema: {{type: integer}}}}\n"),
            &[(Additive, "t::GetJobRequest.page"), (Additive, "t::GetJobRequest::page()")],
        ),
        edit(
            "removed_field",
            "        created: {type: string}\n",
            "",
            &[(Breaking, "t::Job.created")],
        ),
        edit(
            "changed_type",
            "id: {type: string, description: The job's id.}",
            "id: {type: integer, description: The job's id.}",
            &[(Breaking, "t::Job.id")],
        ),
        edit(
            "open_enum_value",
            "enum: [RUNNING, DONE]}",
            "enum: [RUNNING, DONE, PAUSED]}",
            &[(Additive, "t::Status::Paused"), (Wire, "t::Status::VALUES")],
        ),
        edit(
            "closed_enum_value",
            "enum: [A, B], x-open-enum: false}",
            "enum: [A, B, C], x-open-enum: false}",
            &[(Breaking, "t::Kind::C"), (Wire, "t::Kind::VALUES")],
        ),
        edit(
            "number_field_drops_eq",
            "        name: {type: string}\n",
            "        name: {type: string}\n        size: {type: number}\n",
            &[(Additive, "t::Node.size"), (Breaking, "t::Node"), (Breaking, "t::Job")],
        ),
        edit(
            "field_boxed_for_recursion",
            "        name: {type: string}\n",
            "        name: {type: string}\n        job: {$ref: '#/components/schemas/Job'}\n",
            &[(Additive, "t::Node.job"), (Breaking, "t::Job.child")],
        ),
    ];
    v.extend(more_edits());
    v.push(Edit {
        name: "renamed_schema",
        spec: BASE.replace("Node", "Tree"),
        // Another schema name: another type (the report cannot tell a renamed schema from a
        // removed one and a new one), and the field that held it changes type.
        expect: vec![
            (Class::Breaking, "t::Node"),
            (Class::Additive, "t::Tree"),
            (Class::Breaking, "t::Job.child"),
        ],
        also: Vec::new(),
    });
    v
}

/// The wire, docs, enum, operation and naming edits.
fn more_edits() -> Vec<Edit> {
    use Class::*;
    let mut v = vec![
        edit(
            "x_aliases",
            "id: {type: string, description: The job's id.}",
            "id: {type: string, description: The job's id., x-aliases: [ID]}",
            &[(Wire, "t::Job.id")],
        ),
        edit(
            "description",
            "The job's id.",
            "The job's identifier.",
            &[(Docs, "t::Job.id")],
        ),
        edit(
            "open_enum_closed",
            "enum: [RUNNING, DONE]}",
            "enum: [RUNNING, DONE], x-open-enum: false}",
            &[(Breaking, "t::Status"), (Breaking, "t::Status::Unrecognized")],
        ),
        edit(
            "x_boolean_string_removed",
            "flag: {type: string, enum: ['true', 'false'], x-boolean-string: true}",
            "flag: {type: string, enum: ['true', 'false']}",
            &[(Breaking, "t::Job.flag"), (Additive, "t::JobFlag")],
        ),
        edit(
            "date_time",
            "        created: {type: string}\n",
            "        created: {type: string, format: date-time}\n",
            &[(Breaking, "t::Job.created")],
        ),
        edit(
            "nullable",
            "id: {type: string, description: The job's id.}",
            "id: {type: [string, 'null'], description: The job's id.}",
            &[(Breaking, "t::Job.id")],
        ),
        edit(
            "new_operation",
            "components:\n",
            "  /v1/{project_id}/jobs:\n    get:\n      operationId: list_jobs\n      parameters:\n        - {name: project_id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: OK}\ncomponents:\n",
            &[(Additive, "t::ListJobsRequest")],
        ),
        edit(
            "new_status",
            "        '404':\n",
            "        '500':\n          description: Server error\n          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}\n        '404':\n",
            &[(Wire, "t::GetJobRequest::parse_response()")],
        ),
        edit(
            "numbered_names_shift",
            "    Thing:\n",
            "    THING:\n      type: object\n      properties:\n        c: {type: string}\n    Thing:\n",
            &[(Breaking, "t::Thing"), (Breaking, "t::Thing2")],
        ),
    ];
    // The operation's path moved: the same Rust API, another URL.
    let moved = BASE.replacen(
        "  /v1/{project_id}/jobs/{job_id}:\n",
        "  /v1/{project_id}/jobs/{job_id}/old:\n",
        1,
    );
    v.push(Edit {
        name: "changed_path",
        spec: moved,
        expect: vec![(Class::Wire, "t::GetJobRequest::PATH")],
        also: Vec::new(),
    });
    v.push(Edit {
        name: "removed_operation",
        spec: BASE.replacen("operationId: get_job", "operationId: fetch_job", 1),
        // The request type is generated from the same operation under another name: reported
        // as renamed, and its items as removed and added.
        expect: vec![(Class::Breaking, "t::GetJobRequest")],
        also: vec![Class::Breaking, Class::Additive],
    });
    v
}

/// The report lines of an edit: the base and edited documents resolved and compared.
pub fn changes(edited: &str) -> Vec<Change> {
    let load = |text: &str| {
        codegen::api_from_bytes(text.as_bytes(), "spec/t.yaml", "t")
            .unwrap_or_else(|e| panic!("{e}"))
    };
    diff(&surface(&load(BASE)), &surface(&load(edited)))
}
