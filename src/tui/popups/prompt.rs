//! A one-line question: a name for something new, a new name, a path.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::input::TextInput;
use super::{Effect, Outcome, Purpose, centered, keys_line, popup_block};
use crate::tui::theme::Theme;

pub struct Prompt {
    pub title: String,
    pub input: TextInput,
    pub purpose: Purpose,
    error: Option<String>,
    allow_empty: bool,
}

impl Prompt {
    pub fn new(title: impl Into<String>, initial: &str, purpose: Purpose) -> Prompt {
        let mut input = TextInput::line(initial);
        input.set_focused(true);
        Prompt {
            title: title.into(),
            input,
            purpose,
            error: None,
            allow_empty: false,
        }
    }

    /// Accepts an empty answer (a filter that clears).
    pub fn allow_empty(mut self) -> Prompt {
        self.allow_empty = true;
        self
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter => {
                let v = self.input.value().trim().to_string();
                if v.is_empty() && !self.allow_empty {
                    self.error = Some("Type something first (Esc cancels)".into());
                    Outcome::Stay
                } else {
                    Outcome::Then(Effect::Prompted(self.purpose.clone(), v))
                }
            }
            _ => {
                self.error = None;
                self.input.input(key);
                Outcome::Stay
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.input.paste(text);
    }

    pub fn render(&self, t: &Theme, f: &mut Frame, area: Rect) {
        let r = centered(area, 64, 6);
        f.render_widget(Clear, r);
        let title = format!(" {} ", self.title);
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [input, _, hint] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        self.input.render(f, input);
        let line = match &self.error {
            Some(e) => Line::from(Span::styled(e.clone(), t.error())),
            None => keys_line(t, &[("Enter", "ok"), ("Esc", "cancel")]),
        };
        f.render_widget(Paragraph::new(line), hint);
    }
}
