//! Opening a workspace in the interface: the map at once, the rest read in
//! the background, every key working meanwhile, nothing changed or saved
//! until everything is in; a version-1 workspace migrated by its first
//! save. Driven through the interface's own event loop on a test backend.

use std::io;
use std::path::Path;
use std::sync::mpsc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use valuemap::store::Store;
use valuemap::synth::{Shape, workspace};
use valuemap::tui::app::App;
use valuemap::tui::state::View;
use valuemap::tui::{Outside, event_loop, registry};

fn key(code: KeyCode) -> io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn text(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Runs the event loop on `app` until `go_on` is false of a frame.
fn run(
    app: &mut App,
    root: &Path,
    keys: &mpsc::Receiver<io::Result<Event>>,
    mut go_on: impl FnMut(&App, &str) -> bool,
) {
    let (_paths, path_rx) = mpsc::channel();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut drawn = |a: &App, b: &Buffer| go_on(a, &text(b));
    let outside = Outside::channels(keys, &path_rx, root, &mut drawn);
    event_loop(&mut term, app, outside).unwrap();
}

fn opened(root: &Path) -> App {
    let opening = valuemap::store::open_in_background(root).unwrap();
    let mut app = registry::loading::start(opening, Vec::new());
    app.env.size = (120, 40);
    app
}

#[test]
fn keys_work_while_loading_and_nothing_changes_until_everything_is_in() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &workspace(Shape::notes(20_000))).unwrap();
    let before = std::fs::read(root.join("workspace.ron")).unwrap();
    let mut app = opened(&root);
    let (tx, rx) = mpsc::channel();
    let mut first = None;
    run(&mut app, &root, &rx, |a, s| {
        first = Some(s.to_string());
        a.ws.personas.is_empty()
    });
    let first = first.unwrap();
    assert!(
        first.contains("Platform developer"),
        "the map at once:\n{first}"
    );
    assert!(app.disk.loading.is_some(), "and the rest still loading");

    // Keys: to the Personas view, and a rename, which must wait.
    for k in [
        key(KeyCode::Char('2')),
        key(KeyCode::Char('r')),
        key(KeyCode::Char('X')),
        key(KeyCode::Enter),
        key(KeyCode::Char(':')),
    ] {
        tx.send(k).unwrap();
    }
    for c in "save".chars() {
        tx.send(key(KeyCode::Char(c))).unwrap();
    }
    tx.send(key(KeyCode::Enter)).unwrap();
    let mut seen = String::new();
    run(&mut app, &root, &rx, |a, s| {
        seen = s.to_string();
        a.layers.iter().any(|l| l.name() == "palette") || a.view() != View::Personas
    });
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(app.disk.loading.is_some(), "loading still: {said}");
    assert_eq!(app.view(), View::Personas);
    assert!(!app.is_dirty());
    assert!(said.contains("once everything is read"), "{said}\n{seen}");
    assert_eq!(std::fs::read(root.join("workspace.ron")).unwrap(), before);

    // Everything arrives; then edits work.
    run(&mut app, &root, &rx, |a, _| a.disk.loading.is_some());
    assert_eq!(app.ws.notes.len(), 20_000);
    let fresh = App::new(Store::open(&root).unwrap().1, None);
    assert_eq!(app.views.notes.rows, fresh.views.notes.rows);
    tx.send(key(KeyCode::Char('r'))).unwrap();
    for c in "Renamed".chars() {
        tx.send(key(KeyCode::Char(c))).unwrap();
    }
    tx.send(key(KeyCode::Enter)).unwrap();
    run(&mut app, &root, &rx, |a, _| !a.is_dirty());
    assert!(app.ws.personas.iter().any(|p| p.name.ends_with("Renamed")));
}

/// While the rest is read, the counts grow, and so does the Notes list
/// on its view; at the end both are whole.
#[test]
fn counts_and_the_notes_list_fill_in_while_loading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &workspace(Shape::notes(20_000))).unwrap();
    let mut app = opened(&root);
    let (tx, rx) = mpsc::channel();
    // The Notes view, from the first frame.
    tx.send(key(KeyCode::Char('3'))).unwrap();
    let (mut counted, mut listed) = (Vec::new(), Vec::new());
    run(&mut app, &root, &rx, |a, _| {
        if a.disk.loading.is_some() {
            let n: usize =
                a.ws.personas
                    .iter()
                    .map(|p| a.stats.persona_notes(&p.id))
                    .sum();
            counted.push(n);
            if a.view() == View::Notes {
                listed.push(a.views.notes.rows.len());
            }
        }
        a.disk.loading.is_some()
    });
    let part = |v: &[usize]| v.iter().any(|&n| n > 0 && n < 20_000);
    assert!(part(&counted), "counts part way: {counted:?}");
    assert!(part(&listed), "the list part way: {listed:?}");
    assert!(listed.windows(2).all(|w| w[0] <= w[1]), "{listed:?}");
    let fresh = App::new(Store::open(&root).unwrap().1, None);
    assert_eq!(app.views.notes.rows, fresh.views.notes.rows);
    for p in &app.ws.personas {
        assert_eq!(
            app.stats.persona_notes(&p.id),
            fresh.stats.persona_notes(&p.id)
        );
    }
}

#[test]
fn quitting_while_loading_is_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Store::create(&root, &workspace(Shape::notes(20_000))).unwrap();
    let mut app = opened(&root);
    let (tx, rx) = mpsc::channel();
    tx.send(key(KeyCode::Char('q'))).unwrap();
    run(&mut app, &root, &rx, |_, _| true);
    assert!(app.exit.is_some());
    // The loop ended without waiting for the rest of the workspace.
    assert!(app.disk.loading.is_some(), "quit before the load was done");
    assert!(app.ws.notes.len() < 20_000);
}

#[test]
fn a_version_1_workspace_opens_dirty_and_its_first_save_migrates_it() {
    use valuemap::store::format::{MetricsFileRef, OpportunitiesFileRef, to_ron};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let ws = workspace(Shape::notes(300));
    Store::create(&root, &ws).unwrap();
    for folder in ["opportunities", "metrics"] {
        std::fs::remove_dir_all(root.join(folder)).unwrap();
    }
    std::fs::write(
        root.join("opportunities.ron"),
        to_ron(&OpportunitiesFileRef {
            opportunities: ws.opportunities.iter().collect(),
            conflicts: Vec::new(),
        }),
    )
    .unwrap();
    std::fs::write(
        root.join("metrics.ron"),
        to_ron(&MetricsFileRef {
            metrics: ws.metrics.iter().collect(),
            conflicts: Vec::new(),
        }),
    )
    .unwrap();
    let text = std::fs::read_to_string(root.join("workspace.ron")).unwrap();
    std::fs::write(
        root.join("workspace.ron"),
        text.replace("version: 3,", "version: 1,"),
    )
    .unwrap();

    let mut app = opened(&root);
    let (tx, rx) = mpsc::channel();
    run(&mut app, &root, &rx, |a, _| a.disk.loading.is_some());
    assert_eq!(app.ws, ws);
    assert!(app.is_dirty(), "the new layout is not on disk yet");
    let said = app.message.as_ref().unwrap().text.clone();
    assert!(said.starts_with("Read format version 1"), "{said}");
    assert!(
        root.join("opportunities.ron").exists(),
        "nothing written yet"
    );

    tx.send(Ok(Event::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    ))))
    .unwrap();
    run(&mut app, &root, &rx, |a, _| a.is_dirty());
    assert!(!root.join("opportunities.ron").exists());
    assert!(!root.join("metrics.ron").exists());
    let (_, again, info) = Store::open(&root).unwrap();
    assert_eq!(again, ws);
    assert_eq!(info.migrated_from, None);
}
