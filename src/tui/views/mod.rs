//! Drawing: a pure function of the app state. Nothing here changes the
//! workspace or does I/O.

pub mod lists;
pub mod map;
pub mod metrics;
pub mod notes;
pub mod opportunities;
pub mod personas;

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::action::Action;
use super::app::{App, Level, View};
use crate::text::{sanitize, truncate, width};

/// Below this size the views cannot be laid out; a notice is shown instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    f.render_widget(Block::new().style(app.theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, f, area);
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(app, f, tabs);
    match app.view {
        View::Map => map::render(app, f, body),
        View::Personas => personas::render(app, f, body),
        View::Notes => notes::render(app, f, body),
        View::Opportunities => opportunities::render(app, f, body),
        View::Metrics => metrics::render(app, f, body),
    }
    render_status(app, f, status);
    for p in &app.popups {
        p.render(app, f, body);
    }
}

fn too_small(app: &App, f: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small: {}x{}, valuemap needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window ({} quits).",
        area.width,
        area.height,
        app.keymap.hint(Action::Quit)
    );
    f.render_widget(
        Paragraph::new(text)
            .style(app.theme.warn())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// Where each tab is on the tab bar: (view, first column, width).
fn tab_spans() -> Vec<(View, u16, u16)> {
    let mut x = 1u16;
    View::ALL
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let w = format!(" {} {} ", i + 1, v.title()).len() as u16;
            let r = (*v, x, w);
            x += w + 1;
            r
        })
        .collect()
}

fn render_tabs(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for (i, v) in View::ALL.iter().enumerate() {
        let style = if *v == app.view {
            t.selected()
        } else {
            t.dim()
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, v.title()), style));
        spans.push(Span::raw(" "));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let name = sanitize(&app.ws.name);
    let room = (area.width as usize).saturating_sub(used + 1);
    if room > 3 {
        let name = truncate(&name, room);
        spans.push(Span::raw(" ".repeat(room - width(&name))));
        spans.push(Span::styled(name, t.title()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The view under a mouse click on the tab bar.
pub fn tab_at(m: MouseEvent) -> Option<View> {
    if m.row != 0 || !matches!(m.kind, MouseEventKind::Down(_)) {
        return None;
    }
    tab_spans()
        .into_iter()
        .find(|(_, x, w)| m.column >= *x && m.column < x + w)
        .map(|(v, _, _)| v)
}

fn render_status(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let bar = t.status_bar();
    let dirty = if app.is_dirty() { "● " } else { "  " };
    let file = match app.root() {
        Some(p) => shorten_home(&p.display().to_string()),
        None => "(no folder: :save-as PATH)".to_string(),
    };
    let hints = format!(
        "{} help  {} commands  {} quit ",
        app.keymap.hint(Action::Help),
        app.keymap.hint(Action::Palette),
        app.keymap.hint(Action::Quit)
    );
    let mut spans = vec![
        Span::styled(format!(" {dirty}"), bar.patch(t.warn())),
        Span::styled(sanitize(&file), bar),
    ];
    if app.is_dirty() {
        spans.push(Span::styled(" [modified]", bar.patch(t.warn())));
    }
    if !app.outside_changes.is_empty() {
        spans.push(Span::styled(" [changed on disk]", bar.patch(t.error())));
    }
    spans.push(Span::styled("  ", bar));
    let left: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(left + width(&hints));
    let saving = app.pending_save.as_ref().map(|p| super::app::Message {
        text: p.describe(),
        level: Level::Info,
    });
    match saving.as_ref().or(app.message.as_ref()) {
        Some(m) => {
            let style = match m.level {
                Level::Info => bar,
                Level::Warn => bar.patch(t.warn()),
                Level::Error => bar.patch(t.error()),
            };
            let avail = (area.width as usize).saturating_sub(left);
            let text = truncate(&sanitize(&m.text), avail);
            let pad = avail.saturating_sub(width(&text));
            spans.push(Span::styled(text, style));
            spans.push(Span::styled(" ".repeat(pad), bar));
        }
        None => {
            spans.push(Span::styled(" ".repeat(room), bar));
            spans.push(Span::styled(hints, bar));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}

fn shorten_home(p: &str) -> String {
    match std::env::var("HOME") {
        Ok(h) if !h.is_empty() && p.starts_with(&h) => format!("~{}", &p[h.len()..]),
        _ => p.to_string(),
    }
}
