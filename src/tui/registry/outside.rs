//! Changes made to the workspace folder by someone else while the interface
//! is open: another valuemap, `valuemap note add`, git, an editor. A file
//! with no unsaved changes here is read in at once; one with unsaved changes
//! is flagged, and saving then offers reload, overwrite, merge by id or save
//! as.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::model::validate::FileKey;
use crate::store::{DiskFile, Store};
use crate::tui::app::App;
use crate::tui::command::Command;

pub fn merge_command(app: &mut App, c: Command) -> Result<(), String> {
    let Command::MergeOutside(paths) = c else {
        return Err("merge-outside needs the files".into());
    };
    merge_outside(app, &paths);
    Ok(())
}

/// The watcher saw these paths change: they are read in at once.
pub fn on_disk_change(app: &mut App, paths: Vec<PathBuf>) {
    app.disk.incoming.extend(paths);
    absorb(app, None);
}

/// Reads in the paths the watcher reported (`app.disk.incoming`), for at
/// most `budget` when one is given: a `git pull` of a thousand notes is
/// taken in a slice at a time between frames, and keys go on working.
/// Each path costs the same however large the workspace: the store finds
/// its file in one look-up, and recognises the echo of its own saves
/// without reading the file. Nothing is read while a save or the opening
/// is under way; the paths wait.
pub fn absorb(app: &mut App, budget: Option<Duration>) {
    if app.disk.pending_save.is_some() || app.disk.loading.is_some() {
        return;
    }
    let started = Instant::now();
    // The metrics' suggestions before, to say a new one after (they never
    // depend on notes: a pull of notes alone does not look).
    let suggested = app
        .disk
        .incoming
        .iter()
        .any(|p| !in_notes_folder(p))
        .then(|| super::tree::suggested(app));
    let mut loaded = Vec::new();
    while let Some(path) = app.disk.incoming.pop_first() {
        absorb_one(app, path, &mut loaded);
        if budget.is_some_and(|b| started.elapsed() >= b) {
            break;
        }
    }
    if loaded.is_empty() {
        return;
    }
    let files: BTreeSet<FileKey> = loaded.into_iter().collect();
    app.refresh(&files);
    let count = |f: fn(&FileKey) -> bool| files.iter().filter(|k| f(k)).count();
    let mut parts: Vec<String> = Vec::new();
    if files.contains(&FileKey::Workspace) {
        parts.push("the map".into());
    }
    for (n, one) in [
        (
            count(|k| matches!(k, FileKey::Opportunities | FileKey::Opportunity(_))),
            "opportunity",
        ),
        (
            count(|k| matches!(k, FileKey::Metrics | FileKey::Metric(_))),
            "metric",
        ),
        (count(|k| matches!(k, FileKey::Note(_))), "note"),
    ] {
        if n > 0 {
            parts.push(crate::text::count(n, one));
        }
    }
    for kind in crate::model::Kind::ALL {
        let n = files
            .iter()
            .filter(|k| matches!(k, FileKey::Item(k2, _) if *k2 == kind))
            .count();
        if n > 0 {
            parts.push(crate::text::count(n, kind.label()));
        }
    }
    let hint = suggested
        .map(|before| super::tree::new_suggestion(app, &before))
        .unwrap_or_default();
    let more = if app.disk.incoming.is_empty() {
        String::new()
    } else {
        format!(" (reading {} more…)", app.disk.incoming.len())
    };
    app.info(format!(
        "Loaded changes made elsewhere: {}{hint}{more}",
        parts.join(", ")
    ));
}

/// Whether a path is in the notes folder (`notes/NAME`).
fn in_notes_folder(p: &std::path::Path) -> bool {
    p.parent()
        .and_then(|d| d.file_name())
        .is_some_and(|d| d == crate::store::NOTES_DIR)
}

/// Reads one changed path in, unless it holds nothing new or has unsaved
/// changes here (then it is flagged for the next save).
fn absorb_one(app: &mut App, path: PathBuf, loaded: &mut Vec<FileKey>) {
    let Some(store) = app.store.as_mut() else {
        return;
    };
    let Some(f) = store.disk_file(&path) else {
        return;
    };
    if !store.disk_changed(&f, &app.ws) {
        return; // our own write, or nothing new
    }
    let shown = store.relative(&path).unwrap_or_else(|| path.clone());
    if let DiskFile::Known(k) = &f
        && app.history.touched().contains(k)
    {
        app.disk.outside_changes.insert(path.clone());
        app.warn(format!(
            "{} changed on disk while you have unsaved changes to it: saving will ask what to do",
            shown.display()
        ));
        return;
    }
    let read = store.read_change(&app.ws, &f).map_err(|e| e.to_string());
    let absorbed = read.and_then(|incoming| {
        app.history
            .absorb(&mut app.ws, &incoming.changes)
            .map_err(|e| e.describe(&app.ws))?;
        let keys: Vec<FileKey> = incoming.changes.iter().map(|c| c.target.file()).collect();
        if let Some(store) = app.store.as_mut() {
            store.accept(incoming);
        }
        Ok(keys)
    });
    match absorbed {
        Ok(keys) => {
            app.disk.outside_changes.remove(&path);
            loaded.extend(keys);
        }
        Err(e) => app.warn(format!(
            "{} changed on disk but cannot be read: {e}",
            shown.display()
        )),
    }
}

/// Looks again at paths that changed during our own save.
pub fn recheck_disk(app: &mut App) {
    if app.disk.pending_save.is_none() && !app.disk.recheck.is_empty() {
        let paths = std::mem::take(&mut app.disk.recheck);
        app.disk.incoming.extend(paths);
    }
}

/// Merges outside changes to the shared files into the workspace by id
/// (the common ancestor is what was loaded): one undoable step. Note files
/// cannot be merged app way and are left to reload or overwrite.
pub fn merge_outside(app: &mut App, paths: &[PathBuf]) {
    let Some(store) = &app.store else { return };
    let mut changes = Vec::new();
    let mut merged_keys = Vec::new();
    let mut skipped = 0;
    for p in paths {
        let Some(DiskFile::Known(key)) = store.disk_file(p) else {
            skipped += 1;
            continue;
        };
        if matches!(key, FileKey::Note(_)) {
            skipped += 1;
            continue;
        }
        // Read as the store reads: a FIFO or a device put in the file's
        // place is refused, never waited on (the interface would freeze).
        let theirs = match crate::store::read::read_workspace_file(
            store.root(),
            p,
            crate::store::read::MAX_FILE_LEN,
        ) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) if e.is_not_found() => String::new(),
            Err(e) => {
                app.error(format!("Cannot merge: {e}"));
                return;
            }
        };
        let Some(ours) = Store::render(&key, &app.ws) else {
            continue;
        };
        let name = p.strip_prefix(store.root()).unwrap_or(p);
        let merged = match crate::merge::merge_file(name, store.base_text(&key), &ours, &theirs) {
            Ok(m) => m,
            Err(e) => {
                app.error(format!("Cannot merge {}: {e}", p.display()));
                return;
            }
        };
        match crate::store::file_part(&key, p, &merged.text) {
            Ok(part) => {
                changes.extend(crate::model::change::diff(&app.ws, &part, &key));
                merged_keys.push(key);
            }
            Err(e) => {
                app.error(format!("Cannot merge {}: {e}", p.display()));
                return;
            }
        }
    }
    if merged_keys.is_empty() {
        app.warn("Nothing to merge by id: interview notes changed on both sides can only be reloaded or overwritten");
        return;
    }
    let merged = app
        .history
        .replay_as_step(&mut app.ws, "merge changes made elsewhere", &changes);
    if let Err(e) = merged {
        app.error(format!("Cannot merge: {}", e.reason));
        return;
    }
    app.after_change();
    {
        if let Some(store) = app.store.as_mut() {
            for k in &merged_keys {
                store.accept_disk(k, &app.ws);
            }
        }
        for p in paths {
            app.disk.outside_changes.remove(p);
        }
        let n = app.ws.conflicts.len();
        app.info(match (n, skipped) {
            (0, 0) => format!(
                "Merged by id: review, then save ({})",
                app.env.keys.hint(crate::tui::action::Action::Save)
            ),
            (0, s) => {
                format!(
                    "Merged by id; {} still differ: reload or overwrite them",
                    crate::text::count(s, "note file")
                )
            }
            (n, _) => {
                format!(
                    "Merged by id with {}: :conflicts to settle them, then save",
                    crate::text::count(n, "conflict")
                )
            }
        });
    }
}
