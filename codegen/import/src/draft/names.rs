//! The operationId a page's title gives.

use super::*;

/// Verbs of titles, in their `-ing` form, and the verb of the operationId.
pub(super) const VERBS: &[(&str, &str)] = &[
    ("obtaining", "get"),
    ("querying", "get"),
    ("getting", "get"),
    ("viewing", "get"),
    ("showing", "show"),
    ("listing", "list"),
    ("creating", "create"),
    ("adding", "add"),
    ("deleting", "delete"),
    ("removing", "remove"),
    ("modifying", "update"),
    ("updating", "update"),
    ("changing", "change"),
    ("enabling", "enable"),
    ("disabling", "disable"),
    ("configuring", "configure"),
    ("setting", "set"),
    ("resetting", "reset"),
    ("starting", "start"),
    ("stopping", "stop"),
    ("running", "run"),
    ("executing", "execute"),
    ("binding", "bind"),
    ("unbinding", "unbind"),
    ("attaching", "attach"),
    ("detaching", "detach"),
    ("restoring", "restore"),
    ("resizing", "resize"),
    ("uploading", "upload"),
    ("downloading", "download"),
    ("importing", "import"),
    ("exporting", "export"),
    ("rolling", "roll"),
    ("retrying", "retry"),
    ("cancelling", "cancel"),
    ("canceling", "cancel"),
    ("applying", "apply"),
    ("releasing", "release"),
    ("renaming", "rename"),
    ("scaling", "scale"),
    ("upgrading", "upgrade"),
];

/// A verb's `-ing` form, undone: `deleting` → `delete`, `setting` → `set`, `locking` → `lock`.
pub(super) fn base_verb(word: &str) -> String {
    if let Some((_, v)) = VERBS.iter().find(|(ing, _)| *ing == word) {
        return (*v).to_owned();
    }
    let Some(stem) = word.strip_suffix("ing").filter(|s| s.len() >= 2) else {
        return word.to_owned();
    };
    let b = stem.as_bytes();
    let last = b[b.len() - 1];
    let vowel = |c: u8| b"aeiou".contains(&c);
    if b.len() >= 2 && b[b.len() - 2] == last && !vowel(last) && !matches!(last, b'l' | b's' | b'z')
    {
        // `stopping` → `stop`
        return stem[..stem.len() - 1].to_owned();
    }
    // `enabl`, `configur`, `creat`, `sav`: the silent e comes back.
    let silent_e = matches!(last, b'v' | b'z' | b'c')
        || (b.len() >= 2 && !vowel(b[b.len() - 2]) && matches!(last, b'l' | b'r'));
    if silent_e {
        format!("{stem}e")
    } else {
        stem.to_owned()
    }
}

/// `Obtaining Job Details` → `get_job_details`; `Batch Deleting Lanterns` →
/// `batch_delete_lanterns`; `Querying Lantern Details - ShowLantern` → `show_lantern` (the
/// SDK's action name, when the title gives one).
pub fn operation_id(title: &str) -> String {
    if let Some((_, action)) = title.rsplit_once(" - ") {
        let action = action.trim();
        if !action.is_empty()
            && !action.contains(' ')
            && action.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return snake(action);
        }
    }
    let words: Vec<String> = title
        .split([' ', '/'])
        .map(|w| {
            w.trim_end_matches("'s")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut verb_done = false;
    for w in &words {
        if matches!(w.as_str(), "a" | "an" | "the") {
            continue;
        }
        if !verb_done && w != "batch" {
            out.push(base_verb(w));
            verb_done = true;
            continue;
        }
        out.push(w.clone());
    }
    if out.is_empty() {
        return "call".to_owned();
    }
    snake(&out.join("_"))
}
