//! The Opportunities view: ranked by score, reach (people heard) or
//! recency, with filters and evidence, or
//! the roadmap board (Now / Next / Later) where cards move with keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use std::collections::BTreeSet;

use crate::model::coverage::Stats;
use crate::model::score::{Rank, Score, linked_cells, opportunity_score_by, reach};
use crate::model::validate::FileKey;
use crate::model::{Horizon, Id, Opportunity, Workspace};
use crate::search::filter::OppFilter;
use crate::text::{fit, sanitize};
use crate::tui::action::Action;
use crate::tui::layer::Cx;
use crate::tui::state::{Board, ListState};
use crate::tui::widgets::lists::list_lines;

/// The Opportunities view's state: the filter, the ranked rows it lets
/// through, the cursor, and the roadmap board when it is shown.
#[derive(Default)]
pub struct OppsView {
    pub list: ListState,
    pub filter: OppFilter,
    /// The opportunities listed, ranked, filtered.
    pub rows: Vec<(Id, Score)>,
    /// The roadmap board, when it is shown instead of the ranked list.
    pub board: Option<Board>,
    /// What the list is ranked by.
    pub rank: Rank,
    /// The board's columns (Now, Next, Later, unplanned): positions in
    /// `rows`, in rank order.
    cols: [Vec<usize>; 4],
    /// The interview ratings the rows were ranked with.
    cells: crate::model::ratings::ByCell,
}

impl OppsView {
    /// The interview ratings the rows were ranked with.
    pub fn cells(&self) -> &crate::model::ratings::ByCell {
        &self.cells
    }

    /// Every opportunity ranked by score with [`OppsView::cells`], when
    /// that is what the list holds.
    pub fn ranked_by_score(&self, ws: &Workspace) -> Option<&[(Id, Score)]> {
        (self.rank == Rank::Score && self.rows.len() == ws.opportunities.len())
            .then_some(self.rows.as_slice())
    }

    /// An opportunity by id, without a scan of the list.
    pub fn opp<'a>(&self, ws: &'a Workspace, id: &Id) -> Option<&'a Opportunity> {
        ws.opportunity(id)
    }

    /// The opportunity under the cursor (list or board).
    pub fn selected(&self) -> Option<&Id> {
        match self.board {
            Some(b) => self.column_cards(b.col).get(b.row).map(|(id, _)| id),
            None => super::id_at(&self.rows, self.list, |(id, _)| id),
        }
    }

    /// Brings the rows up to date when opportunities or the map changed
    /// (scores follow the perspectives). The cursor stays on its card. A
    /// few opportunities changed move their own rows; anything more ranks
    /// the list again.
    pub fn refresh(&mut self, ws: &Workspace, stats: &Stats, files: Option<&BTreeSet<FileKey>>) {
        let Some(files) = files else {
            return self.rank_all(ws, stats);
        };
        if files
            .iter()
            .any(|k| matches!(k, FileKey::Opportunities | FileKey::Workspace))
        {
            return self.rank_all(ws, stats);
        }
        // Ratings in notes move the scores of the cells they rate.
        if files.iter().any(|k| match k {
            FileKey::Note(id) => {
                self.cells.rates(id)
                    || ws
                        .notes
                        .get(id)
                        .is_some_and(|n| crate::model::ratings::has_rating(n))
            }
            _ => false,
        }) {
            return self.rank_all(ws, stats);
        }
        // Reach and recency follow the notes, and rank by more than the
        // score: rank again when anything they use changed.
        if self.rank != Rank::Score {
            if files
                .iter()
                .any(|k| matches!(k, FileKey::Opportunity(_) | FileKey::Note(_)))
            {
                self.rank_all(ws, stats);
            }
            return;
        }
        let changed: Vec<&Id> = files
            .iter()
            .filter_map(|k| match k {
                FileKey::Opportunity(id) => Some(id),
                _ => None,
            })
            .collect();
        if changed.is_empty() {
            return;
        }
        if changed.len() > 64 {
            return self.rank_all(ws, stats);
        }
        let sel = self.rows.get(self.list.selected).map(|(id, _)| id.clone());
        self.rows.retain(|(id, _)| !changed.contains(&id));
        for id in changed {
            let Some(o) = ws.opportunity(id) else {
                continue;
            };
            if !self.filter.matches(ws, o) {
                continue;
            }
            let score = opportunity_score_by(ws, o, &self.cells);
            let key = |o: &Opportunity, s: Score| (-s.rank_value(), o.title.clone(), o.id.clone());
            let want = key(o, score);
            let at = self.rows.partition_point(|(x, s)| {
                ws.opportunity(x).is_some_and(|xo| {
                    let k = key(xo, *s);
                    k.0.total_cmp(&want.0)
                        .then_with(|| k.1.cmp(&want.1))
                        .then_with(|| k.2.cmp(&want.2))
                        .is_lt()
                })
            });
            self.rows.insert(at, (id.clone(), score));
        }
        self.after_rows(ws, sel);
    }

    /// Ranks every opportunity again, with the cells' interview ratings
    /// as `stats` keeps them (while the workspace loads, they count the
    /// notes read so far, ahead of those in `ws`).
    fn rank_all(&mut self, ws: &Workspace, stats: &Stats) {
        self.cells = stats.by_cell();
        self.rank_rows(ws);
    }

    /// Ranks every opportunity again with the cells' ratings as they are
    /// (nothing they follow changed: only the filter).
    fn rank_rows(&mut self, ws: &Workspace) {
        let sel = self.rows.get(self.list.selected).map(|(id, _)| id.clone());
        self.rows = crate::model::score::ranked_by_with(ws, self.rank, &self.cells)
            .into_iter()
            .filter(|(o, _)| self.filter.matches(ws, o))
            .map(|(o, s)| (o.id.clone(), s))
            .collect();
        self.after_rows(ws, sel);
    }

    /// The board's columns and the cursor, after the rows changed.
    fn after_rows(&mut self, ws: &Workspace, sel: Option<Id>) {
        let mut cols: [Vec<usize>; 4] = Default::default();
        for (i, (id, _)) in self.rows.iter().enumerate() {
            let col = match ws.opportunity(id).and_then(|o| o.horizon) {
                Some(Horizon::Now) => 0,
                Some(Horizon::Next) => 1,
                Some(Horizon::Later) => 2,
                None => 3,
            };
            cols[col].push(i);
        }
        self.cols = cols;
        if let Some(i) = sel.and_then(|id| self.rows.iter().position(|(x, _)| *x == id)) {
            self.list.selected = i;
        }
        self.list.clamp(self.rows.len());
    }

    /// Selects an opportunity in the ranked list, clearing a filter that
    /// hides it.
    pub fn show(&mut self, ws: &Workspace, id: &Id) {
        self.board = None;
        if !self.rows.iter().any(|(x, _)| x == id) {
            self.filter = Default::default();
            self.rank_rows(ws);
        }
        if let Some(i) = self.rows.iter().position(|(x, _)| x == id) {
            self.list.selected = i;
        }
    }

    /// Puts the board cursor on a card.
    pub fn select_card(&mut self, col: usize, id: &Id) {
        let row = self
            .column_cards(col)
            .iter()
            .position(|(x, _)| x == id)
            .unwrap_or(0);
        self.board = Some(Board { col, row });
    }

    /// The cards of a board column, in rank order.
    pub fn column_cards(&self, col: usize) -> Vec<&(Id, Score)> {
        self.cols[col.min(3)]
            .iter()
            .filter_map(|&i| self.rows.get(i))
            .collect()
    }

    /// Cursor keys on the board. Returns whether the action was a move.
    pub fn board_move(&mut self, a: Action) -> bool {
        let Some(mut b) = self.board else {
            return false;
        };
        match a {
            Action::Left => b.col = b.col.saturating_sub(1),
            Action::Right => b.col = (b.col + 1).min(3),
            Action::Up => b.row = b.row.saturating_sub(1),
            Action::Down => b.row += 1,
            Action::Top => b.row = 0,
            Action::Bottom => b.row = usize::MAX,
            _ => return false,
        }
        let n = self.column_cards(b.col).len();
        b.row = b.row.min(n.saturating_sub(1));
        self.board = Some(b);
        true
    }

    pub fn render(&self, cx: &Cx, f: &mut Frame, area: Rect) {
        if self.board.is_some() {
            board(self, cx, f, area);
        } else {
            list(self, cx, f, area);
        }
    }
}

/// The board's columns: the three horizons, then the unplanned.
pub const COLUMNS: [Option<Horizon>; 4] = [
    Some(Horizon::Now),
    Some(Horizon::Next),
    Some(Horizon::Later),
    None,
];

pub fn column_title(h: Option<Horizon>) -> &'static str {
    match h {
        Some(Horizon::Now) => "Now",
        Some(Horizon::Next) => "Next",
        Some(Horizon::Later) => "Later",
        None => "Unplanned",
    }
}

/// "1 person", "3 people".
fn people(n: usize) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}

/// The list's key hints, as many as fit a box `width` columns wide.
fn hints(cx: &Cx, width: u16) -> String {
    crate::tui::widgets::border_hints(
        &[
            format!("{} edit", cx.hint(Action::Open)),
            format!("{} add", cx.hint(Action::Add)),
            format!("{} filter", cx.hint(Action::Filter)),
            format!("{} sort", cx.hint(Action::Sort)),
            format!("{} board", cx.hint(Action::ToggleBoard)),
            format!(
                "{}/{} horizon",
                cx.hint(Action::MoveLeft),
                cx.hint(Action::MoveRight)
            ),
        ],
        width,
    )
}

fn list(v: &OppsView, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area);
    let filter = if v.filter.is_empty() {
        String::new()
    } else {
        format!(" · filter: {}", sanitize(&v.filter.text))
    };
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(
            format!(
                " Opportunities by {} ({}){filter} ",
                v.rank.label(),
                v.rows.len()
            ),
            t.title(),
        ))
        .title_bottom(Span::styled(hints(cx, left.width), t.dim()));
    let inner = block.inner(left);
    f.render_widget(block, left);
    if v.rows.is_empty() {
        let msg = if cx.ws.opportunities.is_empty() {
            format!(
                "No opportunities yet. Capture a note with pains (!) and needs (+) and accept its suggestions, or press {} to add one.",
                cx.hint(Action::Add)
            )
        } else {
            "No opportunity matches the filter.".to_string()
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        let lines = list_lines(t, v.rows.len(), v.list, inner, |i| {
            let (id, s) = &v.rows[i];
            let o = v.opp(cx.ws, id);
            let title = o.map_or(String::new(), |o| sanitize(&o.title));
            let ev = o.map_or(0, |o| o.evidence.len());
            let status = o.map_or("", |o| o.status.label());
            let flag = if ev == 0 { "⚠ no evidence" } else { "" };
            let r = o.map(|o| reach(cx.ws, o)).unwrap_or_default();
            let heard = match (v.rank, r.last_heard) {
                (Rank::Recency, Some(d)) => format!(" · {d}"),
                (Rank::Recency, None) => " · never heard".to_string(),
                _ => format!(" · {}", people(r.interviewees)),
            };
            (
                format!("{:>5}  {title}", s.display()),
                format!("{status}{heard} · {ev} ev {flag}"),
            )
        });
        f.render_widget(Paragraph::new(lines), inner);
    }
    let selected = v
        .rows
        .get(v.list.selected)
        .and_then(|(id, _)| v.opp(cx.ws, id));
    detail(cx, f, right, selected);
}

/// The detail of an opportunity: what it is, where it sits, and every piece
/// of evidence with its note.
fn detail(cx: &Cx, f: &mut Frame, area: Rect, o: Option<&Opportunity>) {
    let (ws, t) = (cx.ws, cx.theme);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(o) = o else { return };
    let score = opportunity_score_by(ws, o, cx.stats);
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&o.title), t.title())),
        Line::from(vec![
            Span::styled(
                format!(
                    "{} · {} · {}",
                    o.kind.label(),
                    o.status.label(),
                    o.horizon.map_or("no horizon", |h| h.label())
                ),
                t.accent(),
            ),
            Span::styled(
                match score {
                    Score::Manual(_) => format!(" · score {} (manual)", score.display()),
                    Score::Outcome(_) => {
                        format!(" · score {} from the linked perspectives", score.display())
                    }
                    Score::Unscored => {
                        " · unscored: link rated activities and personas".to_string()
                    }
                },
                t.dim(),
            ),
        ]),
    ];
    if !o.description.is_empty() {
        lines.push(Line::from(""));
        for l in o.description.lines() {
            lines.push(Line::from(sanitize(l)));
        }
    }
    lines.push(Line::from(""));
    let acts: Vec<String> = o
        .activities
        .iter()
        .map(|a| {
            ws.activity(a)
                .map_or(format!("{a}?"), |a| sanitize(&a.name))
        })
        .collect();
    let personas: Vec<String> = if o.personas.is_empty() {
        vec!["every persona".into()]
    } else {
        o.personas
            .iter()
            .map(|p| ws.persona(p).map_or(format!("{p}?"), |p| sanitize(&p.name)))
            .collect()
    };
    lines.push(Line::from(vec![
        Span::styled("Activities: ", t.dim()),
        Span::raw(if acts.is_empty() {
            "none".to_string()
        } else {
            acts.join(", ")
        }),
    ]));
    lines.push(Line::from(vec![
        Span::styled("Personas: ", t.dim()),
        Span::raw(personas.join(", ")),
    ]));
    let r = reach(ws, o);
    let heard = if r.notes == 0 {
        "nobody yet".to_string()
    } else {
        let who: Vec<String> = r
            .personas
            .iter()
            .filter_map(|p| ws.persona(p).map(|p| sanitize(&p.name)))
            .collect();
        let mut h = format!(
            "{} in {}",
            people(r.interviewees),
            crate::text::count(r.notes, "note")
        );
        if !who.is_empty() {
            h.push_str(&format!(" ({})", who.join(", ")));
        }
        if let Some(d) = r.last_heard {
            h.push_str(&format!(", last on {d}"));
        }
        h
    };
    lines.push(Line::from(vec![
        Span::styled("Heard from: ", t.dim()),
        Span::raw(heard),
    ]));
    let cells: Vec<String> = linked_cells(ws, o)
        .filter_map(|(p, a)| {
            let x = ws.perspective(p, a)?;
            let s = x.score()?;
            Some(format!(
                "{}{} {}·{}",
                crate::tui::theme::Theme::heat_glyph(s),
                s,
                ws.persona(p)?.name,
                ws.activity(a)?.name
            ))
        })
        .collect();
    if !cells.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Cells: ", t.dim()),
            Span::raw(sanitize(&cells.join("  "))),
        ]));
    }
    let metrics: Vec<String> = ws
        .metrics
        .iter()
        .filter(|m| m.opportunity.as_ref() == Some(&o.id))
        .map(|m| sanitize(&m.name))
        .collect();
    if !metrics.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Validated by: ", t.dim()),
            Span::raw(metrics.join(", ")),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!("Evidence ({})", o.evidence.len()),
        t.title(),
    )));
    if o.evidence.is_empty() {
        lines.push(Line::from(Span::styled(
            "  ⚠ no evidence yet: a hunch until someone says it in an interview",
            t.warn(),
        )));
    }
    for e in &o.evidence {
        match ws.notes.get(&e.note) {
            Some(n) => {
                let quote = if e.quote.is_empty() {
                    format!("“{}” (whole note)", n.title)
                } else {
                    format!("“{}”", crate::capture::quote_text(&e.quote))
                };
                lines.push(Line::from(Span::styled(
                    format!("  {}", sanitize(&quote)),
                    t.text(),
                )));
                // Who said it (when the note names someone), when, where.
                let who = match n.interviewee.trim() {
                    "" => String::new(),
                    w => format!("{}, ", sanitize(w)),
                };
                lines.push(Line::from(Span::styled(
                    format!(
                        "      — {who}{} · {}",
                        n.date.format("%Y-%m-%d"),
                        sanitize(&n.title)
                    ),
                    t.dim(),
                )));
            }
            None => lines.push(Line::from(Span::styled(
                format!("  note {} is missing", e.note),
                t.error(),
            ))),
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn board(v: &OppsView, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let b = v.board.unwrap_or_default();
    let [cols_area, hint] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let cols = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(cols_area);
    for (ci, h) in COLUMNS.iter().enumerate() {
        let cards = v.column_cards(ci);
        let focused = ci == b.col;
        let block = Block::bordered()
            .border_style(if focused {
                t.focus_border()
            } else {
                t.border()
            })
            .title(Span::styled(
                format!(" {} ({}) ", column_title(*h), cards.len()),
                t.title(),
            ));
        let inner = block.inner(cols[ci]);
        f.render_widget(block, cols[ci]);
        let w = inner.width as usize;
        let per = 3usize;
        let visible = (inner.height as usize / per).max(1);
        let row = b.row.min(cards.len().saturating_sub(1));
        let first = if focused {
            row.saturating_sub(visible - 1)
        } else {
            0
        };
        let mut lines = Vec::new();
        for (i, (id, s)) in cards.iter().enumerate().skip(first).take(visible) {
            let Some(o) = v.opp(cx.ws, id) else {
                continue;
            };
            let sel = focused && i == row;
            let style = if sel { t.selected() } else { t.text() };
            lines.push(Line::from(Span::styled(
                fit(&format!("{:>4} {}", s.display(), sanitize(&o.title)), w),
                style,
            )));
            let ev = if o.evidence.is_empty() {
                "⚠ no evidence".to_string()
            } else {
                format!("{} evidence", o.evidence.len())
            };
            lines.push(Line::from(Span::styled(
                fit(
                    &format!("     {} · {} · {ev}", o.kind.label(), o.status.label()),
                    w,
                ),
                if sel { style } else { t.dim() },
            )));
            lines.push(Line::from(""));
        }
        if cards.is_empty() {
            lines.push(Line::from(Span::styled("empty", t.dim())));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
    f.render_widget(
        Paragraph::new(Span::styled(
            format!(
                " {}/{} column  {}/{} card  {}/{} move the card to another horizon  {} edit  {} back to the ranked list",
                cx.hint(Action::Left),
                cx.hint(Action::Right),
                cx.hint(Action::Up),
                cx.hint(Action::Down),
                cx.hint(Action::MoveLeft),
                cx.hint(Action::MoveRight),
                cx.hint(Action::Open),
                cx.hint(Action::ToggleBoard),
            ),
            t.dim(),
        )),
        hint,
    );
}
