//! Pieces every layer draws with: text inputs, boxes, key hints, lists.

pub mod input;
pub mod lists;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::action::Action;
use super::keymap::KeyMap;
use super::theme::Theme;
use crate::capture::LineKind;

/// A centred rectangle of at most `w` x `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// "y save · n discard" with the keys highlighted.
pub fn keys_line<'a>(t: &Theme, keys: &[(String, &'a str)]) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (k, what)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ·  ", t.dim()));
        }
        spans.push(Span::styled(k.clone(), t.accent()));
        spans.push(Span::raw(" "));
        spans.push(Span::raw(*what));
    }
    Line::from(spans)
}

/// Hints for actions from the live key map: `[(Action::ConfirmYes, "yes")]`
/// gives "y yes".
pub fn hints<'a>(t: &Theme, keys: &KeyMap, items: &[(Action, &'a str)]) -> Line<'a> {
    let pairs: Vec<(String, &str)> = items.iter().map(|(a, w)| (keys.hint(*a), *w)).collect();
    keys_line(t, &pairs)
}

/// A bordered box with wrapped lines, centred, sized to its content.
pub fn message_box(t: &Theme, f: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let inner_w = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(20)
        .clamp(20, 76) as u16;
    let w = inner_w + 4;
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_w.max(1) as usize).max(1))
        .sum();
    let h = rows as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .style(t.base())
            .block(popup_block(t, title)),
        r,
    );
}

pub fn popup_block<'a>(t: &Theme, title: &'a str) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.focus_border())
        .title(Span::styled(title, t.title()))
        .style(t.base())
}

/// The style of a line of a note: by its kind, and a rating line that
/// cannot be read as an error.
pub fn note_line_style(t: &Theme, line: &crate::capture::Line) -> Style {
    match crate::model::ratings::parse_line(&line.raw) {
        Some(Err(_)) if line.kind == LineKind::Rating => t.error(),
        _ => line_style(t, line.kind),
    }
}

/// The style of a line of a note, by its kind.
pub fn line_style(t: &Theme, kind: LineKind) -> Style {
    match kind {
        LineKind::Title => t.title(),
        LineKind::Quote => t.accent(),
        LineKind::Pain => t.warn(),
        LineKind::Need => t.ok(),
        LineKind::Question => t.accent().remove_modifier(ratatui::style::Modifier::BOLD),
        LineKind::Rating => t.title(),
        LineKind::Text | LineKind::Blank => t.text(),
    }
}
