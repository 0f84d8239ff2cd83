//! A save found files changed on disk since they were loaded: reload, merge
//! by id, overwrite, or save elsewhere.

use std::any::Any;
use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{hints, message_box};

pub struct Changed {
    pub paths: Vec<PathBuf>,
    /// The save was to quit afterwards.
    pub then_quit: bool,
}

impl Changed {
    pub fn new(paths: Vec<PathBuf>, then_quit: bool) -> Changed {
        Changed { paths, then_quit }
    }
}

impl Layer for Changed {
    fn name(&self) -> &'static str {
        "changed"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Changed, key) {
            Some(Action::ChangedReload) => Reply::run(Command::Reload),
            Some(Action::ChangedMerge) => Reply::run(Command::MergeOutside(self.paths.clone())),
            Some(Action::ChangedOverwrite) => Reply::run(Command::ForceSave {
                then_quit: self.then_quit,
            }),
            Some(Action::ChangedSaveAs) => Reply::run(Command::SaveAs(None)),
            Some(Action::ChangedCancel) => Reply::close(),
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let mut lines = vec![Line::from(
            "These files changed on disk since they were loaded (someone else saved, or git changed them):",
        )];
        for p in self.paths.iter().take(6) {
            lines.push(Line::from(Span::styled(
                format!("  {}", crate::text::sanitize(&p.display().to_string())),
                t.warn(),
            )));
        }
        if self.paths.len() > 6 {
            lines.push(Line::from(format!("  and {} more", self.paths.len() - 6)));
        }
        lines.push(Line::from("Nothing was written."));
        lines.push(Line::from(""));
        for a in [Action::ChangedReload, Action::ChangedMerge] {
            lines.push(hints(t, cx.keys, &[(a, a.description())]));
        }
        lines.push(hints(
            t,
            cx.keys,
            &[
                (Action::ChangedOverwrite, "overwrite theirs"),
                (Action::ChangedSaveAs, "save as…"),
                (Action::ChangedCancel, "cancel"),
            ],
        ));
        message_box(t, f, area, " Changed on disk ", lines);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
