//! Step 2 of the importer: blocks into what the page states — title, method and path,
//! parameters, object tables (linked to the fields that use them), examples, status codes —
//! and a note for every line that found no place.

use super::cells::{self, Role};
use super::layout::{Block, Table};
use super::Note;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// Path.
    Path,
    /// Query.
    Query,
    /// Header.
    Header,
}

/// A row of a parameter or field table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Line of the row.
    pub line: usize,
    /// Name as the table spells it.
    pub name: String,
    /// `Mandatory` column, when the table has one.
    pub mandatory: Option<bool>,
    /// Type cell.
    pub ty: String,
    /// Description cell.
    pub description: String,
}

/// An object table (response or request body, or a nested object).
#[derive(Debug, Clone)]
pub struct ObjTable {
    /// Page-wide table number (caption number, else position).
    pub number: usize,
    /// Caption text.
    pub caption: Option<String>,
    /// Line of the table.
    pub line: usize,
    /// Rows.
    pub rows: Vec<Row>,
}

/// What a page states.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Title (line, text).
    pub title: Option<(usize, String)>,
    /// (line, method, path) of the URI line.
    pub uri: Option<(usize, String, String)>,
    /// Function text.
    pub function: Vec<String>,
    /// Other prose that describes the operation (authorization information, constraints).
    pub more: Vec<String>,
    /// Path, query and header parameters.
    pub params: Vec<(In, Row)>,
    /// Request body tables: the first is the body.
    pub request: Vec<ObjTable>,
    /// Response tables by status: the first of each is the body.
    pub responses: Vec<(u16, Vec<ObjTable>)>,
    /// Example responses (line, status, value).
    pub examples: Vec<(usize, Option<u16>, serde_json::Value)>,
    /// Status codes (line, code, description).
    pub statuses: Vec<(usize, u16, String)>,
    /// Line of an `Error Codes` section or a "see … Error Codes" reference.
    pub error_codes: Option<usize>,
    /// Hosts of example request URLs (line, host).
    pub hosts: Vec<(usize, String)>,
    /// Whether the page says AK/SK authentication is possible.
    pub aksk: bool,
    /// Line of the first response table read with no `Status code:` before it (put on 200).
    pub guessed_status: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    Function,
    Uri,
    Describing,
    Request,
    Response,
    ExampleRequest,
    ExampleResponse,
    Status,
    Error,
    Other,
}

fn section(heading: &str) -> Section {
    match heading.to_ascii_lowercase().as_str() {
        "function" => Section::Function,
        "uri" => Section::Uri,
        "authorization information" | "constraints" => Section::Describing,
        "request" | "request parameters" => Section::Request,
        "response" | "response parameters" => Section::Response,
        "example request" | "example requests" => Section::ExampleRequest,
        "example response" | "example responses" => Section::ExampleResponse,
        "status code" | "status codes" | "http status code" | "http status codes" => {
            Section::Status
        }
        "error code" | "error codes" => Section::Error,
        _ => Section::Other,
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// `GET /v1/{project_id}/x` → (GET, path); `GET https://host/v1/x` → host only (example).
fn uri_line(t: &str) -> Option<(String, String)> {
    let (m, rest) = t.split_once(' ')?;
    if !METHODS.contains(&m) {
        return None;
    }
    let rest = rest.trim();
    rest.starts_with('/').then(|| {
        (
            m.to_owned(),
            rest.split(['?', ' ']).next().unwrap_or(rest).to_owned(),
        )
    })
}

fn example_host(t: &str) -> Option<String> {
    let (m, rest) = t.split_once(' ')?;
    if !METHODS.contains(&m) {
        return None;
    }
    let after = rest.trim().strip_prefix("https://")?;
    let host = after.split('/').next()?;
    (!host.contains('{') && host.contains('.')).then(|| host.to_owned())
}

fn columns(t: &Table) -> Vec<Role> {
    t.header.iter().map(|h| cells::role(h)).collect()
}

fn rows(t: &Table) -> Vec<Row> {
    let roles = columns(t);
    t.rows
        .iter()
        .filter_map(|(line, cells)| {
            let mut row = Row {
                line: *line,
                name: String::new(),
                mandatory: None,
                ty: String::new(),
                description: String::new(),
            };
            let mut text = Vec::new();
            for (role, cell) in roles.iter().zip(cells) {
                match role {
                    Role::Name => row.name = cell.trim().to_owned(),
                    Role::Mandatory => {
                        row.mandatory = Some(
                            cell.trim().eq_ignore_ascii_case("yes")
                                || cell.trim().eq_ignore_ascii_case("true"),
                        )
                    }
                    Role::Type => row.ty = cell.trim().to_owned(),
                    Role::Status => row.name = cell.trim().to_owned(),
                    Role::Text => text.push(cell.clone()),
                }
            }
            row.description = text.join("\n");
            (!row.name.is_empty()).then_some(row)
        })
        .collect()
}

fn header_like(name: &str) -> bool {
    name.eq_ignore_ascii_case("content-type")
        || name.to_ascii_lowercase().starts_with("x-")
        || (name.contains('-') && name.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
}

/// A table: status codes, or parameters of the section it is in (URI, request headers or
/// body, a response for `status`), numbered `position` when it has no caption number.
fn read_table(
    page: &mut Page,
    t: &Table,
    sec: Section,
    status: Option<u16>,
    position: usize,
    notes: &mut Vec<Note>,
) {
    let number = t.number.unwrap_or(position);
    let roles = columns(t);
    let rows_of = rows(t);
    if roles.contains(&Role::Status) {
        for r in &rows_of {
            match r.name.parse::<u16>() {
                Ok(code) => page
                    .statuses
                    .push((r.line, code, cells::facts(&r.description).text)),
                Err(_) => notes.push(Note::unplaced(
                    r.line,
                    format!("`{}` is not a status code", r.name),
                )),
            }
        }
        return;
    }
    if !roles.contains(&Role::Name) {
        notes.push(Note::unplaced(
            t.line,
            format!(
                "a table without a Parameter column ({})",
                t.header.join(", ")
            ),
        ));
        return;
    }
    if rows_of
        .iter()
        .any(|r| r.description.to_ascii_lowercase().contains("ak/sk"))
    {
        page.aksk = true;
    }
    let caption = t.caption.clone();
    let cap = caption.as_deref().unwrap_or("").to_ascii_lowercase();
    let obj = ObjTable {
        number,
        caption: caption.clone(),
        line: t.line,
        rows: rows_of.clone(),
    };
    match sec {
        Section::Uri => {
            let placeholders = page
                .uri
                .as_ref()
                .map(|(_, _, p)| p.clone())
                .unwrap_or_default();
            for r in rows_of {
                let loc = if cap.contains("query") {
                    In::Query
                } else if cap.contains("path") || placeholders.contains(&format!("{{{}}}", r.name))
                {
                    In::Path
                } else {
                    In::Query
                };
                page.params.push((loc, r));
            }
        }
        Section::Request
            if cap.contains("header")
                || (!cap.contains("body") && rows_of.iter().all(|r| header_like(&r.name))) =>
        {
            for r in rows_of {
                page.params.push((In::Header, r));
            }
        }
        Section::Request => page.request.push(obj),
        Section::Response => {
            if status.is_none() {
                page.guessed_status.get_or_insert(t.line);
            }
            let code = status.unwrap_or(200);
            match page.responses.iter_mut().find(|(c, _)| *c == code) {
                Some((_, list)) => list.push(obj),
                None => page.responses.push((code, vec![obj])),
            }
        }
        _ => notes.push(Note::unplaced(
            t.line,
            "a parameter table outside URI, Request and Response",
        )),
    }
}

/// Response tables with no `Status code:` line were put on 200; when the status table does
/// not list 200 but exactly one other success status, they belong to that one.
fn settle_guessed_status(page: &mut Page, notes: &mut Vec<Note>) {
    if let Some(line) = page.guessed_status {
        let listed: Vec<u16> = page.statuses.iter().map(|(_, c, _)| *c).collect();
        let success: Vec<u16> = listed
            .iter()
            .copied()
            .filter(|c| (200..300).contains(c))
            .collect();
        if !listed.is_empty() && !listed.contains(&200) {
            match success[..] {
                [only] => {
                    for (c, _) in &mut page.responses {
                        if *c == 200 {
                            *c = only;
                        }
                    }
                    notes.push(Note::quirk(line, format!("the response tables name no status: put on {only}, the only success status listed")));
                }
                _ => notes.push(Note::quirk(line, "the response tables name no status, and the status codes do not say which success status: put on 200")),
            }
        }
    }
}

/// Reads the blocks; notes say what found no place.
pub fn read(blocks: &[Block], notes: &mut Vec<Note>) -> Page {
    let mut page = Page::default();
    let mut sec = Section::Preamble;
    let mut status: Option<u16> = None;
    let mut position = 0usize;
    let mut preamble: Vec<(usize, String)> = Vec::new();
    for b in blocks {
        match b {
            Block::Heading(_, h) => {
                sec = section(h);
                if matches!(sec, Section::Error) {
                    page.error_codes.get_or_insert(match b {
                        Block::Heading(l, _) => *l,
                        _ => 0,
                    });
                }
                if !matches!(sec, Section::Response | Section::ExampleResponse) {
                    status = None;
                }
            }
            Block::StatusLine(_, code) => status = Some(*code),
            Block::Prose(line, t) => {
                let lower = t.to_ascii_lowercase();
                if lower.contains("ak/sk") {
                    page.aksk = true;
                }
                if lower.contains("error codes") && lower.contains("see") {
                    page.error_codes.get_or_insert(*line);
                }
                if let Some((m, p)) = uri_line(t) {
                    if page.uri.is_none() {
                        page.uri = Some((*line, m, p));
                        continue;
                    }
                }
                if let Some(h) = example_host(t) {
                    page.hosts.push((*line, h));
                    continue;
                }
                match sec {
                    Section::Preamble => preamble.push((*line, t.clone())),
                    Section::Function => page.function.push(t.clone()),
                    Section::Describing => page.more.push(t.clone()),
                    Section::ExampleRequest | Section::ExampleResponse => {
                        if !t.eq_ignore_ascii_case("none")
                            && !matches!(t.as_str(), "OK" | "Created" | "Accepted")
                        {
                            notes.push(Note::ignored(
                                *line,
                                "example text (the draft keeps example bodies only)",
                            ));
                        }
                    }
                    Section::Error => {
                        if !lower.contains("error code") {
                            notes.push(Note::ignored(
                                *line,
                                "text after the error codes (page footer?)",
                            ));
                        }
                    }
                    Section::Status => {
                        notes.push(Note::unplaced(*line, "text in the status code section"))
                    }
                    Section::Uri | Section::Request | Section::Response
                        if t.eq_ignore_ascii_case("none") =>
                    {
                        // "None": no parameters, or no body, for this part.
                    }
                    Section::Uri | Section::Request | Section::Response => {
                        if t.starts_with("Table caption without a table") {
                            notes.push(Note::unplaced(*line, t));
                        } else if !lower.contains("ak/sk") {
                            notes.push(Note::unplaced(*line, "text between tables"));
                        }
                    }
                    Section::Other => {
                        notes.push(Note::ignored(*line, "a section the importer does not read"))
                    }
                }
            }
            Block::BadJson(line, error) => {
                notes.push(Note::unplaced(
                    *line,
                    format!("an example that is not valid JSON ({error}): not used"),
                ));
            }
            Block::Json(line, v) => {
                if matches!(sec, Section::ExampleResponse | Section::Response) {
                    page.examples.push((*line, status, v.clone()));
                } else {
                    notes.push(Note::ignored(
                        *line,
                        "JSON outside the example responses (an example request body?)",
                    ));
                }
            }
            Block::Table(t) => {
                position += 1;
                read_table(&mut page, t, sec, status, position, notes);
            }
        }
    }
    settle_guessed_status(&mut page, notes);
    // The title: the last preamble line that is not the "Updated on" stamp; earlier ones are
    // breadcrumbs.
    let mut titles: Vec<&(usize, String)> = preamble
        .iter()
        .filter(|(_, t)| !t.to_ascii_lowercase().starts_with("updated on"))
        .collect();
    page.title = titles.pop().cloned();
    for (line, t) in titles {
        notes.push(Note::ignored(
            *line,
            format!("before the title (breadcrumb?): {t}"),
        ));
    }
    page
}
