//! What people feel, measured through the interface's own event loop
//! (`valuemap::tui::event_loop` on a test backend, with its real tick and
//! draw): the first frame and the whole load, a typed search character on
//! screen and a whole search, a save after each kind of edit, a watcher's
//! event, and a `git pull` of 1,000 notes while keys are typed. Each figure
//! comes with its floor measured in the same run: parsing every file with
//! ron on the same number of threads, `rg -i` over the same folder.
//!
//! ```sh
//! cargo bench --bench live                    # everything at 1k, 10k and 100k notes
//! cargo bench --bench live -- search 100000   # benches whose name contains "search", at 100k
//! ```
//!
//! The fixtures are synthetic workspaces of notes of about 1 KB each, one
//! opportunity per ten notes, 50 metrics and a few outcomes and solutions,
//! written once under `target/bench-fixtures/` (the 100k one takes a
//! minute). Results are medians (and the slowest) of the runs, printed one
//! line each.

valuemap::allocator!();

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use valuemap::model::edit::Edit;
use valuemap::model::{Id, Item, Observation, Outcome, Solution, SolutionStatus, Workspace};
use valuemap::store::{self, Store};
use valuemap::synth::{Shape, workspace};
use valuemap::tui::app::App;
use valuemap::tui::state::View;
use valuemap::tui::state::disk::Then;
use valuemap::tui::{Outside, event_loop, registry};

#[path = "support/floor.rs"]
mod floor;

const SIZES: &[usize] = &[1_000, 10_000, 100_000];

/// A word in a handful of notes, for a search with few results.
const RARE: &str = "zanzibar";

fn main() {
    // One measurement in a process of its own (see `fresh`).
    if let Ok(what) = std::env::var(FRESH_ENV) {
        let root = PathBuf::from(std::env::args_os().nth(1).expect("PATH"));
        let took = match what.as_str() {
            "floor" => floor(&root, false),
            "load" => {
                let t = Instant::now();
                let (mut s, _) = Session::start_with(&root, true);
                s.until_loaded();
                assert!(s.app.disk.load_failed.is_none());
                let took = t.elapsed();
                // Freeing it all is not part of the load.
                std::mem::forget(s);
                took
            }
            other => panic!("{FRESH_ENV}={other}: floor or load"),
        };
        println!("{}", took.as_nanos());
        return;
    }
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let sizes: Vec<usize> = {
        let given: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
        if given.is_empty() {
            SIZES.to_vec()
        } else {
            given
        }
    };
    let names: Vec<&String> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err())
        .collect();
    let wanted = |name: &str| names.is_empty() || names.iter().any(|n| name.contains(n.as_str()));
    type Bench = fn(usize);
    let benches: [(&str, Bench); 5] = [
        ("open", open),
        ("search", search),
        ("save", save),
        ("watcher", watcher),
        ("pull", pull),
    ];
    println!(
        "{} core(s), {} loader thread(s)",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        store::load_threads()
    );
    for &n in &sizes {
        for (name, f) in benches {
            if wanted(name) {
                f(n);
            }
        }
    }
}

// ---------------------------------------------------------------- fixtures

fn fixtures() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("bench-fixtures")
}

/// The workspace of the fixtures: notes of about 1 KB, a rare word in ten
/// of them, a few outcomes and solutions.
fn fixture_workspace(n: usize) -> Workspace {
    let mut ws = workspace(Shape {
        note_bytes: 1000,
        ..Shape::notes(n)
    });
    for (i, note) in ws.notes.values_mut().enumerate() {
        if i % (n / 10).max(1) == 7 {
            note.body
                .push_str(&format!("\nThe team in {RARE} said it twice."));
        }
    }
    for i in 0..10 {
        let id = Id::new(format!("u{i:05}"));
        let o = Outcome {
            id: id.clone(),
            name: format!("Outcome {i}"),
            description: String::new(),
            metrics: vec![ws.metrics[i].id.clone()],
        };
        ws.items
            .put(valuemap::model::Kind::Outcome, &id, Some(Item::Outcome(o)));
    }
    for i in 0..100.min(ws.opportunities.len()) {
        let id = Id::new(format!("s{i:05}"));
        let s = Solution {
            id: id.clone(),
            opportunity: ws.opportunities[i].id.clone(),
            title: format!("Solution {i}"),
            description: String::new(),
            status: SolutionStatus::Idea,
            shipped: None,
            value: None,
            effort: None,
            owner: String::new(),
        };
        ws.items.put(
            valuemap::model::Kind::Solution,
            &id,
            Some(Item::Solution(s)),
        );
    }
    ws
}

/// The fixture of `n` notes called `name`, created on first use.
fn fixture(n: usize, name: &str) -> PathBuf {
    let dir = fixtures().join(format!("live-{name}-{n}"));
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(fixtures()).unwrap();
        eprintln!("creating {} (once)…", dir.display());
        Store::create(&dir, &fixture_workspace(n)).unwrap();
        std::fs::write(&done, "").unwrap();
    }
    dir
}

/// The bytes of a workspace's files (what `du -sb` counts of them).
fn size_on_disk(root: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                total += m.len();
            }
        }
    }
    total
}

// ---------------------------------------------------------------- reporting

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn report(name: &str, n: usize, v: &mut [Duration], budget: &str) {
    let m = median(v);
    let max = v.iter().max().copied().unwrap_or_default();
    println!(
        "{name:<34} {n:>7}  median {:>8.2} ms  slowest {:>8.2} ms  ({} runs){budget}",
        ms(m),
        ms(max),
        v.len()
    );
}

// ---------------------------------------------------------------- the loop

/// The interface on a test backend, driven through its event loop.
struct Session {
    app: App,
    term: Terminal<TestBackend>,
    keys: mpsc::Sender<io::Result<Event>>,
    key_rx: mpsc::Receiver<io::Result<Event>>,
    paths: mpsc::Sender<Vec<PathBuf>>,
    path_rx: mpsc::Receiver<Vec<PathBuf>>,
    root: PathBuf,
    /// The folder watcher the terminal's session runs, when started with
    /// one: it hears the loader open every file.
    _watcher: Option<valuemap::tui::watch::FolderWatcher>,
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The text of a frame, a line per row.
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

impl Session {
    /// Starts the interface on `root` as `valuemap ROOT` does: the map at
    /// once, the rest loading. Returns it and the time its first frame
    /// took; the loop runs until `until` is true of a frame.
    fn start(root: &Path) -> (Session, Duration) {
        Session::start_with(root, false)
    }

    /// [`Session::start`], with the folder watched as `valuemap ROOT`
    /// watches it (when `watched`).
    fn start_with(root: &Path, watched: bool) -> (Session, Duration) {
        let t = Instant::now();
        let opening = store::open_in_background(root).unwrap();
        let mut app =
            registry::loading::start(opening, vec![Then::CleanTemporaryFiles, Then::SayConflicts]);
        app.env.size = (120, 40);
        let (keys, key_rx) = mpsc::channel();
        let (paths, path_rx) = mpsc::channel();
        let watcher = watched.then(|| {
            let folders: Vec<PathBuf> = store::ENTITY_DIRS.iter().map(|d| root.join(d)).collect();
            valuemap::tui::watch::FolderWatcher::new(root, &folders, paths.clone())
                .expect("the folder can be watched")
        });
        let mut s = Session {
            app,
            term: Terminal::new(TestBackend::new(120, 40)).unwrap(),
            keys,
            key_rx,
            paths,
            path_rx,
            root: root.to_path_buf(),
            _watcher: watcher,
        };
        let mut first = None;
        s.run(|_, _| {
            first = Some(t.elapsed());
            false
        });
        (s, first.unwrap())
    }

    /// Runs the event loop until `go_on` says to stop (it sees every frame).
    fn run(&mut self, mut go_on: impl FnMut(&App, &Buffer) -> bool) {
        let mut drawn = |a: &App, b: &Buffer| go_on(a, b);
        let outside = Outside::channels(&self.key_rx, &self.path_rx, &self.root, &mut drawn);
        event_loop(&mut self.term, &mut self.app, outside).unwrap();
    }

    /// Runs the loop until the workspace is loaded.
    fn until_loaded(&mut self) {
        self.run(|a, _| a.disk.loading.is_some());
    }

    /// Sends `keys` one at a time from another thread, each `gap` after the
    /// previous one is on screen, and returns for each the time from being
    /// sent to the first frame whose text `shows` accepts.
    fn typed(
        &mut self,
        keys: Vec<Event>,
        gap: Duration,
        shows: impl Fn(usize, &App, &str) -> bool,
    ) -> Vec<Duration> {
        let sent: Arc<Mutex<Option<(usize, Instant)>>> = Arc::new(Mutex::new(None));
        let done = Arc::new(AtomicUsize::new(0));
        let n = keys.len();
        let feeder = {
            let (sent, done, tx) = (Arc::clone(&sent), Arc::clone(&done), self.keys.clone());
            std::thread::spawn(move || {
                for (i, k) in keys.into_iter().enumerate() {
                    std::thread::sleep(gap);
                    *sent.lock().unwrap() = Some((i, Instant::now()));
                    tx.send(Ok(k)).unwrap();
                    let waited = Instant::now();
                    while done.load(Ordering::SeqCst) <= i {
                        if waited.elapsed() > Duration::from_secs(30) {
                            panic!("key {i} never showed");
                        }
                        std::thread::sleep(Duration::from_micros(50));
                    }
                }
            })
        };
        let mut out = Vec::new();
        self.run(|a, b| {
            let mut slot = sent.lock().unwrap();
            if let Some((i, t)) = *slot
                && shows(i, a, &screen(b))
            {
                out.push(t.elapsed());
                *slot = None;
                done.fetch_add(1, Ordering::SeqCst);
            }
            out.len() < n
        });
        feeder.join().unwrap();
        out
    }
}

// ---------------------------------------------------------------- the floor

use floor::floor;

/// Set to `floor` or `load`, the bench binary measures that once on the
/// workspace named by its first argument and prints the nanoseconds.
const FRESH_ENV: &str = "VALUEMAP_BENCH_FRESH";

/// `what` (`floor` or `load`) measured in a process of its own, as a user
/// starting valuemap meets it: memory the process has never touched must
/// be mapped and cleared as a load keeps what it read, where a floor that
/// drops each file uses the same memory again.
fn fresh(what: &str, root: &Path) -> Duration {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .arg(root)
        .env(FRESH_ENV, what)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Duration::from_nanos(text.trim().parse().unwrap())
}

// ---------------------------------------------------------------- benches

/// The first frame (the map) and the whole load through the interface
/// with the folder watched as the terminal's session watches it, a plain
/// `Store::open` (what `check` does), and the floor, alternating.
fn open(n: usize) {
    let root = fixture(n, "ro");
    // A small load takes a few tens of milliseconds, where the machine's
    // noise is a few milliseconds: more runs for a steady median.
    let runs = match n {
        100_000.. => 5,
        10_000.. => 20,
        _ => 40,
    };
    let (mut first, mut loaded, mut plain, mut floors) = (vec![], vec![], vec![], vec![]);
    let mut keeping = vec![];
    // Warm the cache once.
    let _ = floor(&root, false);
    for _ in 0..runs {
        floors.push(floor(&root, false));
        keeping.push(floor(&root, true));
        let t = Instant::now();
        let (mut s, f) = Session::start_with(&root, true);
        first.push(f);
        s.until_loaded();
        loaded.push(t.elapsed());
        assert!(s.app.disk.load_failed.is_none());
        assert_eq!(s.app.ws.notes.len(), n);
        drop(s);
        let t = Instant::now();
        let (_, ws, _) = Store::open(&root).unwrap();
        plain.push(t.elapsed());
        drop(ws);
    }
    let f = ms(median(&mut floors));
    let k = ms(median(&mut keeping));
    report("open: first frame", n, &mut first, "  budget ≤ 100 ms");
    report("open: floor (parse every file)", n, &mut floors, "");
    report(
        "open: floor, all kept",
        n,
        &mut keeping,
        &format!("  {:.2}x the floor", k / f),
    );
    let l = ms(median(&mut loaded));
    report(
        "open: loaded in the interface",
        n,
        &mut loaded,
        &format!(
            "  {:.2}x the floor (budget ≤ 1.15x), {:.2}x the floor that keeps",
            l / f,
            l / k
        ),
    );
    // The same, each run in a process of its own.
    let (mut fresh_floor, mut fresh_load) = (vec![], vec![]);
    for _ in 0..runs {
        fresh_floor.push(fresh("floor", &root));
        fresh_load.push(fresh("load", &root));
    }
    let ff = ms(median(&mut fresh_floor));
    report("open, new process: floor", n, &mut fresh_floor, "");
    let fl = ms(median(&mut fresh_load));
    report(
        "open, new process: loaded",
        n,
        &mut fresh_load,
        &format!("  {:.2}x the floor (budget ≤ 1.15x)", fl / ff),
    );
    let p = ms(median(&mut plain));
    report(
        "open: Store::open (check)",
        n,
        &mut plain,
        &format!(
            "  {:.2}x the floor, {:.2}x the floor that keeps",
            p / f,
            p / k
        ),
    );
    println!(
        "{:<34} {n:>7}  {:.1} MB on disk",
        "open: workspace size",
        size_on_disk(&root) as f64 / 1e6
    );
}

/// A character typed into search, from the key to the frame that shows it
/// (while matching runs between frames), and a whole search for a rare word
/// against `rg -i` over the same folder.
fn search(n: usize) {
    let root = fixture(n, "ro");
    let (mut s, _) = Session::start(&root);
    s.until_loaded();
    s.app.views.current = View::Map;
    let open = s.typed(vec![key(KeyCode::Char('/'))], Duration::ZERO, |_, a, _| {
        a.has_layer("search")
    });
    assert_eq!(open.len(), 1);
    // Type words and take them back, a key at a time: fresh queries and
    // refinements, with matching still under way between keys.
    let mut keys = Vec::new();
    let mut shown = Vec::new();
    for word in ["upgrade", "cluster", "dashboard", "runbook"] {
        let mut q = String::new();
        for c in word.chars() {
            q.push(c);
            keys.push(key(KeyCode::Char(c)));
            shown.push(q.clone());
        }
        while q.pop().is_some() {
            keys.push(key(KeyCode::Backspace));
            shown.push(q.clone());
        }
    }
    let mut lat = s.typed(keys, Duration::from_millis(30), |i, _, text| {
        text.contains(&format!("/ {} ", shown[i]))
    });
    report(
        "search: typed character on screen",
        n,
        &mut lat,
        "  budget ≤ 16 ms",
    );

    // A whole search: the rare word typed at once, until every entity has
    // been matched.
    let runs = 5;
    let (mut ours, mut rg) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let out = std::process::Command::new("rg")
            .args(["-i", "-l", RARE])
            .arg(&root)
            .output();
        // (Without rg, only our own figure is reported.)
        if let Ok(o) = out {
            let files = String::from_utf8_lossy(&o.stdout).lines().count();
            assert!(files > 0, "rg found {files} files");
            rg.push(t.elapsed());
        }
        let keys: Vec<Event> = RARE.chars().map(|c| key(KeyCode::Char(c))).collect();
        let t = Instant::now();
        for k in keys {
            s.keys.send(Ok(k)).unwrap();
        }
        s.run(|a, text| {
            let text = screen(text);
            let done = a
                .layer::<valuemap::tui::popups::search::Search>()
                .is_some_and(|l| {
                    l.session.query() == RARE && l.session.progress().0 == l.session.progress().1
                });
            !(done && text.contains(&format!("/ {RARE} ")) && !text.contains("searching"))
        });
        ours.push(t.elapsed());
        let hits = s
            .app
            .layer::<valuemap::tui::popups::search::Search>()
            .map_or(0, |l| l.session.total());
        assert!(hits > 0, "{RARE} found");
        for _ in 0..RARE.len() {
            s.keys.send(Ok(key(KeyCode::Backspace))).unwrap();
        }
        s.run(|a, _| {
            a.layer::<valuemap::tui::popups::search::Search>()
                .is_some_and(|l| !l.session.query().is_empty())
        });
    }
    if rg.is_empty() {
        println!("search: rg is not installed; the whole search is not compared");
        report("search: whole search, rare word", n, &mut ours, "");
        return;
    }
    let r = ms(median(&mut rg));
    let o = ms(median(&mut ours));
    report("search: rg -i over the folder", n, &mut rg, "");
    report(
        "search: whole search, rare word",
        n,
        &mut ours,
        &format!("  {:.2}x rg (budget ≤ 0.5x)", o / r),
    );
}

/// A save after one edit of each kind, from Ctrl-s to "Saved 1 file" on
/// screen.
fn save(n: usize) {
    let root = fixture(n, "rw");
    let (mut s, _) = Session::start(&root);
    s.until_loaded();
    let runs = 10;
    let note = s.app.ws.notes.keys().nth(n / 2).unwrap().clone();
    let opp = s.app.ws.opportunities[s.app.ws.opportunities.len() / 2]
        .id
        .clone();
    let metric = s.app.ws.metrics[0].id.clone();
    let persona = s.app.ws.personas[0].id.clone();
    let outcome = s.app.ws.items.outcomes.keys().next().unwrap().clone();
    type EditFor = Box<dyn Fn(&Workspace, usize) -> Edit>;
    let kinds: Vec<(&str, EditFor)> = vec![
        (
            "note",
            Box::new(move |ws, i| {
                let mut x = ws.notes[&note].clone();
                x.interviewee = format!("Edited {i}").into();
                Edit::PutNote {
                    id: x.id.clone(),
                    note: Some(*x),
                }
            }),
        ),
        (
            "opportunity renamed",
            Box::new(move |ws, i| {
                let mut o = ws.opportunity(&opp).unwrap().clone();
                o.title = format!("Renamed {i}");
                Edit::SetOpportunity { opportunity: o }
            }),
        ),
        (
            "metric observed",
            Box::new(move |ws, i| {
                let mut m = ws.metric(&metric).unwrap().clone();
                m.observations.push(Observation {
                    date: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
                        + chrono::Days::new(i as u64),
                    value: i as f64,
                    comment: String::new(),
                });
                Edit::SetMetric { metric: m }
            }),
        ),
        (
            "persona renamed (the map)",
            Box::new(move |ws, i| {
                let mut p = ws.persona(&persona).unwrap().clone();
                p.name = format!("Persona {i}");
                Edit::SetPersona { persona: p }
            }),
        ),
        (
            "outcome renamed",
            Box::new(move |ws, i| {
                let Some(Item::Outcome(mut o)) =
                    ws.items.get(valuemap::model::Kind::Outcome, &outcome)
                else {
                    unreachable!()
                };
                o.name = format!("Outcome {i}");
                valuemap::model::edit::put(Item::Outcome(o))
            }),
        ),
    ];
    let stamp = Instant::now().elapsed().as_nanos() as usize;
    for (name, edit) in &kinds {
        let mut lat = Vec::new();
        for i in 0..runs {
            let e = edit(&s.app.ws, stamp + i);
            assert!(s.app.apply("bench edit", e));
            let mut v = s.typed(vec![ctrl('s')], Duration::ZERO, |_, a, text| {
                !a.is_dirty() && text.contains("Saved 1 file")
            });
            lat.append(&mut v);
        }
        report(&format!("save: {name}"), n, &mut lat, "  budget ≤ 10 ms");
    }
}

/// One watcher event: the echo of the interface's own save, and a note
/// changed elsewhere; the cost must not grow with the workspace.
fn watcher(n: usize) {
    let root = fixture(n, "rw");
    let (mut s, _) = Session::start(&root);
    s.until_loaded();
    let runs = 50;
    let id = s.app.ws.notes.keys().nth(n / 3).unwrap().clone();
    let (mut echo, mut outside) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let mut x = s.app.ws.notes[&id].clone();
        x.interviewee = format!("Echo {i}").into();
        assert!(s.app.apply(
            "bench",
            Edit::PutNote {
                id: id.clone(),
                note: Some(*x.clone())
            }
        ));
        registry::saving::save(&mut s.app, false, false);
        assert!(!s.app.is_dirty());
        let key = valuemap::model::validate::FileKey::Note(id.clone());
        let path = s.app.store.as_ref().unwrap().path_of(&key, &s.app.ws);
        let t = Instant::now();
        valuemap::tui::disk_changed(&mut s.app, vec![path.clone()]);
        echo.push(t.elapsed());
        // Changed elsewhere: another interviewee, written as an editor would.
        let text = std::fs::read_to_string(&path).unwrap();
        let changed = text.replace(&format!("Echo {i}"), &format!("Outside {i}"));
        let tmp = path.with_extension("tmp-bench");
        std::fs::write(&tmp, changed).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        let t = Instant::now();
        valuemap::tui::disk_changed(&mut s.app, vec![path]);
        outside.push(t.elapsed());
        assert_eq!(s.app.ws.notes[&id].interviewee, format!("Outside {i}"));
    }
    report("watcher: echo of our own save", n, &mut echo, "  O(1)");
    report(
        "watcher: a note changed elsewhere",
        n,
        &mut outside,
        "  O(1)",
    );
}

/// A `git pull` that changes 1,000 notes while the interface is open: from
/// the watcher's report to the last one read in, and the keys typed
/// meanwhile (each from being sent to being drawn).
fn pull(n: usize) {
    let root = fixture(n, "rw");
    let (mut s, _) = Session::start(&root);
    s.until_loaded();
    s.app.views.current = View::Notes;
    s.app.views.notes.list.selected = 0;
    let count = 1000.min(n);
    let ids: Vec<Id> = s
        .app
        .ws
        .notes
        .keys()
        .step_by((n / count).max(1))
        .take(count)
        .cloned()
        .collect();
    let runs = 3;
    let (mut whole, mut keys) = (Vec::new(), Vec::new());
    for r in 0..runs {
        // The pull: every file replaced by a new one (as git does).
        let mut paths = Vec::new();
        for id in &ids {
            let key = valuemap::model::validate::FileKey::Note(id.clone());
            let path = s.app.store.as_ref().unwrap().path_of(&key, &s.app.ws);
            let text = std::fs::read_to_string(&path).unwrap();
            let old = &s.app.ws.notes[id].interviewee;
            let changed = text.replacen(
                &format!("interviewee: {old:?}"),
                &format!("interviewee: \"Pulled {r}\""),
                1,
            );
            let tmp = path.with_extension("tmp-bench");
            std::fs::write(&tmp, changed).unwrap();
            std::fs::rename(&tmp, &path).unwrap();
            paths.push(path);
        }
        let last = ids.last().unwrap().clone();
        let t = Instant::now();
        // The watcher reports them in bursts.
        for chunk in paths.chunks(64) {
            s.paths.send(chunk.to_vec()).unwrap();
        }
        // Keys typed meanwhile: down, up, ...
        let moves: Vec<Event> = (0..20)
            .map(|i| {
                key(if i % 2 == 0 {
                    KeyCode::Down
                } else {
                    KeyCode::Up
                })
            })
            .collect();
        let moved = Arc::new(AtomicUsize::new(0));
        let m2 = Arc::clone(&moved);
        let mut v = s.typed(moves, Duration::from_millis(5), move |i, a, _| {
            let want = if i % 2 == 0 { 1 } else { 0 };
            let ok = a.views.notes.list.selected == want;
            if ok {
                m2.store(i + 1, Ordering::SeqCst);
            }
            ok
        });
        keys.append(&mut v);
        let want = format!("Pulled {r}");
        s.run(|a, _| !(a.disk.incoming.is_empty() && a.ws.notes[&last].interviewee == want));
        whole.push(t.elapsed());
        assert!(ids.iter().all(|id| s.app.ws.notes[id].interviewee == want));
    }
    report(
        &format!("pull: {count} notes read in"),
        n,
        &mut whole,
        "  budget ≤ 200 ms",
    );
    report(
        "pull: a key meanwhile, on screen",
        n,
        &mut keys,
        "  budget ≤ 16 ms",
    );
}
