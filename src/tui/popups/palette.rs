//! The command palette (`:`): type a command, Tab completes, Enter runs.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::input::TextInput;
use super::{Effect, Outcome, centered, popup_block};
use crate::model::Workspace;
use crate::tui::commands::{COMMANDS, CommandSpec};
use crate::tui::theme::Theme;

pub struct Palette {
    input: TextInput,
    selected: usize,
}

/// A line of the suggestion list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What Tab puts into the input.
    pub completion: String,
    pub shown: String,
    pub help: String,
}

fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Suggestions for what has been typed so far.
pub fn suggestions(line: &str) -> Vec<Suggestion> {
    let trimmed = line.trim_start();
    match trimmed.split_once(' ') {
        None => {
            let word = trimmed;
            let mut out: Vec<(u8, Suggestion)> = COMMANDS
                .iter()
                .filter_map(|c| {
                    let rank = if c.name.starts_with(word) {
                        0
                    } else if c.name.contains(word) {
                        1
                    } else {
                        return None;
                    };
                    let completion = if c.args.is_empty() {
                        c.name.to_string()
                    } else {
                        format!("{} ", c.name)
                    };
                    Some((
                        rank,
                        Suggestion {
                            completion,
                            shown: if c.args.is_empty() {
                                c.name.to_string()
                            } else {
                                format!("{} {}", c.name, c.args)
                            },
                            help: c.help.to_string(),
                        },
                    ))
                })
                .collect();
            out.sort_by_key(|(r, _)| *r);
            out.into_iter().map(|(_, s)| s).collect()
        }
        Some((name, arg)) => {
            let Some(c) = find(name) else {
                return Vec::new();
            };
            let arg = arg.trim_start();
            if c.choices.is_empty() {
                return vec![Suggestion {
                    completion: line.to_string(),
                    shown: format!("{} {}", c.name, c.args),
                    help: c.help.to_string(),
                }];
            }
            c.choices
                .iter()
                .filter(|ch| ch.starts_with(arg))
                .map(|ch| Suggestion {
                    completion: format!("{} {}", c.name, ch),
                    shown: format!("{} {}", c.name, ch),
                    help: c.help.to_string(),
                })
                .collect()
        }
    }
}

fn common_prefix(items: &[Suggestion]) -> String {
    let Some(first) = items.first() else {
        return String::new();
    };
    let mut prefix = first.completion.clone();
    for s in &items[1..] {
        while !s.completion.starts_with(&prefix) {
            prefix.pop();
        }
    }
    prefix
}

impl Palette {
    pub fn new(initial: &str) -> Palette {
        let mut input = TextInput::line(initial);
        input.set_focused(true);
        input.set_placeholder("type a command — Tab completes, Enter runs");
        Palette { input, selected: 0 }
    }

    fn set(&mut self, text: &str) {
        self.input = TextInput::line(text);
        self.input.set_focused(true);
    }

    pub fn value(&self) -> String {
        self.input.value()
    }

    /// Tab: complete the common prefix, then cycle through the suggestions.
    fn complete(&mut self) {
        let line = self.value();
        let sugg = suggestions(&line);
        if sugg.is_empty() {
            return;
        }
        let prefix = common_prefix(&sugg);
        if sugg.len() == 1 {
            self.set(&sugg[0].completion);
        } else if prefix.len() > line.len() {
            self.set(&prefix);
            self.selected = 0;
        } else {
            let pick = self.selected.min(sugg.len() - 1);
            self.set(&sugg[pick].completion);
            self.selected = 0;
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, _ws: &Workspace) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Tab => {
                self.complete();
                Outcome::Stay
            }
            KeyCode::Down => {
                let n = suggestions(&self.value()).len();
                if n > 0 {
                    self.selected = (self.selected + 1) % n;
                }
                Outcome::Stay
            }
            KeyCode::Up | KeyCode::BackTab => {
                let n = suggestions(&self.value()).len();
                if n > 0 {
                    self.selected = (self.selected + n - 1) % n;
                }
                Outcome::Stay
            }
            KeyCode::Enter => {
                let line = self.value().trim().to_string();
                if line.is_empty() {
                    return Outcome::Close;
                }
                let name = line.split_whitespace().next().unwrap_or("");
                if find(name).is_some() {
                    return Outcome::Then(Effect::Command(line));
                }
                // An unfinished name: take the highlighted suggestion.
                let sugg = suggestions(&line);
                match sugg.get(self.selected.min(sugg.len().saturating_sub(1))) {
                    Some(s) if !s.completion.ends_with(' ') => {
                        Outcome::Then(Effect::Command(s.completion.clone()))
                    }
                    Some(s) => {
                        let c = s.completion.clone();
                        self.set(&c);
                        Outcome::Stay
                    }
                    None => Outcome::Then(Effect::Command(line)),
                }
            }
            _ => {
                if self.input.input(key) {
                    self.selected = 0;
                }
                Outcome::Stay
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.input.paste(text);
    }

    pub fn render(&self, t: &Theme, f: &mut Frame, area: Rect) {
        let sugg = suggestions(&self.value());
        let list_h = sugg.len().min(10) as u16;
        let r = centered(area, 80, list_h + 4);
        let r = Rect {
            y: area.y + area.height.saturating_sub(r.height) / 4,
            ..r
        };
        f.render_widget(Clear, r);
        let block = popup_block(t, " Command ");
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [input_row, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
        let [prefix, input] =
            Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(input_row);
        f.render_widget(Paragraph::new(Span::styled(":", t.accent())), prefix);
        self.input.render(f, Rect { height: 1, ..input });
        let selected = self.selected.min(sugg.len().saturating_sub(1));
        let start = selected.saturating_sub(list.height.saturating_sub(1) as usize);
        let lines: Vec<Line> = sugg
            .iter()
            .enumerate()
            .skip(start)
            .take(list.height as usize)
            .map(|(i, s)| {
                let style = if i == selected {
                    t.selected()
                } else {
                    t.base()
                };
                Line::from(vec![
                    Span::styled(format!(" {:<34}", s.shown), style.patch(t.accent())),
                    Span::styled(
                        format!(" {}", s.help),
                        if i == selected { style } else { t.dim() },
                    ),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_complete_by_prefix_then_arguments_by_choice() {
        let s = suggestions("add-p");
        let names: Vec<_> = s.iter().map(|s| s.completion.as_str()).collect();
        assert_eq!(names, ["add-phase ", "add-persona "]);
        assert_eq!(common_prefix(&s), "add-p");
        assert_eq!(suggestions("sav")[0].completion, "save");
        let roles: Vec<_> = suggestions("set-role c")
            .into_iter()
            .map(|s| s.completion)
            .collect();
        assert_eq!(roles, ["set-role customer", "set-role consumer"]);
        assert_eq!(suggestions("view o")[0].completion, "view opportunities");
        assert!(suggestions("nonsense ").is_empty());
    }

    #[test]
    fn tab_completes_a_unique_prefix() {
        let mut p = Palette::new("und");
        p.complete();
        assert_eq!(p.value(), "undo");
        let mut p = Palette::new("set-ro");
        p.complete();
        assert_eq!(p.value(), "set-role ");
        let mut p = Palette::new("set-role e");
        p.complete();
        assert_eq!(p.value(), "set-role end-user");
    }
}
