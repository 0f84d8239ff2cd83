//! The parts of the selection as a list to work on: an opportunity's
//! evidence, a note's lines, a metric's observations. Each list says which
//! item actions it offers (open, remove, move, attach, edit, new); the rows
//! are read again from the workspace after every change.

use std::any::Any;
use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::model::Workspace;
use crate::model::validate::FileKey;
use crate::text::{fit, sanitize};
use crate::tui::action::{Action, Context};
use crate::tui::layer::{Cx, EventResult, Layer, Reply};
use crate::tui::widgets::{centered, hints, popup_block};

/// One row: the item, and a line of detail under it.
pub type Row = (String, String);

/// What an item action does to the item at an index.
pub type Run = Box<dyn Fn(usize, &Cx) -> EventResult>;

/// How the rows are read from the workspace.
type Rows = Box<dyn Fn(&Workspace) -> Vec<Row>>;

pub struct Items {
    title: String,
    rows: Rows,
    shown: Vec<Row>,
    cursor: usize,
    actions: Vec<(Action, &'static str, Run)>,
    /// What an empty list says.
    empty: &'static str,
}

impl Items {
    pub fn new(
        title: impl Into<String>,
        ws: &Workspace,
        rows: impl Fn(&Workspace) -> Vec<Row> + 'static,
        empty: &'static str,
    ) -> Items {
        let shown = rows(ws);
        Items {
            title: title.into(),
            rows: Box::new(rows),
            shown,
            cursor: 0,
            actions: Vec::new(),
            empty,
        }
    }

    /// Offers an item action on its key.
    pub fn on(mut self, action: Action, label: &'static str, run: Run) -> Items {
        self.actions.push((action, label, run));
        self
    }
}

impl Layer for Items {
    fn name(&self) -> &'static str {
        "items"
    }

    fn key(&mut self, key: &KeyEvent, cx: &Cx) -> EventResult {
        let n = self.shown.len();
        match cx.action(Context::Items, key) {
            Some(Action::ItemsClose) => Reply::close(),
            Some(Action::ItemsNext) => {
                if n > 0 {
                    self.cursor = (self.cursor + 1) % n;
                }
                Reply::stay()
            }
            Some(Action::ItemsPrev) => {
                if n > 0 {
                    self.cursor = (self.cursor + n - 1) % n;
                }
                Reply::stay()
            }
            Some(a) if n > 0 => match self.actions.iter().find(|(x, _, _)| *x == a) {
                Some((_, _, run)) => run(self.cursor.min(n - 1), cx),
                None => Reply::stay(),
            },
            _ => Reply::stay(),
        }
    }

    fn changed(&mut self, cx: &Cx, _files: &BTreeSet<FileKey>) {
        self.shown = (self.rows)(cx.ws);
        self.cursor = self.cursor.min(self.shown.len().saturating_sub(1));
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Cx) {
        let t = cx.theme;
        let h = (self.shown.len() as u16 * 2).clamp(1, 24) + 4;
        let r = centered(area, 96, h);
        f.render_widget(Clear, r);
        let title = format!(" {} ", self.title);
        let block = popup_block(t, &title);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [list, keys] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
        let w = list.width as usize;
        let lines: Vec<Line> = if self.shown.is_empty() {
            vec![Line::from(Span::styled(self.empty, t.dim()))]
        } else {
            let per = 2usize;
            let visible = (list.height as usize / per).max(1);
            let first = self.cursor.saturating_sub(visible - 1);
            self.shown
                .iter()
                .enumerate()
                .skip(first)
                .take(visible)
                .flat_map(|(i, (item, detail))| {
                    let sel = i == self.cursor;
                    let style = if sel { t.selected() } else { t.text() };
                    [
                        Line::from(Span::styled(
                            fit(
                                &format!("{} {}", if sel { "▸" } else { " " }, sanitize(item)),
                                w,
                            ),
                            style,
                        )),
                        Line::from(Span::styled(
                            fit(&format!("    {}", sanitize(detail)), w),
                            t.dim(),
                        )),
                    ]
                })
                .collect()
        };
        f.render_widget(Paragraph::new(lines), list);
        let mut items: Vec<(Action, &str)> = self
            .actions
            .iter()
            .map(|(a, label, _)| (*a, *label))
            .collect();
        items.push((Action::ItemsNext, "next"));
        items.push((Action::ItemsClose, "close"));
        f.render_widget(
            Paragraph::new(hints(t, cx.keys, &items)).wrap(ratatui::widgets::Wrap { trim: true }),
            keys,
        );
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
