//! Helpers for driving the TUI through the same event path as the terminal.
#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use valuemap::model::Workspace;
use valuemap::template::Template;
use valuemap::tui::app::App;

/// Drives the app through the same path as the terminal's event loop.
pub trait Drive {
    fn on_event(&mut self, ev: Event);
    /// Background work (a save finishing, search matching).
    fn tick(&mut self);
    fn busy(&mut self) -> bool;
    /// The watcher saw these paths change.
    fn on_disk_change(&mut self, paths: Vec<std::path::PathBuf>);
    /// Undo, as the key does.
    fn undo(&mut self);
    /// Everything derived computed afresh (for comparisons).
    fn refresh_rows(&mut self);
}

impl Drive for App {
    fn on_event(&mut self, ev: Event) {
        valuemap::tui::on_event(self, ev);
    }
    fn tick(&mut self) {
        valuemap::tui::tick(self);
    }
    fn busy(&mut self) -> bool {
        valuemap::tui::busy(self)
    }
    fn on_disk_change(&mut self, paths: Vec<std::path::PathBuf>) {
        valuemap::tui::disk_changed(self, paths);
    }
    fn undo(&mut self) {
        valuemap::tui::registry::run(self, valuemap::tui::command::Command::Undo);
    }
    fn refresh_rows(&mut self) {
        self.views.refresh(&self.ws, &self.stats, None);
    }
}

/// The open search's results.
pub fn search_session(a: &App) -> &valuemap::search::Session {
    &a.layer::<valuemap::tui::popups::search::Search>()
        .expect("the search is open")
        .session
}

pub fn template(name: &str) -> Workspace {
    Template::find(name).unwrap().workspace().unwrap()
}

/// An app on the kubernetes-platform template with no folder (stable
/// snapshots: the status bar shows no temporary path).
pub fn app() -> App {
    let mut app = App::new(template("kubernetes-platform"), None);
    app.env.size = (120, 40);
    app.env.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    app
}

/// An app whose workspace lives in a temporary folder (saving works).
pub fn app_on_disk() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    valuemap::store::Store::create(&root, &template("kubernetes-platform")).unwrap();
    let (store, ws, _) = valuemap::store::Store::open(&root).unwrap();
    let mut app = App::new(ws, Some(store));
    app.env.size = (120, 40);
    app.env.today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    (dir, app)
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Sends keys written as text: each character is a key press, except
/// `<Enter>`, `<Esc>`, `<Tab>`, `<BackTab>`, `<Up>`, `<Down>`, `<Left>`,
/// `<Right>`, `<Backspace>`, `<C-x>` (Ctrl-x) and `<lt>` for `<`.
pub fn keys(app: &mut App, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<')
            && let Some(end) = after.find('>')
        {
            let name = &after[..end];
            let ev = match name {
                "Enter" => Some(key(KeyCode::Enter)),
                "Esc" => Some(key(KeyCode::Esc)),
                "Tab" => Some(key(KeyCode::Tab)),
                "BackTab" => Some(Event::Key(KeyEvent::new(
                    KeyCode::BackTab,
                    KeyModifiers::SHIFT,
                ))),
                "Up" => Some(key(KeyCode::Up)),
                "Down" => Some(key(KeyCode::Down)),
                "Left" => Some(key(KeyCode::Left)),
                "Right" => Some(key(KeyCode::Right)),
                "Backspace" => Some(key(KeyCode::Backspace)),
                "PageDown" => Some(key(KeyCode::PageDown)),
                "PageUp" => Some(key(KeyCode::PageUp)),
                "lt" => Some(key(KeyCode::Char('<'))),
                n if n.starts_with("C-") && n.len() == 3 => Some(ctrl(n.chars().nth(2).unwrap())),
                _ => None,
            };
            if let Some(ev) = ev {
                app.on_event(ev);
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap();
        let mods = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.on_event(Event::Key(KeyEvent::new(KeyCode::Char(c), mods)));
        rest = &rest[c.len_utf8()..];
    }
}

/// Renders the app at a size, the way the terminal would.
pub fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.on_event(Event::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| valuemap::tui::draw(app, f)).unwrap();
    t
}

/// The screen as text.
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    render(app, w, h).backend().to_string()
}
