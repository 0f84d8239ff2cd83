//! Speed at scale: opening, saving, keystrokes in every view, search and
//! capture, at 1k, 10k and 100k notes.
//!
//! ```sh
//! cargo bench --bench scale               # everything (the 100k fixture takes a while to create once)
//! cargo bench --bench scale -- open       # only benches whose name contains "open"
//! cargo bench --bench scale -- save_loop watcher   # saves and watcher events through the event loop
//! ```
//!
//! The `save_loop_*` and `watcher_*` benches drive the interface through its
//! own event loop (`valuemap::tui::event_loop` on a test backend); the others
//! call its parts directly.
//!
//! Fixtures are synthetic workspaces (`valuemap::synth`) written once under
//! `target/bench-fixtures/` and reused.

valuemap::allocator!();

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use divan::{Bencher, black_box};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use valuemap::model::Workspace;
use valuemap::model::edit::Edit;
use valuemap::model::validate::{FileKind, validate};
use valuemap::store::Store;
use valuemap::store::format::disk::WorkspaceIn;
use valuemap::store::format::{ItemFile, MetricFile, NoteFile, OpportunityFile, parse_bare};
use valuemap::synth::{Shape, workspace};
use valuemap::tui::app::App;
use valuemap::tui::state::View;
use valuemap::tui::{Outside, event_loop, on_event};

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

fn fixtures() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("bench-fixtures")
}

/// A synthetic workspace of `n` notes on disk, created on first use.
fn fixture(n: usize, name: &str) -> PathBuf {
    let dir = fixtures().join(format!("{name}-{n}"));
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(fixtures()).unwrap();
        eprintln!("creating {} (once)…", dir.display());
        Store::create(&dir, &workspace(Shape::notes(n))).unwrap();
        std::fs::write(&done, "").unwrap();
    }
    dir
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn app_at(n: usize, view: View) -> App {
    let (store, ws, _) = Store::open(&fixture(n, "notes")).unwrap();
    let mut app = App::new(ws, Some(store));
    app.env.size = (120, 40);
    app.views.current = view;
    app
}

/// Opening as the interface does: read, parse, validate, and build the
/// counts and lists the views draw from.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn open(b: Bencher, n: usize) {
    let p = fixture(n, "notes");
    b.bench(|| {
        let (store, ws, _) = Store::open(&p).unwrap();
        black_box(validate(&ws));
        black_box(App::new(ws, Some(store)))
    });
}

/// The floor under `open`: the same files read and parsed into the same
/// types by a bare loop, one file after another.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn open_floor(b: Bencher, n: usize) {
    let p = fixture(n, "notes");
    b.bench(|| {
        let text = std::fs::read_to_string(p.join("workspace.ron")).unwrap();
        let w: WorkspaceIn = parse_bare(&text).unwrap();
        let mut parsed = 0usize;
        for folder in valuemap::store::ENTITY_DIRS {
            let kind = FileKind::of_folder(folder).unwrap();
            let Ok(rd) = std::fs::read_dir(p.join(folder)) else {
                continue;
            };
            for e in rd {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
                match kind {
                    FileKind::Note => drop(black_box(parse_bare::<NoteFile>(&text).unwrap())),
                    FileKind::Opportunity => {
                        drop(black_box(parse_bare::<OpportunityFile>(&text).unwrap()))
                    }
                    FileKind::Metric => drop(black_box(parse_bare::<MetricFile>(&text).unwrap())),
                    _ => drop(black_box(parse_bare::<ItemFile>(&text).unwrap())),
                }
                parsed += 1;
            }
        }
        black_box((w, parsed))
    });
}

/// Editing one note and saving: only that note's file is written.
#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn save_after_one_edit(b: Bencher, n: usize) {
    let p = fixture(n, "save");
    let (store, ws, _) = Store::open(&p).unwrap();
    let mut app = App::new(ws, Some(store));
    let id = app.ws.notes.keys().next().unwrap().clone();
    let mut flip = false;
    b.bench_local(|| {
        let mut note = app.ws.notes[&id].clone();
        flip = !flip;
        note.interviewee = if flip { "Ada (bench)" } else { "Grace (bench)" }.into();
        app.apply(
            "bench edit",
            Edit::PutNote {
                id: id.clone(),
                note: Some(*note),
            },
        );
        valuemap::tui::registry::saving::save(&mut app, false, false);
        assert!(!app.is_dirty());
    });
}

/// The interface on a workspace, driven through its own event loop
/// (`valuemap::tui::event_loop`) on a test backend, as the terminal drives
/// it: keys go in through a channel, and each frame is looked at.
struct Looped {
    app: App,
    term: Terminal<TestBackend>,
    keys: mpsc::Sender<std::io::Result<Event>>,
    key_rx: mpsc::Receiver<std::io::Result<Event>>,
    path_rx: mpsc::Receiver<Vec<PathBuf>>,
    root: PathBuf,
}

impl Looped {
    fn open(root: &Path) -> Looped {
        let (store, ws, _) = Store::open(root).unwrap();
        let mut app = App::new(ws, Some(store));
        app.env.size = (120, 40);
        let (keys, key_rx) = mpsc::channel();
        let (_paths, path_rx) = mpsc::channel();
        Looped {
            app,
            term: Terminal::new(TestBackend::new(120, 40)).unwrap(),
            keys,
            key_rx,
            path_rx,
            root: root.to_path_buf(),
        }
    }

    /// Sends `key` and runs the loop until a frame shows `text`.
    fn key_until(&mut self, key: Event, text: &str) {
        self.keys.send(Ok(key)).unwrap();
        let mut go_on = |_: &App, b: &Buffer| !screen(b).contains(text);
        let outside = Outside::channels(&self.key_rx, &self.path_rx, &self.root, &mut go_on);
        event_loop(&mut self.term, &mut self.app, outside).unwrap();
    }
}

/// The text of a frame.
fn screen(b: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// A save after one edit through the event loop: the edit, then Ctrl-s
/// until "Saved 1 file" is on screen (the real save path: the store
/// writes the one file, atomically, and the frame shows it).
fn save_through_the_loop(b: Bencher, n: usize, edit: impl Fn(&Workspace, bool) -> Edit) {
    let mut l = Looped::open(&fixture(n, "save"));
    let ctrl_s = Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let mut flip = false;
    b.bench_local(|| {
        flip = !flip;
        let e = edit(&l.app.ws, flip);
        assert!(l.app.apply("bench edit", e));
        l.key_until(ctrl_s.clone(), "Saved 1 file");
        assert!(!l.app.is_dirty());
        l.app.message = None;
    });
}

fn flipped(flip: bool) -> String {
    if flip { "Ada (bench)" } else { "Grace (bench)" }.to_string()
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn save_loop_note(b: Bencher, n: usize) {
    save_through_the_loop(b, n, |ws, flip| {
        let mut note = ws.notes.values().next().unwrap().clone();
        note.interviewee = flipped(flip).into();
        Edit::PutNote {
            id: note.id.clone(),
            note: Some(*note),
        }
    });
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn save_loop_opportunity(b: Bencher, n: usize) {
    save_through_the_loop(b, n, |ws, flip| {
        let mut o = ws.opportunities[ws.opportunities.len() / 2].clone();
        o.title = flipped(flip);
        Edit::SetOpportunity { opportunity: o }
    });
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn save_loop_metric(b: Bencher, n: usize) {
    save_through_the_loop(b, n, |ws, flip| {
        let mut m = ws.metrics[0].clone();
        m.name = flipped(flip);
        Edit::SetMetric { metric: m }
    });
}

#[divan::bench(args = SIZES, sample_count = 20, sample_size = 1)]
fn save_loop_persona(b: Bencher, n: usize) {
    save_through_the_loop(b, n, |ws, flip| {
        let mut p = ws.personas[0].clone();
        p.name = flipped(flip);
        Edit::SetPersona { persona: p }
    });
}

/// The watcher reporting the interface's own save: recognised as an echo
/// without reading the file.
#[divan::bench(args = SIZES, sample_count = 100)]
fn watcher_echo(b: Bencher, n: usize) {
    let mut l = Looped::open(&fixture(n, "save"));
    let mut note = l.app.ws.notes.values().nth(n / 3).unwrap().clone();
    note.interviewee = "Echo (bench)".into();
    let id = note.id.clone();
    l.app.apply(
        "bench edit",
        Edit::PutNote {
            id: id.clone(),
            note: Some(*note),
        },
    );
    valuemap::tui::registry::saving::save(&mut l.app, false, false);
    let key = valuemap::model::validate::FileKey::Note(id);
    let path = l.app.store.as_ref().unwrap().path_of(&key, &l.app.ws);
    b.bench_local(|| valuemap::tui::disk_changed(&mut l.app, vec![path.clone()]));
}

/// The watcher reporting a note changed elsewhere (written as an editor
/// does: a new file renamed over the old): read in, applied, listed.
#[divan::bench(args = SIZES, sample_count = 50, sample_size = 1)]
fn watcher_note_changed_elsewhere(b: Bencher, n: usize) {
    let mut l = Looped::open(&fixture(n, "save"));
    let note = l.app.ws.notes.values().nth(n / 3).unwrap().clone();
    let key = valuemap::model::validate::FileKey::Note(note.id.clone());
    let path = l.app.store.as_ref().unwrap().path_of(&key, &l.app.ws);
    let original = std::fs::read_to_string(&path).unwrap();
    let old = format!("interviewee: {:?}", note.interviewee);
    assert!(original.contains(&old));
    let mut i = 0;
    b.with_inputs(|| {
        i += 1;
        let text = original.replacen(&old, &format!("interviewee: \"Outside {i}\""), 1);
        let tmp = path.with_extension("tmp-bench");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        vec![path.clone()]
    })
    .bench_local_values(|paths| valuemap::tui::disk_changed(&mut l.app, paths));
    assert!(l.app.ws.notes[&note.id].interviewee.starts_with("Outside"));
}

/// Writing every file of a workspace into a new folder.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn save_everything(b: Bencher, n: usize) {
    let ws: Workspace = workspace(Shape::notes(n));
    let base = fixtures().join("save-everything");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    let mut i = 0;
    b.bench_local(|| {
        i += 1;
        let dir = base.join(i.to_string());
        Store::create(&dir, &ws).unwrap();
    });
    let _ = std::fs::remove_dir_all(&base);
}

/// One keystroke (move down or up) and the redraw at 120x40, per view.
fn keystroke(b: Bencher, n: usize, view: View) {
    let mut app = app_at(n, view);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| valuemap::tui::draw(&app, f)).unwrap();
    let mut down = true;
    b.bench_local(|| {
        on_event(
            &mut app,
            key(if down { KeyCode::Down } else { KeyCode::Up }),
        );
        down = !down;
        term.draw(|f| valuemap::tui::draw(&app, f)).unwrap();
    });
}

#[divan::bench(args = SIZES)]
fn keystroke_map(b: Bencher, n: usize) {
    keystroke(b, n, View::Map);
}

#[divan::bench(args = SIZES)]
fn keystroke_personas(b: Bencher, n: usize) {
    keystroke(b, n, View::Personas);
}

#[divan::bench(args = SIZES)]
fn keystroke_notes(b: Bencher, n: usize) {
    keystroke(b, n, View::Notes);
}

#[divan::bench(args = SIZES)]
fn keystroke_opportunities(b: Bencher, n: usize) {
    keystroke(b, n, View::Opportunities);
}

/// The roadmap board: moving between cards.
#[divan::bench(args = SIZES)]
fn keystroke_board(b: Bencher, n: usize) {
    let mut app = app_at(n, View::Opportunities);
    on_event(&mut app, key(KeyCode::Char('b')));
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut down = true;
    b.bench_local(|| {
        on_event(
            &mut app,
            key(if down { KeyCode::Down } else { KeyCode::Up }),
        );
        down = !down;
        term.draw(|f| valuemap::tui::draw(&app, f)).unwrap();
    });
}

#[divan::bench(args = SIZES)]
fn keystroke_metrics(b: Bencher, n: usize) {
    keystroke(b, n, View::Metrics);
}

/// One keystroke in the search popup: the query changes, a slice of
/// matching runs, and the results are drawn. The queries cycle through the
/// prefixes of a word, so both a fresh query and a refinement are measured.
#[divan::bench(args = SIZES, sample_count = 60, sample_size = 1)]
fn search_keystroke(b: Bencher, n: usize) {
    let mut app = app_at(n, View::Map);
    on_event(&mut app, key(KeyCode::Char('/')));
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    // Type the word, then delete it, a keystroke per sample.
    let word: Vec<char> = "upgrade".chars().collect();
    let mut i = 0;
    b.bench_local(|| {
        let k = if i < word.len() {
            KeyCode::Char(word[i])
        } else {
            KeyCode::Backspace
        };
        i = (i + 1) % (2 * word.len());
        on_event(&mut app, key(k));
        term.draw(|f| valuemap::tui::draw(&app, f)).unwrap();
    });
}

/// One keystroke typed into a note being captured, and the redraw.
#[divan::bench(args = SIZES)]
fn capture_keystroke(b: Bencher, n: usize) {
    let mut app = app_at(n, View::Map);
    on_event(&mut app, key(KeyCode::Char('n')));
    for c in
        "Call with Priya about upgrades\n! Upgrades break things #upgrades\n+ A warning first\n"
            .chars()
    {
        on_event(
            &mut app,
            key(if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            }),
        );
    }
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut typing = true;
    b.bench_local(|| {
        on_event(
            &mut app,
            key(if typing {
                KeyCode::Char('x')
            } else {
                KeyCode::Backspace
            }),
        );
        typing = !typing;
        term.draw(|f| valuemap::tui::draw(&app, f)).unwrap();
    });
}
