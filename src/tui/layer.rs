//! The compositor's layers: views at the bottom, popups and prompts above.
//! A key goes to the top layer first; a layer answers [`EventResult::Consumed`]
//! (optionally closing itself and asking for [`Cmd`]s: an edit, a command, a
//! new layer) or [`EventResult::Ignored`] (the key goes to the layer below).
//! A layer draws from a small context ([`Cx`]: the workspace, theme, key map
//! and counts) and its own state, never from the whole application.

use std::any::Any;
use std::collections::BTreeSet;

use chrono::NaiveDate;
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::{Action, Context};
use super::command::Command;
use super::keymap::KeyMap;
use super::state::Level;
use super::theme::Theme;
use crate::model::Workspace;
use crate::model::coverage::Stats;
use crate::model::edit::Edit;
use crate::model::validate::FileKey;
use crate::store::draft::Draft;

/// What a layer sees: read-only.
pub struct Cx<'a> {
    pub ws: &'a Workspace,
    pub theme: &'a Theme,
    pub keys: &'a KeyMap,
    /// Counts behind the map (notes, opportunities, metrics per cell).
    pub stats: &'a Stats,
    /// The terminal size.
    pub size: (u16, u16),
    /// The date new notes and observations get by default.
    pub today: NaiveDate,
}

impl Cx<'_> {
    /// The action a key means in a context.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        self.keys.lookup(ctx, key)
    }

    /// The key shown for an action in hints (`Ctrl-s`).
    pub fn hint(&self, a: Action) -> String {
        self.keys.hint(a)
    }
}

/// What a layer asks of the application.
pub enum Cmd {
    /// Run a command.
    Run(Command),
    /// Apply an edit as one undoable step, and say so; then warn of
    /// `warning`, if the edit applied.
    Apply {
        label: String,
        edit: Box<Edit>,
        warning: Option<String>,
    },
    /// Put a new layer on top.
    Push(Box<dyn Layer>),
    /// A line for the status bar.
    Say(Level, String),
}

impl Cmd {
    /// Apply an edit as one undoable step, and say so.
    pub fn apply(label: impl Into<String>, edit: Edit) -> Cmd {
        Cmd::Apply {
            label: label.into(),
            edit: Box::new(edit),
            warning: None,
        }
    }

    /// [`Cmd::apply`], with a warning said once the edit applied (what
    /// it does that the user may not expect).
    pub fn apply_warning(label: impl Into<String>, edit: Edit, warning: Option<String>) -> Cmd {
        Cmd::Apply {
            label: label.into(),
            edit: Box::new(edit),
            warning,
        }
    }
}

/// A consumed event's consequences.
#[derive(Default)]
pub struct Reply {
    /// The layer closes.
    pub close: bool,
    /// What runs afterwards, in order.
    pub cmds: Vec<Cmd>,
}

impl Reply {
    /// The layer stays and nothing else happens.
    pub fn stay() -> EventResult {
        EventResult::Consumed(Reply::default())
    }

    /// The layer closes.
    pub fn close() -> EventResult {
        EventResult::Consumed(Reply {
            close: true,
            cmds: Vec::new(),
        })
    }

    /// The layer closes, then `cmd` runs.
    pub fn then(cmd: Cmd) -> EventResult {
        EventResult::Consumed(Reply {
            close: true,
            cmds: vec![cmd],
        })
    }

    /// The layer closes, then `cmds` run.
    pub fn then_all(cmds: Vec<Cmd>) -> EventResult {
        EventResult::Consumed(Reply { close: true, cmds })
    }

    /// `cmd` runs and the layer stays.
    pub fn keep(cmd: Cmd) -> EventResult {
        EventResult::Consumed(Reply {
            close: false,
            cmds: vec![cmd],
        })
    }

    /// The layer closes, then the command runs.
    pub fn run(c: Command) -> EventResult {
        Reply::then(Cmd::Run(c))
    }
}

/// The answer of a layer to an event.
pub enum EventResult {
    /// Not for this layer: the next one down gets it.
    Ignored,
    Consumed(Reply),
}

/// A layer of the interface.
pub trait Layer {
    /// A short name, for tests and diagnostics (`form`, `palette`).
    fn name(&self) -> &'static str;

    /// A key press.
    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult;

    /// Pasted text.
    fn paste(&mut self, _text: &str, _cx: &Cx) -> EventResult {
        EventResult::Ignored
    }

    /// A mouse event. Popups are modal: by default they take it and do nothing.
    fn mouse(&mut self, _m: &MouseEvent, _cx: &Cx) -> EventResult {
        Reply::stay()
    }

    /// Draws the layer over `area` (the space between the tab and status bars).
    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx);

    /// Background work for a slice of time; returns whether more is pending.
    fn tick(&mut self, _cx: &Cx) -> bool {
        false
    }

    /// Whether background work is pending (what the next [`Layer::tick`]
    /// would do), without doing any.
    fn busy(&self) -> bool {
        false
    }

    /// The workspace changed in these files.
    fn changed(&mut self, _cx: &Cx, _files: &BTreeSet<FileKey>) {}

    /// Unsaved typing that must survive an abrupt end (a capture in
    /// progress), when it changed since it was last taken.
    fn take_draft(&mut self) -> Option<Draft> {
        None
    }

    /// Whether the layer holds typing not yet taken by [`Layer::take_draft`].
    fn draft_stale(&self) -> bool {
        false
    }

    /// The name of a layer open within this one (a picker in a form).
    fn sub_layer(&self) -> Option<&'static str> {
        None
    }

    fn as_any(&self) -> &dyn Any;
}
