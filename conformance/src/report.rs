//! The report, and its three renderings: human, JSON (stable, versioned) and JUnit XML.

use crate::check::{ExchangeReport, Level, Verdict};
use crate::recordings::Skipped;
use crate::rules::Rules;
use serde::Serialize;
use std::fmt::Write as _;

/// Text made safe to print on a terminal: control characters (C0, DEL, C1 — escape sequences
/// start with them) and the bidirectional overrides that reorder what is shown are written as
/// `\u{1b}`; everything else is kept. JSON and JUnit output escape on their own.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Version of the JSON report format (see the README).
pub const FORMAT_VERSION: u32 = 2;

/// Counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    /// Exchanges checked.
    pub checked: usize,
    /// Of those, conforming.
    pub passed: usize,
    /// Of those, not conforming.
    pub failed: usize,
    /// HAR entries passed over (other APIs, no response, malformed).
    pub skipped: usize,
    /// Findings by severity.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
    /// Whether warnings counted as failures.
    pub strict: bool,
    /// Checks whose level this run changed from the default (`--deny`/`--warn`/`--allow`,
    /// `conformance.toml`): name → level.
    pub rules: std::collections::BTreeMap<String, String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Counts.
    pub summary: Summary,
    /// One entry per checked exchange, in input order.
    pub exchanges: Vec<ExchangeReport>,
    /// Entries passed over.
    pub skipped: Vec<Skipped>,
}

impl Report {
    /// Builds the report: each finding at its check's level under `rules` (`off` ones
    /// dropped); with `strict`, warnings fail an exchange too.
    pub fn new(
        mut exchanges: Vec<ExchangeReport>,
        skipped: Vec<Skipped>,
        strict: bool,
        rules: &Rules,
    ) -> Self {
        let mut s = Summary {
            strict,
            rules: rules
                .changed()
                .map(|(k, v)| (k.name().to_owned(), v.name().to_owned()))
                .collect(),
            ..Summary::default()
        };
        for e in &mut exchanges {
            rules.apply(e);
            if strict && e.findings.iter().any(|f| f.severity == Level::Warning) {
                e.verdict = Verdict::Fail;
            }
            s.checked += 1;
            match e.verdict {
                Verdict::Pass => s.passed += 1,
                Verdict::Fail => s.failed += 1,
            }
            for f in &e.findings {
                match f.severity {
                    Level::Error => s.errors += 1,
                    Level::Warning => s.warnings += 1,
                    Level::Note => s.notes += 1,
                    // Findings of a check that is off are dropped before they get here.
                    Level::Off => {}
                }
            }
        }
        s.skipped = skipped.len();
        Report {
            format_version: FORMAT_VERSION,
            summary: s,
            exchanges,
            skipped,
        }
    }

    /// Whether every checked exchange conforms.
    pub fn conforms(&self) -> bool {
        self.summary.failed == 0
    }

    /// The JSON rendering.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The human rendering; `color` adds ANSI colours.
    /// Every text that comes from a recording, a server or a file name passes through
    /// [`terminal_safe`], so that no control character or escape sequence reaches the terminal.
    pub fn to_human(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_owned()
            }
        };
        let mut out = String::new();
        for e in &self.exchanges {
            let verdict = match e.verdict {
                Verdict::Pass => paint("32", "PASS"),
                Verdict::Fail => paint("31;1", "FAIL"),
            };
            let path = terminal_safe(e.path.as_deref().unwrap_or("(bare body)"));
            let _ = writeln!(
                out,
                "{verdict} {} — {} {} {path} → {}",
                terminal_safe(&e.source),
                terminal_safe(&e.operation),
                terminal_safe(&e.method),
                e.status
            );
            for f in &e.findings {
                let sev = match f.severity {
                    Level::Error => paint("31", "error"),
                    Level::Warning => paint("33", "warning"),
                    Level::Note => paint("36", "note"),
                    Level::Off => continue,
                };
                let at = if f.pointer.is_empty() {
                    "(body)".into()
                } else {
                    terminal_safe(&f.pointer)
                };
                let _ = writeln!(
                    out,
                    "  {sev}[{}] at {at}: {}",
                    f.check,
                    terminal_safe(&f.message)
                );
                if let Some(k) = &f.keyword {
                    let _ = writeln!(out, "      keyword: {}", terminal_safe(k));
                }
                if let Some(x) = &f.expected {
                    let _ = writeln!(out, "      expected: {}", terminal_safe(&x.to_string()));
                }
                if let Some(x) = &f.actual {
                    let _ = writeln!(out, "      actual: {}", terminal_safe(&x.to_string()));
                }
                if let Some(s) = &f.spec {
                    let _ = writeln!(out, "      rule: {}", terminal_safe(s));
                }
            }
        }
        for s in &self.skipped {
            let _ = writeln!(
                out,
                "{} {} — {}",
                paint("2", "SKIP"),
                terminal_safe(&s.source),
                terminal_safe(&s.reason)
            );
        }
        let s = &self.summary;
        let _ = writeln!(
            out,
            "\n{} checked: {} passed, {} failed; {} skipped; {}, {}, {}{}",
            count(s.checked, "exchange"),
            s.passed,
            s.failed,
            s.skipped,
            count(s.errors, "error"),
            count(s.warnings, "warning"),
            count(s.notes, "note"),
            if s.strict {
                " (strict: warnings fail)"
            } else {
                ""
            }
        );
        out
    }

    /// The JUnit XML rendering: one test case per exchange, one per skipped entry.
    pub fn to_junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let s = &self.summary;
        let _ = writeln!(
            out,
            "<testsuites name=\"conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">",
            s.checked + s.skipped,
            s.failed,
            s.skipped
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"conformance\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            s.checked + s.skipped,
            s.failed,
            s.skipped
        );
        for e in &self.exchanges {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&e.operation),
                xml(&e.source)
            );
            let mut text = String::new();
            for f in &e.findings {
                let _ = writeln!(
                    text,
                    "{}[{}] at {}: {}{}",
                    f.severity.name(),
                    f.check,
                    if f.pointer.is_empty() {
                        "(body)"
                    } else {
                        &f.pointer
                    },
                    f.message,
                    f.spec
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                );
            }
            match e.verdict {
                Verdict::Pass if text.is_empty() => out.push_str("/>\n"),
                Verdict::Pass => {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>{}</system-out>\n    </testcase>",
                        xml(&text)
                    );
                }
                Verdict::Fail => {
                    let count = |s: Level| e.findings.iter().filter(|f| f.severity == s).count();
                    let message = if self.summary.strict {
                        format!(
                            "{} error(s), {} warning(s) (strict)",
                            count(Level::Error),
                            count(Level::Warning)
                        )
                    } else {
                        format!("{} error(s)", count(Level::Error))
                    };
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"nonconformance\">{}</failure>\n    </testcase>",
                        message,
                        xml(&text)
                    );
                }
            }
        }
        for sk in &self.skipped {
            let _ = writeln!(
                out,
                "    <testcase classname=\"skipped\" name=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                xml(&sk.source),
                xml(&sk.reason)
            );
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

/// Escapes text for XML, dropping characters XML 1.0 cannot carry.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `1 exchange`, `2 exchanges`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod terminal_tests {
    use super::terminal_safe;

    #[test]
    fn control_characters_and_overrides_are_shown_escaped() {
        assert_eq!(terminal_safe("plain ünï"), "plain ünï");
        assert_eq!(terminal_safe("\x1b[2Jx"), "\\u{1b}[2Jx");
        assert_eq!(
            terminal_safe("a\0b\r\nc\x7f\u{9b}"),
            "a\\u{0}b\\u{d}\\u{a}c\\u{7f}\\u{9b}"
        );
        assert_eq!(terminal_safe("\u{202e}txt"), "\\u{202e}txt");
    }
}
