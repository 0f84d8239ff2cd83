//! The state of the interface, and the one path every event takes:
//! event → key map → [`Action`] → `dispatch` → [`Edit`] through [`History`].

use std::path::{Path, PathBuf};

use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEvent};

use super::action::Action;
use super::keymap::KeyMap;
use super::popups::{Effect, Outcome, Popup};
use super::theme::Theme;
use super::views::map::MapState;
use crate::model::coverage::Stats;
use crate::model::edit::Edit;
use crate::model::history::History;
use crate::model::score::Score;
use crate::model::validate::FileKey;
use crate::model::{Id, Workspace};
use crate::search::filter::{NoteFilter, OppFilter};
use crate::store::Store;
use crate::store::recovery;
use std::collections::BTreeSet;

/// The five screens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Map,
    Personas,
    Notes,
    Opportunities,
    Metrics,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Map,
        View::Personas,
        View::Notes,
        View::Opportunities,
        View::Metrics,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Map => "Map",
            View::Personas => "Personas",
            View::Notes => "Notes",
            View::Opportunities => "Opportunities",
            View::Metrics => "Metrics",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            View::Map => "map",
            View::Personas => "personas",
            View::Notes => "notes",
            View::Opportunities => "opportunities",
            View::Metrics => "metrics",
        }
    }

    pub fn from_slug(s: &str) -> Option<View> {
        let s = s.trim().to_ascii_lowercase();
        View::ALL
            .into_iter()
            .find(|v| v.slug() == s || (s.len() >= 2 && v.slug().starts_with(&s)))
    }

    fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A line for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub level: Level,
}

/// A simple list selection with a scroll offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// Moves by `delta` rows within `len` items.
    pub fn step(&mut self, delta: isize, len: usize) {
        let max = len.saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, max.max(0)) as usize;
    }

    /// Keeps the selection within `height` visible rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }
}

/// Why the program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
}

pub struct App {
    pub ws: Workspace,
    /// The folder the workspace lives in; `None` for a scratch workspace.
    pub store: Option<Store>,
    pub history: History,
    pub view: View,
    pub map: MapState,
    pub personas: ListState,
    pub notes: ListState,
    pub opportunities: ListState,
    pub metrics: ListState,
    /// Popups, the top one last. Events go to the top one first.
    pub popups: Vec<Popup>,
    pub message: Option<Message>,
    pub keymap: KeyMap,
    pub theme: Theme,
    /// Counts for the map, recomputed after every edit.
    pub stats: Stats,
    /// The terminal size at the last event, for paging and mouse hits.
    pub size: (u16, u16),
    pub exit: Option<Exit>,
    /// Where unsaved work is written if the session ends abruptly.
    pub recovery_path: Option<PathBuf>,
    /// Counts changes to the workspace (edits, undo, redo, reload).
    pub changes: u64,
    /// A save running on another thread.
    pub pending_save: Option<super::update::PendingSave>,
    /// Files changed on disk by someone else while we have unsaved changes
    /// to them.
    pub outside_changes: BTreeSet<PathBuf>,
    /// Paths that changed during our own save, to look at afterwards.
    pub disk_recheck: BTreeSet<PathBuf>,
    pub note_filter: NoteFilter,
    pub opp_filter: OppFilter,
    /// The notes the Notes view lists, newest first, filtered.
    pub note_rows: Vec<Id>,
    /// The opportunities the Opportunities view lists, ranked, filtered.
    pub opp_rows: Vec<(Id, Score)>,
    /// Where each opportunity is in the workspace's list.
    opp_index: std::collections::HashMap<Id, usize>,
    /// The roadmap board's columns (Now, Next, Later, unplanned): positions
    /// in `opp_rows`, in rank order.
    pub board_cols: [Vec<usize>; 4],
    /// The roadmap board, when it is shown instead of the ranked list.
    pub board: Option<Board>,
    /// The date new notes and observations get by default.
    pub today: chrono::NaiveDate,
    /// The current search and its results.
    pub search: crate::search::Session,
    /// Highlighted characters of the shown search results.
    pub search_marks: std::collections::HashMap<crate::model::EntityRef, Vec<u32>>,
}

/// The cursor on the roadmap board: a column (Now, Next, Later, Unplanned)
/// and a card in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Board {
    pub col: usize,
    pub row: usize,
}

impl App {
    pub fn new(ws: Workspace, store: Option<Store>) -> App {
        let stats = Stats::compute(&ws);
        let recovery_path = store.as_ref().and_then(|s| recovery::path_for(s.root()));
        let mut app = App {
            ws,
            store,
            history: History::default(),
            view: View::Map,
            map: MapState::default(),
            personas: ListState::default(),
            notes: ListState::default(),
            opportunities: ListState::default(),
            metrics: ListState::default(),
            popups: Vec::new(),
            message: None,
            keymap: KeyMap::default(),
            theme: Theme::default(),
            stats,
            size: (80, 24),
            exit: None,
            recovery_path,
            changes: 0,
            pending_save: None,
            outside_changes: BTreeSet::new(),
            disk_recheck: BTreeSet::new(),
            note_filter: NoteFilter::default(),
            opp_filter: OppFilter::default(),
            note_rows: Vec::new(),
            opp_rows: Vec::new(),
            opp_index: Default::default(),
            board_cols: Default::default(),
            board: None,
            today: chrono::Local::now().date_naive(),
            search: crate::search::Session::new(),
            search_marks: Default::default(),
        };
        app.refresh_rows();
        app
    }

    /// Recomputes the rows of the Notes and Opportunities lists.
    pub fn refresh_rows(&mut self) {
        self.update_rows(None);
    }

    /// Brings the list rows up to date: everything (`None`), or only what
    /// edits to `files` can have changed.
    fn update_rows(&mut self, files: Option<&BTreeSet<FileKey>>) {
        // The selection follows its item when the order changes.
        let note_sel = self.note_rows.get(self.notes.selected).cloned();
        let opp_sel = self
            .opp_rows
            .get(self.opportunities.selected)
            .map(|(id, _)| id.clone());
        let ws = &self.ws;
        let newest_first = |a: &Id, b: &Id| -> std::cmp::Ordering {
            match (ws.notes.get(a), ws.notes.get(b)) {
                (Some(x), Some(y)) => y.date.cmp(&x.date).then_with(|| a.cmp(b)),
                _ => a.cmp(b),
            }
        };
        match files {
            None => {
                // Sort by a key taken once per note, not looked up per comparison.
                let mut notes: Vec<(std::cmp::Reverse<chrono::NaiveDate>, &Id)> = ws
                    .notes
                    .values()
                    .filter(|n| self.note_filter.matches(n))
                    .map(|n| (std::cmp::Reverse(n.date), &n.id))
                    .collect();
                notes.sort_unstable();
                self.note_rows = notes.into_iter().map(|(_, id)| id.clone()).collect();
            }
            Some(files) => {
                for f in files {
                    let FileKey::Note(id) = f else { continue };
                    if let Some(i) = self.note_rows.iter().position(|x| x == id) {
                        self.note_rows.remove(i);
                    }
                    if ws
                        .notes
                        .get(id)
                        .is_some_and(|n| self.note_filter.matches(n))
                    {
                        let at = self
                            .note_rows
                            .binary_search_by(|x| newest_first(x, id))
                            .unwrap_or_else(|i| i);
                        self.note_rows.insert(at, id.clone());
                    }
                }
            }
        }
        let opps_changed = files.is_none_or(|f| {
            f.iter()
                .any(|k| matches!(k, FileKey::Opportunities | FileKey::Workspace))
        });
        if opps_changed {
            self.opp_index = ws
                .opportunities
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id.clone(), i))
                .collect();
            self.opp_rows = crate::model::score::ranked(ws)
                .into_iter()
                .filter(|(o, _)| self.opp_filter.matches(ws, o))
                .map(|(o, s)| (o.id.clone(), s))
                .collect();
        }
        if opps_changed {
            let mut cols: [Vec<usize>; 4] = Default::default();
            for (i, (id, _)) in self.opp_rows.iter().enumerate() {
                let col = match self.opp(id).and_then(|o| o.horizon) {
                    Some(crate::model::Horizon::Now) => 0,
                    Some(crate::model::Horizon::Next) => 1,
                    Some(crate::model::Horizon::Later) => 2,
                    None => 3,
                };
                cols[col].push(i);
            }
            self.board_cols = cols;
        }
        if let Some(i) = note_sel.and_then(|id| self.note_rows.iter().position(|x| *x == id)) {
            self.notes.selected = i;
        }
        if let Some(i) = opp_sel.and_then(|id| self.opp_rows.iter().position(|(x, _)| *x == id)) {
            self.opportunities.selected = i;
        }
        self.notes.clamp(self.note_rows.len());
        self.opportunities.clamp(self.opp_rows.len());
    }

    /// An opportunity by id, without a scan of the list.
    pub fn opp(&self, id: &Id) -> Option<&crate::model::Opportunity> {
        self.opp_index
            .get(id)
            .and_then(|&i| self.ws.opportunities.get(i))
            .filter(|o| &o.id == id)
    }

    /// The workspace folder, if there is one.
    pub fn root(&self) -> Option<&Path> {
        self.store.as_ref().map(|s| s.root())
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level: Level::Info,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level: Level::Warn,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level: Level::Error,
        });
    }

    /// Applies an edit as one undoable step. Returns whether it applied.
    pub fn apply(&mut self, label: impl Into<String>, edit: Edit) -> bool {
        let label = label.into();
        match self.history.apply(&mut self.ws, label.clone(), edit) {
            Ok(_) => {
                self.after_change();
                true
            }
            Err(e) => {
                self.error(format!("{label}: {e}"));
                false
            }
        }
    }

    /// Keeps derived state and selections in step with the workspace.
    pub fn after_change(&mut self) {
        let files = self.history.last_files().clone();
        self.refresh_derived(&files);
    }

    /// Brings everything derived from the workspace up to date after
    /// `files` changed.
    pub fn refresh_derived(&mut self, files: &BTreeSet<FileKey>) {
        self.changes += 1;
        self.stats.update(&self.ws, files);
        self.map.clamp(&self.ws);
        self.personas.clamp(self.ws.personas.len());
        self.metrics.clamp(self.ws.metrics.len());
        self.update_rows(Some(files));
    }

    /// Handles one terminal event: the same path for the real terminal and
    /// for tests.
    pub fn on_event(&mut self, ev: Event) {
        match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => self.on_key(k),
            Event::Key(_) => {}
            Event::Paste(text) => self.on_paste(&text),
            Event::Resize(w, h) => {
                self.size = (w, h);
                // Scroll as little as the new size needs to show the cursor.
                self.map.first_col = 0;
                self.map.first_row = 0;
                self.map.scroll_into_view(&self.ws, self.size);
            }
            Event::Mouse(m) => self.on_mouse(m),
            Event::FocusGained | Event::FocusLost => {}
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        self.message = None;
        if let Some(top) = self.popups.last_mut() {
            let outcome = top.handle_key(key, &self.ws, &self.keymap, self.search.hits.len());
            self.on_outcome(outcome);
            return;
        }
        if let Some(action) = self.keymap.action_for(&key) {
            self.dispatch(action);
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(Popup::Search(s)) = self.popups.last_mut() {
            if let Some(q) = s.paste(text) {
                self.search_query(&q);
            }
            return;
        }
        if let Some(top) = self.popups.last_mut() {
            top.handle_paste(text);
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) {
        if !self.popups.is_empty() {
            return;
        }
        if let Some(v) = super::views::tab_at(m) {
            self.view = v;
            return;
        }
        match self.view {
            View::Map => self.map_mouse(m),
            _ => self.list_mouse(m),
        }
    }

    pub fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Stay => {}
            Outcome::Close => {
                self.popups.pop();
            }
            Outcome::Then(effect) => {
                self.popups.pop();
                self.run_effect(effect);
            }
            Outcome::Keep(effect) => self.run_effect(effect),
        }
    }

    pub fn push(&mut self, p: Popup) {
        self.popups.push(p);
    }

    /// Carries out what a popup asked for.
    pub fn run_effect(&mut self, effect: Effect) {
        match effect {
            Effect::Apply { label, edit } => {
                // Something new is selected in its list.
                let new_metric = match &edit {
                    Edit::InsertMetric { index, .. } => Some(*index),
                    _ => None,
                };
                let new_opportunity = match &edit {
                    Edit::InsertOpportunity { opportunity, .. } => Some(opportunity.id.clone()),
                    _ => None,
                };
                if self.apply(label.clone(), edit) {
                    if let Some(i) = new_metric {
                        self.metrics.selected = i;
                    }
                    if let Some(id) = new_opportunity
                        && let Some(i) = self.opp_rows.iter().position(|(x, _)| *x == id)
                    {
                        self.opportunities.selected = i;
                    }
                    let mut done = label;
                    if let Some(first) = done.get_mut(0..1) {
                        first.make_ascii_uppercase();
                    }
                    let undo = self.keymap.hint(Action::Undo);
                    self.info(format!("{done} — {undo} undoes"));
                }
            }
            Effect::Command(line) => {
                if let Err(e) = self.run_command(&line) {
                    self.error(e);
                }
            }
            Effect::Prompted(purpose, text) => self.prompted(purpose, text),
            Effect::Save { then_quit } => self.save(false, then_quit),
            Effect::ForceSave { then_quit } => self.save(true, then_quit),
            Effect::QuitNow => {
                self.discard_recovery();
                self.exit = Some(Exit::Quit);
            }
            Effect::Reload => self.reload(),
            Effect::SaveAs(path) => self.save_as(&path),
            Effect::Restore(r) => self.restore(*r),
            Effect::DiscardRecovery => {
                self.discard_recovery();
                self.info("Discarded the recovered changes");
            }
            Effect::Many(effects) => {
                for e in effects {
                    self.run_effect(e);
                }
            }
            Effect::Push(p) => self.push(*p),
            Effect::Picked(purpose, ids) => self.picked(purpose, ids),
            Effect::KeepNote(note) => self.keep_note(*note),
            Effect::DiscardDraft => self.discard_draft(),
            Effect::SuggestionsDone(summary) => self.suggestions_done(summary),
            Effect::SearchQuery(q) => self.search_query(&q),
            Effect::Settled { label, edit } => {
                if self.apply(label, edit) && self.ws.conflicts.is_empty() {
                    self.popups.retain(|p| !matches!(p, Popup::Conflicts(_)));
                    self.info("Every conflict is settled: save (Ctrl-s), then `git add` the files");
                }
            }
            Effect::Message(m) => self.error(m),
            Effect::MergeOutside(paths) => self.merge_outside(&paths),
            Effect::SearchJump(i) => self.search_jump(i),
        }
    }

    /// Runs a user-level action.
    pub fn dispatch(&mut self, action: Action) {
        use Action::*;
        match action {
            ViewMap => self.view = View::Map,
            ViewPersonas => self.view = View::Personas,
            ViewNotes => self.view = View::Notes,
            ViewOpportunities => self.view = View::Opportunities,
            ViewMetrics => self.view = View::Metrics,
            NextView => self.view = View::ALL[(self.view.index() + 1) % View::ALL.len()],
            PrevView => {
                self.view = View::ALL[(self.view.index() + View::ALL.len() - 1) % View::ALL.len()]
            }
            Undo => self.undo(),
            Redo => self.redo(),
            Save => self.save(false, false),
            Help => self.push(Popup::help()),
            Palette => self.push(Popup::palette()),
            Quit => self.request_quit(),
            Search => self.open_search(),
            CaptureNote => self.open_capture(),
            _ => match self.view {
                View::Map => self.map_action(action),
                View::Personas => self.personas_action(action),
                _ => self.list_action(action),
            },
        }
    }

    pub fn undo(&mut self) {
        match self.history.undo(&mut self.ws) {
            None => self.info("Nothing to undo"),
            Some(Ok(label)) => {
                self.after_change();
                self.info(format!("Undid: {label}"));
            }
            Some(Err(e)) => self.error(format!("Cannot undo \"{}\": {}", e.label, e.reason)),
        }
    }

    pub fn redo(&mut self) {
        match self.history.redo(&mut self.ws) {
            None => self.info("Nothing to redo"),
            Some(Ok(label)) => {
                self.after_change();
                self.info(format!("Redid: {label}"));
            }
            Some(Err(e)) => self.error(format!("Cannot redo \"{}\": {}", e.label, e.reason)),
        }
    }

    pub fn request_quit(&mut self) {
        if let Some(p) = &self.pending_save {
            let msg = format!("{} — quit when it is done", p.describe());
            self.info(msg);
            return;
        }
        if self.is_dirty() {
            self.push(Popup::Quit);
        } else {
            self.discard_recovery();
            self.exit = Some(Exit::Quit);
        }
    }

    /// Throws away unsaved changes and loads the files from disk again.
    pub fn reload(&mut self) {
        let Some(root) = self.root().map(Path::to_path_buf) else {
            return;
        };
        match Store::open(&root) {
            Ok((store, ws, _)) => {
                self.store = Some(store);
                self.ws = ws;
                self.history.reset();
                self.outside_changes.clear();
                self.stats = Stats::compute(&self.ws);
                self.after_change();
                self.discard_recovery();
                self.info(format!("Reloaded {}", root.display()));
            }
            Err(e) => self.error(format!("Cannot reload: {e}")),
        }
    }

    /// Writes unsaved work to the recovery file (private). Returns whether
    /// something was written.
    pub fn write_recovery(&self) -> bool {
        if !self.is_dirty() {
            return false;
        }
        let (Some(path), Some(root)) = (&self.recovery_path, self.root()) else {
            return false;
        };
        let changes = self.history.unsaved_changes(&self.ws);
        if changes.is_empty() {
            // Undone back to what is saved: nothing to recover.
            let _ = std::fs::remove_file(path);
            return false;
        }
        let r = recovery::Recovery::capture(root, changes);
        r.write(path).is_ok()
    }

    /// Writes everything not yet on disk: the recovery file and the draft
    /// of an open capture. Used when the session ends abruptly.
    pub fn persist_unsaved(&mut self) {
        self.write_recovery();
        self.write_draft();
    }

    /// Whether an open capture has changes its draft file lacks.
    pub fn draft_stale(&self) -> bool {
        self.popups
            .iter()
            .any(|p| matches!(p, Popup::Capture(c) if c.draft_stale))
    }

    pub fn discard_recovery(&mut self) {
        if let Some(p) = &self.recovery_path {
            let _ = std::fs::remove_file(p);
        }
    }

    fn restore(&mut self, r: recovery::Recovery) {
        match self
            .history
            .replay_as_step(&mut self.ws, "restore recovered changes", &r.changes)
        {
            Ok(_) => {
                self.after_change();
                self.info("Recovered the unsaved changes: review, then Ctrl-s to save");
            }
            Err(e) => self.error(format!(
                "Cannot recover the unsaved changes: {}. The recovery file was left in place",
                e.reason
            )),
        }
    }
}
