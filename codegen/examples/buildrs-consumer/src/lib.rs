//! Modules generated at build time from the generator's construct fixtures.

macro_rules! generated {
    ($($m:ident),*) => {$(
        #[allow(missing_docs)]
        pub mod $m {
            include!(concat!(env!("OUT_DIR"), "/", stringify!($m), ".rs"));
        }
    )*};
}

generated!(
    aliases,
    all_of,
    consts,
    constraints,
    doc_code,
    error_fields,
    integer_enums,
    json_string,
    keywords,
    naming,
    nested_arrays,
    one_of,
    open_enums,
    optional_nullable,
    params,
    recursive,
    request_body,
    spelling_enum,
    spelling_fields,
    string_boolean
);
