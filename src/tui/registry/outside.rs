//! Changes made to the workspace folder by someone else while the interface
//! is open: another valuemap, `valuemap note add`, git, an editor. A file
//! with no unsaved changes here is read in at once; one with unsaved changes
//! is flagged, and saving then offers reload, overwrite, merge by id or save
//! as.

use std::collections::BTreeSet;
use std::path::PathBuf;

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

/// The watcher saw these paths change.
pub fn on_disk_change(app: &mut App, paths: Vec<PathBuf>) {
    if app.disk.pending_save.is_some() {
        // Our own save is writing: look again when it is done.
        app.disk.recheck.extend(paths);
        return;
    }
    let Some(store) = &app.store else { return };
    let files: BTreeSet<(DiskFile, PathBuf)> = paths
        .into_iter()
        .filter_map(|p| store.disk_file(&p).map(|f| (f, p)))
        .collect();
    let mut loaded = Vec::new();
    for (f, path) in files {
        let Some(store) = app.store.as_mut() else {
            return;
        };
        if !store.disk_changed(&f, &app.ws) {
            continue; // our own write, or nothing new
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
            continue;
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
    if !loaded.is_empty() {
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
            (count(|k| matches!(k, FileKey::Item(..))), "item"),
            (count(|k| matches!(k, FileKey::Note(_))), "note"),
        ] {
            if n > 0 {
                parts.push(crate::text::count(n, one));
            }
        }
        app.info(format!(
            "Loaded changes made elsewhere: {}",
            parts.join(", ")
        ));
    }
}

/// Looks again at paths that changed during our own save.
pub fn recheck_disk(app: &mut App) {
    if app.disk.pending_save.is_none() && !app.disk.recheck.is_empty() {
        let paths: Vec<PathBuf> = std::mem::take(&mut app.disk.recheck).into_iter().collect();
        on_disk_change(app, paths);
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
        let theirs = match std::fs::read(p) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(_) => String::new(),
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
