//! The Map view: the Customer Journey Value Map grid. Phases are bands over
//! their activities (columns), personas are rows, and each cell summarises one
//! persona's perspective on one activity with its heat (opportunity score)
//! and counts of notes, opportunities and metrics.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::coverage::Unheard;
use crate::text::{fit, sanitize, truncate};
use crate::tui::layer::Cx;
use crate::tui::state::map::{Col, Column, Geometry, MapState, Row, Selection, columns};
use crate::tui::theme::Theme;

fn put(f: &mut Frame, x: u16, y: u16, w: u16, area: Rect, line: Line) {
    if w == 0 || y >= area.y + area.height || x >= area.x + area.width {
        return;
    }
    let w = w.min(area.x + area.width - x);
    f.render_widget(Paragraph::new(line), Rect::new(x, y, w, 1));
}

/// The first visible column / row: the stored offset, corrected so that the
/// cursor is on screen whatever happened since the last update.
fn visible_start(first: usize, cursor: Option<usize>, visible: usize, len: usize) -> usize {
    let mut first = first.min(len.saturating_sub(visible));
    if let Some(c) = cursor {
        if c < first {
            first = c;
        } else if c >= first + visible {
            first = c + 1 - visible;
        }
    }
    first
}

pub fn render(st: &MapState, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let ws = cx.ws;
    let g = Geometry::new(area, ws.personas.len(), columns(ws).len());
    let cols = columns(ws);
    let sel = st.selection(ws);

    if ws.phases.is_empty() {
        let hint = format!(
            "No phases yet. Press {} to add the first lifecycle phase (e.g. Creation), or : for commands.",
            cx.hint(crate::tui::action::Action::AddPhase)
        );
        f.render_widget(
            Paragraph::new(vec![
                Line::from(""),
                Line::from(Span::styled(hint, t.dim())),
            ])
            .wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }

    let cur_col = match st.col {
        Col::At(i) => Some(i),
        Col::Names => None,
    };
    let first_col = visible_start(st.first_col, cur_col, g.vis_cols, cols.len());
    let cur_row = match st.row {
        Row::Persona(i) => Some(i),
        _ => None,
    };
    let first_row = visible_start(st.first_row, cur_row, g.vis_rows, ws.personas.len());
    let shown: Vec<(usize, Column)> = cols
        .iter()
        .copied()
        .enumerate()
        .skip(first_col)
        .take(g.vis_cols)
        .collect();

    // Corner: the workspace name, and scroll indicators.
    let corner_style = if sel == Selection::Workspace {
        t.selected()
    } else {
        t.title()
    };
    put(
        f,
        area.x,
        area.y,
        g.name_w,
        area,
        Line::from(Span::styled(
            fit(&sanitize(&ws.name), g.name_w as usize),
            corner_style,
        )),
    );
    let more_left = if first_col > 0 { "◂ " } else { "  " };
    let more_right = if first_col + shown.len() < cols.len() {
        " ▸"
    } else {
        ""
    };
    put(
        f,
        area.x,
        area.y + 1,
        g.name_w,
        area,
        Line::from(Span::styled(
            fit(
                &format!(
                    "{more_left}{}{more_right}",
                    crate::text::count(ws.activity_count(), "activity")
                ),
                g.name_w as usize,
            ),
            t.dim(),
        )),
    );

    // Header: phase bands and activity names.
    for (slot, (ci, col)) in shown.iter().enumerate() {
        let x = area.x + g.name_w + slot as u16 * g.col_w;
        let phase = &ws.phases[col.phase()];
        let first_of_phase = slot == 0 || shown[slot - 1].1.phase() != col.phase();
        let band_text = if first_of_phase {
            format!(" {}", sanitize(&phase.name))
        } else {
            String::new()
        };
        let band_style = if sel == Selection::Phase(col.phase()) {
            t.selected()
        } else {
            t.phase_band(col.phase())
        };
        put(
            f,
            x,
            area.y,
            g.col_w,
            area,
            Line::from(Span::styled(fit(&band_text, g.col_w as usize), band_style)),
        );

        let name_w = g.col_w.saturating_sub(1) as usize;
        let (name, mut style) = match col {
            Column::Activity(p) => {
                let a = &ws.phases[p.phase].activities[p.index];
                let mut name = sanitize(&a.name);
                if st.coverage {
                    match cx.stats.unheard(&a.id) {
                        Some(Unheard::Consumers) => name = format!("⚑ {name}"),
                        Some(Unheard::Customers) => name = format!("⚐ {name}"),
                        None => {}
                    }
                }
                (name, t.title())
            }
            Column::EmptyPhase(_) => (
                format!(
                    "+ add activity ({})",
                    cx.hint(crate::tui::action::Action::Add)
                ),
                t.dim(),
            ),
        };
        let is_sel = matches!((sel, col), (Selection::Activity(a), Column::Activity(b)) if a == *b)
            || matches!((sel, col), (Selection::EmptyPhase(a), Column::EmptyPhase(b)) if a == *b);
        if is_sel {
            style = t.selected();
        }
        let sep = if shown
            .get(slot + 1)
            .is_some_and(|n| n.1.phase() != col.phase())
        {
            "│"
        } else {
            " "
        };
        put(
            f,
            x,
            area.y + 1,
            g.col_w,
            area,
            Line::from(vec![
                Span::styled(fit(&name, name_w), style),
                Span::styled(sep, t.dim()),
            ]),
        );
        let _ = ci;
    }

    if ws.personas.is_empty() {
        put(
            f,
            area.x,
            area.y + g.header_h + 1,
            area.width,
            area,
            Line::from(Span::styled(
                "No personas yet: personas are the rows of the map. Add one with :add-persona NAME, or in Personas (2).",
                t.dim(),
            )),
        );
        return;
    }

    // Persona rows.
    for (slot, pi) in (first_row..ws.personas.len()).take(g.vis_rows).enumerate() {
        let persona = &ws.personas[pi];
        let y = area.y + g.header_h + slot as u16 * g.row_h;
        let name_style = if sel == Selection::Persona(pi) {
            t.selected()
        } else {
            t.title()
        };
        put(
            f,
            area.x,
            y,
            g.name_w,
            area,
            Line::from(Span::styled(
                fit(&sanitize(&persona.name), g.name_w as usize - 1),
                name_style,
            )),
        );
        put(
            f,
            area.x,
            y + 1,
            g.name_w,
            area,
            Line::from(Span::styled(
                fit(persona.role.label(), g.name_w as usize - 1),
                t.dim(),
            )),
        );
        for (slot_c, (_, col)) in shown.iter().enumerate() {
            let x = area.x + g.name_w + slot_c as u16 * g.col_w;
            let selected = matches!(sel, Selection::Cell { persona, column } if persona == pi && column == *col);
            let lines = cell_lines(
                st,
                cx,
                pi,
                *col,
                g.col_w.saturating_sub(1) as usize,
                selected,
                g.row_h.saturating_sub(1) as usize,
            );
            let sep = if shown
                .get(slot_c + 1)
                .is_some_and(|n| n.1.phase() != col.phase())
            {
                "│"
            } else {
                " "
            };
            for (k, mut line) in lines.into_iter().enumerate() {
                line.spans.push(Span::styled(sep, t.dim()));
                put(f, x, y + k as u16, g.col_w, area, line);
            }
            put(
                f,
                x,
                y + g.row_h - 1,
                g.col_w,
                area,
                Line::from(vec![
                    Span::raw(" ".repeat(g.col_w as usize - 1)),
                    Span::styled(sep, t.dim()),
                ]),
            );
        }
    }
    let last = (first_row + g.vis_rows).min(ws.personas.len());
    let used = g.header_h + (last - first_row) as u16 * g.row_h;
    if used < area.height {
        let legend = format!(
            "█8 score = importance + max(importance − satisfaction, 0) · i/s importance/satisfaction · n/o/m notes/opportunities/metrics · (pm) your rating, (n=3) the interviews' medians · ≠ they disagree · {} coverage",
            cx.hint(crate::tui::action::Action::ToggleCoverage)
        );
        put(
            f,
            area.x,
            area.y + area.height - 1,
            area.width,
            area,
            Line::from(Span::styled(
                truncate(&legend, area.width as usize),
                t.dim(),
            )),
        );
    }
    if first_row > 0 || last < ws.personas.len() {
        let y = area.y + area.height.saturating_sub(1);
        put(
            f,
            area.x,
            y,
            g.name_w,
            area,
            Line::from(Span::styled(
                format!("rows {}–{} of {}", first_row + 1, last, ws.personas.len()),
                t.dim(),
            )),
        );
    }
}

/// The lines of a cell: heat and interest, then ratings and counts (or the
/// gaps, with coverage on), then as many pains (`!`) and needs (`+`) as fit.
#[allow(clippy::too_many_arguments)]
fn cell_lines(
    st: &MapState,
    cx: &Cx,
    pi: usize,
    col: Column,
    w: usize,
    selected: bool,
    rows: usize,
) -> Vec<Line<'static>> {
    let (ws, t) = (cx.ws, cx.theme);
    let sel_style = |s: Style| if selected { s.patch(t.selected()) } else { s };
    let blank = || Line::from(Span::styled(" ".repeat(w), sel_style(t.dim())));
    let Column::Activity(pos) = col else {
        return (0..rows).map(|_| blank()).collect();
    };
    let persona = &ws.personas[pi];
    let activity = &ws.phases[pos.phase].activities[pos.index];
    let p = ws
        .perspective(&persona.id, &activity.id)
        .filter(|p| !p.is_blank());
    let counts = cx.stats.cell(&persona.id, &activity.id);
    // The PM's rating, or the interviews' medians once three rated it.
    let rating = cx.stats.rating(ws, &persona.id, &activity.id);
    let mut first = Vec::new();
    let mut used = 0;
    match rating.score() {
        Some(score) => {
            let badge = format!("{}{}", Theme::heat_glyph(score), score);
            used += badge.chars().count() + 1;
            first.push(Span::styled(badge, t.heat(score)));
            first.push(Span::styled(" ", sel_style(t.base())));
        }
        None if p.is_some() || rating.heard.is_some() => {
            used += 3;
            first.push(Span::styled("·· ", sel_style(t.dim())));
        }
        None => {}
    }
    if rating.disagrees() {
        // The PM and the interviews are two or more apart.
        used += 2;
        first.insert(0, Span::styled("≠ ", sel_style(t.warn())));
    }
    let rest = w.saturating_sub(used);
    match p {
        Some(p) => {
            let text = if p.interest.is_empty() {
                p.needs
                    .first()
                    .or(p.pains.first())
                    .cloned()
                    .unwrap_or_default()
            } else {
                p.interest.clone()
            };
            first.push(Span::styled(
                fit(&sanitize(&text), rest),
                sel_style(t.text()),
            ));
        }
        None => first.push(Span::styled(
            fit("·  not yet understood", rest),
            sel_style(t.dim()),
        )),
    }

    let second = if st.coverage {
        let gaps = cx.stats.gaps(ws, &persona.id, &activity.id);
        let mut missing = Vec::new();
        if gaps.no_perspective {
            missing.push("view");
        }
        if gaps.no_evidence {
            missing.push("notes");
        }
        if gaps.no_metric {
            missing.push("metric");
        }
        if gaps.disagreement {
            missing.push("agreement");
        }
        let asked = match gaps.open_questions {
            0 => String::new(),
            n => crate::text::count(n, "open question"),
        };
        if missing.is_empty() && asked.is_empty() {
            Line::from(Span::styled(fit("✓ covered", w), sel_style(t.ok())))
        } else {
            let text = match (missing.is_empty(), asked.is_empty()) {
                (false, false) => format!("⚠ no {} · {asked}", missing.join("/")),
                (true, _) => format!("⚠ {asked}"),
                (false, true) => format!("⚠ no {}", missing.join("/")),
            };
            Line::from(Span::styled(fit(&text, w), sel_style(t.warn())))
        }
    } else {
        let ratings = if p.is_some() || rating.heard.is_some() {
            format!("{} ({})", rating.shown(), rating.source.label())
        } else {
            String::new()
        };
        let counts = format!(
            "{}n {}o {}m",
            counts.notes, counts.opportunities, counts.metrics
        );
        let text = if ratings.is_empty() {
            counts
        } else {
            format!("{ratings} · {counts}")
        };
        Line::from(Span::styled(
            fit(&truncate(&text, w), w),
            sel_style(t.dim()),
        ))
    };
    let mut lines = vec![Line::from(first), second];
    // What the other source says: the PM's own rating beside the
    // interviews', or the interviews heard so far beside the PM's.
    if let (false, Some(h)) = (st.coverage, rating.heard) {
        let range = format!(
            "i{} s{}",
            h.importance.range_text(),
            h.satisfaction.range_text()
        );
        let text = match rating.source {
            crate::model::ratings::Source::Interviews(_) => format!(
                "spread {range} · pm i{} s{}",
                rating.pm.0.map_or("-".into(), |v| v.to_string()),
                rating.pm.1.map_or("-".into(), |v| v.to_string())
            ),
            crate::model::ratings::Source::Pm => format!(
                "heard i{} s{} n={} · {range}",
                h.importance.median_text(),
                h.satisfaction.median_text(),
                h.n
            ),
        };
        let style = if rating.disagrees() {
            t.warn()
        } else {
            t.dim()
        };
        lines.push(Line::from(Span::styled(
            fit(&truncate(&text, w), w),
            sel_style(style),
        )));
    }
    if let Some(p) = p {
        let items = p
            .pains
            .iter()
            .map(|x| ('!', x))
            .chain(p.needs.iter().map(|x| ('+', x)));
        for (mark, text) in items.take(rows.saturating_sub(2)) {
            let style = if mark == '!' { t.warn() } else { t.ok() };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark} "), sel_style(style)),
                Span::styled(
                    fit(&sanitize(text), w.saturating_sub(2)),
                    sel_style(t.dim()),
                ),
            ]));
        }
    }
    while lines.len() < rows {
        lines.push(blank());
    }
    lines.truncate(rows);
    lines
}
