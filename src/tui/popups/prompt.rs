//! A one-line question: a name for something new, a new name, a path. The
//! answer goes to the command the prompt was opened for.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::{centered, hints, popup_block};

pub struct Prompt {
    pub title: String,
    pub input: TextInput,
    /// The command the answer makes.
    on_ok: Box<dyn Fn(String) -> Command>,
    error: Option<String>,
    allow_empty: bool,
}

impl Prompt {
    pub fn new(
        title: impl Into<String>,
        initial: &str,
        on_ok: impl Fn(String) -> Command + 'static,
    ) -> Prompt {
        let mut input = TextInput::line(initial);
        input.set_focused(true);
        Prompt {
            title: title.into(),
            input,
            on_ok: Box::new(on_ok),
            error: None,
            allow_empty: false,
        }
    }

    /// Accepts an empty answer (a filter that clears).
    pub fn allow_empty(mut self) -> Prompt {
        self.allow_empty = true;
        self
    }
}

impl Layer for Prompt {
    fn name(&self) -> &'static str {
        "prompt"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Prompt, key) {
            Some(Action::PromptCancel) => Reply::close(),
            Some(Action::PromptOk) => {
                let v = self.input.value().trim().to_string();
                if v.is_empty() && !self.allow_empty {
                    self.error = Some(format!(
                        "Type something first ({} cancels)",
                        cx.hint(Action::PromptCancel)
                    ));
                    Reply::stay()
                } else {
                    Reply::run((self.on_ok)(v))
                }
            }
            _ => {
                self.error = None;
                self.input.key(key, cx.keys);
                Reply::stay()
            }
        }
    }

    fn paste(&mut self, text: &str, _cx: &Cx) -> EventResult {
        self.input.paste(text);
        Reply::stay()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
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
            None => hints(
                t,
                cx.keys,
                &[(Action::PromptOk, "ok"), (Action::PromptCancel, "cancel")],
            ),
        };
        f.render_widget(Paragraph::new(line), hint);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
