//! The terminal interface: terminal set-up and restore, signals, and the
//! event loop.
//!
//! The shell is a compositor: [`app::App`] holds the workspace, its
//! history and store, and a stack of [`layer::Layer`]s (the [`views`] at
//! the bottom, [`popups`] above). A key goes to the top layer, which
//! answers with edits and [`command::Command`]s; the [`registry`] gives
//! every command its name, help, completer and handler. Keys are looked up
//! per context in the [`keymap`] ([`action`] lists them all).
//!
//! Modules sit below the code that uses them: `state`, `action`, `command`,
//! `keymap`, `theme` and `widgets` know nothing of the layers; popups,
//! forms and views know nothing of the application; `app` knows the layers
//! but not the registry; the registry and this module sit on top.

pub mod action;
pub mod app;
pub mod command;
pub mod config;
pub mod form;
pub mod keymap;
pub mod layer;
pub mod popups;
pub mod registry;
pub mod state;
pub mod theme;
pub mod views;
pub mod widgets;

use std::io::{self, Stdout, stdout};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::model::history::History;
use crate::store::recovery;
use app::App;
pub use registry::{busy, on_event, tick};
use theme::Theme;

/// How the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// A signal or a vanished terminal ended it; unsaved work went to the
    /// recovery file. Carries the conventional exit status (128 + signal).
    Signal(u8),
}

pub use config::{Config, load_config};

fn enter() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Puts the terminal back as it was. Safe to call more than once, and when
/// the terminal is gone.
pub fn restore() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Restores the terminal before any panic report is printed.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

struct Signals {
    term: Arc<AtomicBool>,
    int: Arc<AtomicBool>,
    hup: Arc<AtomicBool>,
}

impl Signals {
    fn register() -> Signals {
        let s = Signals {
            term: Arc::new(AtomicBool::new(false)),
            int: Arc::new(AtomicBool::new(false)),
            hup: Arc::new(AtomicBool::new(false)),
        };
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let _ = signal_hook::flag::register(SIGTERM, Arc::clone(&s.term));
            let _ = signal_hook::flag::register(SIGINT, Arc::clone(&s.int));
            let _ = signal_hook::flag::register(SIGHUP, Arc::clone(&s.hup));
        }
        s
    }

    /// The exit status for a signal that arrived, if one did.
    fn pending(&self) -> Option<u8> {
        if self.hup.load(Ordering::Relaxed) {
            Some(129)
        } else if self.int.load(Ordering::Relaxed) {
            Some(130)
        } else if self.term.load(Ordering::Relaxed) {
            Some(143)
        } else {
            None
        }
    }
}

/// Opens the workspace at `path` and runs the interface until the user quits
/// or a signal ends the session.
pub fn run(path: &Path) -> Result<Ended> {
    let signals = Signals::register();
    install_panic_hook();
    let mut terminal = enter()?;
    let events = spawn_reader();
    let loaded = load(&mut terminal, path, &events, &signals);
    let (store, ws, info) = match loaded {
        Ok(Loaded::Done(loaded)) => *loaded,
        Ok(Loaded::Ended(e)) => {
            leave(terminal);
            return Ok(e);
        }
        Err(e) => {
            leave(terminal);
            return Err(e);
        }
    };
    let mut app = App::new(ws, Some(store));
    let config_dir = crate::store::paths::config_dir();
    let (keymap, key_msg) = keymap::KeyMap::load(config_dir.as_deref());
    let (config, config_msg) = load_config(config_dir.as_deref());
    app.env.keys = keymap;
    app.env.theme = Theme::from_env(config.theme);
    app.env.config_dir = config_dir.clone();
    if let Some(v) = info.migrated_from {
        app.history = History::unsaved(info.migrate.clone());
        app.info(format!(
            "Read format version {v}; it will be written as version {} when you save",
            crate::store::FORMAT_VERSION
        ));
    }
    let cleaned = app.store.as_ref().map_or(0, |s| s.clean_stale_temp_files());
    if cleaned > 0 {
        app.info(format!(
            "Removed {cleaned} temporary file(s) left by an interrupted save"
        ));
    }
    if let Some(m) = key_msg.or(config_msg) {
        app.warn(m);
    }
    if let Some(w) = crate::store::privacy_warning(path) {
        app.warn(format!("Warning: {w}"));
    }
    if !app.ws.conflicts.is_empty() {
        app.warn(format!(
            "{} to settle: press {} and run conflicts",
            crate::text::count(app.ws.conflicts.len(), "merge conflict"),
            app.env.keys.hint(action::Action::Palette)
        ));
    }
    if let Some(p) = app.disk.recovery_path.clone() {
        match recovery::Recovery::read(&p) {
            Some(Ok(r)) => app.push(popups::recovery::RecoveryOffer { recovery: r }),
            Some(Err(e)) => app.warn(format!(
                "A recovery file could not be read and was left in place: {e}"
            )),
            None => {}
        }
    }

    let size = terminal.size()?;
    app.env.size = (size.width, size.height);
    // Watch the folder (not the files: editors and git replace files by
    // renaming) so changes made elsewhere are noticed before a save.
    let (fs_tx, fs_rx) = mpsc::channel();
    let watcher = watch(path, fs_tx);
    if watcher.is_none() {
        app.warn("Changes made elsewhere will only be noticed when saving (the folder cannot be watched)");
    }
    let ended = event_loop(&mut terminal, &mut app, &signals, events, fs_rx);
    drop(watcher);
    leave(terminal);
    ended
}

/// Draws the whole screen: the tab and status bars, the view, the popups.
pub fn draw(app: &App, f: &mut ratatui::Frame) {
    let cx = app.cx();
    let saving = app.disk.pending_save.as_ref().map(|p| state::Message {
        text: p.describe(),
        level: state::Level::Info,
    });
    let status = views::Status {
        root: app.root(),
        dirty: app.is_dirty(),
        changed_on_disk: !app.disk.outside_changes.is_empty(),
        message: saving.or_else(|| app.message.clone()),
    };
    let Some(body) = views::draw_chrome(f, &cx, app.view(), &status) else {
        return;
    };
    use layer::Layer;
    app.views.draw(f, body, &cx);
    for l in &app.layers {
        l.draw(f, body, &cx);
    }
}

/// The watcher saw these paths change: changes made elsewhere are read in.
pub fn disk_changed(app: &mut App, paths: Vec<std::path::PathBuf>) {
    registry::outside::on_disk_change(app, paths);
}

/// Watches the workspace folder and its notes folder; changed paths go to `tx`.
fn watch(
    root: &Path,
    tx: mpsc::Sender<Vec<std::path::PathBuf>>,
) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(ev.paths);
        }
    })
    .ok()?;
    w.watch(root, notify::RecursiveMode::NonRecursive).ok()?;
    let notes = root.join(crate::store::NOTES_DIR);
    if notes.is_dir() {
        let _ = w.watch(&notes, notify::RecursiveMode::NonRecursive);
    }
    Some(w)
}

/// Restores the terminal and lets go of it.
fn leave(terminal: Terminal<CrosstermBackend<Stdout>>) {
    restore();
    // Dropping ratatui's Terminal would try to show the cursor again and,
    // with the terminal gone, report the failure on a dead stderr (a panic,
    // then an abort): the terminal is already restored, skip its drop.
    std::mem::forget(terminal);
}

enum Loaded {
    Done(
        Box<(
            crate::store::Store,
            crate::model::Workspace,
            crate::store::LoadInfo,
        )>,
    ),
    Ended(Ended),
}

/// Loads the workspace on another thread while the terminal shows progress
/// and stays responsive: `q`, `Esc` or `Ctrl-c` quit while loading.
fn load(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    path: &Path,
    events: &mpsc::Receiver<io::Result<event::Event>>,
    signals: &Signals,
) -> Result<Loaded> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
    let progress = Arc::new(crate::store::Progress::default());
    let (tx, rx) = mpsc::channel();
    {
        let progress = Arc::clone(&progress);
        let path = path.to_path_buf();
        std::thread::spawn(move || {
            let _ = tx.send(crate::store::Store::open_with(&path, Some(&progress)));
        });
    }
    let started = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(40)) {
            Ok(Ok(loaded)) => return Ok(Loaded::Done(Box::new(loaded))),
            Ok(Err(e)) => return Err(eyre!("{e}")),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(eyre!("loading stopped unexpectedly"));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(code) = signals.pending() {
            return Ok(Loaded::Ended(Ended::Signal(code)));
        }
        while let Ok(ev) = events.try_recv() {
            match ev {
                Ok(Event::Key(k))
                    if k.kind == KeyEventKind::Press
                        && (matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                            || (k.code == KeyCode::Char('c')
                                && k.modifiers.contains(KeyModifiers::CONTROL))) =>
                {
                    return Ok(Loaded::Ended(Ended::Quit));
                }
                Err(_) => return Ok(Loaded::Ended(Ended::Signal(129))),
                _ => {}
            }
        }
        // Small workspaces load before anything needs showing.
        if started.elapsed() < Duration::from_millis(150) {
            continue;
        }
        let done = progress.done.load(Ordering::Relaxed);
        let total = progress.total.load(Ordering::Relaxed);
        let text = if total == 0 {
            format!("Opening {}…", path.display())
        } else {
            format!(
                "Opening {} — {done} of {total} notes ({}%)",
                path.display(),
                done * 100 / total.max(1)
            )
        };
        let drawn = terminal.draw(|f| {
            use ratatui::layout::Constraint;
            use ratatui::widgets::{Gauge, Paragraph, Wrap};
            let area = f.area();
            let [_, msg, bar, hint, _] = ratatui::layout::Layout::vertical([
                Constraint::Percentage(40),
                Constraint::Length(2),
                Constraint::Length(1),
                Constraint::Length(2),
                Constraint::Min(0),
            ])
            .areas(area);
            f.render_widget(
                Paragraph::new(crate::text::sanitize(&text)).wrap(Wrap { trim: true }),
                msg,
            );
            let ratio = if total == 0 {
                0.0
            } else {
                done as f64 / total as f64
            };
            f.render_widget(Gauge::default().ratio(ratio.clamp(0.0, 1.0)), bar);
            f.render_widget(Paragraph::new("q quits"), hint);
        });
        if drawn.is_err() {
            return Ok(Loaded::Ended(Ended::Signal(129)));
        }
    }
}

/// Reads terminal events on their own thread, so that the event loop can
/// always notice signals and a vanished terminal: when the terminal is gone,
/// crossterm's reader may spin without returning, and that must never keep
/// the session alive.
fn spawn_reader() -> mpsc::Receiver<io::Result<event::Event>> {
    let (tx, rx) = mpsc::sync_channel(256);
    std::thread::spawn(move || {
        loop {
            let ev = event::read();
            let failed = ev.is_err();
            if tx.send(ev).is_err() || failed {
                return;
            }
        }
    });
    rx
}

/// Whether the terminal is still there: writing to a closed terminal fails.
/// (The probe re-hides the cursor, which is always hidden here.)
fn terminal_alive() -> bool {
    execute!(stdout(), cursor::Hide).is_ok()
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    signals: &Signals,
    events: mpsc::Receiver<io::Result<event::Event>>,
    fs_events: mpsc::Receiver<Vec<std::path::PathBuf>>,
) -> Result<Ended> {
    let mut written_at_change = app.changes;
    let mut recovery_due: Option<Instant> = None;
    let mut last_alive_check = Instant::now();
    loop {
        if app.exit.is_some() {
            return Ok(Ended::Quit);
        }
        // A failed draw means the terminal is gone: treat it as a hangup.
        if terminal.draw(|f| draw(app, f)).is_err() {
            registry::files::persist_unsaved(app);
            return Ok(Ended::Signal(129));
        }
        if let Some(code) = signals.pending() {
            registry::files::persist_unsaved(app);
            return Ok(Ended::Signal(code));
        }
        let wait = if busy(app) {
            Duration::from_millis(1)
        } else {
            Duration::from_millis(200)
        };
        match events.recv_timeout(wait) {
            Ok(Ok(ev)) => {
                on_event(app, ev);
                // Take whatever else is queued before drawing again.
                while let Ok(Ok(ev)) = events.try_recv() {
                    on_event(app, ev);
                    if app.exit.is_some() {
                        break;
                    }
                }
            }
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                registry::files::persist_unsaved(app);
                return Ok(Ended::Signal(129));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let mut changed = Vec::new();
        while let Ok(paths) = fs_events.try_recv() {
            changed.extend(paths);
        }
        if !changed.is_empty() {
            changed.sort();
            changed.dedup();
            registry::outside::on_disk_change(app, changed);
        }
        tick(app);
        let now = Instant::now();
        if now.duration_since(last_alive_check) >= Duration::from_secs(1) {
            last_alive_check = now;
            if !terminal_alive() {
                registry::files::persist_unsaved(app);
                return Ok(Ended::Signal(129));
            }
        }
        // Keep the recovery file fresh while there are unsaved changes, a
        // couple of seconds after the last change.
        if (app.changes != written_at_change && app.is_dirty()) || app.draft_stale() {
            let due = *recovery_due.get_or_insert(now + Duration::from_secs(2));
            if now >= due {
                registry::files::persist_unsaved(app);
                written_at_change = app.changes;
                recovery_due = None;
            }
        }
    }
}
