//! The Notes view: interview notes newest first, filterable, and a reader
//! with the line syntax highlighted and the opportunities each line feeds.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::lists::list_lines;
use crate::capture::{self, LineKind};
use crate::model::score::opportunity_score;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::popups::capture::line_style;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(area);
    let filter = if app.note_filter.is_empty() {
        String::new()
    } else {
        format!(" · filter: {}", sanitize(&app.note_filter.text))
    };
    let title = format!(
        " Notes ({}{}){} ",
        app.note_rows.len(),
        if app.note_filter.is_empty() {
            String::new()
        } else {
            format!(" of {}", app.ws.notes.len())
        },
        filter
    );
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(title, t.title()))
        .title_bottom(Span::styled(
            format!(
                " {} new  {} filter  {} open ",
                app.keymap.hint(Action::CaptureNote),
                app.keymap.hint(Action::Filter),
                app.keymap.hint(Action::Open)
            ),
            t.dim(),
        ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    if app.note_rows.is_empty() {
        let msg = if app.ws.notes.is_empty() {
            format!(
                "No interview notes yet. Press {} to capture one (from a map cell it is linked to that persona and activity).",
                app.keymap.hint(Action::CaptureNote)
            )
        } else {
            format!(
                "No note matches the filter. {} changes it.",
                app.keymap.hint(Action::Filter)
            )
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        let lines = list_lines(t, app.note_rows.len(), app.notes, inner, |i| {
            let n = &app.ws.notes[&app.note_rows[i]];
            (
                format!("{}  {}", n.date.format("%Y-%m-%d"), sanitize(&n.title)),
                sanitize(&n.interviewee),
            )
        });
        f.render_widget(Paragraph::new(lines), inner);
    }
    reader(app, f, right);
}

fn reader(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let ws = &app.ws;
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Reader ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(n) = app
        .note_rows
        .get(app.notes.selected)
        .and_then(|id| ws.notes.get(id))
    else {
        return;
    };
    let persona = n
        .persona
        .as_ref()
        .and_then(|p| ws.persona(p))
        .map_or("no persona".to_string(), |p| {
            format!("{} ({})", sanitize(&p.name), p.role.label())
        });
    let acts: Vec<String> = n
        .activities
        .iter()
        .filter_map(|a| ws.activity(a))
        .map(|a| sanitize(&a.name))
        .collect();
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&n.title), t.title())),
        Line::from(vec![
            Span::styled(n.date.format("%Y-%m-%d").to_string(), t.accent()),
            Span::styled(
                format!("  {}  ·  {persona}", sanitize(&n.interviewee)),
                t.dim(),
            ),
        ]),
    ];
    if !acts.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("on: {}", acts.join(", ")),
            t.dim(),
        )));
    }
    if !n.tags.is_empty() {
        lines.push(Line::from(Span::styled(
            n.tags
                .iter()
                .map(|x| format!("#{}", sanitize(x)))
                .collect::<Vec<_>>()
                .join(" "),
            t.accent(),
        )));
    }
    lines.push(Line::from(""));
    let parsed = capture::parse(&n.body);
    // The opportunities that cite this note (from the kept-up-to-date stats,
    // not a scan of every opportunity).
    let citing: Vec<&crate::model::Opportunity> = app
        .stats
        .citing(&n.id)
        .iter()
        .filter_map(|id| app.opp(id))
        .collect();
    for l in parsed
        .lines
        .iter()
        .skip_while(|l| l.kind != LineKind::Title)
        .skip(1)
    {
        let style = line_style(t, l.kind);
        lines.push(Line::from(Span::styled(sanitize(&l.raw), style)));
        // The opportunities this line is evidence for.
        let quote = l.raw.trim();
        if quote.is_empty() {
            continue;
        }
        for o in citing.iter().filter(|o| {
            o.evidence
                .iter()
                .any(|e| e.note == n.id && e.quote == quote)
        }) {
            lines.push(Line::from(Span::styled(
                format!(
                    "    → feeds “{}” (score {})",
                    sanitize(&o.title),
                    opportunity_score(ws, o).display()
                ),
                t.dim(),
            )));
        }
    }
    let whole: Vec<_> = citing
        .iter()
        .filter(|o| {
            o.evidence
                .iter()
                .any(|e| e.note == n.id && e.quote.is_empty())
        })
        .collect();
    if !whole.is_empty() {
        lines.push(Line::from(""));
        for o in whole {
            lines.push(Line::from(Span::styled(
                format!("→ the whole note backs “{}”", sanitize(&o.title)),
                t.dim(),
            )));
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
