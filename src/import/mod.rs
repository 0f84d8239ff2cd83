//! Importing into a workspace: our own JSON export (`docs/export-json.md`),
//! a folder of Markdown interview notes, or a CSV table of notes.
//!
//! An import is worked out in memory first, as a [`Plan`]: the whole source
//! is read and checked, links are resolved, and the workspace it would leave
//! behind is validated. Any problem anywhere makes the whole import fail
//! ([`ImportError`] lists every problem found), so nothing is ever half
//! imported. Writing the plan is the caller's job (`valuemap import --apply`
//! saves [`Plan::files`], the files that change).
//!
//! **JSON** (our own export) keeps every id. The derived fields of the export
//! (counts, scores, ranks, verdicts, the parsed quotes / pains / needs /
//! questions of notes, blind spots) are ignored: they are computed again from
//! what is imported.
//! - Into an *empty* workspace (no activities, personas, perspectives, notes,
//!   opportunities, metrics or conflict records; empty phases are allowed, as
//!   `valuemap new --template empty` makes them) the import is exact: the
//!   workspace's name, description and phases are replaced by the export's,
//!   and the result equals the exported workspace, ids and all.
//! - Into a workspace that holds something, the import adds what is new and
//!   never overwrites: an entity whose id is already there (a perspective:
//!   whose cell is already filled) is skipped and reported, as identical or
//!   as differing (the workspace's version is kept). The workspace keeps its
//!   name, description and phases; an activity whose phase is new comes with
//!   its new phase (at the end of the map), one whose phase is already there
//!   joins it (at the end of the phase). An id the workspace uses for another
//!   kind of entity is an error.
//!
//! **Markdown and CSV** make one interview note per file or row, resolving
//! personas and activities like `valuemap note add` (id, name without case,
//! or a unique prefix of the name); `@mentions` and `#tags` in the body count
//! as in the capture editor. A note identical to one already in the workspace
//! (same date, interviewee, persona and text) is skipped, so running the same
//! import twice adds nothing the second time.
//!
//! The folder is split by job: this file holds the [`Plan`], the
//! [`ImportError`] and what the importers share; `json.rs` reads our JSON
//! export and `workspace.rs` adds a whole workspace read from it;
//! `markdown.rs` and `frontmatter.rs` read Markdown notes, `csv.rs` a table
//! of notes.

mod csv;
mod frontmatter;
mod json;
mod markdown;
mod workspace;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::path::Path;

use chrono::NaiveDate;

use crate::capture::{self, Draft};
use crate::model::validate::{FileKey, Severity, validate};
use crate::model::{EntityRef, Workspace};
use crate::store::read;

pub use csv::{NoteField, csv, parse_mapping};
pub use json::{EXPORT_FORMAT, EXPORT_VERSION, json, json_str};
pub use markdown::markdown;
pub use workspace::merge_workspace;

/// What an import would do: the workspace after it, and what it adds and
/// leaves out.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The workspace as it is after the import.
    pub workspace: Workspace,
    /// What the import adds, in the order of the source.
    pub created: Vec<EntityRef>,
    /// What the source holds that the workspace already has.
    pub skipped: Vec<Skipped>,
    /// Things worth knowing that do not stop the import (an `@mention` that
    /// matches no activity, an unmapped CSV column, a new warning).
    pub notices: Vec<String>,
    /// The files of the workspace folder that change.
    pub files: BTreeSet<FileKey>,
}

/// An entity of the source left out because the workspace already has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub entity: EntityRef,
    /// How the source names it (a name, a title, or a note's date and title).
    pub label: String,
    /// Whether the workspace's version is the same as the source's.
    pub identical: bool,
}

/// Why nothing was imported: every problem found, each naming where it is
/// (a file and line, a CSV row, or a path in the JSON document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub problems: Vec<String>,
}

impl ImportError {
    fn one(msg: impl Into<String>) -> ImportError {
        ImportError {
            problems: vec![msg.into()],
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for ImportError {}

/// The kinds of entity, in the order an import reports them.
const KINDS: [&str; 12] = [
    "phase",
    "activity",
    "persona",
    "perspective",
    "note",
    "opportunity",
    "metric",
    "outcome",
    "solution",
    "assumption test",
    "team",
    "adoption record",
];

/// The kind of an entity, as a word.
pub fn kind_of(e: &EntityRef) -> &'static str {
    match e {
        EntityRef::Workspace => "workspace",
        EntityRef::Phase(_) => "phase",
        EntityRef::Activity(_) => "activity",
        EntityRef::Persona(_) => "persona",
        EntityRef::Perspective { .. } => "perspective",
        EntityRef::Note(_) => "note",
        EntityRef::Opportunity(_) => "opportunity",
        EntityRef::Metric(_) => "metric",
        EntityRef::Item(k, _) => k.label(),
    }
}

impl Plan {
    fn new(ws: &Workspace) -> Plan {
        Plan {
            workspace: ws.clone(),
            created: Vec::new(),
            skipped: Vec::new(),
            notices: Vec::new(),
            files: BTreeSet::new(),
        }
    }

    /// How many entities of each kind the import adds, in a fixed order of
    /// kinds, leaving out the kinds it adds none of.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        count_kinds(self.created.iter())
    }

    /// How many entities of each kind were skipped.
    pub fn skipped_counts(&self) -> Vec<(&'static str, usize)> {
        count_kinds(self.skipped.iter().map(|s| &s.entity))
    }

    /// Whether the import changes nothing.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn create(&mut self, e: EntityRef) {
        self.files.insert(FileKey::of(&e));
        self.created.push(e);
    }

    /// Refuses the plan when the workspace it leaves has errors it did not
    /// have before (dangling links, duplicate ids, ...); new warnings become
    /// notices.
    fn checked(mut self, before: &Workspace) -> Result<Plan, ImportError> {
        let old: HashSet<(bool, String)> = validate(before)
            .into_iter()
            .map(|f| (f.severity == Severity::Error, f.message))
            .collect();
        let mut problems = Vec::new();
        for f in validate(&self.workspace) {
            if old.contains(&(f.severity == Severity::Error, f.message.clone())) {
                continue;
            }
            match f.severity {
                Severity::Error => problems.push(format!(
                    "the imported workspace would have an error: {}",
                    f.message
                )),
                Severity::Warning => self.notices.push(format!("warning: {}", f.message)),
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(ImportError { problems })
        }
    }
}

fn count_kinds<'a>(items: impl Iterator<Item = &'a EntityRef>) -> Vec<(&'static str, usize)> {
    let mut n: BTreeMap<&'static str, usize> = BTreeMap::new();
    for e in items {
        *n.entry(kind_of(e)).or_default() += 1;
    }
    KINDS
        .iter()
        .filter_map(|k| n.get(k).map(|c| (*k, *c)))
        .collect()
}

/// Whether a workspace holds nothing but (empty) phases: an import of our
/// JSON export into it is exact.
pub fn is_empty_workspace(ws: &Workspace) -> bool {
    ws.activity_count() == 0
        && ws.personas.is_empty()
        && ws.perspectives.is_empty()
        && ws.notes.is_empty()
        && ws.opportunities.is_empty()
        && ws.metrics.is_empty()
        && ws.conflicts.is_empty()
}

/// Reads a source file: a regular file (a link to one is followed) of at
/// most [`read::MAX_SOURCE_LEN`] bytes. A FIFO, a device or a folder is
/// refused by name without blocking.
fn read(path: &Path) -> Result<Vec<u8>, ImportError> {
    read::read_regular_file(path, read::MAX_SOURCE_LEN).map_err(|e| ImportError::one(e.to_string()))
}

fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, ImportError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        ImportError::one(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    })
}

fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

/// Adds the notes drafted from a source to the plan (see
/// [`capture::add_drafts`]); the problems already found in the source come
/// first in the error.
fn add_notes(
    ws: &Workspace,
    drafts: Vec<Draft>,
    accept: bool,
    mut plan: Plan,
    mut problems: Vec<String>,
) -> Result<Plan, ImportError> {
    let added = capture::add_drafts(&mut plan.workspace, drafts, accept);
    problems.extend(added.problems);
    plan.notices.extend(added.notices);
    for (id, label) in added.duplicates {
        plan.skipped.push(Skipped {
            entity: EntityRef::Note(id),
            label,
            identical: true,
        });
    }
    for e in added.created {
        plan.create(e);
    }
    // Tests given evidence are changed, not created: their files are saved.
    for e in added.changed {
        plan.files.insert(FileKey::of(&e));
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    plan.checked(ws)
}

/// The day a file was last changed, in local time.
fn mtime_date(path: &Path) -> Result<NaiveDate, String> {
    let t = fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(chrono::DateTime::<chrono::Local>::from(t).date_naive())
}

/// Splits a list value: `a, b`, `[a, b]`, with quotes around items dropped.
fn list(value: &str, seps: &[char]) -> Vec<String> {
    let v = value.trim();
    let v = v
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(v);
    v.split(seps)
        .map(unquote)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Tags separated by `,`, `;` or line breaks (a tag may hold blanks);
/// `#a #b` is two tags.
fn tag_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in list(value, &[',', ';', '\n']) {
        let words: Vec<&str> = t.split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|w| w.starts_with('#')) {
            out.extend(words.into_iter().map(str::to_string));
        } else {
            out.push(t);
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|x| x.strip_suffix(q))
            && s.len() >= 2
        {
            return inner.trim();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(list("[a, 'b c', \"d\"]", &[',']), ["a", "b c", "d"]);
        assert_eq!(list("#x #y,z", &[',', ' ']), ["#x", "#y", "z"]);
        assert_eq!(
            tag_list("#x #y, cost control;\nslo"),
            ["#x", "#y", "cost control", "slo"]
        );
        assert!(list("", &[',']).is_empty());
    }
}
