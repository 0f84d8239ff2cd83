//! A fuzzy picker: type to filter, ↑↓ to move, Enter to pick. In a
//! multi-picker Enter (or Space) toggles and Esc finishes. A picker is part
//! of the layer that opened it (a form, the capture screen, the suggestions),
//! which takes what it picked.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::fuzzy;
use crate::model::Id;
use crate::tui::action::{Action, Context};
use crate::tui::layer::Cx;
use crate::tui::widgets::input::{TextInput, Typed};
use crate::tui::widgets::{centered, hints, keys_line, popup_block};

/// What a key did to a picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// Still picking.
    Stay,
    /// Closed without a choice.
    Cancel,
    /// Closed with these ids.
    Done(Vec<Id>),
}

pub struct Picker {
    pub title: String,
    /// (id, label, detail)
    items: Vec<(Id, String, String)>,
    pub chosen: Vec<Id>,
    multi: bool,
    query: TextInput,
    cursor: usize,
}

impl Picker {
    pub fn new(
        title: impl Into<String>,
        items: Vec<(Id, String, String)>,
        chosen: Vec<Id>,
        multi: bool,
    ) -> Picker {
        let mut query = TextInput::line("");
        query.set_focused(true);
        query.set_placeholder("type to filter");
        Picker {
            title: title.into(),
            items,
            chosen,
            multi,
            query,
            cursor: 0,
        }
    }

    /// The items matching the query, best first.
    fn visible(&self) -> Vec<usize> {
        let labels: Vec<String> = self
            .items
            .iter()
            .map(|(_, l, d)| {
                if d.is_empty() {
                    l.clone()
                } else {
                    format!("{l} {d}")
                }
            })
            .collect();
        fuzzy::rank(&self.query.value(), &labels)
    }

    fn done(&self) -> Picked {
        Picked::Done(self.chosen.clone())
    }

    pub fn key(&mut self, key: &KeyEvent, cx: &Cx) -> Picked {
        let visible = self.visible();
        let action = cx.action(Context::Picker, key);
        match action {
            Some(Action::PickerDone) => {
                if self.multi {
                    self.done()
                } else {
                    Picked::Cancel
                }
            }
            Some(Action::PickerNext) => {
                if !visible.is_empty() {
                    self.cursor = (self.cursor + 1) % visible.len();
                }
                Picked::Stay
            }
            Some(Action::PickerPrev) => {
                if !visible.is_empty() {
                    self.cursor = (self.cursor + visible.len() - 1) % visible.len();
                }
                Picked::Stay
            }
            Some(Action::PickerPick) | Some(Action::PickerToggle)
                if self.multi || action == Some(Action::PickerPick) =>
            {
                let Some(&i) = visible.get(self.cursor.min(visible.len().saturating_sub(1))) else {
                    return if self.multi {
                        self.done()
                    } else {
                        Picked::Stay
                    };
                };
                let id = self.items[i].0.clone();
                if self.multi {
                    if let Some(pos) = self.chosen.iter().position(|c| *c == id) {
                        self.chosen.remove(pos);
                    } else {
                        self.chosen.push(id);
                    }
                    Picked::Stay
                } else {
                    self.chosen = vec![id];
                    self.done()
                }
            }
            _ => {
                if self.query.key(key, cx.keys) == Typed::Changed {
                    self.cursor = 0;
                }
                Picked::Stay
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.query.paste(text);
        self.cursor = 0;
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let visible = self.visible();
        let h = (visible.len() as u16).clamp(1, 14) + 5;
        let r = centered(area, 72, h);
        f.render_widget(Clear, r);
        let title = format!(" {} ", self.title);
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [q, list, hint] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let [prefix, input] =
            Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(q);
        f.render_widget(Paragraph::new(Span::styled("›", t.accent())), prefix);
        self.query.render(f, Rect { height: 1, ..input });
        let cursor = self.cursor.min(visible.len().saturating_sub(1));
        let start = cursor.saturating_sub(list.height.saturating_sub(1) as usize);
        let lines: Vec<Line> = if visible.is_empty() {
            vec![Line::from(Span::styled("nothing matches", t.dim()))]
        } else {
            visible
                .iter()
                .enumerate()
                .skip(start)
                .take(list.height as usize)
                .map(|(row, &i)| {
                    let (id, label, detail) = &self.items[i];
                    let pointer = if row == cursor { "▸" } else { " " };
                    let mark = if self.multi {
                        if self.chosen.contains(id) {
                            format!("{pointer}[x] ")
                        } else {
                            format!("{pointer}[ ] ")
                        }
                    } else if self.chosen.contains(id) {
                        format!("{pointer}• ")
                    } else {
                        format!("{pointer}  ")
                    };
                    let style = if row == cursor {
                        t.selected()
                    } else {
                        t.text()
                    };
                    Line::from(vec![
                        Span::styled(mark, style),
                        Span::styled(crate::text::sanitize(label), style),
                        Span::styled(
                            if detail.is_empty() {
                                String::new()
                            } else {
                                format!("  {}", crate::text::sanitize(detail))
                            },
                            if row == cursor { style } else { t.dim() },
                        ),
                    ])
                })
                .collect()
        };
        f.render_widget(Paragraph::new(lines), list);
        let keys = if self.multi {
            keys_line(
                t,
                &[
                    (
                        format!(
                            "{}/{}",
                            cx.hint(Action::PickerPick),
                            cx.hint(Action::PickerToggle)
                        ),
                        "toggle",
                    ),
                    (cx.hint(Action::PickerDone), "done"),
                ],
            )
        } else {
            hints(
                t,
                cx.keys,
                &[(Action::PickerPick, "pick"), (Action::PickerDone, "cancel")],
            )
        };
        f.render_widget(Paragraph::new(keys), hint);
    }
}
