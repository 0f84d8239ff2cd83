//! List-and-detail views: notes, opportunities and metrics, and the list
//! helper the persona view shares.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::model::score;
use crate::text::{fit, sanitize, width};
use crate::tui::app::{App, ListState};
use crate::tui::theme::Theme;

/// The first visible row for a selection in a window of `h` rows.
pub fn window(state: ListState, h: usize, len: usize) -> usize {
    let h = h.max(1);
    let mut first = state.offset.min(len.saturating_sub(h));
    if state.selected < first {
        first = state.selected;
    } else if state.selected >= first + h {
        first = state.selected + 1 - h;
    }
    first
}

/// Lines of a list: a label on the left, a note on the right, the selection
/// reversed; only the visible rows are built.
pub fn list_lines(
    t: &Theme,
    items: &[(String, String)],
    state: ListState,
    area: Rect,
) -> Vec<Line<'static>> {
    let h = area.height as usize;
    let w = area.width as usize;
    let first = window(state, h, items.len());
    items
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, (label, note))| {
            let note_w = width(note).min(w / 2);
            let label_w = w.saturating_sub(note_w + 1);
            let style = if i == state.selected {
                t.selected()
            } else {
                t.text()
            };
            Line::from(vec![
                Span::styled(fit(label, label_w), style),
                Span::styled(" ", style),
                Span::styled(
                    fit(note, note_w),
                    if i == state.selected { style } else { t.dim() },
                ),
            ])
        })
        .collect()
}

fn split(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area)
}

fn list_panel(
    t: &Theme,
    f: &mut Frame,
    area: Rect,
    title: String,
    items: &[(String, String)],
    state: ListState,
    empty: &str,
) {
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if items.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(empty.to_string(), t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        f.render_widget(Paragraph::new(list_lines(t, items, state, inner)), inner);
    }
}

fn detail_panel(t: &Theme, f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Notes, newest first.
pub fn sorted_notes(app: &App) -> Vec<&crate::model::Note> {
    let mut v: Vec<_> = app.ws.notes.values().collect();
    v.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    v
}

pub fn notes(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [left, right] = split(area);
    let notes = sorted_notes(app);
    let items: Vec<(String, String)> = notes
        .iter()
        .map(|n| {
            (
                format!("{} {}", n.date, sanitize(&n.title)),
                sanitize(&n.interviewee),
            )
        })
        .collect();
    list_panel(
        t,
        f,
        left,
        format!(" Notes ({}) ", items.len()),
        &items,
        app.notes,
        "No interview notes yet.",
    );
    let Some(n) = notes.get(app.notes.selected) else {
        return;
    };
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&n.title), t.title())),
        Line::from(Span::styled(
            format!(
                "{} · {} · {}",
                n.date,
                sanitize(&n.interviewee),
                n.persona
                    .as_ref()
                    .and_then(|p| app.ws.persona(p))
                    .map_or("no persona".to_string(), |p| sanitize(&p.name))
            ),
            t.dim(),
        )),
        Line::from(""),
    ];
    for l in n.body.lines().skip(1) {
        lines.push(Line::from(sanitize(l)));
    }
    detail_panel(t, f, right, lines);
}

pub fn opportunities(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [left, right] = split(area);
    let ranked = score::ranked(&app.ws);
    let items: Vec<(String, String)> = ranked
        .iter()
        .map(|(o, s)| {
            (
                format!("{:>4}  {}", s.display(), sanitize(&o.title)),
                format!(
                    "{} · {}{}",
                    o.status.label(),
                    o.evidence.len(),
                    if o.evidence.is_empty() {
                        " ⚠ no evidence"
                    } else {
                        " evidence"
                    }
                ),
            )
        })
        .collect();
    list_panel(
        t,
        f,
        left,
        format!(" Opportunities ({}) ", items.len()),
        &items,
        app.opportunities,
        "No opportunities yet.",
    );
    let Some((o, s)) = ranked.get(app.opportunities.selected) else {
        return;
    };
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&o.title), t.title())),
        Line::from(Span::styled(
            format!(
                "{} · {} · {} · score {}",
                o.kind.label(),
                o.status.label(),
                o.horizon.map_or("no horizon", |h| h.label()),
                s.display()
            ),
            t.dim(),
        )),
        Line::from(""),
    ];
    if !o.description.is_empty() {
        lines.push(Line::from(sanitize(&o.description)));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled("Evidence", t.title())));
    for e in &o.evidence {
        let note = app.ws.notes.get(&e.note);
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "  {} ",
                    note.map_or("missing note".to_string(), |n| format!(
                        "{} {}",
                        n.date,
                        sanitize(&n.interviewee)
                    ))
                ),
                t.dim(),
            ),
            Span::raw(sanitize(&e.quote)),
        ]));
    }
    if o.evidence.is_empty() {
        lines.push(Line::from(Span::styled("  ⚠ no evidence yet", t.warn())));
    }
    detail_panel(t, f, right, lines);
}

pub fn metrics(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [left, right] = split(area);
    let items: Vec<(String, String)> = app
        .ws
        .metrics
        .iter()
        .map(|m| {
            let latest = m.latest().map_or("–".to_string(), |o| {
                format!("{}{}", o.value, sanitize(&m.unit))
            });
            let verdict = match m.on_track() {
                Some(true) => "on track",
                Some(false) => "off track",
                None => "",
            };
            (sanitize(&m.name), format!("{latest} {verdict}"))
        })
        .collect();
    list_panel(
        t,
        f,
        left,
        format!(" Metrics ({}) ", items.len()),
        &items,
        app.metrics,
        "No metrics yet.",
    );
    let Some(m) = app.ws.metrics.get(app.metrics.selected) else {
        return;
    };
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&m.name), t.title())),
        Line::from(Span::styled(
            format!(
                "{} · {} · baseline {} · target {}",
                m.kind.label(),
                m.direction.label(),
                m.baseline.map_or("–".to_string(), |v| v.to_string()),
                m.target.map_or("–".to_string(), |v| v.to_string())
            ),
            t.dim(),
        )),
        Line::from(""),
    ];
    for o in m.observations.iter().rev().take(12) {
        lines.push(Line::from(format!(
            "  {}  {}{}",
            o.date,
            o.value,
            sanitize(&m.unit)
        )));
    }
    detail_panel(t, f, right, lines);
}
