//! Unit tests of the IR's helpers.

use super::*;

#[test]
fn path_templates_parse() {
    let t = PathTemplate::parse("/v1/{project_id}/cae/jobs/{job_id}");
    assert_eq!(t.params().collect::<Vec<_>>(), ["project_id", "job_id"]);
    assert_eq!(
        PathTemplate::parse("/files/{name}.json").parts,
        vec![
            Part::Literal("/files/".into()),
            Part::Param("name".into()),
            Part::Literal(".json".into())
        ]
    );
    assert_eq!(
        PathTemplate::parse("/a/{unclosed").parts,
        vec![Part::Literal("/a/{unclosed".into())]
    );
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
