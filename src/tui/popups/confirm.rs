//! A yes / no question before something destructive.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::tui::action::{Action, Context};
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{hints, message_box};

pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// What happens on yes (taken when the question is answered).
    on_yes: Vec<Cmd>,
}

impl Confirm {
    pub fn new(title: impl Into<String>, lines: Vec<String>, on_yes: Vec<Cmd>) -> Confirm {
        Confirm {
            title: title.into(),
            lines,
            on_yes,
        }
    }
}

impl Layer for Confirm {
    fn name(&self) -> &'static str {
        "confirm"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Confirm, key) {
            Some(Action::ConfirmYes) => Reply::then_all(std::mem::take(&mut self.on_yes)),
            Some(Action::ConfirmNo) => Reply::close(),
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::from(crate::text::sanitize(l)))
            .collect();
        lines.push(Line::from(""));
        lines.push(hints(
            t,
            cx.keys,
            &[(Action::ConfirmYes, "yes"), (Action::ConfirmNo, "no")],
        ));
        let title = format!(" {} ", self.title);
        message_box(t, f, area, &title, lines);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
