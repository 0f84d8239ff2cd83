//! `valuemap forget PATH --interviewee X`: the right to be forgotten. Every
//! note from one interviewee goes, with every piece of evidence that cites
//! it, conflict records about those notes, and the copies valuemap keeps of
//! unsaved work (the recovery file and a capture draft).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{open, print_error, say};
use crate::model::edit::{self, Edit};
use crate::model::validate::FileKey;
use crate::model::{Id, Note, Workspace};
use crate::store::Scope;

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
    let (mut store, mut ws) = open(&a.path).map_err(|e| e.to_string())?;
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
    let aliases: BTreeSet<String> = ids
        .iter()
        .map(|id| ws.notes[id].interviewee.clone())
        .collect();
    let mut notes = Vec::new();
    let mut evidence = 0;
    let mut opportunities = BTreeSet::new();
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
    if a.dry_run {
        return Ok(());
    }
    store
        .save(&ws, &Scope::Files(files), false)
        .map_err(|e| format!("{e}; nothing was removed"))?;
    scrub_unsaved(&store, &ws, &ids, &a.interviewee);
    say!("The notes' files are deleted; the history in git, if any, still holds them.");
    Ok(())
}

/// Removes the interviewee from the recovery file and the capture draft.
fn scrub_unsaved(store: &crate::store::Store, _ws: &Workspace, ids: &[Id], who: &str) {
    let Some(recovery) = crate::store::recovery::path_for(store.root()) else {
        return;
    };
    if let Some(Ok(mut r)) = crate::store::recovery::Recovery::read(&recovery)
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
        && d.interviewee
            .trim()
            .to_lowercase()
            .starts_with(&who.trim().to_lowercase())
    {
        let _ = std::fs::remove_file(&draft);
        say!("Removed an unsaved capture draft with them.");
    }
}
