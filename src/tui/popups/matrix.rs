//! The value / effort matrix: opportunities and solutions rated for value
//! and effort, in four quadrants (quick wins, big bets, fill-ins, money
//! pits; 3 or more is high). Arrows move within a quadrant and between
//! them; Enter opens the item.

use std::any::Any;
use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::model::Workspace;
use crate::model::validate::FileKey;
use crate::synthesis::matrix::{HIGH, Matrix, Placed, Quadrant};
use crate::text::{fit, sanitize};
use crate::tui::action::{Action, Context};
use crate::tui::command::Command;
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{centered, hints, popup_block};

pub struct MatrixView {
    pub matrix: Matrix,
    /// The quadrant and the item in it under the cursor.
    pub quadrant: Quadrant,
    row: usize,
}

impl MatrixView {
    pub fn new(ws: &Workspace) -> MatrixView {
        let matrix = Matrix::of(ws);
        // Start in the first quadrant that holds something.
        let quadrant = Quadrant::ALL
            .into_iter()
            .find(|q| !matrix.in_quadrant(*q).is_empty())
            .unwrap_or(Quadrant::QuickWins);
        MatrixView {
            matrix,
            quadrant,
            row: 0,
        }
    }

    /// The item under the cursor.
    pub fn selected(&self) -> Option<&Placed> {
        self.matrix
            .in_quadrant(self.quadrant)
            .get(self.row)
            .copied()
    }

    fn len(&self, q: Quadrant) -> usize {
        self.matrix.in_quadrant(q).len()
    }

    fn at(col: usize, row: usize) -> Quadrant {
        match (col, row) {
            (0, 0) => Quadrant::QuickWins,
            (1, 0) => Quadrant::BigBets,
            (0, _) => Quadrant::FillIns,
            _ => Quadrant::MoneyPits,
        }
    }

    fn go(&mut self, a: Action) {
        let (col, qrow) = self.quadrant.cell();
        let n = self.len(self.quadrant);
        match a {
            Action::BoardDown if self.row + 1 < n => self.row += 1,
            Action::BoardDown if qrow == 0 => {
                self.quadrant = Self::at(col, 1);
                self.row = 0;
            }
            Action::BoardUp if self.row > 0 => self.row -= 1,
            Action::BoardUp if qrow == 1 => {
                self.quadrant = Self::at(col, 0);
                self.row = self.len(self.quadrant).saturating_sub(1);
            }
            Action::BoardLeft | Action::BoardRight => {
                let to = if a == Action::BoardLeft { 0 } else { 1 };
                if to != col {
                    self.quadrant = Self::at(to, qrow);
                    self.row = self.row.min(self.len(self.quadrant).saturating_sub(1));
                }
            }
            Action::BoardTop => self.row = 0,
            Action::BoardBottom => self.row = n.saturating_sub(1),
            _ => {}
        }
    }
}

impl Layer for MatrixView {
    fn name(&self) -> &'static str {
        "matrix"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        match cx.action(Context::Boards, key) {
            Some(Action::BoardBack) => Reply::close(),
            Some(Action::BoardOpen) => match self.selected() {
                Some(p) => Reply::run(Command::Jump(p.item.clone())),
                None => Reply::stay(),
            },
            Some(a) => {
                self.go(a);
                Reply::stay()
            }
            None => Reply::stay(),
        }
    }

    fn changed(&mut self, cx: &Cx, files: &BTreeSet<FileKey>) {
        if files.iter().any(|f| {
            matches!(
                f,
                FileKey::Opportunity(_) | FileKey::Opportunities | FileKey::Item(..)
            )
        }) {
            let sel = self.selected().map(|p| p.item.clone());
            self.matrix = Matrix::of(cx.ws);
            if let Some(p) = sel.and_then(|s| self.matrix.placed.iter().find(|p| p.item == s)) {
                self.quadrant = p.quadrant;
                let q = self.quadrant;
                self.row = self
                    .matrix
                    .in_quadrant(q)
                    .iter()
                    .position(|x| x.item == p.item)
                    .unwrap_or(0);
            }
            self.row = self.row.min(self.len(self.quadrant).saturating_sub(1));
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let r = centered(area, 120, area.height);
        f.render_widget(Clear, r);
        let title = format!(
            " Value / effort · {HIGH} or more is high · {} placed, {} not rated ",
            self.matrix.placed.len(),
            self.matrix.unrated
        );
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let foot = if inner.height >= 10 { 3 } else { 0 };
        let [grid, detail, keys] = Layout::vertical([
            Constraint::Min(2),
            Constraint::Length(foot.min(1)),
            Constraint::Length(foot.saturating_sub(1)),
        ])
        .areas(inner);
        let rows = Layout::vertical([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).split(grid);
        for (ri, row) in rows.iter().enumerate() {
            let cols =
                Layout::horizontal([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)]).split(*row);
            for (ci, cell) in cols.iter().enumerate() {
                let q = Self::at(ci, ri);
                self.draw_quadrant(f, *cell, q, cx);
            }
        }
        if detail.height > 0 {
            let text = match self.selected() {
                Some(p) => format!(
                    "{} \"{}\" · value {} · effort {} · {} ({})",
                    p.kind,
                    p.title,
                    p.value,
                    p.effort,
                    p.quadrant.label(),
                    p.quadrant.rule()
                ),
                None => format!(
                    "value ↑ effort →: {HIGH} or more is high. Rate value and effort in an opportunity's or a solution's form"
                ),
            };
            f.render_widget(
                Paragraph::new(Span::styled(
                    fit(&sanitize(&text), detail.width as usize),
                    t.dim(),
                )),
                detail,
            );
        }
        if keys.height > 0 {
            f.render_widget(
                Paragraph::new(hints(
                    t,
                    cx.keys,
                    &[
                        (Action::BoardOpen, "open"),
                        (Action::BoardDown, "down"),
                        (Action::BoardRight, "right"),
                        (Action::BoardBack, "close"),
                    ],
                ))
                .wrap(Wrap { trim: true }),
                keys,
            );
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl MatrixView {
    fn draw_quadrant(&self, f: &mut Frame, area: Rect, q: Quadrant, cx: &Cx) {
        let t = cx.theme;
        let here = q == self.quadrant;
        let items = self.matrix.in_quadrant(q);
        let title = format!(" {} · {} ({}) ", q.label(), items.len(), q.rule());
        let block = Block::bordered()
            .border_style(if here { t.focus_border() } else { t.border() })
            .title(Span::styled(title, if here { t.title() } else { t.dim() }));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let h = inner.height as usize;
        if h == 0 {
            return;
        }
        let first = if here {
            self.row.saturating_sub(h.saturating_sub(1))
        } else {
            0
        };
        let lines: Vec<Line> = items
            .iter()
            .enumerate()
            .skip(first)
            .take(h)
            .map(|(i, p)| {
                let sel = here && i == self.row;
                let style = if sel { t.selected() } else { t.text() };
                let kind = if p.kind == "solution" { "◇" } else { "○" };
                let text = format!(
                    "{}{kind} v{} e{} {}",
                    if sel { "▸" } else { " " },
                    p.value,
                    p.effort,
                    sanitize(&p.title)
                );
                Line::from(Span::styled(fit(&text, w), style))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }
}
