//! Routing and check unit tests.

use super::route::host_matches_server;
use super::*;

#[test]
fn url_parts() {
    assert_eq!(
        split_url("https://u@h:8/a/b?x=1#f"),
        (Some("h"), "/a/b", Some("x=1"))
    );
    assert_eq!(
        split_url("http://127.0.0.1:9"),
        (Some("127.0.0.1"), "/", None)
    );
    assert_eq!(split_url("/a?b"), (None, "/a", Some("b")));
}

fn entry(
    at: (usize, usize),
    server: Option<&'static str>,
    method: &'static str,
    path: &'static str,
) -> RouteEntry<'static> {
    RouteEntry {
        at,
        server,
        method: Method::parse(method).unwrap(),
        path: Box::leak(Box::new(PathMatcher::new(
            &codegen::ir::PathTemplate::parse(path),
        ))),
    }
}

#[test]
fn routing_across_documents() {
    const SS: Option<&str> = Some("https://servicestage.{region}.myhuaweicloud.com");
    const CAE: Option<&str> = Some("https://cae.{region}.myhuaweicloud.com");
    let entries = [
        entry((0, 0), CAE, "GET", "/v1/{project_id}/cae/jobs/{job_id}"),
        // Two documents on the same host: both are routed to.
        entry((1, 0), SS, "GET", "/v3/{project_id}/cas/jobs/{job_id}"),
        entry((2, 0), SS, "GET", "/v3/{project_id}/cas/jobs/search"),
        entry((2, 1), SS, "DELETE", "/v3/{project_id}/cas/jobs/{job_id}"),
        entry((3, 0), SS, "GET", "/v3/{project_id}/cas/apps/{app_id}"),
    ];
    let host = "https://servicestage.cn-north-4.myhuaweicloud.com";
    let at = |m: &str, p: &str| pick(&entries, m, &format!("{host}{p}"));
    assert_eq!(at("GET", "/v3/p/cas/jobs/JOB1"), Route::Found((1, 0)));
    assert_eq!(at("DELETE", "/v3/p/cas/jobs/JOB1"), Route::Found((2, 1)));
    assert_eq!(at("GET", "/v3/p/cas/apps/a1"), Route::Found((3, 0)));
    // A literal segment beats a parameter in the same place, whatever the file order.
    assert_eq!(at("GET", "/v3/p/cas/jobs/search"), Route::Found((2, 0)));
    let mut reversed = entries;
    reversed.reverse();
    assert_eq!(
        pick(&reversed, "GET", &format!("{host}/v3/p/cas/jobs/search")),
        Route::Found((2, 0))
    );
    // Another host (a loopback replay): by path alone, over every document.
    assert_eq!(
        pick(&entries, "GET", "http://127.0.0.1:8080/v3/p/cas/apps/a1"),
        Route::Found((3, 0))
    );
    assert_eq!(
        pick(&entries, "GET", "/v1/p/cae/jobs/j"),
        Route::Found((0, 0))
    );
    // A host that fits a server limits the search to its documents.
    assert_eq!(
        pick(
            &entries,
            "GET",
            "https://cae.cn-north-4.myhuaweicloud.com/v3/p/cas/jobs/j"
        ),
        Route::NotFound
    );
    assert_eq!(at("POST", "/v3/p/cas/jobs/j"), Route::NotFound);
    // Equally specific templates in two documents: reported, not decided by order.
    let twins = [
        entry((0, 0), SS, "GET", "/v3/{project_id}/cas/jobs/{job_id}"),
        entry((1, 0), SS, "GET", "/v3/{p}/cas/jobs/{id}"),
        entry((2, 0), CAE, "GET", "/v3/{p}/cas/jobs/{id}"),
    ];
    assert_eq!(
        pick(&twins, "GET", &format!("{host}/v3/p/cas/jobs/j")),
        Route::Ambiguous(vec![(0, 0), (1, 0)])
    );
    // Leftmost difference decides: `/a/{x}/c` beats `/{y}/b/c`.
    let nested = [
        entry((0, 0), None, "GET", "/{y}/b/c"),
        entry((0, 1), None, "GET", "/a/{x}/c"),
    ];
    assert_eq!(pick(&nested, "GET", "/a/b/c"), Route::Found((0, 1)));
}

#[test]
fn servers() {
    assert!(host_matches_server(
        "cae.cn-north-4.myhuaweicloud.com",
        Some("https://cae.{region}.myhuaweicloud.com")
    ));
    assert!(!host_matches_server(
        "servicestage.cn-north-4.myhuaweicloud.com",
        Some("https://cae.{region}.myhuaweicloud.com")
    ));
    assert!(!host_matches_server(
        "cae..myhuaweicloud.com",
        Some("https://cae.{region}.myhuaweicloud.com")
    ));
}
