//! Text inputs built on ratatui-textarea: a one-line input and a multi-line
//! text field. Their keys (motions, deletions, undo) come from the key map's
//! text context, so they can be rebound like every other key.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::text::sanitize;
use crate::tui::action::{Action, Context};
use crate::tui::keymap::KeyMap;

/// What a key did to a text input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Typed {
    /// The text changed.
    Changed,
    /// The cursor moved (or nothing happened), the text is the same.
    Moved,
    /// Not a key of text editing: the caller decides.
    Ignored,
}

impl Typed {
    pub fn changed(self) -> bool {
        self == Typed::Changed
    }
}

/// A text field: one line, or several.
pub struct TextInput {
    area: TextArea<'static>,
    multiline: bool,
    focused: bool,
    /// The first column shown of a one-line input (horizontal scroll).
    scroll: Cell<usize>,
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
        TextInput {
            area,
            multiline,
            focused: false,
            scroll: Cell::new(0),
        }
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

    /// Feeds a key to the editor, through the key map's text context.
    /// Plain characters are typed; a key that is no text action (Tab, Esc,
    /// Enter in a one-line input, ...) is [`Typed::Ignored`].
    pub fn key(&mut self, key: &KeyEvent, keys: &KeyMap) -> Typed {
        let changed = |b: bool| if b { Typed::Changed } else { Typed::Moved };
        match keys.lookup(Context::Text, key) {
            Some(Action::TextLeft) => self.go(CursorMove::Back),
            Some(Action::TextRight) => self.go(CursorMove::Forward),
            Some(Action::TextWordLeft) => self.go(CursorMove::WordBack),
            Some(Action::TextWordRight) => self.go(CursorMove::WordForward),
            Some(Action::TextHome) => self.go(CursorMove::Head),
            Some(Action::TextEnd) => self.go(CursorMove::End),
            Some(Action::TextUp) if self.multiline => self.go(CursorMove::Up),
            Some(Action::TextDown) if self.multiline => self.go(CursorMove::Down),
            Some(Action::TextTop) if self.multiline => self.go(CursorMove::Top),
            Some(Action::TextBottom) if self.multiline => self.go(CursorMove::Bottom),
            Some(Action::TextBackspace) => changed(self.area.delete_char()),
            Some(Action::TextDelete) => changed(self.area.delete_next_char()),
            Some(Action::TextDeleteWord) => changed(self.rubout()),
            Some(Action::TextDeleteNextWord) => changed(self.area.delete_next_word()),
            Some(Action::TextClearToStart) => changed(self.area.delete_line_by_head()),
            Some(Action::TextClearToEnd) => changed(self.area.delete_line_by_end()),
            Some(Action::TextUndo) => changed(self.area.undo()),
            Some(Action::TextRedo) => changed(self.area.redo()),
            Some(Action::TextNewline) if self.multiline => {
                self.area.insert_newline();
                Typed::Changed
            }
            Some(_) => Typed::Ignored,
            None => match key.code {
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        && !c.is_control() =>
                {
                    self.area.insert_char(c);
                    Typed::Changed
                }
                _ => Typed::Ignored,
            },
        }
    }

    /// Deletes the word before the cursor as a shell does: back over
    /// spaces, then back to the previous space (punctuation is part of the
    /// word). At the start of a line it joins the line to the one above.
    fn rubout(&mut self) -> bool {
        let ratatui_textarea::DataCursor(row, col) = self.area.cursor();
        if col == 0 {
            return self.area.delete_char();
        }
        let line: Vec<char> = self.area.lines()[row].chars().collect();
        let col = col.min(line.len());
        let mut i = col;
        while i > 0 && line[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !line[i - 1].is_whitespace() {
            i -= 1;
        }
        for _ in i..col {
            self.area.move_cursor(CursorMove::Back);
        }
        self.area.delete_str(col - i)
    }

    fn go(&mut self, m: CursorMove) -> Typed {
        self.area.move_cursor(m);
        Typed::Moved
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
        self.focused = focused;
        self.area.set_cursor_style(if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        });
    }

    /// The text before the cursor on its line, back to the first blank.
    pub fn word_before_cursor(&self) -> String {
        let ratatui_textarea::DataCursor(row, col) = self.area.cursor();
        let line: Vec<char> = self.area.lines()[row].chars().collect();
        let col = col.min(line.len());
        let start = line[..col]
            .iter()
            .rposition(|c| c.is_whitespace())
            .map_or(0, |i| i + 1);
        line[start..col].iter().collect()
    }

    /// Replaces the `n` characters before the cursor with `with` (one
    /// step of the editor's undo).
    pub fn replace_before_cursor(&mut self, n: usize, with: &str) -> bool {
        for _ in 0..n {
            self.area.move_cursor(CursorMove::Back);
        }
        let removed = self.area.delete_str(n);
        self.area.insert_str(sanitize(with)) || removed
    }

    /// The cursor's position: (line, character).
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    pub fn render(&self, f: &mut Frame, area: Rect) {
        if self.multiline || self.area.wrap_mode() != WrapMode::None {
            f.render_widget(&self.area, area);
        } else {
            self.render_line(f, area);
        }
    }

    /// A one-line input, scrolled sideways so that the cursor is always in
    /// view and the field never looks empty while it holds text: what is
    /// shown is what is kept. `‹` and `›` mark text out of view.
    fn render_line(&self, f: &mut Frame, area: Rect) {
        use ratatui::text::{Line, Span};
        use unicode_width::UnicodeWidthChar;
        let w = area.width as usize;
        if w == 0 || area.height == 0 {
            return;
        }
        let text = self.area.lines().first().map_or("", String::as_str);
        let cells: Vec<(char, usize)> = text
            .chars()
            .map(|c| (c, UnicodeWidthChar::width(c).unwrap_or(0)))
            .collect();
        let cursor = self.area.cursor().1.min(cells.len());
        let col_of = |i: usize| cells[..i].iter().map(|c| c.1).sum::<usize>();
        let cur = col_of(cursor);
        // Room for the cursor after the last character.
        let total = col_of(cells.len()) + 1;
        let mut scroll = self.scroll.get();
        if cur < scroll {
            scroll = cur;
        }
        if cur + 1 > scroll + w {
            scroll = cur + 1 - w;
        }
        if total.saturating_sub(scroll) < w {
            scroll = total.saturating_sub(w);
        }
        self.scroll.set(scroll);
        if cells.is_empty() && !self.area.placeholder_text().is_empty() {
            let mut spans = Vec::new();
            if self.focused {
                spans.push(Span::styled(
                    " ",
                    Style::new().add_modifier(Modifier::REVERSED),
                ));
            }
            spans.push(Span::styled(
                crate::text::truncate(self.area.placeholder_text(), w.saturating_sub(1)),
                Style::new().add_modifier(Modifier::DIM),
            ));
            f.render_widget(ratatui::widgets::Paragraph::new(Line::from(spans)), area);
            return;
        }
        let mut spans = Vec::new();
        let mut col = 0;
        let mut used = 0;
        for (i, (c, cw)) in cells.iter().enumerate() {
            let start = col;
            col += cw;
            if start < scroll {
                continue;
            }
            if used + cw > w {
                break;
            }
            let style = if self.focused && i == cursor {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            spans.push(Span::styled(c.to_string(), style));
            used += cw;
        }
        if self.focused && cursor == cells.len() && used < w {
            spans.push(Span::styled(
                " ",
                Style::new().add_modifier(Modifier::REVERSED),
            ));
        }
        f.render_widget(ratatui::widgets::Paragraph::new(Line::from(spans)), area);
        // Marks for text out of view, over the first and last cells.
        let buf = f.buffer_mut();
        let dim = Style::new().add_modifier(Modifier::DIM);
        if scroll > 0
            && let Some(cell) = buf.cell_mut((area.x, area.y))
        {
            cell.set_symbol("‹").set_style(dim);
        }
        if total > scroll + w
            && let Some(cell) = buf.cell_mut((area.x + area.width - 1, area.y))
        {
            cell.set_symbol("›").set_style(dim);
        }
    }
}
