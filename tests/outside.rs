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
    assert!(a.views.notes.rows.contains(&"frmshl".into()));
    // Our own save is not an outside change.
    keys(&mut a, ":add-persona Mine<Enter><C-s>");
    a.on_disk_change(vec![root.join("workspace.ron")]);
    assert!(a.disk.outside_changes.is_empty());
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
    assert_eq!(a.disk.outside_changes.len(), 1);
    assert!(screen(&mut a, 120, 40).contains("[changed on disk]"));
    keys(&mut a, "<C-s>");
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("merge theirs and yours by id"), "{s}");
    // Merge by id: both changes survive, then the save goes through.
    keys(&mut a, "m");
    assert!(a.ws.personas.iter().any(|p| p.name == "Mine"));
    assert!(a.ws.personas.iter().any(|p| p.name == "Renamed elsewhere"));
    assert!(a.disk.outside_changes.is_empty());
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

/// The scenario: rename, save, someone else edits another field of the same
/// entity on disk, the interface reads it in, undo. The name goes back,
/// their edit stays, and the next save keeps it. Once per kind of entity.
#[test]
fn undo_after_a_change_read_from_disk_never_drops_it() {
    type Pick = fn(&valuemap::model::Workspace) -> String;
    struct Case {
        what: &'static str,
        /// Keys that select the entity and rename it to "EM".
        keys: &'static str,
        /// What the other person does on disk.
        theirs: fn(&mut valuemap::model::Workspace),
        /// The renamed field and the other person's field, read back.
        mine: Pick,
        their_field: Pick,
    }
    let cases = [
        Case {
            what: "persona",
            keys: ":view personas<Enter>jj:rename EM<Enter>",
            theirs: |ws| ws.personas[2].description = "their words".into(),
            mine: |ws| ws.personas[2].name.clone(),
            their_field: |ws| ws.personas[2].description.clone(),
        },
        Case {
            what: "activity",
            keys: ":view map<Enter>:rename EM<Enter>",
            theirs: |ws| ws.phases[0].activities[0].description = "their words".into(),
            mine: |ws| ws.phases[0].activities[0].name.clone(),
            their_field: |ws| ws.phases[0].activities[0].description.clone(),
        },
        Case {
            what: "perspective",
            keys: ":view map<Enter>:set-importance 1<Enter>",
            theirs: |ws| {
                let (p, a) = (
                    ws.personas[0].id.clone(),
                    ws.phases[0].activities[0].id.clone(),
                );
                let mut c = ws.perspective(&p, &a).unwrap().clone();
                c.interest = "their words".into();
                ws.set_perspective(&p, &a, Some(c));
            },
            mine: |ws| {
                let c = ws
                    .perspective(&ws.personas[0].id, &ws.phases[0].activities[0].id)
                    .unwrap();
                format!("{:?}", c.importance)
            },
            their_field: |ws| {
                ws.perspective(&ws.personas[0].id, &ws.phases[0].activities[0].id)
                    .unwrap()
                    .interest
                    .clone()
            },
        },
        Case {
            what: "opportunity",
            keys: ":view opportunities<Enter>:rename EM<Enter>",
            theirs: |ws| {
                for o in &mut ws.opportunities {
                    o.description = "their words".into();
                }
            },
            mine: |ws| {
                let mut t: Vec<_> = ws.opportunities.iter().map(|o| o.title.clone()).collect();
                t.sort();
                t.join("|")
            },
            their_field: |ws| {
                let all: Vec<_> = ws
                    .opportunities
                    .iter()
                    .map(|o| o.description.as_str())
                    .collect();
                all.iter()
                    .all(|d| *d == "their words")
                    .to_string()
                    .replace("true", "their words")
            },
        },
        Case {
            what: "metric",
            keys: ":view metrics<Enter>:rename EM<Enter>",
            theirs: |ws| {
                for m in &mut ws.metrics {
                    m.unit = "their words".into();
                }
            },
            mine: |ws| {
                let mut t: Vec<_> = ws.metrics.iter().map(|m| m.name.clone()).collect();
                t.sort();
                t.join("|")
            },
            their_field: |ws| {
                let all: Vec<_> = ws.metrics.iter().map(|m| m.unit.as_str()).collect();
                all.iter()
                    .all(|d| *d == "their words")
                    .to_string()
                    .replace("true", "their words")
            },
        },
        Case {
            what: "note",
            keys: ":view notes<Enter>:rename EM<Enter>",
            theirs: |ws| {
                for n in ws.notes.values_mut() {
                    n.interviewee = "their words".into();
                }
            },
            mine: |ws| {
                let mut t: Vec<_> = ws.notes.values().map(|n| n.title.clone()).collect();
                t.sort();
                t.join("|")
            },
            their_field: |ws| {
                let all: Vec<_> = ws.notes.values().map(|n| n.interviewee.as_str()).collect();
                all.iter()
                    .all(|d| *d == "their words")
                    .to_string()
                    .replace("true", "their words")
            },
        },
    ];
    for c in cases {
        let (dir, mut a) = app_on_disk();
        let root = dir.path().join("ws");
        let original = (c.mine)(&a.ws);
        keys(&mut a, c.keys);
        assert_ne!(
            (c.mine)(&a.ws),
            original,
            "{}: the keys changed nothing",
            c.what
        );
        keys(&mut a, "<C-s>");
        assert!(!a.is_dirty(), "{}", c.what);
        let paths = elsewhere(&root, c.theirs);
        a.on_disk_change(paths);
        assert_eq!(
            (c.their_field)(&a.ws),
            "their words",
            "{}: not read in",
            c.what
        );
        keys(&mut a, "u");
        assert_eq!((c.mine)(&a.ws), original, "{}: undo did not undo", c.what);
        assert_eq!(
            (c.their_field)(&a.ws),
            "their words",
            "{}: undo dropped the change made elsewhere",
            c.what
        );
        keys(&mut a, "<C-s>");
        let (_, disk, _) = Store::open(&root).unwrap();
        assert_eq!((c.mine)(&disk), original, "{}", c.what);
        assert_eq!(
            (c.their_field)(&disk),
            "their words",
            "{}: lost on save",
            c.what
        );
    }
}

/// Undoing a rename whose field someone else renamed too is refused, and
/// says what changed.
#[test]
fn undo_over_the_same_field_changed_elsewhere_is_refused_with_a_reason() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    keys(&mut a, ":view personas<Enter>jj:rename EM<Enter><C-s>");
    let paths = elsewhere(&root, |ws| ws.personas[2].name = "Boss".into());
    a.on_disk_change(paths);
    assert_eq!(a.ws.personas[2].name, "Boss");
    keys(&mut a, "u");
    assert_eq!(a.ws.personas[2].name, "Boss");
    let m = a.message.as_ref().unwrap().text.clone();
    assert!(m.contains("Cannot undo") && m.contains("name"), "{m}");
    assert!(!a.is_dirty());
}

/// Runs `f` on its own thread; fails the test if it has not finished
/// within a few seconds (a read that blocks on a FIFO never would).
#[cfg(unix)]
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("{what} still runs after 20 s: it blocks"))
}

#[cfg(unix)]
fn mkfifo(p: &std::path::Path) {
    let _ = fs::remove_file(p);
    rustix::fs::mknodat(
        rustix::fs::CWD,
        p,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
}

/// A shared file replaced by a FIFO while the interface is open: reading
/// the change in, and merging it into unsaved work, refuse it by name
/// instead of freezing the interface. (Each scenario runs on its own
/// thread, so a read that blocks fails the test instead of hanging it.)
#[cfg(unix)]
#[test]
fn a_fifo_put_in_a_files_place_never_freezes_the_interface() {
    let (msg, kept) = within("reading a FIFO in", || {
        let (dir, mut a) = app_on_disk();
        let root = dir.path().join("ws");
        mkfifo(&root.join("metrics.ron"));
        a.on_disk_change(vec![root.join("metrics.ron")]);
        (a.message.unwrap().text, !a.ws.metrics.is_empty())
    });
    assert!(
        msg.contains("metrics.ron") && msg.contains("named pipe (FIFO)"),
        "{msg}"
    );
    assert!(kept, "what is in memory stays");

    // With unsaved changes to the file: flagged, then merged on save.
    let (flagged, msg, name, dirty) = within("merging a FIFO", || {
        let (dir, mut a) = app_on_disk();
        let root = dir.path().join("ws");
        keys(&mut a, ":view personas<Enter>:rename Ours<Enter>");
        mkfifo(&root.join("workspace.ron"));
        a.on_disk_change(vec![root.join("workspace.ron")]);
        let flagged = !a.disk.outside_changes.is_empty();
        keys(&mut a, "<C-s>m");
        (
            flagged,
            a.message.unwrap().text,
            a.ws.personas[0].name.clone(),
            a.history.is_dirty(),
        )
    });
    assert!(flagged, "a change to a file with unsaved work is flagged");
    assert!(
        msg.contains("Cannot merge") && msg.contains("named pipe (FIFO)"),
        "{msg}"
    );
    assert_eq!(name, "Ours", "the unsaved edit stays");
    assert!(dirty);
}

/// What opening a workspace noticed reaches the interface, not only the
/// command line: a note entry that is not a file and a file holding
/// comments (which a save removes) are named on the status line when the
/// files are loaded again with `:reload`, and by the notices the start
/// shows.
#[cfg(unix)]
#[test]
fn what_the_load_noticed_is_said_in_the_interface() {
    let (dir, mut a) = app_on_disk();
    let root = dir.path().join("ws");
    mkfifo(&root.join("notes/stuck.ron"));
    let ws = fs::read_to_string(root.join("workspace.ron")).unwrap();
    fs::write(root.join("workspace.ron"), format!("// kept by hand\n{ws}")).unwrap();

    let (_, _, info) = Store::open(&root).unwrap();
    let notices = valuemap::tui::registry::session::load_notices(&root, &info);
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices[0].starts_with("Not read: notes/stuck.ron (")
            && notices[0].contains("named pipe (FIFO)"),
        "{notices:?}"
    );
    assert!(
        notices[1].starts_with("workspace.ron:1 holds comments: a save removes them"),
        "{notices:?}"
    );

    keys(&mut a, ":reload<Enter>");
    let m = a.message.clone().unwrap();
    assert!(
        m.text.contains("Reloaded")
            && m.text.contains("notes/stuck.ron")
            && m.text.contains("workspace.ron:1 holds comments"),
        "{}",
        m.text
    );
}
