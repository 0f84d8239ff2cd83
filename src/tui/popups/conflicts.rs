//! Settling merge conflicts: for each field two people changed differently
//! on two branches, keep this workspace's value or take the other branch's.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::model::settle;
use crate::text::{sanitize, truncate};
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cmd, Cx, EventResult, Layer, Reply};
use crate::tui::state::Level;
use crate::tui::widgets::{centered, hints, popup_block};

#[derive(Default)]
pub struct Conflicts {
    pub selected: usize,
}

impl Layer for Conflicts {
    fn name(&self) -> &'static str {
        "conflicts"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let ws = cx.ws;
        let n = ws.conflicts.len();
        if n == 0 {
            return Reply::close();
        }
        self.selected = self.selected.min(n - 1);
        let c = &ws.conflicts[self.selected];
        let settled = |label: String, edit| {
            Reply::keep(Cmd::Run(Command::Settled {
                label,
                edit: Box::new(edit),
            }))
        };
        match cx.action(Context::Conflicts, key) {
            Some(Action::ConflictClose) => Reply::close(),
            Some(Action::ConflictNext) => {
                self.selected = (self.selected + 1) % n;
                Reply::stay()
            }
            Some(Action::ConflictPrev) => {
                self.selected = (self.selected + n - 1) % n;
                Reply::stay()
            }
            Some(Action::ConflictKeepOurs) => settled(
                format!("keep this side's {}", c.field),
                settle::keep_ours(c),
            ),
            Some(Action::ConflictTakeTheirs) => match settle::take_theirs(ws, c) {
                Ok(edit) => settled(format!("take the other side's {}", c.field), edit),
                Err(e) => Reply::keep(Cmd::Say(Level::Error, format!("Cannot take theirs: {e}"))),
            },
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        self.render(cx, f, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Conflicts {
    fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        let (ws, t) = (cx.ws, cx.theme);
        let r = centered(
            area,
            100,
            (ws.conflicts.len() as u16 * 3 + 6).min(area.height),
        );
        f.render_widget(Clear, r);
        let title = format!(" Merge conflicts ({}) ", ws.conflicts.len());
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [list, hint] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
        let w = list.width as usize;
        let selected = self.selected.min(ws.conflicts.len().saturating_sub(1));
        let mut lines = Vec::new();
        for (i, c) in ws.conflicts.iter().enumerate() {
            let style = if i == selected {
                t.selected()
            } else {
                t.text()
            };
            lines.push(Line::from(Span::styled(
                truncate(
                    &sanitize(&format!(
                        "{} {}",
                        if i == selected { "▸" } else { " " },
                        ws.describe(&c.target.entity())
                    )),
                    w,
                ),
                style,
            )));
            lines.push(Line::from(vec![
                Span::styled(format!("    {}: ", sanitize(&c.field)), t.dim()),
                Span::styled(
                    truncate(&format!("here {}", sanitize(&c.ours)), w / 2),
                    t.accent(),
                ),
                Span::styled("  ·  ", t.dim()),
                Span::styled(
                    truncate(&format!("there {}", sanitize(&c.theirs)), w / 2),
                    t.warn(),
                ),
            ]));
        }
        let start = (selected * 2).saturating_sub(list.height.saturating_sub(2) as usize);
        f.render_widget(Paragraph::new(lines).scroll((start as u16, 0)), list);
        f.render_widget(
            Paragraph::new(vec![
                hints(
                    t,
                    cx.keys,
                    &[
                        (Action::ConflictKeepOurs, "keep this side"),
                        (Action::ConflictTakeTheirs, "take the other side"),
                        (Action::ConflictNext, "next"),
                        (Action::ConflictClose, "later"),
                    ],
                ),
                Line::from(Span::styled(
                    "Each choice is undoable. Save, then `git add` the files to finish the merge.",
                    t.dim(),
                )),
            ])
            .wrap(Wrap { trim: true }),
            hint,
        );
    }
}
