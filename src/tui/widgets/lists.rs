//! Helpers for list panels: a window over the rows that builds only what is
//! visible.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::text::{fit, width};
use crate::tui::state::ListState;
use crate::tui::theme::Theme;

/// Lines of a list of `len` items: a label on the left, a note on the right,
/// the selection reversed. `item(i)` is asked only for visible rows.
pub fn list_lines(
    t: &Theme,
    len: usize,
    state: ListState,
    area: Rect,
    item: impl Fn(usize) -> (String, String),
) -> Vec<Line<'static>> {
    let h = area.height as usize;
    let w = area.width as usize;
    let first = state.window(h, len);
    let rows: Vec<(usize, String, String)> = (first..len.min(first + h))
        .map(|i| {
            let (label, note) = item(i);
            (i, label, note)
        })
        .collect();
    // One column of labels and one of notes for the visible rows: the
    // notes (verdicts, statuses) get what they need up to half the width,
    // the labels the rest; neither is cut while there is room.
    let max_label = rows.iter().map(|r| width(&r.1)).max().unwrap_or(0);
    let max_note = rows.iter().map(|r| width(&r.2)).max().unwrap_or(0);
    let label_w = if max_label + 1 + max_note <= w {
        max_label
    } else {
        w.saturating_sub(max_note + 1).max(w / 2)
    };
    let note_w = w.saturating_sub(label_w + 1);
    rows.into_iter()
        .map(|(i, label, note)| {
            let style = if i == state.selected {
                t.selected()
            } else {
                t.text()
            };
            Line::from(vec![
                Span::styled(fit(&label, label_w), style),
                Span::styled(" ", style),
                Span::styled(
                    fit(&note, note_w),
                    if i == state.selected { style } else { t.dim() },
                ),
            ])
        })
        .collect()
}
