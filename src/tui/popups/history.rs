//! An entity's history from git (`:history`): every commit that changed
//! what matters about it, oldest first, and what is not committed yet.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::githistory::{RowKind, Timeline, row_changes, row_heading};
use crate::text::sanitize;
use crate::tui::action::{Action, Context};
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{centered, hints, popup_block};

pub struct History {
    pub timeline: Timeline,
    /// The first line shown.
    pub scroll: usize,
}

impl History {
    pub fn new(timeline: Timeline) -> History {
        History {
            timeline,
            scroll: 0,
        }
    }

    fn lines(&self, cx: &Cx) -> Vec<Line<'static>> {
        let t = cx.theme;
        let mut lines = Vec::new();
        if self.timeline.rows.is_empty() {
            lines.push(Line::from(Span::styled(
                "No commit changed it yet.",
                t.dim(),
            )));
        }
        for r in &self.timeline.rows {
            let style = if r.commit.is_none() {
                t.warn()
            } else {
                t.accent()
            };
            lines.push(Line::from(Span::styled(sanitize(&row_heading(r)), style)));
            let body_style = match r.kind {
                RowKind::Removed => t.warn(),
                _ => t.text(),
            };
            lines.push(Line::from(Span::styled(
                format!("    {}", sanitize(&row_changes(r))),
                body_style,
            )));
        }
        for u in &self.timeline.unreadable {
            lines.push(Line::from(Span::styled(
                format!("A version could not be read: {}", sanitize(u)),
                t.warn(),
            )));
        }
        if let Some(n) = &self.timeline.horizon {
            lines.push(Line::from(Span::styled(sanitize(n), t.dim())));
        }
        lines
    }
}

impl Layer for History {
    fn name(&self) -> &'static str {
        "history"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::History, key) {
            Some(Action::HistoryClose) => Reply::close(),
            Some(Action::HistoryDown) => {
                self.scroll += 1;
                Reply::stay()
            }
            Some(Action::HistoryUp) => {
                self.scroll = self.scroll.saturating_sub(1);
                Reply::stay()
            }
            _ => Reply::stay(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let lines = self.lines(cx);
        let r = centered(area, 100, (lines.len() as u16 + 5).min(area.height));
        f.render_widget(Clear, r);
        let title = format!(" History of {} ", sanitize(&self.timeline.title));
        let title = crate::text::truncate(&title, r.width.saturating_sub(4) as usize);
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [list, hint] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let max = lines.len().saturating_sub(list.height as usize);
        let scroll = self.scroll.min(max);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((scroll as u16, 0)),
            list,
        );
        f.render_widget(
            Paragraph::new(hints(
                t,
                cx.keys,
                &[
                    (Action::HistoryDown, "down"),
                    (Action::HistoryUp, "up"),
                    (Action::HistoryClose, "close"),
                ],
            )),
            hint,
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
