//! `cargo xtask import PAGE`: a Huawei Cloud API reference page (its text, as a browser copy or
//! a text extraction gives it) → an OpenAPI 3.1 draft in the style of `spec/`, and the drift
//! between what the page states and a spec document.
//!
//! The pipeline runs one way: [`layout`] (lines → headings, tables in either layout, JSON,
//! prose) → [`page`] (what the page states) → [`draft`] (the OpenAPI document) → [`yaml`];
//! [`drift`] compares facts of two documents. Every line that finds no place becomes a
//! [`Note`]; nothing is dropped silently.

pub mod cells;
pub mod draft;
pub mod drift;
pub mod layout;
pub mod page;
pub mod yaml;

use std::fmt;

/// Something the importer says about a line of the page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// 1-based line of the page.
    pub line: usize,
    /// What kind of note.
    pub kind: NoteKind,
    /// What happened.
    pub message: String,
}

/// Kinds of notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// A line the importer could not place in the draft.
    Unplaced,
    /// A line of a part of the page the draft does not carry (on purpose).
    Ignored,
    /// A quirk of the page, turned into one of the project's extensions or worth knowing.
    Quirk,
}

impl Note {
    pub(crate) fn unplaced(line: usize, message: impl Into<String>) -> Self {
        Note {
            line,
            kind: NoteKind::Unplaced,
            message: message.into(),
        }
    }
    pub(crate) fn ignored(line: usize, message: impl Into<String>) -> Self {
        Note {
            line,
            kind: NoteKind::Ignored,
            message: message.into(),
        }
    }
    pub(crate) fn quirk(line: usize, message: impl Into<String>) -> Self {
        Note {
            line,
            kind: NoteKind::Quirk,
            message: message.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            NoteKind::Unplaced => "not placed",
            NoteKind::Ignored => "ignored",
            NoteKind::Quirk => "quirk",
        };
        write!(f, "line {}: {kind}: {}", self.line, self.message)
    }
}

/// An imported page.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The draft and the page line of its facts.
    pub draft: draft::Draft,
    /// Notes, by line.
    pub notes: Vec<Note>,
}

impl Imported {
    /// The draft as YAML.
    pub fn yaml(&self) -> String {
        yaml::to_string(&self.draft.doc)
    }
}

/// The input is not an API reference page: what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAPage(pub String);

impl fmt::Display for NotAPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Imports a page's text.
pub fn import(text: &str) -> Result<Imported, NotAPage> {
    let lines = layout::lines(text);
    let blocks = layout::blocks(&lines, &cells::row_len);
    let mut notes = Vec::new();
    let page = page::read(&blocks, &mut notes);
    let tables = page.params.len() + page.responses.len() + page.request.len();
    let mut missing = Vec::new();
    if page.uri.is_none() {
        missing.push("`METHOD /path` URI line (such as `GET /v1/{project_id}/jobs/{job_id}`)");
    }
    if tables == 0 {
        missing.push("parameter or response tables (a `Parameter` column with `Type`)");
    }
    if page.uri.is_none() || (tables == 0 && page.statuses.is_empty()) {
        if page.uri.is_some() && missing.len() == 1 {
            missing.push("status codes");
        }
        return Err(NotAPage(format!(
            "not an API reference page: it has no {}",
            missing.join(", and no ")
        )));
    }
    let draft = draft::build(&page, &mut notes);
    notes.sort();
    notes.dedup();
    Ok(Imported { draft, notes })
}
