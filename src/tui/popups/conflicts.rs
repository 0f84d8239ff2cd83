//! Settling merge conflicts: for each field two people changed differently
//! on two branches, keep this workspace's value or take the other branch's.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Effect, Outcome, centered, keys_line, popup_block};
use crate::model::Workspace;
use crate::model::settle;
use crate::text::{sanitize, truncate};
use crate::tui::theme::Theme;

#[derive(Default)]
pub struct Conflicts {
    pub selected: usize,
}

impl Conflicts {
    pub fn handle_key(&mut self, key: KeyEvent, ws: &Workspace) -> Outcome {
        let n = ws.conflicts.len();
        if n == 0 {
            return Outcome::Close;
        }
        self.selected = self.selected.min(n - 1);
        let c = &ws.conflicts[self.selected];
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => Outcome::Close,
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1) % n;
                Outcome::Stay
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = (self.selected + n - 1) % n;
                Outcome::Stay
            }
            KeyCode::Char('o') => Outcome::Keep(Effect::Settled {
                label: format!("keep this side's {}", c.field),
                edit: settle::keep_ours(c),
            }),
            KeyCode::Char('t') => match settle::take_theirs(ws, c) {
                Ok(edit) => Outcome::Keep(Effect::Settled {
                    label: format!("take the other side's {}", c.field),
                    edit,
                }),
                Err(e) => Outcome::Keep(Effect::Message(format!("Cannot take theirs: {e}"))),
            },
            _ => Outcome::Stay,
        }
    }

    pub fn render(&self, ws: &Workspace, t: &Theme, f: &mut Frame, area: Rect) {
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
                keys_line(
                    t,
                    &[
                        ("o", "keep this side"),
                        ("t", "take the other side"),
                        ("↑↓", "choose"),
                        ("Esc", "later"),
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
