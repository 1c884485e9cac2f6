//! Rule levels, like clippy's lints: every check has a name and a level — `error` (the
//! exchange fails), `warning` (fails only with `--strict`), `note`, or `off` (not reported) —
//! with a documented default, changed per run by `--deny` / `--warn` / `--allow` and by an
//! optional `conformance.toml` beside `spec/` (the command line wins).

use crate::check::{ExchangeReport, Severity, Verdict};
use std::collections::BTreeMap;
use std::path::Path;

/// The optional file of levels, in the folder that holds `spec/`.
pub const CONFIG_FILE: &str = "conformance.toml";

/// A check's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

    fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "error" | "deny" => Level::Error,
            "warning" | "warn" => Level::Warning,
            "note" => Level::Note,
            "off" | "allow" => Level::Off,
            _ => return None,
        })
    }

    fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Note => Some(Severity::Note),
            Level::Off => None,
        }
    }
}

/// A check: its name, default level, and what it finds.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Name, as in findings and flags.
    pub name: &'static str,
    /// Level unless configured.
    pub default: Level,
    /// One line on what it finds.
    pub what: &'static str,
}

/// Every check, in report order.
pub const CHECKS: &[Check] = &[
    Check {
        name: "route",
        default: Level::Error,
        what: "the exchange fits operations of two documents equally well",
    },
    Check {
        name: "status",
        default: Level::Error,
        what: "a status the operation does not document",
    },
    Check {
        name: "content-type",
        default: Level::Error,
        what: "a JSON body the response does not label JSON",
    },
    Check {
        name: "body",
        default: Level::Error,
        what: "a documented body that is missing, not JSON, or not decodable",
    },
    Check {
        name: "schema",
        default: Level::Error,
        what: "the body is not valid for its JSON Schema",
    },
    Check {
        name: "open-enum",
        default: Level::Error,
        what: "a value outside a documented enum (the generated models keep it)",
    },
    Check {
        name: "undocumented-field",
        default: Level::Warning,
        what: "a field the spec does not list (JSON Schema allows it; the models keep it)",
    },
    Check {
        name: "alias",
        default: Level::Note,
        what: "a field in a documented alternative spelling (x-aliases)",
    },
    Check {
        name: "tolerated-spelling",
        default: Level::Warning,
        what: "a spelling the docs do not state, which the models tolerate (x-tolerated-aliases)",
    },
    Check {
        name: "alias-conflict",
        default: Level::Error,
        what: "one field in two spellings in one object",
    },
    Check {
        name: "model",
        default: Level::Error,
        what: "the generated model rejects a body the schema rejects too",
    },
    Check {
        name: "spec-model-disagreement",
        default: Level::Error,
        what: "the schema and the generated model disagree about a body",
    },
    Check {
        name: "model-output",
        default: Level::Error,
        what: "a 2xx model, written back, no longer validates",
    },
    Check {
        name: "request-auth",
        default: Level::Error,
        what: "the request carried no credentials the spec's security schemes accept",
    },
    Check {
        name: "request-signature",
        default: Level::Error,
        what: "with --verify-signatures: an AK/SK signature that does not match the request, or signed over 15 minutes from when it was recorded (other keys: a note)",
    },
    Check {
        name: "request-param",
        default: Level::Error,
        what: "a required parameter missing, or a parameter invalid for its schema",
    },
    Check {
        name: "undocumented-param",
        default: Level::Warning,
        what: "a query parameter the operation does not document",
    },
    Check {
        name: "request-body",
        default: Level::Error,
        what: "a required JSON request body missing, not JSON, or invalid",
    },
];

/// The default level of a check (findings are made at it; [`Rules`] may change it).
pub fn default_level(check: &str) -> Level {
    CHECKS
        .iter()
        .find(|c| c.name == check)
        .map_or(Level::Error, |c| c.default)
}

fn known(name: &str) -> Result<&'static str, String> {
    CHECKS
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.name)
        .ok_or_else(|| {
            let names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
            format!(
                "unknown check `{name}`; the checks are: {}",
                names.join(", ")
            )
        })
}

/// The level of every check for a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Levels that differ from the defaults.
    changed: BTreeMap<&'static str, Level>,
}

impl Rules {
    /// A check's level.
    pub fn level(&self, check: &str) -> Level {
        self.changed
            .get(check)
            .copied()
            .unwrap_or_else(|| default_level(check))
    }

    /// Sets a check's level; an unknown name is an error that lists the known ones.
    pub fn set(&mut self, check: &str, level: Level) -> Result<(), String> {
        let name = known(check)?;
        if default_level(name) == level {
            self.changed.remove(name);
        } else {
            self.changed.insert(name, level);
        }
        Ok(())
    }

    /// The levels that differ from the defaults (for reports).
    pub fn changed(&self) -> impl Iterator<Item = (&'static str, Level)> + '_ {
        self.changed.iter().map(|(k, v)| (*k, *v))
    }

    /// The command line's `--deny`, `--warn` and `--allow` (each repeatable). A check named
    /// by two of them is an error, not a matter of flag order.
    pub fn apply_flags(
        &mut self,
        deny: &[String],
        warn: &[String],
        allow: &[String],
    ) -> Result<(), String> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (flag, names, level) in [
            ("--deny", deny, Level::Error),
            ("--warn", warn, Level::Warning),
            ("--allow", allow, Level::Off),
        ] {
            for name in names {
                let name = known(name).map_err(|e| format!("{flag} {name}: {e}"))?;
                if let Some(other) = seen.insert(name, flag) {
                    if other != flag {
                        return Err(format!("`{name}` is given to both {other} and {flag}"));
                    }
                }
                self.set(name, level)?;
            }
        }
        Ok(())
    }

    /// Reads `conformance.toml`: a `[rules]` table of `check = "error" | "warning" | "note" |
    /// "off"`. Errors name the file, the line and column, and what is wrong.
    pub fn apply_file(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        self.apply_toml(&text)
            .map_err(|e| format!("{}:{e}", path.display()))
    }

    /// [`Rules::apply_file`] on text; errors start with `line:column: `.
    pub fn apply_toml(&mut self, text: &str) -> Result<(), String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        use toml::Spanned;
        type Levels = BTreeMap<Spanned<String>, Spanned<toml::Value>>;
        let at = |offset: usize| {
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{line}:{column}")
        };
        let doc: BTreeMap<Spanned<String>, Spanned<Levels>> =
            toml::from_str(text).map_err(|e| {
                let place = e.span().map_or_else(|| "1:1".to_owned(), |s| at(s.start));
                format!(
                "{place}: {} (conformance.toml holds one table, [rules], of `check = \"level\"`)",
                e.message().trim_end()
            )
            })?;
        for (key, rules) in &doc {
            if key.get_ref() != "rules" {
                return Err(format!(
                    "{}: unknown table `{}`; conformance.toml holds one table, [rules]",
                    at(key.span().start),
                    key.get_ref()
                ));
            }
            for (name, level) in rules.get_ref() {
                let place = at(name.span().start);
                let level_text = level.get_ref().as_str().ok_or_else(|| {
                    format!(
                        "{place}: the level of `{}` must be a string",
                        name.get_ref()
                    )
                })?;
                let level = Level::parse(level_text).ok_or_else(|| {
                    format!("{place}: `{level_text}` is not a level (error, warning, note, off; or deny, warn, allow)")
                })?;
                self.set(name.get_ref(), level)
                    .map_err(|e| format!("{place}: {e}"))?;
            }
        }
        Ok(())
    }

    /// Gives each finding its check's level, drops those that are `off`, and settles the
    /// verdict: failed when an error remains.
    pub fn apply(&self, report: &mut ExchangeReport) {
        if !self.changed.is_empty() {
            report
                .findings
                .retain_mut(|f| match self.level(f.check).severity() {
                    // A finding made as information stays information, unless the check is off.
                    Some(_) if f.informational => true,
                    Some(s) => {
                        f.severity = s;
                        true
                    }
                    None => false,
                });
            report.findings.sort_by(|a, b| {
                (a.severity, &a.pointer, a.check, &a.keyword, &a.message)
                    .cmp(&(b.severity, &b.pointer, b.check, &b.keyword, &b.message))
            });
        }
        report.verdict = if report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_set_levels_and_refuse_unknown_or_contradicting_names() {
        let mut r = Rules::default();
        assert_eq!(r.level("open-enum"), Level::Error);
        r.apply_flags(&[], &["open-enum".into()], &["alias".into()])
            .unwrap();
        assert_eq!(r.level("open-enum"), Level::Warning);
        assert_eq!(r.level("alias"), Level::Off);
        let e = r.apply_flags(&["nope".into()], &[], &[]).unwrap_err();
        assert!(
            e.contains("unknown check `nope`") && e.contains("open-enum"),
            "{e}"
        );
        let e = r
            .apply_flags(&["schema".into()], &[], &["schema".into()])
            .unwrap_err();
        assert!(e.contains("both --deny and --allow"), "{e}");
    }

    #[test]
    fn toml_levels_and_errors_with_places() {
        let mut r = Rules::default();
        r.apply_toml("# levels\n[rules]\nundocumented-field = \"error\"\nalias = \"off\"\n")
            .unwrap();
        assert_eq!(r.level("undocumented-field"), Level::Error);
        assert_eq!(r.level("alias"), Level::Off);
        for (text, want) in [
            (
                "[rules]\nopen-enum = \"loud\"\n",
                "2:1: `loud` is not a level",
            ),
            ("[rules]\nnope = \"error\"\n", "2:1: unknown check `nope`"),
            (
                "[rules]\nschema = 1\n",
                "2:1: the level of `schema` must be a string",
            ),
            ("[other]\n", "1:2: unknown table `other`"),
            ("[rules\n", "1:"),
        ] {
            let e = Rules::default().apply_toml(text).unwrap_err();
            assert!(e.starts_with(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn every_check_is_listed_once() {
        let mut names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CHECKS.len());
    }
}
