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
pub mod watch;
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
///
/// The map is on screen as soon as `workspace.ron` is read; everything else
/// is read on other threads meanwhile and fills in (see
/// [`registry::loading`]).
pub fn run(path: &Path) -> Result<Ended> {
    let signals = Signals::register();
    install_panic_hook();
    let mut terminal = enter()?;
    let events = spawn_reader();
    let opening = match crate::store::open_in_background(path) {
        Ok(o) => o,
        Err(e) => {
            leave(terminal);
            return Err(eyre!("{e}"));
        }
    };
    let mut app = registry::loading::start(
        opening,
        vec![
            state::disk::Then::CleanTemporaryFiles,
            state::disk::Then::SayConflicts,
            state::disk::Then::OfferRecovery,
        ],
    );
    let config_dir = crate::store::paths::config_dir();
    let (keymap, key_msg) = keymap::KeyMap::load(config_dir.as_deref());
    let (config, config_msg) = load_config(config_dir.as_deref());
    app.env.keys = keymap;
    app.env.theme = Theme::from_env(config.theme);
    app.env.config_dir = config_dir.clone();
    // The settings' warnings on the status line; what opening the files
    // noticed is said when the load finishes (registry::loading).
    let mut warnings: Vec<String> = key_msg.or(config_msg).into_iter().collect();
    if let Some(w) = crate::store::privacy_warning(path) {
        warnings.push(format!("Warning: {w}"));
    }
    if !warnings.is_empty() {
        app.warn(warnings.join(" · "));
    }

    let size = terminal.size()?;
    app.env.size = (size.width, size.height);
    // Watch the folder (not the files: editors and git replace files by
    // renaming) so changes made elsewhere are noticed before a save.
    let (fs_tx, fs_rx) = mpsc::channel();
    let mut watcher = watch(path, fs_tx);
    if watcher.is_none() {
        app.warn("Changes made elsewhere will only be noticed when saving (the folder cannot be watched)");
    }
    let ended = event_loop(
        &mut terminal,
        &mut app,
        Outside {
            events: &events,
            fs: &fs_rx,
            watcher: Some(&mut watcher),
            root: path,
            signals: Some(&signals),
            drawn: None,
        },
    );
    drop(watcher);
    leave(terminal);
    if let Some(reason) = app.disk.load_failed.take() {
        return Err(eyre!("{reason}"));
    }
    ended
}

/// Draws the whole screen: the tab and status bars, the view, the popups.
pub fn draw(app: &App, f: &mut ratatui::Frame) {
    let cx = app.cx();
    let saving = app.disk.pending_save.as_ref().map(|p| state::Message {
        text: p.describe(),
        level: state::Level::Info,
    });
    // While loading, its progress, unless something was just said.
    let loading = app.disk.loading.as_ref().map(|l| state::Message {
        text: l.describe(),
        level: state::Level::Info,
    });
    let status = views::Status {
        root: app.root(),
        dirty: app.is_dirty(),
        changed_on_disk: !app.disk.outside_changes.is_empty(),
        message: saving.or_else(|| app.message.clone()).or(loading),
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

/// Watches the workspace folder and its folders of one entity per file
/// (the event loop adds a folder created later, see [`watch_new_folders`]);
/// changed paths go to `tx`.
fn watch(root: &Path, tx: mpsc::Sender<Vec<std::path::PathBuf>>) -> Option<watch::FolderWatcher> {
    let folders: Vec<_> = crate::store::ENTITY_DIRS
        .iter()
        .map(|d| root.join(d))
        .collect();
    watch::FolderWatcher::new(root, &folders, tx)
}

/// Watches the folders of one entity per file among `paths` that were just
/// created (the first opportunity saved elsewhere, a pull that brings a
/// folder).
fn watch_new_folders(
    watcher: &mut Option<watch::FolderWatcher>,
    root: &Path,
    paths: &[std::path::PathBuf],
) {
    let Some(w) = watcher.as_mut() else { return };
    for p in paths {
        let is_folder = p.parent().is_some_and(|d| d == root)
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| crate::store::ENTITY_DIRS.contains(&n))
            && p.is_dir();
        if is_folder {
            let _ = w.watch(p);
        }
    }
}

/// Restores the terminal and lets go of it.
fn leave(terminal: Terminal<CrosstermBackend<Stdout>>) {
    restore();
    // Dropping ratatui's Terminal would try to show the cursor again and,
    // with the terminal gone, report the failure on a dead stderr (a panic,
    // then an abort): the terminal is already restored, skip its drop.
    std::mem::forget(terminal);
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

/// Sees each frame the event loop draws; returning `false` ends the loop.
pub type Drawn<'a> = dyn FnMut(&App, &ratatui::buffer::Buffer) -> bool + 'a;

/// Everything the event loop hears from and tells the world outside the
/// application: the real terminal's, or a test backend's in benchmarks and
/// tests (which then drive the very same loop).
pub struct Outside<'a> {
    /// Terminal events (keys, mouse, resizes, pastes) as they come.
    pub events: &'a mpsc::Receiver<io::Result<event::Event>>,
    /// Paths the file watcher reported.
    pub fs: &'a mpsc::Receiver<Vec<std::path::PathBuf>>,
    /// The watcher, to watch folders created later.
    pub watcher: Option<&'a mut Option<watch::FolderWatcher>>,
    /// The workspace folder.
    pub root: &'a Path,
    /// Signals and a vanished terminal end the session (the real terminal
    /// only).
    signals: Option<&'a Signals>,
    /// Called after each frame with what is on screen; returning `false`
    /// ends the loop (benchmarks and tests).
    pub drawn: Option<&'a mut Drawn<'a>>,
}

impl<'a> Outside<'a> {
    /// A world of channels: events and changed paths are sent by the
    /// caller, and `drawn` sees every frame.
    pub fn channels(
        events: &'a mpsc::Receiver<io::Result<event::Event>>,
        fs: &'a mpsc::Receiver<Vec<std::path::PathBuf>>,
        root: &'a Path,
        drawn: &'a mut Drawn<'a>,
    ) -> Outside<'a> {
        Outside {
            events,
            fs,
            watcher: None,
            root,
            signals: None,
            drawn: Some(drawn),
        }
    }
}

/// How often the screen is drawn while background work (loading,
/// searching, reading a pull) goes on and no key arrives.
const FRAME: Duration = Duration::from_millis(33);
/// While a workspace loads, its progress is drawn a few times a second
/// (keys are still drawn at once): each frame takes time from reading it.
const LOADING_FRAME: Duration = Duration::from_millis(100);

/// The event loop: draws, waits for a key (or only looks, while background
/// work is pending), handles it through [`on_event`] and draws it before
/// any background work runs; between keys, [`tick`] runs a few
/// milliseconds of background work (loading, search matching, changes on
/// disk, a save finishing) at a time.
pub fn event_loop<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut outside: Outside,
) -> Result<Ended> {
    let real = outside.signals.is_some();
    let mut written_at_change = app.changes;
    let mut recovery_due: Option<Instant> = None;
    let mut last_alive_check = Instant::now();
    let mut drawn_at: Option<Instant> = None;
    let mut dirty_screen = true;
    loop {
        if app.exit.is_some() {
            return Ok(Ended::Quit);
        }
        // Keys are drawn at once; background progress at most every frame.
        let every = if app.disk.loading.is_some() {
            LOADING_FRAME
        } else {
            FRAME
        };
        if dirty_screen || drawn_at.is_none_or(|t| t.elapsed() >= every) {
            // A failed draw means the terminal is gone: treat it as a hangup.
            let Ok(frame) = terminal.draw(|f| draw(app, f)) else {
                registry::files::persist_unsaved(app);
                return Ok(Ended::Signal(129));
            };
            if let Some(d) = outside.drawn.as_mut()
                && !d(app, frame.buffer)
            {
                return Ok(Ended::Quit);
            }
            drawn_at = Some(Instant::now());
            dirty_screen = false;
        }
        if let Some(code) = outside.signals.and_then(Signals::pending) {
            registry::files::persist_unsaved(app);
            return Ok(Ended::Signal(code));
        }
        // With work pending here, only look for a key; while other threads
        // work (the loader, a save), wait for one a moment; else wait.
        let wait = if registry::work_here(app) {
            Duration::ZERO
        } else if busy(app) {
            Duration::from_millis(1)
        } else {
            Duration::from_millis(200)
        };
        match outside.events.recv_timeout(wait) {
            Ok(Ok(ev)) => {
                on_event(app, ev);
                // Take whatever else is queued before drawing again.
                while let Ok(Ok(ev)) = outside.events.try_recv() {
                    on_event(app, ev);
                    if app.exit.is_some() {
                        break;
                    }
                }
                // Drawn before any background work runs.
                dirty_screen = true;
            }
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                registry::files::persist_unsaved(app);
                return Ok(Ended::Signal(129));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let was_busy = busy(app);
                tick(app);
                // The last of the work is drawn at once.
                dirty_screen |= was_busy && !busy(app);
            }
        }
        // Paths changed on disk wait in a queue, read a slice at a time.
        while let Ok(paths) = outside.fs.try_recv() {
            if let Some(w) = outside.watcher.as_deref_mut() {
                watch_new_folders(w, outside.root, &paths);
            }
            app.disk.incoming.extend(paths);
        }
        let now = Instant::now();
        if real && now.duration_since(last_alive_check) >= Duration::from_secs(1) {
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
