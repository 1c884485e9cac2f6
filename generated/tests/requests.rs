//! Request building: URLs, encoding, query, headers, refusals.

use hwc_jobs::runtime::{self, RequestError};
use hwc_jobs::{cae, servicestage};

#[test]
fn servicestage_request_for_a_region() {
    let req = servicestage::GetJobDetailsRequest::new("proj-1", "JOB17cb1778")
        .build_for_region("ap-southeast-1")
        .unwrap();
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(
        req.uri(),
        "https://servicestage.ap-southeast-1.myhuaweicloud.com/v3/proj-1/cas/jobs/JOB17cb1778"
    );
    assert_eq!(
        req.headers()["content-type"],
        "application/json;charset=utf8",
        "the spec's default"
    );
    assert!(
        req.headers().get("x-auth-token").is_none(),
        "credentials are added separately"
    );
    assert!(req.body().is_empty());
}

#[test]
fn query_parameters_only_when_set_and_desc_as_text() {
    let base = servicestage::GetJobDetailsRequest::new("p", "j");
    assert_eq!(base.build("https://h").unwrap().uri().query(), None);
    let req = base
        .clone()
        .limit(10)
        .offset(0)
        .desc(false)
        .build("https://h/")
        .unwrap();
    assert_eq!(
        req.uri(),
        "https://h/v3/p/cas/jobs/j?limit=10&offset=0&desc=false"
    );
    let desc = base.desc(true).build("https://h").unwrap();
    assert_eq!(desc.uri().query(), Some("desc=true"));
}

#[test]
fn path_parameters_stay_one_segment() {
    let req = servicestage::GetJobDetailsRequest::new("p", "a/../b?x=1")
        .build("https://h")
        .unwrap();
    assert_eq!(req.uri().path(), "/v3/p/cas/jobs/a%2F..%2Fb%3Fx%3D1");
    assert_eq!(req.uri().query(), None);
    let dots = cae::GetJobDetailsRequest::new("p", "..", "env")
        .build("https://h")
        .unwrap();
    assert_eq!(dots.uri().path(), "/v1/p/cae/jobs/%2E%2E");
    let unicode = cae::GetJobDetailsRequest::new("p", "jöb #1", "env")
        .build("https://h")
        .unwrap();
    assert_eq!(unicode.uri().path(), "/v1/p/cae/jobs/j%C3%B6b%20%231");
}

#[test]
fn empty_path_parameters_are_refused() {
    let err = servicestage::GetJobDetailsRequest::new("p", "")
        .build("https://h")
        .unwrap_err();
    assert_eq!(err, RequestError::EmptyPathParameter { name: "job_id" });
}

#[test]
fn cae_headers_required_and_optional() {
    let req = cae::GetJobDetailsRequest::new("p", "j", "env-1")
        .build_for_region("cn-north-4")
        .unwrap();
    assert_eq!(
        req.uri(),
        "https://cae.cn-north-4.myhuaweicloud.com/v1/p/cae/jobs/j"
    );
    assert_eq!(req.headers()["x-environment-id"], "env-1");
    assert!(req.headers().get("x-enterprise-project-id").is_none());
    let with_ep = cae::GetJobDetailsRequest::new("p", "j", "env-1")
        .x_enterprise_project_id("ep-9")
        .build("http://127.0.0.1:8080")
        .unwrap();
    assert_eq!(with_ep.headers()["x-enterprise-project-id"], "ep-9");
}

#[test]
fn header_values_with_cr_or_lf_are_refused_without_echoing_them() {
    for bad in ["env\r\nX-Injected: 1", "env\n", "a\rb"] {
        let err = cae::GetJobDetailsRequest::new("p", "j", bad)
            .build("https://h")
            .unwrap_err();
        assert_eq!(
            err,
            RequestError::InvalidHeaderValue {
                name: "X-Environment-ID".into()
            }
        );
        assert!(!err.to_string().contains("Injected"));
    }
    let err = servicestage::GetJobDetailsRequest::new("p", "j")
        .content_type("application/json\r\nX-Evil: 1")
        .build("https://h")
        .unwrap_err();
    assert!(matches!(err, RequestError::InvalidHeaderValue { .. }));
}

#[test]
fn sensitive_headers_are_hidden_in_debug_output() {
    let mut req = servicestage::GetJobDetailsRequest::new("p", "j")
        .build("https://h")
        .unwrap();
    runtime::set_sensitive_header(
        &mut req,
        servicestage::AUTH.token_header.unwrap(),
        "SECRET-TOKEN-123",
    )
    .unwrap();
    assert_eq!(req.headers()["x-auth-token"], "SECRET-TOKEN-123");
    assert!(!format!("{req:?}").contains("SECRET-TOKEN-123"));
    let err = runtime::set_sensitive_header(&mut req, "X-Auth-Token", "tok\r\nen").unwrap_err();
    assert!(!err.to_string().contains("tok"));
}

#[test]
fn bad_base_urls_and_regions_are_refused() {
    let r = servicestage::GetJobDetailsRequest::new("p", "j");
    for bad in [
        "ftp://h",
        "h",
        "https://",
        "https://h?x=1",
        "https://u@h",
        "https://h h",
    ] {
        assert!(
            matches!(r.build(bad), Err(RequestError::InvalidBaseUrl { .. })),
            "{bad}"
        );
    }
    for bad in ["", "evil.com/x", "a@b", "..", "-x", "cn north"] {
        assert!(
            matches!(
                r.build_for_region(bad),
                Err(RequestError::InvalidServerVariable { .. })
            ),
            "{bad:?}"
        );
    }
    assert_eq!(
        servicestage::base_url(servicestage::DEFAULT_REGION).unwrap(),
        "https://servicestage.cn-north-4.myhuaweicloud.com"
    );
    let prefixed = r.build("http://127.0.0.1:9/proxy/").unwrap();
    assert_eq!(prefixed.uri(), "http://127.0.0.1:9/proxy/v3/p/cas/jobs/j");
}
