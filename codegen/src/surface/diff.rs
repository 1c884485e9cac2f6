//! Two surfaces of one module compared: each change a line, classified by Rust's semver rules
//! as they apply to this crate's design (models and request types are `#[non_exhaustive]`,
//! enums are `#[non_exhaustive]`, open enums keep unlisted values).

use super::{Entry, Kind, Surface};

/// How a change affects code that uses the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Code that compiled against the old API may not compile, or may behave differently on
    /// the wire in a way it cannot handle.
    Breaking,
    /// New API; code that compiled still compiles.
    Additive,
    /// Only documentation changed.
    Docs,
    /// The Rust API is the same; what is accepted or sent on the wire changed.
    Wire,
}

impl Class {
    /// The word used in reports.
    pub fn word(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::Docs => "docs",
            Class::Wire => "wire",
        }
    }
}

/// One change of the public API (or of the wire behind it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// How it affects users.
    pub class: Class,
    /// The item, as `module::path` (`servicestage::Job.execution_status`).
    pub item: String,
    /// What changed, in a sentence.
    pub what: String,
    /// A consequence worth knowing that the class does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where in the spec it comes from: `spec/<file>#<pointer>`.
    pub spec: String,
}

/// The changes from `old` (the baseline) to `new`, in item order.
///
/// Types are matched by the schema they are generated from: a type whose schema now gets
/// another name (numbered names that shift after a collision) is reported once, as renamed, and
/// a name now given to another schema once, as such; their members are not listed again.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    let shifted = shifted_types(old, new);
    let is_shifted = |path: &str| shifted.iter().any(|(name, _)| name == owner(path));
    // New items of a shifted name or of a name a schema moved to: covered by the line above.
    let is_target = |path: &str| {
        shifted
            .iter()
            .any(|(name, to)| name == owner(path) || to.as_deref() == Some(owner(path)))
    };
    for (name, to) in &shifted {
        let was = &old.items[name.as_str()];
        let what = match to {
            Some(to) => format!("renamed to `{to}`: its generated name shifted"),
            None => format!(
                "now generated from another schema ({})",
                new.items[name.as_str()].identity
            ),
        };
        out.push(change(old, Class::Breaking, name, what, was));
    }
    for (path, was) in &old.items {
        if is_shifted(path) {
            continue;
        }
        match new.items.get(path) {
            Some(now) => changed(new, path, was, now, &mut out),
            None => out.push(change(
                old,
                Class::Breaking,
                path,
                format!("{} removed", kind_word(was.kind)),
                was,
            )),
        }
    }
    for (path, now) in &new.items {
        if old.items.contains_key(path) || is_target(path) {
            continue;
        }
        out.push(added(old, new, path, now));
    }
    out.sort_by(|a, b| (&a.item, a.class).cmp(&(&b.item, b.class)));
    out
}

/// Types of `old` whose name now belongs to another schema, or whose schema now has another
/// name: (old name, the schema's new name, if it still has a type).
fn shifted_types(old: &Surface, new: &Surface) -> Vec<(String, Option<String>)> {
    let is_type = |e: &Entry| matches!(e.kind, Kind::Struct | Kind::Enum | Kind::Alias);
    let mut out = Vec::new();
    for (name, was) in old.items.iter().filter(|(_, e)| is_type(e)) {
        let same_name = new.items.get(name).filter(|e| is_type(e));
        if same_name.is_some_and(|now| now.identity == was.identity) {
            continue;
        }
        let moved_to = new
            .items
            .iter()
            .find(|(n, e)| is_type(e) && e.identity == was.identity && *n != name)
            .map(|(n, _)| n.clone());
        if moved_to.is_some() || same_name.is_some() {
            out.push((name.clone(), moved_to));
        }
    }
    out
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Struct => "struct",
        Kind::Field => "field",
        Kind::Enum => "enum",
        Kind::Variant => "variant",
        Kind::Alias => "type alias",
        Kind::Function => "function",
        Kind::Constant => "constant",
    }
}

fn change(s: &Surface, class: Class, path: &str, what: String, e: &Entry) -> Change {
    Change {
        class,
        item: format!("{}::{path}", s.module),
        what,
        note: None,
        spec: format!("{}#{}", s.source_file, e.pointer),
    }
}

/// The type an item belongs to (`Job` of `Job.id`, `Job::new()`), or the item itself.
fn owner(path: &str) -> &str {
    path.split(['.', ':']).next().unwrap_or(path)
}

fn added(old: &Surface, new: &Surface, path: &str, now: &Entry) -> Change {
    let parent = old.items.get(owner(path));
    let (class, what, note) = match now.kind {
        Kind::Field => {
            let exhaustive = parent.is_some_and(|p| !p.signature.contains("non_exhaustive"));
            if exhaustive {
                (
                    Class::Breaking,
                    format!(
                        "new field `{}` in a struct users can build with a literal",
                        now.signature
                    ),
                    None,
                )
            } else {
                (
                    Class::Additive,
                    format!("new field: `{}`", now.signature),
                    None,
                )
            }
        }
        Kind::Variant => match parent {
            Some(p) if p.openness == "closed" => (
                Class::Breaking,
                "new value of a closed enum".to_owned(),
                Some(format!(
                    "a crate built before refuses {} on the wire",
                    now.wire.trim_start_matches("value ")
                )),
            ),
            Some(p) if !p.signature.contains("non_exhaustive") => (
                Class::Breaking,
                "new variant of an exhaustive enum".to_owned(),
                None,
            ),
            Some(p) if p.openness == "open" => (
                Class::Additive,
                "new documented value".to_owned(),
                Some(format!(
                    "`{}` used to be read as `Unrecognized(\"{}\")`; it now reads as this variant",
                    now.wire.trim_start_matches("value "),
                    now.wire.trim_start_matches("value ")
                )),
            ),
            _ => (Class::Additive, "new variant".to_owned(), None),
        },
        kind => (Class::Additive, format!("new {}", kind_word(kind)), None),
    };
    let mut c = change(new, class, path, what, now);
    c.note = note;
    c
}

fn changed(new: &Surface, path: &str, was: &Entry, now: &Entry, out: &mut Vec<Change>) {
    let push = |out: &mut Vec<Change>, class, what: String, note: Option<String>| {
        let mut c = change(new, class, path, what, now);
        c.note = note;
        out.push(c);
    };
    if was.kind != now.kind {
        push(
            out,
            Class::Breaking,
            format!(
                "was a {}, now a {}",
                kind_word(was.kind),
                kind_word(now.kind)
            ),
            None,
        );
        return;
    }
    if was.signature != now.signature {
        let (class, what) = signature_change(was, now);
        push(out, class, what, None);
    }
    if was.openness != now.openness {
        let class = if now.openness == "open" {
            Class::Additive
        } else {
            Class::Breaking
        };
        push(
            out,
            class,
            format!("enum now {} (was {})", now.openness, was.openness),
            None,
        );
    }
    if was.value != now.value {
        push(out, Class::Wire, value_change(&was.value, &now.value), None);
    }
    if was.wire != now.wire {
        push(
            out,
            Class::Wire,
            format!(
                "on the wire: {} → {}",
                or_none(&was.wire),
                or_none(&now.wire)
            ),
            None,
        );
    }
    if was.doc != now.doc {
        push(out, Class::Docs, "documentation changed".to_owned(), None);
    }
}

/// A constant's new value; for a list (`VALUES`, `TERMINAL`), what was added and removed.
fn value_change(was: &str, now: &str) -> String {
    let (before, after): (Vec<&str>, Vec<&str>) =
        (was.split(", ").collect(), now.split(", ").collect());
    if before.len() < 2 && after.len() < 2 {
        return format!("value `{was}` → `{now}`");
    }
    let list = |items: Vec<&&str>| {
        items
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added: Vec<&&str> = after.iter().filter(|v| !before.contains(v)).collect();
    let removed: Vec<&&str> = before.iter().filter(|v| !after.contains(v)).collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("lists {} now", list(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer lists {}", list(removed)));
    }
    if parts.is_empty() {
        parts.push("the same values in another order".to_owned());
    }
    parts.join("; ")
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "(nothing)"
    } else {
        s
    }
}

/// A changed signature: a type's derives (a lost trait breaks, a gained one adds), a field's
/// type (boxed for recursion, or another type), a function's parameters.
fn signature_change(was: &Entry, now: &Entry) -> (Class, String) {
    match now.kind {
        Kind::Struct | Kind::Enum => {
            let traits = |s: &str| -> Vec<String> {
                s.split_once("derive(")
                    .and_then(|(_, r)| r.split_once(')'))
                    .map(|(list, _)| list.split(", ").map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            let (before, after) = (traits(&was.signature), traits(&now.signature));
            let lost: Vec<&String> = before.iter().filter(|t| !after.contains(t)).collect();
            let gained: Vec<&String> = after.iter().filter(|t| !before.contains(t)).collect();
            if !lost.is_empty() {
                let list = lost.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>();
                return (
                    Class::Breaking,
                    format!("no longer implements {}", list.join(", ")),
                );
            }
            if was.signature.contains("non_exhaustive") != now.signature.contains("non_exhaustive")
            {
                return (Class::Breaking, "became #[non_exhaustive]".to_owned());
            }
            if !gained.is_empty() {
                let list = gained.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>();
                return (
                    Class::Additive,
                    format!("now implements {}", list.join(", ")),
                );
            }
            (
                Class::Breaking,
                format!("`{}` → `{}`", was.signature, now.signature),
            )
        }
        Kind::Field
            if now.signature == format!("Box<{}>", was.signature)
                || now.signature.replace("Box<", "").replace('>', "")
                    == was.signature.replace('>', "") =>
        {
            (
                Class::Breaking,
                format!(
                    "newly boxed for recursion: `{}` → `{}`",
                    was.signature, now.signature
                ),
            )
        }
        _ => (
            Class::Breaking,
            format!("type changed: `{}` → `{}`", was.signature, now.signature),
        ),
    }
}
