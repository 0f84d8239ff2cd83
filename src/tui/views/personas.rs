//! The Personas view: the list, and the selected persona's role,
//! description, jobs-to-be-done, tags and the cells of the map they appear in.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::layer::Cx;
use crate::tui::state::ListState;
use crate::tui::theme::Theme;
use crate::tui::widgets::lists::list_lines;

pub fn render(list: ListState, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let ws = cx.ws;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(35), Constraint::Percentage(65)]).areas(area);
    let items: Vec<(String, String)> = ws
        .personas
        .iter()
        .map(|p| (sanitize(&p.name), p.role.label().to_string()))
        .collect();
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(
            format!(" Personas ({}) ", items.len()),
            t.title(),
        ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    if items.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "No personas yet. Press {} to add one.",
                    cx.hint(Action::Add)
                ),
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        let lines = list_lines(t, items.len(), list, inner, |i| items[i].clone());
        f.render_widget(Paragraph::new(lines), inner);
    }
    detail(list, cx, f, right);
}

fn detail(list: ListState, cx: &Cx, f: &mut Frame, area: Rect) {
    let (ws, t) = (cx.ws, cx.theme);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(p) = ws.personas.get(list.selected) else {
        return;
    };
    let mut lines = vec![
        Line::from(Span::styled(sanitize(&p.name), t.title())),
        Line::from(vec![
            Span::styled("Role: ", t.dim()),
            Span::styled(p.role.label(), t.accent()),
            Span::styled(
                match p.role {
                    crate::model::Role::Customer => "  (decides and pays)",
                    crate::model::Role::Consumer => "  (uses the product)",
                    crate::model::Role::EndUser => "  (served indirectly)",
                },
                t.dim(),
            ),
        ]),
        Line::from(""),
    ];
    if !p.description.is_empty() {
        for l in p.description.lines() {
            lines.push(Line::from(sanitize(l)));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled("Jobs to be done", t.title())));
    if p.jobs.is_empty() {
        lines.push(Line::from(Span::styled("  none yet", t.dim())));
    }
    for j in &p.jobs {
        lines.push(Line::from(format!("  • {}", sanitize(j))));
    }
    if !p.tags.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled("Tags: ", t.dim()),
            Span::raw(
                p.tags
                    .iter()
                    .map(|t| format!("#{}", sanitize(t)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("On the map", t.title())));
    let mut any = false;
    for (phase, a) in ws.activities() {
        let Some(x) = ws.perspective(&p.id, &a.id).filter(|x| !x.is_blank()) else {
            continue;
        };
        any = true;
        // The cell's score as the map shows it (the interviews' from three
        // ratings on).
        let scored = cx.stats.rating(ws, &p.id, &a.id).score();
        let score = scored.map_or("  ".to_string(), |s| {
            format!("{}{}", Theme::heat_glyph(s), s)
        });
        let style = scored.map_or(t.dim(), |s| t.heat(s));
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(score, style),
            Span::raw(" "),
            Span::styled(
                format!("{} / {}", sanitize(&phase.name), sanitize(&a.name)),
                t.accent(),
            ),
            Span::styled(
                if x.interest.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", sanitize(&x.interest))
                },
                t.dim(),
            ),
        ]));
    }
    if !any {
        lines.push(Line::from(Span::styled(
            format!(
                "  no perspectives yet ({} on a map cell adds one)",
                cx.hint(Action::Open)
            ),
            t.dim(),
        )));
    }
    let notes = cx.stats.persona_notes(&p.id);
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        crate::text::count(notes, "interview note"),
        t.dim(),
    )));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "{} edit  {} add  {} rename  {} delete  {}/{} reorder",
            cx.hint(Action::Open),
            cx.hint(Action::Add),
            cx.hint(Action::Rename),
            cx.hint(Action::Delete),
            cx.hint(Action::MoveUp),
            cx.hint(Action::MoveDown),
        ),
        t.dim(),
    )));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
