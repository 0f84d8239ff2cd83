//! Unsaved work from an earlier session: recover it, discard it, or decide
//! later.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::store::recovery::Recovery;
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{hints, message_box};

pub struct RecoveryOffer {
    pub recovery: Recovery,
}

impl Layer for RecoveryOffer {
    fn name(&self) -> &'static str {
        "recovery"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Recovery, key) {
            Some(Action::RecoveryRestore) => {
                Reply::run(Command::Restore(Box::new(self.recovery.clone())))
            }
            Some(Action::RecoveryDiscard) => Reply::run(Command::DiscardRecovery),
            Some(Action::RecoveryLater) => Reply::close(),
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let r = &self.recovery;
        message_box(
            t,
            f,
            area,
            " Recover unsaved work? ",
            vec![
                Line::from(format!(
                    "Unsaved changes from {} were found ({}).",
                    crate::text::sanitize(&r.written),
                    r.summary()
                )),
                Line::from("They were kept when the last session ended without saving."),
                Line::from(""),
                hints(
                    t,
                    cx.keys,
                    &[
                        (Action::RecoveryRestore, "recover them"),
                        (Action::RecoveryDiscard, "discard them"),
                        (Action::RecoveryLater, "decide later"),
                    ],
                ),
            ],
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
