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

/// [`hints`] for a line of `width` columns: the items are in order of
/// importance, and those that do not fit are left out from the end, so a
/// narrow terminal shows whole hints, never one cut in the middle.
pub fn hints_within<'a>(
    t: &Theme,
    keys: &KeyMap,
    items: &[(Action, &'a str)],
    width: u16,
) -> Line<'a> {
    let mut n = items.len();
    while n > 1 && hints(t, keys, &items[..n]).width() > width as usize {
        n -= 1;
    }
    hints(t, keys, &items[..n])
}

/// Key hints for the bottom border of a box `width` columns wide,
/// " a add  o observe  Enter edit ": `items` ("a add") are in order of
/// importance, and those that do not fit between the corners are left out
/// from the end, so no hint is cut in the middle.
pub fn border_hints(items: &[String], width: u16) -> String {
    let room = (width as usize).saturating_sub(2);
    let mut n = items.len();
    loop {
        let s = format!(" {} ", items[..n].join("  "));
        if n <= 1 || unicode_width::UnicodeWidthStr::width(s.as_str()) <= room {
            return if n == 0 { String::new() } else { s };
        }
        n -= 1;
    }
}

/// A bordered box with wrapped lines, centred, sized to its content. The
/// height is what the lines take once wrapped at the width the box really
/// gets, so on a narrow terminal the last line (usually the key hints) is
/// still inside the box.
pub fn message_box(t: &Theme, f: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let inner_w = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(20)
        .clamp(20, 76) as u16;
    let w = (inner_w + 4).min(area.width);
    let rows = wrapped_rows(&lines, w.saturating_sub(2));
    let h = rows.saturating_add(2);
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

/// How many rows `lines` take wrapped at `width` columns, as the
/// paragraph will wrap them: measured by drawing them into a scratch
/// buffer (a blank last line is not counted).
fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    use ratatui::buffer::Buffer;
    use ratatui::widgets::Widget;
    let width = width.max(1);
    // At most one row per character, and one for an empty line.
    let most: usize = lines.iter().map(|l| l.width().max(1)).sum();
    let most = u16::try_from(most).unwrap_or(u16::MAX).min(500);
    let area = Rect::new(0, 0, width, most);
    let mut buf = Buffer::empty(area);
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .render(area, &mut buf);
    let used = (0..most)
        .rev()
        .find(|&y| (0..width).any(|x| buf[(x, y)].symbol() != " "))
        .map_or(0, |y| y + 1);
    used.max(1)
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
