//! Unit tests of the IR's helpers.

use super::*;

#[test]
fn path_templates_parse_match_and_rank() {
    let t = PathTemplate::parse("/v1/{project_id}/cae/jobs/{job_id}");
    assert_eq!(t.params().collect::<Vec<_>>(), ["project_id", "job_id"]);
    assert_eq!(
        t.matches("/v1/p/cae/jobs/j%2F1"),
        Some(vec![("project_id".into(), "p"), ("job_id".into(), "j%2F1")])
    );
    assert_eq!(t.matches("/v1/p/cae/jobs/"), None, "an empty parameter");
    assert_eq!(t.matches("/v1/p/cae/jobs/j/x"), None);
    assert!(t.matches("/v1/p/cae/jobs/j/").is_some(), "a trailing slash");
    let file = PathTemplate::parse("/files/{name}.json");
    assert_eq!(
        file.matches("/files/a.b.json"),
        Some(vec![("name".into(), "a.b")])
    );
    assert_eq!(
        file.matches("/files/a.json"),
        Some(vec![("name".into(), "a")])
    );
    assert_eq!(file.matches("/files/.json"), None);
    let search = PathTemplate::parse("/jobs/search");
    let by_id = PathTemplate::parse("/jobs/{id}");
    assert!(search.specificity() > by_id.specificity());
    assert!(file.specificity() > PathTemplate::parse("/files/{x}").specificity());
    assert_eq!(
        PathTemplate::parse("/a/{unclosed").parts,
        vec![Part::Literal("/a/{unclosed".into())]
    );
    assert_eq!(PathTemplate::parse("/").matches("/"), Some(vec![]));
    assert_eq!(PathTemplate::parse("/").matches("/x"), None);
}

#[test]
fn methods_and_presence() {
    assert_eq!(Method::parse("get"), Some(Method::Get));
    assert_eq!(Method::parse("PATCH").map(Method::as_str), Some("PATCH"));
    assert_eq!(Method::parse("FETCH"), None);
    assert_eq!(Presence::new(true, true), Presence::RequiredNullable);
    assert!(Presence::OptionalNullable.is_nullable() && !Presence::OptionalNullable.is_required());
    assert!(Presence::Required.is_required() && !Presence::Required.is_nullable());
}
