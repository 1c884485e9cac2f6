//! Response parsing: typed bodies and typed errors.

use hwc_jobs::runtime::ResponseError;
use hwc_jobs::{cae, servicestage};

fn headers(request_id: Option<&str>) -> http::HeaderMap {
    let mut h = http::HeaderMap::new();
    h.insert("content-type", "application/json".parse().unwrap());
    if let Some(r) = request_id {
        h.insert("X-Request-Id", r.parse().unwrap());
    }
    h
}

#[test]
fn success_gives_the_model() {
    let body = br#"{"job":{"execution_status":"RUNNING"},"tasks":[],"task_count":0}"#;
    let d = servicestage::GetJobDetailsRequest::parse_response(200, &headers(None), body).unwrap();
    assert_eq!(d.task_count, Some(0));
}

#[test]
fn huawei_error_body_with_request_id() {
    let body = br#"{"error_code":"SVCSTG.00100429","error_msg":"job not found"}"#;
    let err =
        servicestage::GetJobDetailsRequest::parse_response(404, &headers(Some("req-42")), body)
            .unwrap_err();
    let ResponseError::Api(api) = &err else {
        panic!("{err}")
    };
    assert_eq!(api.status, 404);
    assert!(api.documented);
    assert_eq!(api.error_code.as_deref(), Some("SVCSTG.00100429"));
    assert_eq!(api.error_msg.as_deref(), Some("job not found"));
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert_eq!(api.raw_body, None);
    assert_eq!(
        err.to_string(),
        "API error: HTTP 404 SVCSTG.00100429: job not found (request id req-42)"
    );
}

#[test]
fn undocumented_status_is_flagged() {
    let body = br#"{"error_code":"SVCSTG.00100401","error_msg":"not found"}"#;
    let err =
        servicestage::GetJobDetailsRequest::parse_response(401, &headers(None), body).unwrap_err();
    let ResponseError::Api(api) = err else {
        panic!()
    };
    assert!(!api.documented);
    // CAE documents `default`, so every error status is documented there.
    let err = cae::GetJobDetailsRequest::parse_response(
        400,
        &headers(None),
        br#"{"error_code":"CAE.01500208","error_msg":"x"}"#,
    )
    .unwrap_err();
    let ResponseError::Api(api) = err else {
        panic!()
    };
    assert!(api.documented);
    assert_eq!(api.error_code.as_deref(), Some("CAE.01500208"));
}

#[test]
fn other_error_shapes_and_gateway_request_id() {
    let cases: [(&[u8], &str, &str); 3] = [
        (
            br#"{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}"#,
            "APIGW.0301",
            "Incorrect IAM authentication information",
        ),
        (br#"{"errorCode":"E1","errorMsg":"camel"}"#, "E1", "camel"),
        (
            br#"{"error":{"code":"E2","message":"nested"}}"#,
            "E2",
            "nested",
        ),
    ];
    for (body, code, msg) in cases {
        let ResponseError::Api(api) =
            cae::GetJobDetailsRequest::parse_response(401, &headers(None), body).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(api.error_code.as_deref(), Some(code));
        assert_eq!(api.error_msg.as_deref(), Some(msg));
    }
    let body =
        br#"{"error_code":"APIGW.0101","error_msg":"The API does not exist","request_id":"gw-1"}"#;
    let ResponseError::Api(api) =
        cae::GetJobDetailsRequest::parse_response(404, &headers(None), body).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(api.request_id.as_deref(), Some("gw-1"));
}

#[test]
fn html_from_a_gateway_is_kept_raw() {
    let body = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = servicestage::GetJobDetailsRequest::parse_response(500, &headers(Some("r")), body)
        .unwrap_err();
    let ResponseError::Api(api) = &err else {
        panic!()
    };
    assert_eq!(api.error_code, None);
    assert_eq!(
        api.raw_body.as_deref(),
        Some("<html><body><h1>502 Bad Gateway</h1></body></html>")
    );
    assert_eq!(api.message(), api.raw_body.as_deref());
    assert_eq!(err.request_id(), Some("r"));
}

#[test]
fn a_success_body_that_does_not_match_is_a_decode_error() {
    for body in [
        &b"not json"[..],
        b"",
        br#"{"task_count":"two"}"#,
        b"\xff\xfe",
    ] {
        let err =
            servicestage::GetJobDetailsRequest::parse_response(200, &headers(Some("r1")), body)
                .unwrap_err();
        let ResponseError::Decode {
            status, request_id, ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(*status, 200);
        assert_eq!(request_id.as_deref(), Some("r1"));
    }
}

/// A decode error says where in the body the model stopped, as a JSON pointer, in the
/// spelling received.
#[test]
fn decode_errors_carry_the_json_pointer() {
    for (body, want) in [
        (
            &br#"{"tasks":[{"task_index":1},{"task_index":"x"}]}"#[..],
            "/tasks/1/task_index",
        ),
        (br#"{"TASKS":[{"TASK_INDEX":"x"}]}"#, "/TASKS/0/TASK_INDEX"),
        (
            br#"{"job":{"execution_status":7}}"#,
            "/job/execution_status",
        ),
        (b"not json", ""),
    ] {
        let err = servicestage::GetJobDetailsRequest::parse_response(200, &headers(None), body)
            .unwrap_err();
        let ResponseError::Decode { pointer, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(pointer, want, "{}", String::from_utf8_lossy(body));
        if !want.is_empty() {
            assert!(
                err.to_string().contains(&format!("the model at {want}: ")),
                "{err}"
            );
        }
    }
}

/// The gateway's answer to a bad AK/SK signature quotes its canonical request, signed headers
/// and all: the security token must not survive into the error, its `Display` or `Debug`.
#[test]
fn a_signature_error_keeps_no_credential_and_shows_the_canonical_request() {
    let body = br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest: GET|/v3/p/cas/jobs/j/||content-type:application/json|host:servicestage.cn-north-4.myhuaweicloud.com|x-sdk-date:20261123T010203Z|x-security-token:PLANTED-STS-SECRET|content-type;host;x-sdk-date;x-security-token|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","request_id":"r-1"}"#;
    let err =
        servicestage::GetJobDetailsRequest::parse_response(401, &headers(None), body).unwrap_err();
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("PLANTED-STS-SECRET"), "{shown}");
    }
    let ResponseError::Api(api) = &err else {
        panic!("{err}")
    };
    let canonical = api
        .server_canonical_request()
        .expect("APIGW.0301 quotes it");
    let lines: Vec<&str> = canonical.lines().collect();
    assert_eq!(lines[0], "GET");
    assert_eq!(lines[1], "/v3/p/cas/jobs/j/");
    assert!(
        lines.contains(&"x-security-token:[REDACTED]"),
        "{canonical}"
    );
    assert!(lines.contains(&"host:servicestage.cn-north-4.myhuaweicloud.com"));
    // Not a signature error: nothing to show.
    let other = br#"{"error_code":"SVCSTG.00100404","error_msg":"GET|x"}"#;
    let ResponseError::Api(api) =
        servicestage::GetJobDetailsRequest::parse_response(404, &headers(None), other).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(api.server_canonical_request(), None);
    // A body that is not JSON is cleaned too.
    let raw = b"<html>x-auth-token=PLANTED-TOKEN</html>";
    let shown = servicestage::GetJobDetailsRequest::parse_response(502, &headers(None), raw)
        .unwrap_err()
        .to_string();
    assert!(
        !shown.contains("PLANTED-TOKEN") && shown.contains("[REDACTED]"),
        "{shown}"
    );
}
