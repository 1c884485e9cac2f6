//! Step 1 of the importer: the page's lines into blocks — headings, table captions, tables (in
//! either layout a browser copy or a text extraction gives), JSON examples and prose — each with
//! its line number. Nothing here knows what an API is; [`super::page`] reads the blocks.

/// A line of the page: 1-based number and trimmed text.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub no: usize,
    /// The text, trimmed.
    pub text: String,
}

/// A table: header cells and rows of cells, in either layout.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// `Table N …` caption text after the number, when the page has one.
    pub caption: Option<String>,
    /// `N` of the caption.
    pub number: Option<usize>,
    /// Header cells.
    pub header: Vec<String>,
    /// Rows: (line of the row's first cell, cells).
    pub rows: Vec<(usize, Vec<String>)>,
    /// Line of the header.
    pub line: usize,
}

/// What the page is made of.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading (`URI`, `Response Parameters`…), as written.
    Heading(usize, String),
    /// `Status code: 200` (pipe layout).
    StatusLine(usize, u16),
    /// A table.
    Table(Table),
    /// A JSON example, parsed; the line of its first character.
    Json(usize, serde_json::Value),
    /// Lines that look like a JSON example (brackets balanced) but do not parse: the line, and
    /// why.
    BadJson(usize, String),
    /// Text that is none of the above.
    Prose(usize, String),
}

/// Headings the importer knows (compared case-insensitively).
pub const HEADINGS: &[&str] = &[
    "Function",
    "URI",
    "Calling Method",
    "Authorization Information",
    "Constraints",
    "Request",
    "Request Parameters",
    "Response",
    "Response Parameters",
    "Example Request",
    "Example Requests",
    "Example Response",
    "Example Responses",
    "Status Code",
    "Status Codes",
    "HTTP Status Code",
    "HTTP Status Codes",
    "Error Code",
    "Error Codes",
    "Debugging",
    "SDK Sample Code",
];

/// Header words of a table (what a header cell may say), lower case.
const HEADER_WORDS: &[&str] = &[
    "parameter",
    "name",
    "mandatory",
    "required",
    "type",
    "description",
    "status code",
    "http status code",
    "status codes",
    "value range",
    "default value",
    "error code",
    "error message",
];

pub fn is_heading(text: &str) -> bool {
    HEADINGS.iter().any(|h| h.eq_ignore_ascii_case(text))
}

fn is_header_word(text: &str) -> bool {
    HEADER_WORDS.iter().any(|h| h.eq_ignore_ascii_case(text))
}

/// Whether a header already has a column in the role of `word` (`name` after `Parameter`).
fn header_role_taken(seen: &[String], word: &str) -> bool {
    const NAMES: &[&str] = &["parameter", "name", "field"];
    const TYPES: &[&str] = &["type"];
    [NAMES, TYPES]
        .iter()
        .any(|group| group.contains(&word) && seen.iter().any(|s| group.contains(&s.as_str())))
}

/// `Table 5 job` → (5, "job"); `Table 1 Path parameters` → (1, "Path parameters").
pub fn caption(text: &str) -> Option<(usize, String)> {
    let rest = text.strip_prefix("Table ")?;
    let (n, name) = rest.split_once(' ').unwrap_or((rest, ""));
    let n: usize = n.trim_end_matches(['.', ':']).parse().ok()?;
    Some((n, name.trim().to_owned()))
}

/// `Status code: 200` → 200.
pub fn status_line(text: &str) -> Option<u16> {
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("status code:")?;
    rest.trim().parse().ok()
}

/// Whether a line starts a pipe-layout row: a lone `|`, or `| …`.
fn pipe_start(text: &str) -> bool {
    text.starts_with('|')
}

/// `|---|---|` or `---|---|` (a copy may drop the first `|`).
fn separator(text: &str) -> bool {
    text.contains('|')
        && text.contains("---")
        && text.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A header cell of a pipe copy without the leading `|` (layout "c"): `Parameter |`.
fn bare_header_cell(text: &str) -> bool {
    text.ends_with('|')
        && !text.starts_with('|')
        && is_header_word(text.trim_end_matches('|').trim())
}

/// Whether a pipe copy without lone `|` lines starts at `i`: header cells, then a separator.
fn bare_pipe_table(lines: &[Line], i: usize) -> bool {
    let cells = lines[i..]
        .iter()
        .take_while(|l| bare_header_cell(&l.text))
        .count();
    cells >= 2 && lines.get(i + cells).is_some_and(|l| separator(&l.text))
}

/// A line that cannot be table content: a heading, a caption, a status line, the start of
/// a JSON example.
fn structural(text: &str) -> bool {
    is_heading(text)
        || caption(text).is_some()
        || status_line(text).is_some()
        || text == "{"
        || text == "["
        || text.starts_with("{\"")
}

/// The page's lines, trimmed, with their numbers; blank lines dropped.
pub fn lines(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Line {
            no: i + 1,
            text: l.trim().trim_start_matches('\u{feff}').to_owned(),
        })
        .filter(|l| !l.text.is_empty())
        .collect()
}

/// How many lines from `i` on form a line-per-cell table header: two or more header words in a
/// row, none twice (a field may be called `name`, `type` or `description`: then it is the first
/// row, not the header). `Status Code` the heading, then `Status Code` `Description` the header.
fn cell_header_len(lines: &[Line], i: usize) -> usize {
    let mut header_len = 0;
    let mut seen: Vec<String> = Vec::new();
    for h in &lines[i..] {
        let word = h.text.to_ascii_lowercase();
        if !is_header_word(&word)
            || seen.contains(&word)
            || (seen.len() >= 2 && header_role_taken(&seen, &word))
        {
            break;
        }
        seen.push(word);
        header_len += 1;
    }
    if is_heading(&lines[i].text) && header_len >= 3 {
        header_len = 1;
    }
    header_len
}

/// A table caption with no table after it becomes prose that says so.
fn orphan_caption(out: &mut Vec<Block>, caption: Option<(usize, usize, String)>) {
    if let Some((line, _, text)) = caption {
        out.push(Block::Prose(
            line,
            format!("Table caption without a table: {text}"),
        ));
    }
}

/// Splits the page into blocks. `cell_rules` decides, for the line-per-cell layout, where one
/// row of a table ends (it knows what names, types and flags look like).
pub fn blocks(lines: &[Line], cell_rules: &dyn Fn(&[String], &[Line]) -> usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut pending_caption: Option<(usize, usize, String)> = None;
    while i < lines.len() {
        let l = &lines[i];
        let t = l.text.as_str();
        if let Some((n, name)) = caption(t) {
            orphan_caption(&mut out, pending_caption.take());
            pending_caption = Some((l.no, n, name));
            i += 1;
            continue;
        }
        if (pipe_start(t) && !separator(t)) || bare_pipe_table(lines, i) {
            let (table, next) = pipe_table(lines, i);
            // Without a `|---|` header separator it is not a table: the line is prose.
            if table.header.is_empty() || next == i {
                orphan_caption(&mut out, pending_caption.take());
                out.push(Block::Prose(l.no, t.to_owned()));
                i += 1;
                continue;
            }
            let mut table = table;
            if let Some((_, n, name)) = pending_caption.take() {
                table.number = Some(n);
                table.caption = Some(name);
            }
            out.push(Block::Table(table));
            i = next;
            continue;
        }
        let header_len = cell_header_len(lines, i);
        if header_len >= 2 {
            let header: Vec<String> = lines[i..i + header_len]
                .iter()
                .map(|h| h.text.clone())
                .collect();
            let mut table = Table {
                header: header.clone(),
                line: l.no,
                ..Table::default()
            };
            if let Some((_, n, name)) = pending_caption.take() {
                table.number = Some(n);
                table.caption = Some(name);
            }
            i += header_len;
            loop {
                let used = cell_rules(&header, &lines[i..]);
                if used == 0 {
                    break;
                }
                let cells = split_cells(&header, &lines[i..i + used]);
                table.rows.push((lines[i].no, cells));
                i += used;
            }
            out.push(Block::Table(table));
            continue;
        }
        // A caption whose table did not follow: say so, keep going.
        orphan_caption(&mut out, pending_caption.take());
        if is_heading(t) {
            out.push(Block::Heading(l.no, t.to_owned()));
            i += 1;
            continue;
        }
        if let Some(code) = status_line(t) {
            out.push(Block::StatusLine(l.no, code));
            i += 1;
            continue;
        }
        if t.starts_with('{') || t.starts_with('[') {
            match json_block(lines, i) {
                Some((Ok(value), next)) => {
                    out.push(Block::Json(l.no, value));
                    i = next;
                    continue;
                }
                Some((Err(e), next))
                    if t == "{" || t == "[" || t.starts_with("{\"") || next > i + 1 =>
                {
                    out.push(Block::BadJson(l.no, e));
                    i = next;
                    continue;
                }
                _ => {}
            }
        }
        out.push(Block::Prose(l.no, t.to_owned()));
        i += 1;
    }
    orphan_caption(&mut out, pending_caption);
    out
}

/// The cells of one line-per-cell row: one line per column but the last, which takes the rest.
fn split_cells(header: &[String], lines: &[Line]) -> Vec<String> {
    let n = header.len();
    let mut cells: Vec<String> = lines
        .iter()
        .take(n.saturating_sub(1))
        .map(|l| l.text.clone())
        .collect();
    let rest: Vec<&str> = lines
        .iter()
        .skip(n.saturating_sub(1))
        .map(|l| l.text.as_str())
        .collect();
    cells.push(rest.join("\n"));
    cells
}

/// A pipe-layout table from line `start`: rows that start with `|`, cells that end with `|`
/// (or with a lone `|` line), a `|---|` separator after the header. Returns the table and the
/// index of the first line after it.
fn pipe_table(lines: &[Line], start: usize) -> (Table, usize) {
    let mut table = Table {
        line: lines[start].no,
        ..Table::default()
    };
    let mut width: Option<usize> = None;
    let mut row: Vec<String> = Vec::new();
    let mut row_line = lines[start].no;
    let mut cell: Vec<String> = Vec::new();
    let mut in_row = false;
    let mut i = start;
    // A copy without lone `|` lines (`name |` … `---|---|`): rows start on any content line.
    let bare = !pipe_start(&lines[start].text);
    let close_cell = |cell: &mut Vec<String>, row: &mut Vec<String>| {
        row.push(cell.join("\n").trim().to_owned());
        cell.clear();
    };
    while i < lines.len() {
        let t = lines[i].text.as_str();
        if separator(t) {
            if !cell.is_empty() {
                close_cell(&mut cell, &mut row);
            }
            if width.is_none() && !row.is_empty() {
                width = Some(row.len());
                table.header = std::mem::take(&mut row);
            }
            in_row = false;
            i += 1;
            continue;
        }
        if !in_row {
            let new_header =
                width.is_some() && (next_header(lines, i) || bare_pipe_table(lines, i));
            if new_header || structural(t) || (!pipe_start(t) && !bare) {
                break;
            }
            if width.is_none() && i > start + 64 {
                // No separator after the header cells: not a table.
                return (Table::default(), start);
            }
            in_row = true;
            row_line = lines[i].no;
            let rest = if pipe_start(t) { t[1..].trim() } else { t };
            i += 1;
            if !pipe_start(t) {
                // Bare layout: this line is the row's first cell (closed below).
                cell.push(rest.to_owned());
            } else {
                if rest.is_empty() {
                    continue;
                }
                if rest.ends_with('|') && rest.len() > 1 && rest.contains(" | ") {
                    // A whole row on one line: `| a | b | c |`.
                    let cells: Vec<String> = rest
                        .trim_end_matches('|')
                        .split(" | ")
                        .map(|c| c.trim().to_owned())
                        .collect();
                    if width.is_none() && table.header.is_empty() {
                        row = cells;
                    } else {
                        table.rows.push((row_line, cells));
                        in_row = false;
                    }
                    continue;
                }
                cell.push(rest.to_owned());
            }
        } else if t == "|" {
            close_cell(&mut cell, &mut row);
            i += 1;
        } else if bare
            && !cell.is_empty()
            && width.is_some_and(|w| row.len() + 1 == w)
            && bare_row_start(lines, i)
        {
            // Bare layout: the last cell of a row lost its closing `|`; the next row starts.
            close_cell(&mut cell, &mut row);
            table.rows.push((row_line, std::mem::take(&mut row)));
            in_row = false;
        } else if (cell.is_empty() && structural(t))
            || (width.is_some() && (next_header(lines, i) || bare_pipe_table(lines, i)))
        {
            // The table ends here (the next one's header, or a heading): the row being read
            // ends with it.
            break;
        } else {
            cell.push(t.to_owned());
            i += 1;
        }
        if cell.last().is_some_and(|c| c.ends_with('|')) {
            let n = cell.len() - 1;
            cell[n] = cell[n].trim_end_matches('|').trim_end().to_owned();
            close_cell(&mut cell, &mut row);
        }
        if width.is_some_and(|w| row.len() >= w) {
            table.rows.push((row_line, std::mem::take(&mut row)));
            in_row = false;
        }
    }
    if width.is_none() {
        // No `|---|` separator: not a table.
        return (Table::default(), start);
    }
    if !cell.is_empty() {
        close_cell(&mut cell, &mut row);
    }
    if !row.is_empty() {
        table.rows.push((row_line, row));
    }
    (table, i)
}

/// Whether a bare-layout row starts at `i`: `name |`, then a `Yes |`/`No |` or a type cell.
fn bare_row_start(lines: &[Line], i: usize) -> bool {
    let cell = |k: usize| {
        lines
            .get(k)
            .filter(|l| l.text.ends_with('|'))
            .map(|l| l.text.trim_end_matches('|').trim())
    };
    cell(i).is_some_and(super::cells::is_name)
        && cell(i + 1).is_some_and(|c| super::cells::is_flag(c) || super::cells::is_type(c))
}

/// Whether the row starting at `i` is the header of another table: header-word cells, then a
/// `|---|` separator.
fn next_header(lines: &[Line], i: usize) -> bool {
    let mut j = i;
    if lines[j].text == "|" {
        j += 1;
    }
    let mut cells = 0;
    while j < lines.len() {
        let t = lines[j].text.trim_start_matches('|').trim();
        let cell = t.trim_end_matches('|').trim();
        if separator(&lines[j].text) {
            return cells >= 2;
        }
        if !is_header_word(cell) {
            // A whole header on one line: `| Parameter | Type |`.
            let words: Vec<&str> = cell.split(" | ").map(str::trim).collect();
            if words.len() >= 2 && words.iter().all(|w| is_header_word(w)) {
                cells += words.len();
                j += 1;
                continue;
            }
            return false;
        }
        cells += 1;
        j += 1;
    }
    false
}

/// A JSON example read: the value, or why it does not parse.
type JsonParse = Result<serde_json::Value, String>;

/// A JSON value starting at line `start` (brackets balanced outside strings): parsed, or why
/// not; and the index of the line after it. `None` when the brackets never balance.
fn json_block(lines: &[Line], start: usize) -> Option<(JsonParse, usize)> {
    let mut depth = 0i64;
    let mut in_string = false;
    let mut escaped = false;
    let mut text = String::new();
    for (k, l) in lines.iter().enumerate().skip(start) {
        text.push_str(&l.text);
        text.push('\n');
        for c in l.text.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            return Some((
                serde_json::from_str(&text).map_err(|e| e.to_string()),
                k + 1,
            ));
        }
        if k - start > 5000 {
            return None;
        }
    }
    None
}
