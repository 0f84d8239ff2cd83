//! The Metrics view: every metric with its latest value against its target
//! and a verdict by direction; the selected one charted with its baseline
//! and target lines, and a marker at each date a solution shipped or an
//! opportunity it measures was delivered, with the before / after figures.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Wrap};

use crate::model::validation::{self, Marker as Event, MetricVerdict};
use crate::model::{Metric, MetricKind};
use crate::text::{num, sanitize, with_unit};
use crate::tui::action::Action;
use crate::tui::layer::Cx;
use crate::tui::state::ListState;
use crate::tui::widgets::lists::list_lines;

/// "on track", "off track" or "no target".
pub fn verdict(m: &Metric) -> &'static str {
    match m.on_track() {
        Some(true) => "on track",
        Some(false) => "off track",
        None if m.target.is_none() => "no target",
        None => "no data",
    }
}

pub fn render(list: ListState, cx: &Cx, f: &mut Frame, area: Rect) {
    let t = cx.theme;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(area);
    let block = Block::bordered()
        .border_style(t.focus_border())
        .title(Span::styled(
            format!(" Metrics ({}) ", cx.ws.metrics.len()),
            t.title(),
        ))
        .title_bottom(Span::styled(
            crate::tui::widgets::border_hints(
                &[
                    format!("{} add", cx.hint(Action::Add)),
                    format!("{} observe", cx.hint(Action::Observe)),
                    format!("{} edit", cx.hint(Action::Open)),
                ],
                left.width,
            ),
            t.dim(),
        ));
    let inner = block.inner(left);
    f.render_widget(block, left);
    if cx.ws.metrics.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                "No metrics yet. Press a to add one: a number (or a judgement) that shows whether value was delivered.",
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        let lines = list_lines(t, cx.ws.metrics.len(), list, inner, |i| {
            let m = &cx.ws.metrics[i];
            let latest = m
                .latest()
                .map_or("–".to_string(), |o| with_unit(o.value, &m.unit));
            let target = m
                .target
                .map_or(String::new(), |v| format!(" / {}", with_unit(v, &m.unit)));
            let mark = match m.on_track() {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "·",
            };
            (
                sanitize(&m.name),
                format!("{latest}{target} {mark} {}", verdict(m)),
            )
        });
        f.render_widget(Paragraph::new(lines), inner);
    }
    if let Some(m) = cx.ws.metrics.get(list.selected) {
        detail(cx, f, right, m);
    }
}

fn detail(cx: &Cx, f: &mut Frame, area: Rect, m: &Metric) {
    let (ws, t) = (cx.ws, cx.theme);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Span::styled(" Detail ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut head = vec![
        Line::from(Span::styled(sanitize(&m.name), t.title())),
        Line::from(Span::styled(
            format!(
                "{} · {} · baseline {} · target {}",
                m.kind.label(),
                m.direction.label(),
                m.baseline
                    .map_or("–".to_string(), |v| with_unit(v, &m.unit)),
                m.target.map_or("–".to_string(), |v| with_unit(v, &m.unit))
            ),
            t.dim(),
        )),
    ];
    let verdict_style = match m.on_track() {
        Some(true) => t.ok(),
        Some(false) => t.error(),
        None => t.dim(),
    };
    head.push(Line::from(vec![
        Span::raw("Latest: "),
        Span::styled(
            m.latest().map_or("no observations yet".to_string(), |o| {
                format!(
                    "{} on {}",
                    with_unit(o.value, &m.unit),
                    o.date.format("%Y-%m-%d")
                )
            }),
            t.text(),
        ),
        Span::raw("  "),
        Span::styled(verdict(m), verdict_style),
        Span::styled(trend(m), t.dim()),
    ]));
    let mut links = Vec::new();
    if let Some(a) = m.activity.as_ref().and_then(|a| ws.activity(a)) {
        links.push(format!("activity {}", sanitize(&a.name)));
    }
    if let Some(o) = m.opportunity.as_ref().and_then(|o| ws.opportunity(o)) {
        links.push(format!("opportunity “{}”", sanitize(&o.title)));
    }
    if !links.is_empty() {
        head.push(Line::from(Span::styled(
            format!("Validates {}", links.join(" and ")),
            t.dim(),
        )));
    }
    if !m.description.is_empty() {
        head.push(Line::from(Span::styled(sanitize(&m.description), t.dim())));
    }
    let events = validation::markers(ws, &m.id);
    for e in &events {
        let c = validation::compare(m, e.date, cx.today);
        let f = |v: Option<f64>| v.map_or("–".to_string(), |v| with_unit(v, &m.unit));
        let (word, style) = verdict_word(c.verdict, t);
        head.push(Line::from(vec![
            Span::styled(
                format!("█ {} {} {}: ", e.what, e.date, sanitize(&e.title)),
                t.warn(),
            ),
            Span::raw(format!(
                "before {} (n={}) → after {} (n={}) ",
                f(c.before.mean),
                c.before.count,
                f(c.after.mean),
                c.after.count
            )),
            Span::styled(word, style),
        ]));
    }
    let head_h = (wrapped_height(&head, inner.width) + 1).min(inner.height);
    let [top, chart_area, obs_area] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Min(6),
        Constraint::Length(6.min(inner.height.saturating_sub(head_h + 6))),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
    chart(cx, f, chart_area, m, &events);
    let obs: Vec<Line> = m
        .observations
        .iter()
        .rev()
        .take(obs_area.height as usize)
        .map(|o| {
            Line::from(vec![
                Span::styled(format!("{}  ", o.date.format("%Y-%m-%d")), t.dim()),
                Span::raw(with_unit(o.value, &m.unit)),
                Span::styled(
                    if o.comment.is_empty() {
                        String::new()
                    } else {
                        format!("  {}", sanitize(&o.comment))
                    },
                    t.dim(),
                ),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(obs), obs_area);
}

/// A metric's verdict after a ship date, in words with a glyph, and its
/// style.
pub fn verdict_word(v: MetricVerdict, t: &crate::tui::theme::Theme) -> (&'static str, Style) {
    match v {
        MetricVerdict::Met => ("✓ meets the target", t.ok()),
        MetricVerdict::Missed => ("✗ misses the target", t.error()),
        MetricVerdict::TooEarly => ("· too early to tell", t.dim()),
    }
}

/// How many rows `lines` take when word-wrapped to `width` (as the
/// Paragraph below wraps them), so the head is never cut.
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let w = width.max(1) as usize;
    let mut rows = 0usize;
    for line in lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let mut col = 0usize;
        let mut n = 1usize;
        for word in text.split_whitespace() {
            let ww = crate::text::width(word);
            if col > 0 && col + 1 + ww > w {
                n += 1;
                col = 0;
            }
            col += if col > 0 { 1 } else { 0 } + ww;
            while col > w {
                n += 1;
                col -= w;
            }
        }
        rows += n;
    }
    rows as u16
}

/// "  ↗ up 3.5 since the previous" — the direction of the last change.
fn trend(m: &Metric) -> String {
    let n = m.observations.len();
    if n < 2 {
        return String::new();
    }
    let (a, b) = (m.observations[n - 2].value, m.observations[n - 1].value);
    let d = b - a;
    if d == 0.0 {
        return "  → unchanged".into();
    }
    let good = (d > 0.0) == (m.direction == crate::model::Direction::HigherIsBetter);
    format!(
        "  {} {} {} since the previous ({})",
        if d > 0.0 { "↗" } else { "↘" },
        if d > 0.0 { "up" } else { "down" },
        num(d.abs()),
        if good { "better" } else { "worse" }
    )
}

fn chart(cx: &Cx, f: &mut Frame, area: Rect, m: &Metric, events: &[Event]) {
    let t = cx.theme;
    if m.observations.is_empty() || area.height < 4 || area.width < 20 {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "No observations to chart yet ({} adds one).",
                    cx.hint(Action::Observe)
                ),
                t.dim(),
            )),
            area,
        );
        return;
    }
    let dates = m.observations.iter().map(|o| o.date);
    let first = dates.clone().chain(events.iter().map(|e| e.date)).min();
    let last = dates.chain(events.iter().map(|e| e.date)).max();
    let (Some(first), Some(last)) = (first, last) else {
        return;
    };
    let span = ((last - first).num_days() as f64).max(1.0);
    let points: Vec<(f64, f64)> = m
        .observations
        .iter()
        .map(|o| ((o.date - first).num_days() as f64, o.value))
        .collect();
    let mut lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let mut hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    for v in [m.baseline, m.target].into_iter().flatten() {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let pad = ((hi - lo) * 0.1).max(if m.kind == MetricKind::Qualitative {
        0.5
    } else {
        1e-9
    });
    let (lo, hi) = (lo - pad, hi + pad);
    // A shipped solution or a delivery: a full-height column of blocks,
    // drawn as points inside the bounds (a line ending on a bound can be
    // placed one row outside the canvas, which the chart cannot draw).
    let rows = (area.height as usize).max(2) * 2;
    let finite = lo.is_finite() && hi.is_finite();
    let verticals: Vec<Vec<(f64, f64)>> = events
        .iter()
        .filter(|_| finite)
        .map(|e| {
            let x = (e.date - first).num_days() as f64;
            (0..rows)
                .map(|i| (x, lo + (hi - lo) * (i as f64 + 0.5) / rows as f64))
                .collect()
        })
        .collect();
    let baseline: Vec<(f64, f64)> = m
        .baseline
        .map(|b| vec![(0.0, b), (span, b)])
        .unwrap_or_default();
    let target: Vec<(f64, f64)> = m
        .target
        .map(|v| vec![(0.0, v), (span, v)])
        .unwrap_or_default();
    // The legend sits below the plot, never over it; the series differ
    // by marker (a fine line, dots, bars), not by colour alone. Target and
    // baseline are drawn first so observations stay on top.
    let [plot, legend] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let mut datasets = Vec::new();
    let mut keys = Vec::new();
    if !baseline.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Bar)
                .graph_type(GraphType::Line)
                .style(t.dim())
                .data(&baseline),
        );
        keys.push(("▄▄ baseline", t.dim()));
    }
    if !target.is_empty() {
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(t.ok())
                .data(&target),
        );
        keys.push(("•• target", t.ok()));
    }
    for v in &verticals {
        datasets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(t.warn())
                .data(v),
        );
    }
    if !verticals.is_empty() {
        keys.push(("█ shipped / delivered", t.warn()));
    }
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.accent())
            .data(&points),
    );
    keys.insert(0, ("⣀⡠ observed", t.accent()));
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, span])
                .labels([
                    first.format("%Y-%m-%d").to_string(),
                    last.format("%Y-%m-%d").to_string(),
                ])
                .style(t.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels([num(lo), num(hi)])
                .style(t.dim()),
        );
    let mut spans = Vec::new();
    for (i, (k, style)) in keys.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("   "));
        }
        spans.push(Span::styled(k, style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), legend);
    f.render_widget(chart, plot);
}
