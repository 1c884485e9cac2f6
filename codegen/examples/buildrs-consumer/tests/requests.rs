//! The generated request types of the construct fixtures: bounds checked before sending, JSON
//! request bodies, error fields from the spec.

use buildrs_consumer::*;
use serde_json::json;

#[test]
fn parameter_bounds_are_checked_before_anything_is_sent() {
    use constraints::ListJobsRequest;
    use hwc_jobs::runtime::RequestError;
    let ok = ListJobsRequest::new("JOB-1")
        .limit(100)
        .ratio(0.5)
        .small(9)
        .codes(vec![0, 5])
        .odd(1)
        .x_tag("abcd".into());
    assert!(ok.build("https://h").is_ok());
    let refused = |r: ListJobsRequest| match r.build("https://h") {
        Err(RequestError::InvalidParameter { name, reason }) => (name, reason),
        other => panic!("{other:?}"),
    };
    let base = || ListJobsRequest::new("JOB-1");
    assert_eq!(refused(base().limit(0)).0, "limit");
    assert_eq!(refused(base().limit(101)).0, "limit");
    assert_eq!(refused(base().ratio(0.0)).0, "ratio", "exclusive");
    assert_eq!(refused(base().ratio(1.0)).0, "ratio");
    assert_eq!(refused(base().small(10)).0, "small");
    assert_eq!(refused(base().codes(vec![1, -1])).0, "codes", "each item");
    let (name, reason) = refused(base().x_tag("secret-value".into()));
    assert_eq!(name, "X-Tag", "through a $ref");
    assert!(
        !reason.contains("secret"),
        "the value is not echoed: {reason}"
    );
    assert_eq!(refused(ListJobsRequest::new("AB")).0, "job_id", "minLength");
    assert_eq!(
        refused(ListJobsRequest::new("ABCDEFGHI")).0,
        "job_id",
        "maxLength"
    );
    // `pattern` too (the runtime's own matcher; the reason names the pattern, not the value).
    let (name, reason) = refused(ListJobsRequest::new("abc"));
    assert_eq!(name, "job_id");
    assert!(
        reason.contains("^[A-Z0-9-]+$") && !reason.contains("abc"),
        "{reason}"
    );
}

#[test]
fn json_request_bodies_are_typed_serialized_and_labelled() {
    use request_body::{CreateJobBody, CreateJobRequest, DeleteJobRequest, Job, UpdateJobRequest};
    // Models are `#[non_exhaustive]`: built from `Default` (or `new`), then their fields set.
    let mut body = CreateJobBody::default();
    body.name = "build".into();
    // Required body: a constructor argument; a query parameter named `body` gets `body_2`.
    let req = CreateJobRequest::new(body.clone()).body_2("q");
    let built = req.build("https://h").unwrap();
    assert_eq!(built.method(), http::Method::POST);
    assert_eq!(built.uri().to_string(), "https://h/jobs?body=q");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(built.body()).unwrap(),
        json!({"name": "build"})
    );
    // The spec's Content-Type header parameter (with its default) wins over the body's media.
    assert_eq!(
        built.headers()["content-type"],
        "application/json;charset=utf-8"
    );
    // Optional body, through a $ref to components/requestBodies.
    let none = UpdateJobRequest::new("j1").build("https://h").unwrap();
    assert!(none.body().is_empty() && none.headers().get("content-type").is_none());
    let mut job = Job::default();
    job.name = Some("n".into());
    let some = UpdateJobRequest::new("j1")
        .body(job)
        .build("https://h")
        .unwrap();
    assert_eq!(some.body().as_slice(), br#"{"name":"n"}"#);
    assert_eq!(some.headers()["content-type"], "application/json");
    // A +json media type is labelled as the spec says.
    let del = DeleteJobRequest::new("j1")
        .body(vec!["a".into()])
        .build("https://h")
        .unwrap();
    assert_eq!(
        del.headers()["content-type"],
        "application/merge-patch+json"
    );
}

/// The error body's fields come from the spec: a body spelled `fault_code`/`fault_message`
/// is read through them, and the usual Huawei spellings still work.
#[test]
fn error_fields_come_from_the_spec() {
    use error_fields::GetGateRequest as R;
    assert_eq!(error_fields::ERROR_FIELDS.code, Some("fault_code"));
    assert_eq!(error_fields::ERROR_FIELDS.message, Some("fault_message"));
    let h = http::HeaderMap::new();
    let e = R::parse_response(
        400,
        &h,
        br#"{"fault_code":"G.400","fault_message":"closed"}"#,
    )
    .unwrap_err();
    let hwc_jobs::runtime::ResponseError::Api(api) = e else {
        panic!("{e}")
    };
    assert_eq!(
        (api.error_code.as_deref(), api.error_msg.as_deref()),
        (Some("G.400"), Some("closed"))
    );
    let e = R::parse_response(400, &h, br#"{"error_code":"H.1","error_msg":"m"}"#).unwrap_err();
    let hwc_jobs::runtime::ResponseError::Api(api) = e else {
        panic!("{e}")
    };
    assert_eq!(api.error_code.as_deref(), Some("H.1"));
}
