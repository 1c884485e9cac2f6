//! The checks and their levels: one [`Check`] per kind of finding, with its name (in findings,
//! flags, `conformance.toml` and every report), its default [`Level`] and what it finds. The
//! runner's checks ([`crate::check`]), its rules ([`crate::rules`]), `conformance rules` and
//! the README's table (a test compares them) all read them from here.

use serde::{Serialize, Serializer};
use std::cmp::Ordering;

/// How much a finding weighs: the level of its check in a run. Findings are never `Off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A finding fails the exchange.
    Error,
    /// Reported; fails the exchange only with `--strict`.
    Warning,
    /// Reported for information.
    Note,
    /// Not reported.
    Off,
}

impl Level {
    /// The level's name, as written in flags, `conformance.toml` and reports.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Off => "off",
        }
    }

    /// Reads a level as flags and `conformance.toml` write it (`deny`, `warn` and `allow` too).
    pub fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "error" | "deny" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "note" => Level::Note,
            "off" | "allow" => Level::Off,
            _ => return None,
        })
    }
}

/// A check. Ordered by name, as reports list findings of one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// `route`: the exchange fits operations of two documents equally well.
    Route,
    /// `status`: a status the operation does not document.
    Status,
    /// `content-type`: a JSON body the response does not label JSON.
    ContentType,
    /// `body`: a documented body that is missing, not JSON, or not decodable.
    Body,
    /// `schema`: the body is not valid for its JSON Schema.
    Schema,
    /// `open-enum`: a value outside a documented enum (the generated models keep it).
    OpenEnum,
    /// `undocumented-field`: a field the spec does not list (JSON Schema allows it; the models keep it).
    UndocumentedField,
    /// `alias`: a field in a documented alternative spelling (x-aliases).
    Alias,
    /// `tolerated-spelling`: a spelling the docs do not state, which the models tolerate (x-tolerated-aliases).
    ToleratedSpelling,
    /// `alias-conflict`: one field in two spellings in one object.
    AliasConflict,
    /// `model`: the generated model rejects a body the schema rejects too.
    Model,
    /// `spec-model-disagreement`: the schema and the generated model disagree about a body.
    SpecModelDisagreement,
    /// `model-output`: a 2xx model, written back, no longer validates.
    ModelOutput,
    /// `request-auth`: the request carried no credentials the spec's security schemes accept.
    RequestAuth,
    /// `request-signature`: with --verify-signatures: an AK/SK signature that does not match the request, or signed over 15 minutes from when it was recorded (other keys: a note).
    RequestSignature,
    /// `request-param`: a required parameter missing, or a parameter invalid for its schema.
    RequestParam,
    /// `undocumented-param`: a query parameter the operation does not document.
    UndocumentedParam,
    /// `request-body`: a required JSON request body missing, not JSON, or invalid.
    RequestBody,
}

impl Check {
    /// Every check, in the order `conformance rules` and the README list them.
    pub const ALL: [Check; 18] = [
        Check::Route,
        Check::Status,
        Check::ContentType,
        Check::Body,
        Check::Schema,
        Check::OpenEnum,
        Check::UndocumentedField,
        Check::Alias,
        Check::ToleratedSpelling,
        Check::AliasConflict,
        Check::Model,
        Check::SpecModelDisagreement,
        Check::ModelOutput,
        Check::RequestAuth,
        Check::RequestSignature,
        Check::RequestParam,
        Check::UndocumentedParam,
        Check::RequestBody,
    ];

    /// The name, as in findings, flags, `conformance.toml` and reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::Route => "route",
            Check::Status => "status",
            Check::ContentType => "content-type",
            Check::Body => "body",
            Check::Schema => "schema",
            Check::OpenEnum => "open-enum",
            Check::UndocumentedField => "undocumented-field",
            Check::Alias => "alias",
            Check::ToleratedSpelling => "tolerated-spelling",
            Check::AliasConflict => "alias-conflict",
            Check::Model => "model",
            Check::SpecModelDisagreement => "spec-model-disagreement",
            Check::ModelOutput => "model-output",
            Check::RequestAuth => "request-auth",
            Check::RequestSignature => "request-signature",
            Check::RequestParam => "request-param",
            Check::UndocumentedParam => "undocumented-param",
            Check::RequestBody => "request-body",
        }
    }

    /// The level findings of this check have unless a run changes it.
    pub fn default_level(self) -> Level {
        match self {
            Check::Route => Level::Error,
            Check::Status => Level::Error,
            Check::ContentType => Level::Error,
            Check::Body => Level::Error,
            Check::Schema => Level::Error,
            Check::OpenEnum => Level::Error,
            Check::UndocumentedField => Level::Warning,
            Check::Alias => Level::Note,
            Check::ToleratedSpelling => Level::Warning,
            Check::AliasConflict => Level::Error,
            Check::Model => Level::Error,
            Check::SpecModelDisagreement => Level::Error,
            Check::ModelOutput => Level::Error,
            Check::RequestAuth => Level::Error,
            Check::RequestSignature => Level::Error,
            Check::RequestParam => Level::Error,
            Check::UndocumentedParam => Level::Warning,
            Check::RequestBody => Level::Error,
        }
    }

    /// One line on what it finds.
    pub fn what(self) -> &'static str {
        match self {
            Check::Route => "the exchange fits operations of two documents equally well",
            Check::Status => "a status the operation does not document",
            Check::ContentType => "a JSON body the response does not label JSON",
            Check::Body => "a documented body that is missing, not JSON, or not decodable",
            Check::Schema => "the body is not valid for its JSON Schema",
            Check::OpenEnum => "a value outside a documented enum (the generated models keep it)",
            Check::UndocumentedField => "a field the spec does not list (JSON Schema allows it; the models keep it)",
            Check::Alias => "a field in a documented alternative spelling (x-aliases)",
            Check::ToleratedSpelling => "a spelling the docs do not state, which the models tolerate (x-tolerated-aliases)",
            Check::AliasConflict => "one field in two spellings in one object",
            Check::Model => "the generated model rejects a body the schema rejects too",
            Check::SpecModelDisagreement => "the schema and the generated model disagree about a body",
            Check::ModelOutput => "a 2xx model, written back, no longer validates",
            Check::RequestAuth => "the request carried no credentials the spec's security schemes accept",
            Check::RequestSignature => "with --verify-signatures: an AK/SK signature that does not match the request, or signed over 15 minutes from when it was recorded (other keys: a note)",
            Check::RequestParam => "a required parameter missing, or a parameter invalid for its schema",
            Check::UndocumentedParam => "a query parameter the operation does not document",
            Check::RequestBody => "a required JSON request body missing, not JSON, or invalid",
        }
    }

    /// The check of a name; `None` for a name that is not one.
    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl Ord for Check {
    fn cmp(&self, other: &Self) -> Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Check {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Check {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_read_back() {
        for c in Check::ALL {
            assert_eq!(Check::from_name(c.name()), Some(c));
            assert_ne!(c.default_level(), Level::Off);
        }
        let mut names: Vec<&str> = Check::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Check::ALL.len());
        assert_eq!(Check::from_name("nope"), None);
    }

    /// The README's table of checks is this list: every check once, with its default level.
    #[test]
    fn the_readme_table_lists_every_check_with_its_default() {
        let readme = include_str!("../../README.md");
        let rows: Vec<(&str, &str)> = readme
            .lines()
            .filter_map(|l| {
                let mut cells = l.strip_prefix("| `")?.splitn(3, " | ");
                let name = cells.next()?.strip_suffix('`')?;
                let level = cells.next()?.trim_matches('*');
                Check::from_name(name).map(|_| (name, level))
            })
            .collect();
        let want: Vec<(&str, &str)> = Check::ALL
            .iter()
            .map(|c| (c.name(), c.default_level().name()))
            .collect();
        assert_eq!(rows, want);
    }
}
