//! A picker as a popup of its own: choose an entity, and what the choice
//! means comes from the layer that opened it (a callback).

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::picker::{Picked, Picker};
use crate::model::Id;
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};

/// What a choice leads to: the edits and commands to run.
pub type OnPick = Box<dyn FnOnce(Vec<Id>, &Cx) -> Vec<Cmd>>;

pub struct Choose {
    picker: Picker,
    on_pick: Option<OnPick>,
}

impl Choose {
    pub fn new(picker: Picker, on_pick: OnPick) -> Choose {
        Choose {
            picker,
            on_pick: Some(on_pick),
        }
    }
}

impl Layer for Choose {
    fn name(&self) -> &'static str {
        "picker"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match self.picker.key(key, cx) {
            Picked::Stay => Reply::stay(),
            Picked::Cancel => Reply::close(),
            Picked::Done(ids) => match self.on_pick.take() {
                Some(f) => Reply::then_all(f(ids, cx)),
                None => Reply::close(),
            },
        }
    }

    fn paste(&mut self, text: &str, _cx: &Cx) -> EventResult {
        self.picker.paste(text);
        Reply::stay()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        self.picker.draw(f, area, cx);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
