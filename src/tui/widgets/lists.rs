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
    (first..len.min(first + h))
        .map(|i| {
            let (label, note) = item(i);
            let note_w = width(&note).min(w / 2);
            let label_w = w.saturating_sub(note_w + 1);
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
