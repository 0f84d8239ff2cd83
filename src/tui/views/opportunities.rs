//! The Opportunities view: ranked by score with filters and evidence, or
//! the roadmap board (Now / Next / Later) where cards move with keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::lists::list_lines;
use crate::model::score::{Score, linked_cells, opportunity_score};
use crate::model::{Horizon, Id, Opportunity};
use crate::text::{fit, sanitize};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::theme::Theme;

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

/// The cards of a board column, in rank order.
pub fn column_cards(app: &App, col: usize) -> Vec<&(Id, Score)> {
    app.board_cols[col.min(3)]
        .iter()
        .filter_map(|&i| app.opp_rows.get(i))
        .collect()
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if app.board.is_some() {
        board(app, f, area);
    } else {
        list(app, f, area);
    }
}

fn hints(app: &App) -> String {
    format!(
        " {} edit  {} add  {} filter  {} board  {}/{} horizon ",
        app.keymap.hint(Action::Open),
        app.keymap.hint(Action::Add),
        app.keymap.hint(Action::Filter),
        app.keymap.hint(Action::ToggleBoard),
        app.keymap.hint(Action::MoveLeft),
        app.keymap.hint(Action::MoveRight),
    )
}

fn list(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area);
    let filter = if app.opp_filter.is_empty() {
        String::new()
    } else {
        format!(" · filter: {}", sanitize(&app.opp_filter.text))
    };
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(
            format!(" Opportunities by score ({}){filter} ", app.opp_rows.len()),
            t.title(),
        ))
        .title_bottom(Span::styled(hints(app), t.dim()));
    let inner = block.inner(left);
    f.render_widget(block, left);
    if app.opp_rows.is_empty() {
        let msg = if app.ws.opportunities.is_empty() {
            "No opportunities yet. Capture a note with pains (!) and needs (+) and accept its suggestions, or press a to add one."
        } else {
            "No opportunity matches the filter."
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        let lines = list_lines(t, app.opp_rows.len(), app.opportunities, inner, |i| {
            let (id, s) = &app.opp_rows[i];
            let o = app.opp(id);
            let title = o.map_or(String::new(), |o| sanitize(&o.title));
            let ev = o.map_or(0, |o| o.evidence.len());
            let status = o.map_or("", |o| o.status.label());
            let flag = if ev == 0 { "⚠ no evidence" } else { "" };
            (
                format!("{:>5}  {title}", s.display()),
                format!("{status} · {ev} ev {flag}"),
            )
        });
        f.render_widget(Paragraph::new(lines), inner);
    }
    let selected = app
        .opp_rows
        .get(app.opportunities.selected)
        .and_then(|(id, _)| app.opp(id));
    detail(app, t, f, right, selected);
}

/// The detail of an opportunity: what it is, where it sits, and every piece
/// of evidence with its note.
fn detail(app: &App, t: &Theme, f: &mut Frame, area: Rect, o: Option<&Opportunity>) {
    let ws = &app.ws;
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(o) = o else { return };
    let score = opportunity_score(ws, o);
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
    let cells: Vec<String> = linked_cells(ws, o)
        .filter_map(|(p, a)| {
            let x = ws.perspective(p, a)?;
            let s = x.score()?;
            Some(format!(
                "{}{} {}·{}",
                Theme::heat_glyph(s),
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
                    e.quote.clone()
                };
                lines.push(Line::from(Span::styled(
                    format!("  {}", sanitize(&quote)),
                    t.text(),
                )));
                lines.push(Line::from(Span::styled(
                    format!(
                        "      — {}, {} · {}",
                        sanitize(&n.interviewee),
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

fn board(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let b = app.board.unwrap_or_default();
    let [cols_area, hint] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let cols = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(cols_area);
    for (ci, h) in COLUMNS.iter().enumerate() {
        let cards = column_cards(app, ci);
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
            let Some(o) = app.opp(id) else {
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
                " ←/→ column  ↑/↓ card  {}/{} move the card to another horizon  {} edit  {} back to the ranked list",
                app.keymap.hint(Action::MoveLeft),
                app.keymap.hint(Action::MoveRight),
                app.keymap.hint(Action::Open),
                app.keymap.hint(Action::ToggleBoard),
            ),
            t.dim(),
        )),
        hint,
    );
}
