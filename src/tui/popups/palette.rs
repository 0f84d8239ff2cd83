//! The command palette (`:`): type a command, Tab completes, Enter runs.
//! What it lists, completes and parses comes from the command registry.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::model::Workspace;
use crate::tui::action::{Action, Context};
use crate::tui::command::Info;
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};
use crate::tui::state::Level;
use crate::tui::widgets::input::{TextInput, Typed};
use crate::tui::widgets::{centered, popup_block};

pub struct Palette {
    input: TextInput,
    selected: usize,
    commands: Vec<Info>,
}

/// A line of the suggestion list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What Tab puts into the input.
    pub completion: String,
    pub shown: String,
    pub help: String,
}

fn find<'a>(commands: &'a [Info], name: &str) -> Option<&'a Info> {
    commands.iter().find(|c| c.name == name)
}

/// Suggestions for what has been typed so far.
pub fn suggestions(commands: &[Info], ws: &Workspace, line: &str) -> Vec<Suggestion> {
    let trimmed = line.trim_start();
    match trimmed.split_once(' ') {
        None => {
            let word = trimmed;
            let mut out: Vec<(u8, Suggestion)> = commands
                .iter()
                .filter(|c| c.palette)
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
            let Some(c) = find(commands, name) else {
                return Vec::new();
            };
            let arg = arg.trim_start();
            let choices = (c.complete)(ws);
            if choices.is_empty() {
                return vec![Suggestion {
                    completion: line.to_string(),
                    shown: format!("{} {}", c.name, c.args),
                    help: c.help.to_string(),
                }];
            }
            choices
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
    pub fn new(commands: Vec<Info>, initial: &str, keys: &crate::tui::keymap::KeyMap) -> Palette {
        let mut input = TextInput::line(initial);
        input.set_focused(true);
        input.set_placeholder(&format!(
            "type a command — {} completes, {} runs",
            keys.hint(Action::PaletteComplete),
            keys.hint(Action::PaletteRun)
        ));
        Palette {
            input,
            selected: 0,
            commands,
        }
    }

    fn set(&mut self, text: &str) {
        self.input = TextInput::line(text);
        self.input.set_focused(true);
    }

    pub fn value(&self) -> String {
        self.input.value()
    }

    fn suggestions(&self, ws: &Workspace) -> Vec<Suggestion> {
        suggestions(&self.commands, ws, &self.value())
    }

    /// Tab: complete the common prefix, then cycle through the suggestions.
    fn complete(&mut self, ws: &Workspace) {
        let line = self.value();
        let sugg = self.suggestions(ws);
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

    /// Runs a complete line: the command it names, parsed; or an error for
    /// the status bar.
    fn run(&self, line: &str, cx: &Cx) -> EventResult {
        let line = line.trim().trim_start_matches(':').trim();
        let (name, arg) = match line.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (line, ""),
        };
        let cmd = match find(&self.commands, name) {
            Some(info) if info.palette => (info.parse)(arg).map_err(|e| {
                if info.args.is_empty() {
                    e
                } else {
                    format!("{e} — usage: {} {}", info.name, info.args)
                }
            }),
            _ => Err(format!(
                "Unknown command \"{}\" ({} lists them; {} shows help)",
                crate::text::sanitize(name),
                cx.hint(Action::PaletteComplete),
                cx.hint(Action::Help)
            )),
        };
        match cmd {
            Ok(c) => Reply::run(c),
            Err(e) => Reply::then(Cmd::Say(Level::Error, e)),
        }
    }
}

impl Layer for Palette {
    fn name(&self) -> &'static str {
        "palette"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Palette, key) {
            Some(Action::PaletteCancel) => Reply::close(),
            Some(Action::PaletteComplete) => {
                self.complete(cx.ws);
                Reply::stay()
            }
            Some(Action::PaletteNext) => {
                let n = self.suggestions(cx.ws).len();
                if n > 0 {
                    self.selected = (self.selected + 1) % n;
                }
                Reply::stay()
            }
            Some(Action::PalettePrev) => {
                let n = self.suggestions(cx.ws).len();
                if n > 0 {
                    self.selected = (self.selected + n - 1) % n;
                }
                Reply::stay()
            }
            Some(Action::PaletteRun) => {
                let line = self.value().trim().to_string();
                if line.is_empty() {
                    return Reply::close();
                }
                let name = line.split_whitespace().next().unwrap_or("");
                if find(&self.commands, name).is_some_and(|i| i.palette) {
                    return self.run(&line, cx);
                }
                // An unfinished name: take the highlighted suggestion.
                let sugg = self.suggestions(cx.ws);
                match sugg.get(self.selected.min(sugg.len().saturating_sub(1))) {
                    Some(s) if !s.completion.ends_with(' ') => self.run(&s.completion.clone(), cx),
                    Some(s) => {
                        let c = s.completion.clone();
                        self.set(&c);
                        Reply::stay()
                    }
                    None => self.run(&line, cx),
                }
            }
            _ => {
                if self.input.key(key, cx.keys) == Typed::Changed {
                    self.selected = 0;
                }
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
        let sugg = self.suggestions(cx.ws);
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
                // The help gets what room is left, and says when it is cut.
                let name = format!(" {:<34}", s.shown);
                let room = (list.width as usize)
                    .saturating_sub(crate::text::width(&name))
                    .saturating_sub(1);
                Line::from(vec![
                    Span::styled(name, style.patch(t.accent())),
                    Span::styled(
                        format!(" {}", crate::text::truncate(&s.help, room)),
                        if i == selected { style } else { t.dim() },
                    ),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
