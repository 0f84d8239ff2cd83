//! `valuemap forget PATH --interviewee X`: the right to be forgotten. Every
//! note from one interviewee goes, with every piece of evidence that cites
//! it, conflict records about those notes, the titles of opportunities made
//! from their lines, the copies valuemap keeps of unsaved work (the recovery
//! file and a capture draft), and what interrupted runs left behind
//! (temporary files, staging folders of a killed `new` or `:save-as`).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{print_error, say};
use crate::model::edit::{self, Edit};
use crate::model::validate::FileKey;
use crate::model::{Id, Note, Workspace};
use crate::store::{Scope, Store};

/// The title an opportunity gets when its own title was a forgotten
/// person's words and other evidence still backs it.
pub const REMOVED_TITLE: &str = "(title removed: it quoted a forgotten interviewee)";

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// Workspace folder
    pub path: PathBuf,
    /// The interviewee's alias, as written in the notes (any case). "Priya"
    /// also matches "Priya (payments team)".
    #[arg(long, short)]
    pub interviewee: String,
    /// Only say what would be removed
    #[arg(long)]
    pub dry_run: bool,
    /// Keep the titles of opportunities made from their lines (by default
    /// such an opportunity is deleted when only their notes backed it, and
    /// retitled when other evidence backs it too)
    #[arg(long)]
    pub keep_titles: bool,
}

/// Text compared without case and with runs of blanks as one space.
fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The opportunities that cite `notes` and whose title is one of their
/// lines (as a suggestion from a pain or need line becomes one, or as the
/// line an opportunity cites from those notes reads). An opportunity that
/// does not cite them keeps its title, even when someone else said the
/// same words.
fn titled_by(ws: &Workspace, notes: &[Id]) -> Vec<Id> {
    let mut lines = BTreeSet::new();
    for id in notes {
        if let Some(n) = ws.notes.get(id) {
            for s in crate::capture::parse(&n.body).suggestions() {
                lines.insert(norm(&s.title));
            }
        }
    }
    ws.opportunities
        .iter()
        .filter(|o| {
            let title = norm(&o.title);
            !title.is_empty()
                && o.evidence.iter().any(|e| notes.contains(&e.note))
                && (lines.contains(&title)
                    || o.evidence.iter().any(|e| {
                        notes.contains(&e.note)
                            && norm(&crate::export::quote_text(&e.quote)) == title
                    }))
        })
        .map(|o| o.id.clone())
        .collect()
}

/// Whether a note is from the interviewee `who`.
fn from(n: &Note, who: &str) -> bool {
    let alias = n.interviewee.trim().to_lowercase();
    let who = who.trim().to_lowercase();
    !who.is_empty() && (alias == who || alias.starts_with(&format!("{who} (")))
}

pub fn run(a: ForgetArgs) -> ExitCode {
    match forget(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn forget(a: &ForgetArgs) -> Result<(), String> {
    // Writing holds the workspace's lock from the read to the write.
    let (mut store, mut ws, info) = if a.dry_run {
        Store::open(&a.path)
    } else {
        Store::open_locked(&a.path)
    }
    .map_err(|e| e.to_string())?;
    super::tell(&a.path, &info);
    let skipped = info.skipped;
    let ids: Vec<Id> = ws
        .notes
        .values()
        .filter(|n| from(n, &a.interviewee))
        .map(|n| n.id.clone())
        .collect();
    if ids.is_empty() {
        let mut aliases: Vec<&str> = ws
            .notes
            .values()
            .map(|n| n.interviewee.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        aliases.sort_unstable();
        aliases.dedup();
        return Err(format!(
            "no notes from an interviewee called \"{}\"; interviewees: {}",
            a.interviewee,
            aliases.join(", ")
        ));
    }
    if !skipped.is_empty() && !a.dry_run {
        return Err(format!(
            "{} entr{} of the notes folder could not be read ({}); they may hold notes from \"{}\". \
             Remove them or make them note files, then run forget again; nothing was removed",
            skipped.len(),
            if skipped.len() == 1 { "y" } else { "ies" },
            skipped
                .iter()
                .map(|s| s.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            a.interviewee
        ));
    }
    let aliases: BTreeSet<String> = ids
        .iter()
        .map(|id| ws.notes[id].interviewee.to_string())
        .collect();
    let worded = titled_by(&ws, &ids);
    let mut notes = Vec::new();
    let mut evidence = 0;
    let mut opportunities = BTreeSet::new();
    let mut tests = BTreeSet::new();
    let mut files: BTreeSet<FileKey> = BTreeSet::new();
    for id in &ids {
        let n = &ws.notes[id];
        notes.push(format!("{} \"{}\"", n.date.format("%Y-%m-%d"), n.title));
        for o in ws
            .opportunities
            .iter()
            .filter(|o| o.evidence.iter().any(|e| &e.note == id))
        {
            opportunities.insert(o.title.clone());
        }
        for t in ws
            .items
            .tests
            .values()
            .filter(|t| t.evidence.iter().any(|e| &e.note == id))
        {
            tests.insert(t.assumption.clone());
        }
        let (e, impact) = edit::delete_note(&ws, id);
        evidence += impact.evidence;
        files.extend(e.files());
        edit::apply(&mut ws, e).map_err(|e| e.to_string())?;
    }
    // Conflict records about those notes go too.
    let before = ws.conflicts.len();
    let kept: Vec<_> = ws
        .conflicts
        .iter()
        .filter(|c| !matches!(&c.target, crate::model::ConflictTarget::Note(n) if ids.contains(n)))
        .cloned()
        .collect();
    if kept.len() != before {
        let e = Edit::SetConflicts(kept);
        files.extend(e.files());
        edit::apply(&mut ws, e).map_err(|e| e.to_string())?;
    }
    // Opportunities titled with their words: deleted when nothing else
    // backs them, else retitled (unless --keep-titles).
    let (mut deleted, mut retitled) = (Vec::new(), Vec::new());
    for id in &worded {
        let Some(o) = ws.opportunity(id) else {
            continue;
        };
        if a.keep_titles {
            continue;
        }
        let e = if o.evidence.is_empty() {
            deleted.push(id.clone());
            edit::delete_opportunity(&ws, id).0
        } else {
            retitled.push(id.clone());
            let mut o = o.clone();
            o.title = REMOVED_TITLE.to_string();
            Edit::SetOpportunity { opportunity: o }
        };
        files.extend(e.files());
        edit::apply(&mut ws, e).map_err(|e| e.to_string())?;
    }
    let verb = if a.dry_run { "Would remove" } else { "Removed" };
    say!(
        "{verb} {} note(s) from {}:",
        ids.len(),
        aliases.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    for n in &notes {
        say!("  {n}");
    }
    say!(
        "{verb} {evidence} evidence link(s) from {} opportunit{}{}",
        opportunities.len(),
        if opportunities.len() == 1 { "y" } else { "ies" },
        if opportunities.is_empty() {
            String::new()
        } else {
            format!(
                ": {}",
                opportunities.iter().cloned().collect::<Vec<_>>().join("; ")
            )
        }
    );
    if !tests.is_empty() {
        say!(
            "  and from {} assumption test(s): {}",
            tests.len(),
            tests.iter().cloned().collect::<Vec<_>>().join("; ")
        );
    }
    let list = |v: &[Id]| v.iter().map(Id::to_string).collect::<Vec<_>>().join(", ");
    if a.keep_titles && !worded.is_empty() {
        say!(
            "Kept, as asked, the titles of {} opportunit{} made from their lines: {}",
            worded.len(),
            if worded.len() == 1 { "y" } else { "ies" },
            list(&worded)
        );
    }
    if !deleted.is_empty() {
        say!(
            "{} {} opportunit{} titled with their words and backed by nothing else: {}",
            if a.dry_run { "Would delete" } else { "Deleted" },
            deleted.len(),
            if deleted.len() == 1 { "y" } else { "ies" },
            list(&deleted)
        );
    }
    if !retitled.is_empty() {
        say!(
            "{} the title of {} opportunit{} that quoted them (other evidence keeps {}): {}; rename {} in valuemap",
            if a.dry_run {
                "Would replace"
            } else {
                "Replaced"
            },
            retitled.len(),
            if retitled.len() == 1 { "y" } else { "ies" },
            if retitled.len() == 1 { "it" } else { "them" },
            list(&retitled),
            if retitled.len() == 1 { "it" } else { "them" },
        );
    }
    if !worded.is_empty() && !a.keep_titles && a.dry_run {
        say!("(--keep-titles keeps those titles as they are)");
    }
    if a.dry_run {
        return Ok(());
    }
    store
        .save(&ws, &Scope::Files(files), false)
        .map_err(|e| super::save_failed(&e, "nothing was removed"))?;
    let leftovers = store.remove_leftovers();
    if leftovers > 0 {
        say!(
            "Removed {leftovers} temporary file(s) and staging folder(s) that interrupted runs left, which may have held their notes."
        );
    }
    scrub_unsaved(&store, &ws, &ids, &a.interviewee);
    say!("The notes' files are deleted; the history in git, if any, still holds them.");
    Ok(())
}

/// Removes the interviewee from the recovery file and the capture draft.
fn scrub_unsaved(store: &crate::store::Store, _ws: &Workspace, ids: &[Id], who: &str) {
    let Some(recovery) = crate::store::recovery::path_for(store.root()) else {
        return;
    };
    let read = crate::store::recovery::Recovery::read(&recovery);
    if let Some(Err(e)) = &read {
        // Never read, so never scrubbed: said rather than passed over.
        say!(
            "warning: the unsaved work kept for recovery could not be read, so it was left as it is: {e}"
        );
    }
    if let Some(Ok(mut r)) = read
        && r.forget(ids, who)
    {
        if r.changes.is_empty() {
            let _ = std::fs::remove_file(&recovery);
        } else {
            let _ = r.write(&recovery);
        }
        say!("Removed them from the unsaved work kept for recovery.");
    }
    let draft = crate::store::draft::path_for(&recovery);
    if let Some(d) = crate::store::draft::Draft::read(&draft)
        && (d
            .interviewee
            .trim()
            .to_lowercase()
            .starts_with(&who.trim().to_lowercase())
            || d.editing.as_ref().is_some_and(|id| ids.contains(id)))
    {
        let _ = std::fs::remove_file(&draft);
        say!("Removed an unsaved capture draft with them.");
    }
}
