//! Key fuzzing through the same event path as the terminal: thousands of
//! random event sequences (keys, typed text, palette commands, captures,
//! pastes, resizes, mouse clicks and scrolls) at random terminal sizes, from
//! 1x1 to huge, over every view and popup.
//!
//! After each sequence:
//! - nothing panicked (neither an event nor a render);
//! - the workspace validates without errors;
//! - what edits keep up to date incrementally (the Notes and Opportunities
//!   rows, the map's counts) equals a fresh computation;
//! - undoing everything gives back the starting workspace exactly, not dirty.
//!
//! `VALUEMAP_KEY_FUZZ_CASES` sets the number of sequences (default below);
//! `VALUEMAP_KEY_FUZZ_SEED` the seed. A failure prints the seed of the
//! failing sequence and the command that replays it alone.

mod support;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::Drive;
use valuemap::model::Workspace;
use valuemap::model::validate::{Severity, validate};
use valuemap::synth::Shape;
use valuemap::tui::app::App;
use valuemap::tui::layer::Layer;

const DEFAULT_CASES: usize = 2_000;
/// Keys per sequence.
const MIN_KEYS: usize = 50;
const MAX_KEYS: usize = 300;

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?}")))
}

/// Plain keys: every view, every action and the popups' own keys (`y` and
/// `n` answer a confirmation, `r`/`o`/`s` a conflict, ...).
const CHARS: &str = "abcdfghjklnoqrsuxyvzAGHJKLN0123456789 :?-!+>#@,._";

const SPECIAL: [KeyCode; 17] = [
    KeyCode::Enter,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::F(1),
];

/// Ctrl-r redo, Ctrl-s save (and keep a captured note), Ctrl-c quit, and
/// the editors' line keys.
const CTRL: &str = "rscakewuhdz";

/// Palette command lines: every command that does not leave the scratch
/// workspace (`save-as` and `export` would write files), with good and bad
/// arguments.
const COMMANDS: &[&str] = &[
    "add-phase Sunset",
    "add-phase ",
    "add-activity Archive data",
    "add-activity 日本語の名前",
    "add-persona Security officer",
    "add-persona 👩‍💻 dev",
    "rename Renamed",
    "rename ",
    "delete",
    "set-role customer",
    "set-role consumer",
    "set-role end-user",
    "set-role nobody",
    "set-importance 5",
    "set-importance 1",
    "set-importance none",
    "set-importance 9",
    "set-satisfaction 2",
    "set-satisfaction none",
    "move-left",
    "move-right",
    "move-up",
    "move-down",
    "coverage",
    "note",
    "filter persona:platform",
    "filter #cost slow",
    "filter status:exploring horizon:now",
    "filter phase:op noevidence",
    "filter persona:nobody",
    "filter",
    "add-opportunity Faster clusters",
    "add-metric Lead time",
    "observe 3.5",
    "observe 2 2026-01-02",
    "observe -1e308 2026-13-01",
    "observe NaN",
    "board",
    "save",
    "undo",
    "redo",
    "view map",
    "view personas",
    "view notes",
    "view opportunities",
    "view metrics",
    "view nowhere",
    "reload",
    "quit",
    "quit!",
    "nonsense",
    "",
];

/// Text typed into editors: the capture syntax, wide, combining, emoji,
/// right-to-left and control characters.
const WORDS: &[&str] = &[
    "Cluster requests take too long",
    "> We wait two days",
    "! Every cluster is a ticket #onboarding",
    "+ Self-service @Create-a-cluster",
    "? Would they pay",
    "#tag",
    "@operate",
    "日本語の名前",
    "e\u{301}",
    "👩‍💻 dev",
    "مرحبا",
    "שלום",
    "\u{202e}evil",
    "\u{1b}]0;pwned\u{7}",
    "2026-11-20",
    "5",
    "  ",
];

fn pick_char(rng: &mut fastrand::Rng, from: &str) -> char {
    let chars: Vec<char> = from.chars().collect();
    chars[rng.usize(..chars.len())]
}

fn key_event(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

fn char_key(c: char) -> Event {
    let m = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    key_event(KeyCode::Char(c), m)
}

fn typed(text: &str, out: &mut Vec<Event>) {
    for c in text.chars() {
        out.push(match c {
            '\n' => key_event(KeyCode::Enter, KeyModifiers::NONE),
            c => char_key(c),
        });
    }
}

/// A terminal size: tiny, ordinary, random or huge.
fn size(rng: &mut fastrand::Rng) -> (u16, u16) {
    match rng.u8(0..10) {
        0 => (1, 1),
        1 => (20, 5),
        2 => (80, 24),
        3 => (120, 40),
        4 if rng.u8(0..4) == 0 => (rng.u16(300..=500), rng.u16(100..=200)),
        5 => (rng.u16(1..10), rng.u16(1..10)),
        _ => (rng.u16(10..200), rng.u16(3..70)),
    }
}

/// One step of a sequence: usually one key, sometimes a whole gesture.
fn step(rng: &mut fastrand::Rng, w: u16, h: u16, out: &mut Vec<Event>) {
    match rng.u8(0..100) {
        0..45 => {
            let c = pick_char(rng, CHARS);
            out.push(char_key(c));
        }
        45..63 => out.push(key_event(
            *rng.choice(&SPECIAL).unwrap(),
            KeyModifiers::NONE,
        )),
        63..69 => {
            let c = pick_char(rng, CTRL);
            out.push(key_event(KeyCode::Char(c), KeyModifiers::CONTROL));
        }
        // A palette command, maybe completed with Tab, maybe abandoned.
        69..75 => {
            out.push(char_key(':'));
            let cmd = rng.choice(COMMANDS).unwrap();
            let cut = if rng.bool() {
                cmd.len()
            } else {
                let mut i = rng.usize(0..=cmd.len());
                while !cmd.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            typed(&cmd[..cut], out);
            if cut < cmd.len() && rng.bool() {
                out.push(key_event(KeyCode::Tab, KeyModifiers::NONE));
            }
            let end = if rng.u8(0..5) == 0 {
                KeyCode::Esc
            } else {
                KeyCode::Enter
            };
            out.push(key_event(end, KeyModifiers::NONE));
        }
        // A capture: `n`, a few lines, then keep (Ctrl-s) or leave.
        75..78 => {
            out.push(char_key('n'));
            for _ in 0..rng.usize(1..5) {
                typed(rng.choice(WORDS).unwrap(), out);
                out.push(key_event(KeyCode::Enter, KeyModifiers::NONE));
            }
            out.push(if rng.u8(0..3) == 0 {
                key_event(KeyCode::Esc, KeyModifiers::NONE)
            } else {
                key_event(KeyCode::Char('s'), KeyModifiers::CONTROL)
            });
        }
        // A search: `/`, a query, then jump, move or leave.
        78..80 => {
            out.push(char_key('/'));
            let q = rng
                .choice(["clu", "t", "pwned", "日本", "zz", "Create a", "#"])
                .unwrap();
            typed(q, out);
            for _ in 0..rng.usize(0..3) {
                out.push(key_event(
                    *rng.choice(&[KeyCode::Down, KeyCode::Up, KeyCode::Backspace])
                        .unwrap(),
                    KeyModifiers::NONE,
                ));
            }
            let end = *rng.choice(&[KeyCode::Enter, KeyCode::Esc]).unwrap();
            out.push(key_event(end, KeyModifiers::NONE));
        }
        80..83 => typed(rng.choice(WORDS).unwrap(), out),
        83..87 => {
            let mut text = String::new();
            for _ in 0..rng.usize(1..4) {
                text.push_str(rng.choice(WORDS).unwrap());
                text.push(if rng.bool() { '\n' } else { ' ' });
            }
            out.push(Event::Paste(text));
        }
        87..90 => {
            let (w, h) = size(rng);
            out.push(Event::Resize(w, h));
        }
        90..98 => {
            let kind = match rng.u8(0..8) {
                0..3 => MouseEventKind::Down(MouseButton::Left),
                3 => MouseEventKind::Down(MouseButton::Right),
                4 => MouseEventKind::ScrollDown,
                5 => MouseEventKind::ScrollUp,
                6 => MouseEventKind::Drag(MouseButton::Left),
                _ => MouseEventKind::Up(MouseButton::Left),
            };
            // Mostly inside the terminal, sometimes past its edge.
            let (column, row) = if rng.u8(0..10) == 0 {
                (rng.u16(..), rng.u16(..))
            } else {
                (rng.u16(0..w.max(1)), rng.u16(0..h.max(1)))
            };
            out.push(Event::Mouse(MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            }));
        }
        98 => out.push(Event::FocusLost),
        _ => {
            // A key release or repeat: the app acts on presses only.
            let c = pick_char(rng, CHARS);
            out.push(Event::Key(KeyEvent {
                code: KeyCode::Char(c),
                modifiers: KeyModifiers::NONE,
                kind: KeyEventKind::Release,
                state: KeyEventState::NONE,
            }));
        }
    }
}

/// The workspaces sequences start from: the template, and a small synthetic
/// one with more notes, opportunities and metrics.
fn starts() -> Vec<Workspace> {
    let synth = valuemap::synth::workspace(Shape {
        notes: 40,
        phases: 3,
        activities_per_phase: 3,
        personas: 4,
        metrics: 4,
        observation_days: 20,
        seed: 7,
        ..Shape::notes(40)
    });
    vec![support::template("kubernetes-platform"), synth]
}

/// Makes `term` the size `(w, h)` if it is not (a new terminal, as after a
/// resize the real one starts blank).
fn fit(term: &mut Terminal<TestBackend>, (w, h): (u16, u16)) {
    let area = term.backend().buffer().area;
    if (area.width, area.height) != (w, h) {
        *term = Terminal::new(TestBackend::new(w, h)).unwrap();
    }
}

fn draw(app: &App, t: &mut Terminal<TestBackend>) {
    t.draw(|f| valuemap::tui::draw(app, f)).unwrap();
}

/// The name of a popup (or of the picker open in it), to count which ones
/// the sequences reached.
fn popup_name(p: &dyn Layer) -> &'static str {
    p.sub_layer().unwrap_or(p.name())
}

/// The screens every run of many sequences must reach.
const MUST_REACH: &[&str] = &[
    "map",
    "personas",
    "notes",
    "opportunities",
    "metrics",
    "help",
    "confirm",
    "quit",
    "palette",
    "prompt",
    "form",
    "recovery",
    "capture",
    "picker",
    "suggest",
    "search",
];

/// The app a sequence starts with (at its first size, maybe with a
/// recovery offer), its events, and the generator for what follows.
fn prepare(seed: u64, start: &Workspace) -> (fastrand::Rng, App, Vec<Event>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut a = App::new(start.clone(), None);
    a.env.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let (w, h) = size(&mut rng);
    a.on_event(Event::Resize(w, h));
    // Now and then, start where a crashed session left unsaved work.
    if rng.u8(0..20) == 0 {
        let mut changed = start.clone();
        changed.name.push_str(" (recovered)");
        let r = valuemap::store::recovery::Recovery::capture(
            std::path::Path::new("ws"),
            valuemap::model::change::diff(
                start,
                &changed,
                &valuemap::model::validate::FileKey::Workspace,
            ),
        );
        a.push(valuemap::tui::popups::recovery::RecoveryOffer { recovery: r });
    }
    let n = rng.usize(MIN_KEYS..=MAX_KEYS);
    let mut events = Vec::with_capacity(n + 16);
    while events.len() < n {
        step(&mut rng, w, h, &mut events);
    }
    (rng, a, events)
}

/// Replays a sequence that ended with an invalid workspace, validating after
/// every event: says which event made it invalid, and what came before.
fn first_invalid_event(seed: u64, start: &Workspace) -> String {
    let (_, mut a, events) = prepare(seed, start);
    for (i, ev) in events.iter().enumerate() {
        a.on_event(ev.clone());
        if i % 3 == 0 {
            a.tick();
        }
        a.exit = None;
        if validate(&a.ws)
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            let from = i.saturating_sub(40);
            return format!(
                "event {i} made it invalid: {ev:?}\nthe events before it: {:?}",
                &events[from..i]
            );
        }
    }
    "no single event made it invalid".into()
}

/// Runs one sequence; returns how many events it sent, or why it failed.
/// Adds the views and popups it reached to `reached`.
fn run_sequence(
    seed: u64,
    start: &Workspace,
    reached: &mut BTreeSet<&'static str>,
) -> Result<usize, String> {
    let (mut rng, mut a, events) = prepare(seed, start);
    let (mut w, mut h) = a.env.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    // Drawing is what costs time here (the terminal draws after every
    // batch): draw at a random moment, now and then when the screen changed
    // (another view or popup; at most twice), and at the end.
    let at = rng.usize(0..events.len());
    let mut budget = 2;
    let mut shown = None;
    let mut sent = 0;
    for (i, ev) in events.iter().enumerate() {
        if let Event::Resize(nw, nh) = *ev {
            (w, h) = (nw, nh);
        }
        let r = catch_unwind(AssertUnwindSafe(|| {
            a.on_event(ev.clone());
            if i % 3 == 0 {
                a.tick();
            }
            let screen = (
                a.view(),
                a.layers.len(),
                a.layers.last().map(std::mem::discriminant),
            );
            if i == at || (budget > 0 && shown != Some(screen) && rng.u8(0..3) == 0) {
                fit(&mut term, (w, h));
                draw(&a, &mut term);
                budget -= 1;
                shown = Some(screen);
            }
        }));
        if let Err(p) = r {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let from = i.saturating_sub(30);
            return Err(format!(
                "panicked at event {i} ({ev:?}) at {w}x{h}: {msg}\nthe events before it: {:?}",
                &events[from..i]
            ));
        }
        sent += 1;
        a.exit = None;
        reached.insert(a.view().slug());
        if let Some(p) = a.layers.last() {
            reached.insert(popup_name(p.as_ref()));
        }
    }
    catch_unwind(AssertUnwindSafe(|| {
        while a.busy() {
            a.tick();
        }
        fit(&mut term, (w, h));
        draw(&a, &mut term)
    }))
    .map_err(|_| format!("the final draw at {w}x{h} panicked"))?;

    a.layers.clear();
    let errors: Vec<_> = validate(&a.ws)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "the workspace has errors: {errors:#?}\n{}",
            first_invalid_event(seed, start)
        ));
    }
    check_derived(&a)?;
    let saved_as = a.store.is_some();
    while a.history.can_undo() {
        a.undo();
    }
    if a.ws != *start {
        if std::env::var_os("VALUEMAP_KEY_FUZZ_DEBUG").is_some() {
            eprintln!("GOT {:#?}\nWANT {:#?}", a.ws, start);
        }
        return Err("undoing everything did not give back the starting workspace".into());
    }
    // A save into a new folder marks the history saved there; otherwise
    // nothing was ever saved, and undoing everything is clean again.
    if !saved_as && a.is_dirty() {
        return Err("undoing everything left the workspace dirty".into());
    }
    check_derived(&a).map_err(|e| format!("after undoing everything: {e}"))?;
    Ok(sent)
}

/// What edits keep up to date incrementally equals a fresh computation.
fn check_derived(a: &App) -> Result<(), String> {
    let mut fresh = App::new(a.ws.clone(), None);
    fresh.views.notes.filter = a.views.notes.filter.clone();
    fresh.views.opps.filter = a.views.opps.filter.clone();
    fresh.views.opps.rank = a.views.opps.rank;
    fresh.refresh_rows();
    if a.views.notes.rows != fresh.views.notes.rows {
        return Err(format!(
            "note rows {:?} differ from a fresh computation {:?}",
            a.views.notes.rows, fresh.views.notes.rows
        ));
    }
    if a.views.opps.rows != fresh.views.opps.rows {
        return Err(format!(
            "opportunity rows {:?} differ from a fresh computation {:?}",
            a.views.opps.rows, fresh.views.opps.rows
        ));
    }
    for p in &a.ws.personas {
        if a.stats.persona_notes(&p.id) != fresh.stats.persona_notes(&p.id) {
            return Err(format!("persona {}'s note count is stale", p.id));
        }
        for (_, act) in a.ws.activities() {
            let (got, want) = (
                a.stats.cell(&p.id, &act.id),
                fresh.stats.cell(&p.id, &act.id),
            );
            if got != want {
                return Err(format!(
                    "cell {} x {}: {got:?}, a fresh computation gives {want:?}",
                    p.id, act.id
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn random_event_sequences_never_panic_validate_and_undo_to_the_start() {
    // Commands that write files (there should be none) write into a
    // temporary folder, never into the source tree.
    let cwd = tempfile::tempdir().unwrap();
    std::env::set_current_dir(cwd.path()).unwrap();

    let cases = env_num("VALUEMAP_KEY_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seed = env_num("VALUEMAP_KEY_FUZZ_SEED").unwrap_or_else(|| fastrand::u64(..));
    let starts = starts();
    let started = Instant::now();
    // The sequences are independent: spread them over the cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    type Outcome = (usize, Vec<String>, BTreeSet<&'static str>);
    let results: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let starts = &starts;
                scope.spawn(move || {
                    let (mut keys, mut failures) = (0usize, Vec::new());
                    let mut reached = BTreeSet::new();
                    for i in (t..cases).step_by(threads) {
                        let s = seed.wrapping_add(i as u64);
                        let start = &starts[(s % starts.len() as u64) as usize];
                        match run_sequence(s, start, &mut reached) {
                            Ok(n) => keys += n,
                            Err(e) => {
                                failures.push(format!(
                                    "sequence {i} (replay: VALUEMAP_KEY_FUZZ_SEED={s} \
                                     VALUEMAP_KEY_FUZZ_CASES=1): {e}"
                                ));
                                if failures.len() >= 3 {
                                    break;
                                }
                            }
                        }
                    }
                    (keys, failures, reached)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let keys: usize = results.iter().map(|r| r.0).sum();
    let reached: BTreeSet<&str> = results.iter().flat_map(|r| r.2.iter().copied()).collect();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    println!(
        "key fuzz: {cases} sequences, {keys} events, seed {seed}, in {:.1?}; reached {}",
        started.elapsed(),
        reached.iter().copied().collect::<Vec<_>>().join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    if cases >= 500 {
        let missed: Vec<_> = MUST_REACH
            .iter()
            .filter(|s| !reached.contains(*s))
            .collect();
        assert!(missed.is_empty(), "the sequences never reached {missed:?}");
    }
}

// ---- found by the key fuzzer ----

/// Found by `random_event_sequences_…` (seed 3497610441259605459, 1 sequence
/// in 30,000): a pain or need line that is only a tag (`! #urgent`) is
/// offered as an opportunity with an empty title; accepting it leaves the
/// workspace invalid.
#[test]
fn a_pain_line_of_only_a_tag_never_becomes_an_untitled_opportunity() {
    let mut a = support::app();
    support::keys(&mut a, "nTitle<Enter>! #urgent<C-s>");
    support::keys(&mut a, "a");
    a.layers.clear();
    let errors: Vec<_> = validate(&a.ws)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The same bug headless: `note add --accept` writes the untitled
/// opportunity, and from then on every `note add` and `metric observe` is
/// refused because the workspace has an error.
#[test]
fn note_add_accept_never_writes_an_untitled_opportunity() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    valuemap::store::Store::create(&ws, &support::template("kubernetes-platform")).unwrap();
    let add = |text: &str, accept: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_valuemap"));
        c.args(["note", "add"]).arg(&ws);
        c.args(["-p", "Platform developer", "-a", "Create a cluster", text]);
        if accept {
            c.arg("--accept");
        }
        c.output().unwrap()
    };
    let out = add("Title\n! #urgent", true);
    assert!(out.status.success());
    let out = add("A second note", false);
    assert!(
        out.status.success(),
        "the next note is refused: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
