//! Rule levels, like clippy's lints: every check has a name and a level — `error` (the
//! exchange fails), `warning` (fails only with `--strict`), `note`, or `off` (not reported) —
//! with a documented default, changed per run by `--deny` / `--warn` / `--allow` and by an
//! optional `conformance.toml` beside `spec/` (the command line wins).

use crate::check::{ExchangeReport, Verdict};
use std::collections::BTreeMap;
use std::path::Path;

/// The optional file of levels, in the folder that holds `spec/`.
pub const CONFIG_FILE: &str = "conformance.toml";

pub use crate::checks::{Check, Level};

/// Every check, in report order ([`Check::ALL`]).
pub const CHECKS: &[Check] = &Check::ALL;

/// The check of a name; an unknown name is an error that lists the known ones.
fn known(name: &str) -> Result<Check, String> {
    Check::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Check::ALL.iter().map(|c| c.name()).collect();
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
    changed: BTreeMap<Check, Level>,
}

impl Rules {
    /// A check's level.
    pub fn level(&self, check: Check) -> Level {
        self.changed
            .get(&check)
            .copied()
            .unwrap_or_else(|| check.default_level())
    }

    /// Sets a check's level.
    pub fn set(&mut self, check: Check, level: Level) {
        if check.default_level() == level {
            self.changed.remove(&check);
        } else {
            self.changed.insert(check, level);
        }
    }

    /// Sets the level of a check given by name; an unknown name is an error that lists the
    /// known ones.
    pub fn set_named(&mut self, name: &str, level: Level) -> Result<(), String> {
        self.set(known(name)?, level);
        Ok(())
    }

    /// The levels that differ from the defaults (for reports), by check name.
    pub fn changed(&self) -> impl Iterator<Item = (Check, Level)> + '_ {
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
        let mut seen: BTreeMap<Check, &str> = BTreeMap::new();
        for (flag, names, level) in [
            ("--deny", deny, Level::Error),
            ("--warn", warn, Level::Warning),
            ("--allow", allow, Level::Off),
        ] {
            for name in names {
                let check = known(name).map_err(|e| format!("{flag} {name}: {e}"))?;
                if let Some(other) = seen.insert(check, flag) {
                    if other != flag {
                        return Err(format!("`{check}` is given to both {other} and {flag}"));
                    }
                }
                self.set(check, level);
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
                "{place}: {} (conformance.toml holds [rules], of `check = \"level\"`, and [coverage])",
                e.message().trim_end()
            )
            })?;
        for (key, rules) in &doc {
            // `[coverage]` is read by `conformance coverage` ([`coverage_fail_under`]).
            if key.get_ref() == "coverage" {
                continue;
            }
            if key.get_ref() != "rules" {
                return Err(format!(
                    "{}: unknown table `{}`; conformance.toml holds [rules] and [coverage]",
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
                self.set_named(name.get_ref(), level)
                    .map_err(|e| format!("{place}: {e}"))?;
            }
        }
        Ok(())
    }

    /// Gives each finding its check's level, drops those that are `off`, and settles the
    /// verdict: failed when an error remains.
    pub fn apply(&self, report: &mut ExchangeReport) {
        if !self.changed.is_empty() {
            report.findings.retain_mut(|f| match self.level(f.check) {
                Level::Off => false,
                // A finding made as information stays information, unless the check is off.
                _ if f.informational => true,
                level => {
                    f.severity = level;
                    true
                }
            });
            report.findings.sort_by(|a, b| {
                (a.severity, &a.pointer, a.check, &a.keyword, &a.message)
                    .cmp(&(b.severity, &b.pointer, b.check, &b.keyword, &b.message))
            });
        }
        report.verdict = if report.findings.iter().any(|f| f.severity == Level::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
    }
}

/// `fail-under` of the `[coverage]` table of a `conformance.toml` text: a percentage from 0 to
/// 100; `None` when the table or the key is absent.
pub fn coverage_fail_under(text: &str) -> Result<Option<f64>, String> {
    let doc: toml::Table = toml::from_str(text.strip_prefix('\u{feff}').unwrap_or(text))
        .map_err(|e| e.message().trim_end().to_owned())?;
    let Some(table) = doc.get("coverage") else {
        return Ok(None);
    };
    let table = table
        .as_table()
        .ok_or("`coverage` must be a table: [coverage]")?;
    for key in table.keys() {
        if key != "fail-under" {
            return Err(format!(
                "[coverage]: unknown key `{key}` (it holds `fail-under`)"
            ));
        }
    }
    let Some(v) = table.get("fail-under") else {
        return Ok(None);
    };
    let pct = v
        .as_float()
        .or_else(|| v.as_integer().map(|i| i as f64))
        .ok_or("[coverage] fail-under must be a number (a percentage)")?;
    if !(0.0..=100.0).contains(&pct) {
        return Err(format!(
            "[coverage] fail-under = {pct} is not a percentage (0 to 100)"
        ));
    }
    Ok(Some(pct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_set_levels_and_refuse_unknown_or_contradicting_names() {
        let mut r = Rules::default();
        assert_eq!(r.level(Check::OpenEnum), Level::Error);
        r.apply_flags(&[], &["open-enum".into()], &["alias".into()])
            .unwrap();
        assert_eq!(r.level(Check::OpenEnum), Level::Warning);
        assert_eq!(r.level(Check::Alias), Level::Off);
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
        assert_eq!(r.level(Check::UndocumentedField), Level::Error);
        assert_eq!(r.level(Check::Alias), Level::Off);
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
    fn the_coverage_table() {
        assert_eq!(
            coverage_fail_under("[coverage]\nfail-under = 80\n"),
            Ok(Some(80.0))
        );
        assert_eq!(
            coverage_fail_under("[coverage]\nfail-under = 72.5\n"),
            Ok(Some(72.5))
        );
        assert_eq!(coverage_fail_under("[rules]\nalias = \"off\"\n"), Ok(None));
        assert!(coverage_fail_under("[coverage]\nfail-under = 120\n").is_err());
        assert!(coverage_fail_under("[coverage]\nfailunder = 1\n").is_err());
        // The rules ignore the table; the table does not hide a bad rule.
        let mut rules = Rules::default();
        assert!(rules.apply_toml("[coverage]\nfail-under = 80\n").is_ok());
        assert!(rules
            .apply_toml("[coverage]\nfail-under = 80\n[ruls]\n")
            .is_err());
    }
}
