//! A yes / no question before something destructive.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{Effect, Outcome, keys_line, message_box};
use crate::tui::theme::Theme;

pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    /// What happens on `y` (taken when the question is answered).
    pub on_yes: Option<Effect>,
}

impl Confirm {
    pub fn new(title: impl Into<String>, lines: Vec<String>, on_yes: Effect) -> Confirm {
        Confirm {
            title: title.into(),
            lines,
            on_yes: Some(on_yes),
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => match self.on_yes.take() {
                Some(e) => Outcome::Then(e),
                None => Outcome::Close,
            },
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Outcome::Close,
            _ => Outcome::Stay,
        }
    }

    pub fn render(&self, t: &Theme, f: &mut Frame, area: Rect) {
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .map(|l| Line::from(crate::text::sanitize(l)))
            .collect();
        lines.push(Line::from(""));
        lines.push(keys_line(
            t,
            &[("y", "yes"), ("n", "no"), ("Esc", "cancel")],
        ));
        let title = format!(" {} ", self.title);
        message_box(t, f, area, &title, lines);
    }
}
