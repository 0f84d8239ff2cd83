//! The application's state: the workspace, its history and store, and the
//! layer stack (the views at the bottom, popups above). Events go down the
//! stack ([`App::route`]); what layers ask for comes back as [`Cmd`]s, which
//! the command registry carries out. Every change to the workspace goes
//! through [`App::apply`] (or undo, redo and changes read from disk, all
//! through the same history).

use std::collections::BTreeSet;
use std::path::Path;

use crossterm::event::{Event, KeyEventKind};

use super::action::Action;
use super::keymap::KeyMap;
use super::layer::{Cmd, Cx, EventResult, Layer};
use super::state::disk::Disk;
use super::state::{Level, Message, View};
use super::theme::Theme;
use super::views::Views;
use crate::model::Workspace;
use crate::model::coverage::Stats;
use crate::model::edit::Edit;
use crate::model::history::History;
use crate::model::validate::FileKey;
use crate::store::Store;

/// Why the program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
}

/// What the interface runs in: keys, colours, the terminal's size, today.
pub struct Env {
    pub keys: KeyMap,
    pub theme: Theme,
    /// The terminal size at the last event, for paging and mouse hits.
    pub size: (u16, u16),
    /// The date new notes and observations get by default.
    pub today: chrono::NaiveDate,
    /// Where `config.ron` and `keys.ron` live (`None`: nowhere to keep
    /// settings).
    pub config_dir: Option<std::path::PathBuf>,
}

pub struct App {
    pub ws: Workspace,
    pub history: History,
    /// The folder the workspace lives in; `None` for a scratch workspace.
    pub store: Option<Store>,
    /// The bottom layer.
    pub views: Views,
    /// Popups, the top one last. Events go to the top one first.
    pub layers: Vec<Box<dyn Layer>>,
    pub env: Env,
    /// Counts for the map, kept up to date after every change.
    pub stats: Stats,
    pub disk: Disk,
    /// The status bar's message.
    pub message: Option<Message>,
    /// Counts changes to the workspace (edits, undo, redo, reload).
    pub changes: u64,
    pub exit: Option<Exit>,
}

impl App {
    pub fn new(ws: Workspace, store: Option<Store>) -> App {
        let stats = Stats::compute(&ws);
        let recovery_path = store
            .as_ref()
            .and_then(|s| crate::store::recovery::path_for(s.root()));
        App {
            views: Views::new(&ws, &stats),
            ws,
            history: History::default(),
            store,
            layers: Vec::new(),
            env: Env {
                keys: KeyMap::default(),
                theme: Theme::default(),
                size: (80, 24),
                today: chrono::Local::now().date_naive(),
                config_dir: None,
            },
            stats,
            disk: Disk {
                recovery_path,
                ..Disk::default()
            },
            message: None,
            changes: 0,
            exit: None,
        }
    }

    /// What layers see.
    pub fn cx(&self) -> Cx<'_> {
        Cx {
            ws: &self.ws,
            theme: &self.env.theme,
            keys: &self.env.keys,
            stats: &self.stats,
            size: self.env.size,
            today: self.env.today,
        }
    }

    /// The context, with the layers and views to hand it to.
    fn parts(&mut self) -> (Cx<'_>, &mut Vec<Box<dyn Layer>>, &mut Views) {
        (
            Cx {
                ws: &self.ws,
                theme: &self.env.theme,
                keys: &self.env.keys,
                stats: &self.stats,
                size: self.env.size,
                today: self.env.today,
            },
            &mut self.layers,
            &mut self.views,
        )
    }

    /// The view shown.
    pub fn view(&self) -> View {
        self.views.current
    }

    /// The workspace folder, if there is one.
    pub fn root(&self) -> Option<&Path> {
        self.store.as_ref().map(|s| s.root())
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    fn say(&mut self, level: Level, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            level,
        });
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.say(Level::Info, text);
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.say(Level::Warn, text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.say(Level::Error, text);
    }

    pub fn push(&mut self, layer: impl Layer + 'static) {
        self.layers.push(Box::new(layer));
    }

    /// The topmost layer of type `T`, if one is open.
    pub fn layer<T: 'static>(&self) -> Option<&T> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.as_any().downcast_ref::<T>())
    }

    /// Whether a layer named `name` is open.
    pub fn has_layer(&self, name: &str) -> bool {
        self.layers.iter().any(|l| l.name() == name)
    }

    /// Closes every layer named `name`.
    pub fn close_layers(&mut self, name: &str) {
        self.layers.retain(|l| l.name() != name);
    }

    /// Passes an event down the layer stack; returns what the layers asked
    /// for (edits are applied at once, the rest is for the registry).
    pub fn route(&mut self, ev: Event) -> Vec<Cmd> {
        let answer = match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => {
                self.message = None;
                let (cx, layers, views) = self.parts();
                // The top layer first; popups are modal, so a popup that
                // ignores a key ends its journey.
                Some(match layers.len().checked_sub(1) {
                    Some(i) => (Some(i), layers[i].key(&k, &cx)),
                    None => (None, views.key(&k, &cx)),
                })
            }
            Event::Key(_) => None,
            Event::Paste(text) => {
                let (cx, layers, _) = self.parts();
                let i = layers.len().checked_sub(1);
                i.map(|i| (Some(i), layers[i].paste(&text, &cx)))
            }
            Event::Resize(w, h) => {
                self.env.size = (w, h);
                // Scroll as little as the new size needs to show the cursor.
                self.views.map.first_col = 0;
                self.views.map.first_row = 0;
                self.views.map.scroll_into_view(&self.ws, self.env.size);
                None
            }
            Event::Mouse(m) => {
                let (cx, layers, views) = self.parts();
                Some(match layers.len().checked_sub(1) {
                    Some(i) => (Some(i), layers[i].mouse(&m, &cx)),
                    None => (None, views.mouse(&m, &cx)),
                })
            }
            Event::FocusGained | Event::FocusLost => None,
        };
        let Some((index, EventResult::Consumed(reply))) = answer else {
            return Vec::new();
        };
        if reply.close
            && let Some(i) = index
            && i < self.layers.len()
        {
            self.layers.remove(i);
        }
        reply.cmds
    }

    /// Applies an edit as one undoable step. Returns whether it applied.
    pub fn apply(&mut self, label: impl Into<String>, edit: Edit) -> bool {
        let label = label.into();
        // A workspace still loading is never edited into a half-loaded state.
        if let Some(l) = &self.disk.loading {
            let msg = format!(
                "Not yet: {label} waits until everything is read ({})",
                l.describe()
            );
            self.warn(msg);
            return false;
        }
        // What the edit creates is selected afterwards.
        let created = matches!(
            edit,
            Edit::InsertMetric { .. }
                | Edit::InsertOpportunity { .. }
                | Edit::InsertPersona { .. }
                | Edit::Put { item: Some(_), .. }
        )
        .then(|| edit.clone());
        match self.history.apply(&mut self.ws, label.clone(), edit) {
            Ok(_) => {
                self.after_change();
                if let Some(e) = created {
                    self.views.follow(&e, &self.ws);
                }
                true
            }
            Err(e) => {
                self.error(format!("{label}: {e}"));
                false
            }
        }
    }

    /// Applies an edit and says so: "Renamed … — u undoes".
    pub fn apply_and_say(&mut self, label: String, edit: Edit) -> bool {
        if !self.apply(label.clone(), edit) {
            return false;
        }
        let mut done = label;
        if let Some(first) = done.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let undo = self.env.keys.hint(Action::Undo);
        self.info(format!("{done} — {undo} undoes"));
        true
    }

    /// Keeps derived state and selections in step after the last apply,
    /// undo, redo or absorb.
    pub fn after_change(&mut self) {
        let files = self.history.last_files().clone();
        self.refresh(&files);
    }

    /// Brings everything derived from the workspace up to date after
    /// `files` changed.
    pub fn refresh(&mut self, files: &BTreeSet<FileKey>) {
        self.changes += 1;
        self.stats.update(&self.ws, files);
        debug_assert_eq!(
            self.stats.by_cell(),
            crate::model::ratings::ByCell::of(&self.ws),
            "the counts' ratings are those of the notes"
        );
        let (cx, layers, views) = self.parts();
        views.refresh(cx.ws, cx.stats, Some(files));
        for l in layers {
            l.changed(&cx, files);
        }
    }

    /// Brings what is derived up to date after files arrived while the
    /// workspace loads: as [`App::refresh`], but notes are counted and
    /// listed already (as they arrive, in bulk).
    pub fn refresh_loaded(&mut self, files: &BTreeSet<FileKey>) {
        self.changes += 1;
        let others: BTreeSet<FileKey> = files
            .iter()
            .filter(|k| !matches!(k, FileKey::Note(_)))
            .cloned()
            .collect();
        self.stats.update(&self.ws, &others);
        let (cx, layers, views) = self.parts();
        views.refresh(cx.ws, cx.stats, Some(&others));
        for l in layers {
            l.changed(&cx, files);
        }
    }

    /// Replaces the workspace (a reload): everything derived starts over.
    pub fn replace(&mut self, ws: Workspace, store: Option<Store>) {
        self.ws = ws;
        if store.is_some() {
            self.store = store;
        }
        self.history.reset();
        self.stats = Stats::compute(&self.ws);
        self.views.refresh(&self.ws, &self.stats, None);
        self.changes += 1;
    }

    /// Runs the layers' background work for a slice of time; returns
    /// whether more is pending.
    pub fn tick_layers(&mut self) -> bool {
        let (cx, layers, _) = self.parts();
        let mut busy = false;
        for l in layers {
            busy |= l.tick(&cx);
        }
        busy
    }

    /// Whether an open capture has changes its draft file lacks.
    pub fn draft_stale(&self) -> bool {
        self.layers.iter().any(|l| l.draft_stale())
    }
}
