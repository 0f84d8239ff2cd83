//! Text inputs built on ratatui-textarea: a one-line input and a multi-line
//! text field, with the editor's own motions, undo and paste.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::text::sanitize;

/// A text field: one line, or several.
pub struct TextInput {
    area: TextArea<'static>,
    multiline: bool,
}

impl TextInput {
    /// A one-line input holding `initial`, the cursor at its end.
    pub fn line(initial: &str) -> Self {
        Self::build(vec![sanitize(initial)], false)
    }

    /// A one-line input shown wrapped over several rows.
    pub fn wrapped_line(initial: &str) -> Self {
        let mut t = Self::build(vec![sanitize(initial)], false);
        t.area.set_wrap_mode(WrapMode::WordOrGlyph);
        t
    }

    /// A multi-line field holding `lines`.
    pub fn lines(lines: &[String]) -> Self {
        let lines: Vec<String> = lines.iter().map(|l| sanitize(l)).collect();
        Self::build(lines, true)
    }

    fn build(lines: Vec<String>, multiline: bool) -> Self {
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(Style::new());
        area.set_max_histories(200);
        if multiline {
            area.set_wrap_mode(WrapMode::WordOrGlyph);
        }
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        TextInput { area, multiline }
    }

    pub fn set_placeholder(&mut self, text: &str) {
        self.area.set_placeholder_text(text.to_string());
    }

    /// The text of a one-line input.
    pub fn value(&self) -> String {
        self.area.lines().join(" ")
    }

    /// The lines of a multi-line field, without empty ones, trimmed.
    pub fn nonempty_lines(&self) -> Vec<String> {
        self.area
            .lines()
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The raw lines.
    pub fn raw_lines(&self) -> &[String] {
        self.area.lines()
    }

    /// The editor itself (for highlighting what it drew).
    pub fn textarea(&self) -> &TextArea<'static> {
        &self.area
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// Feeds a key to the editor. Returns whether the text changed. Enter in
    /// a one-line input is left to the caller.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        if !self.multiline && matches!(key.code, KeyCode::Enter) {
            return false;
        }
        if key.code == KeyCode::Char('m')
            && key.modifiers.contains(KeyModifiers::CONTROL)
            && !self.multiline
        {
            return false;
        }
        self.area.input(key)
    }

    /// Inserts pasted text: line breaks kept in a multi-line field, turned
    /// into spaces in a one-line input; control characters dropped.
    pub fn paste(&mut self, text: &str) -> bool {
        let clean = if self.multiline {
            crate::text::sanitize_multiline(text)
        } else {
            sanitize(text)
        };
        self.area.insert_str(clean)
    }

    /// Shows or hides the cursor (only the focused field shows one).
    pub fn set_focused(&mut self, focused: bool) {
        self.area.set_cursor_style(if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        });
    }

    pub fn render(&self, f: &mut Frame, area: Rect) {
        f.render_widget(&self.area, area);
    }
}
