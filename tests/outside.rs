//! Changes made to the workspace folder by someone else while the interface
//! is open: read in when there is nothing unsaved here, flagged and merged by
//! id when there is.

mod support;

use std::fs;

use support::*;
use valuemap::store::{Scope, Store};

/// Another writer: opens the same folder, changes it, saves.
fn elsewhere(
    root: &std::path::Path,
    change: impl FnOnce(&mut valuemap::model::Workspace),
) -> Vec<std::path::PathBuf> {
    let (mut store, mut ws, _) = Store::open(root).unwrap();
    change(&mut ws);
    let report = store.save(&ws, &Scope::All, false).unwrap();
    report.written.into_iter().chain(report.removed).collect()
}

#[test]
fn a_note_added_elsewhere_appears_at_once() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    let paths = elsewhere(&root, |ws| {
        let mut n = ws.notes.values().next().unwrap().clone();
        n.id = "frmshl".into();
        n.title = "Captured from the shell".into();
        n.body = "Captured from the shell\n! pagers at night".into();
        ws.notes.insert(n.id.clone(), n);
    });
    a.on_disk_change(paths);
    assert!(a.ws.notes.contains_key(&"frmshl".into()));
    assert!(!a.is_dirty(), "nothing to save: it came from disk");
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .contains("Loaded changes made elsewhere")
    );
    assert!(a.note_rows.contains(&"frmshl".into()));
    // Our own save is not an outside change.
    keys(&mut a, ":add-persona Mine<Enter><C-s>");
    a.on_disk_change(vec![root.join("workspace.ron")]);
    assert!(a.outside_changes.is_empty());
}

#[test]
fn an_untouched_shared_file_is_reloaded_and_a_touched_one_is_flagged_then_merged() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    // Untouched here: read in.
    let paths = elsewhere(&root, |ws| {
        ws.opportunities[0].title = "Renamed elsewhere".into()
    });
    a.on_disk_change(paths);
    assert!(
        a.ws.opportunities
            .iter()
            .any(|o| o.title == "Renamed elsewhere")
    );
    // Touched here and there: flagged, and saving asks.
    keys(&mut a, ":add-persona Mine<Enter>");
    let paths = elsewhere(&root, |ws| ws.personas[0].name = "Renamed elsewhere".into());
    a.on_disk_change(paths);
    assert_eq!(a.outside_changes.len(), 1);
    assert!(screen(&mut a, 120, 40).contains("[changed on disk]"));
    keys(&mut a, "<C-s>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("merge theirs and yours by id"), "{s}");
    // Merge by id: both changes survive, then the save goes through.
    keys(&mut a, "m");
    assert!(a.ws.personas.iter().any(|p| p.name == "Mine"));
    assert!(a.ws.personas.iter().any(|p| p.name == "Renamed elsewhere"));
    assert!(a.outside_changes.is_empty());
    keys(&mut a, "<C-s>");
    assert!(!a.is_dirty());
    let (_, disk, _) = Store::open(&root).unwrap();
    assert!(disk.personas.iter().any(|p| p.name == "Mine"));
    assert!(disk.personas.iter().any(|p| p.name == "Renamed elsewhere"));
    // The merge is one undoable step.
    keys(&mut a, "u");
    assert!(!a.ws.personas.iter().any(|p| p.name == "Renamed elsewhere"));
}

#[test]
fn a_conflicting_edit_is_recorded_not_lost() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    let first = a.ws.personas[0].id.clone();
    keys(&mut a, ":view personas<Enter>:rename Ours<Enter>");
    let paths = elsewhere(&root, |ws| ws.personas[0].name = "Theirs".into());
    a.on_disk_change(paths);
    keys(&mut a, "<C-s>m");
    assert_eq!(a.ws.persona(&first).unwrap().name, "Ours");
    assert_eq!(a.ws.conflicts.len(), 1);
    assert_eq!(a.ws.conflicts[0].theirs, "\"Theirs\"");
    keys(&mut a, ":conflicts<Enter>t");
    assert_eq!(a.ws.persona(&first).unwrap().name, "Theirs");
    assert!(a.ws.conflicts.is_empty());
}

#[test]
fn a_note_deleted_elsewhere_goes_and_a_broken_file_is_reported() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    let id = a.ws.notes.keys().next().unwrap().clone();
    let paths = elsewhere(&root, |ws| {
        ws.notes.remove(&id);
    });
    a.on_disk_change(paths);
    assert!(!a.ws.notes.contains_key(&id));
    fs::write(root.join("metrics.ron"), "(metrics: [").unwrap();
    a.on_disk_change(vec![root.join("metrics.ron")]);
    assert!(a.message.as_ref().unwrap().text.contains("cannot be read"));
    assert!(!a.ws.metrics.is_empty(), "what is in memory stays");
}
