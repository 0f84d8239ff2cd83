//! Quitting with unsaved changes: save, discard or stay.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{hints, message_box};

pub struct QuitPrompt;

impl Layer for QuitPrompt {
    fn name(&self) -> &'static str {
        "quit"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::QuitPrompt, key) {
            Some(Action::QuitSave) => Reply::run(Command::SaveAndQuit),
            Some(Action::QuitDiscard) => Reply::run(Command::QuitNow),
            Some(Action::QuitStay) => Reply::close(),
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        message_box(
            t,
            f,
            area,
            " Unsaved changes ",
            vec![
                Line::from("There are unsaved changes. Save them before quitting?"),
                Line::from(""),
                hints(
                    t,
                    cx.keys,
                    &[
                        (Action::QuitSave, "save and quit"),
                        (Action::QuitDiscard, "quit without saving"),
                        (Action::QuitStay, "stay"),
                    ],
                ),
            ],
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
