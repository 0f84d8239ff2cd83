//! A list's selection and scroll offset, and the roadmap board's cursor.

/// A simple list selection with a scroll offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// Moves by `delta` rows within `len` items.
    pub fn step(&mut self, delta: isize, len: usize) {
        let max = len.saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, max.max(0)) as usize;
    }

    /// Keeps the selection within `height` visible rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// The first visible row for the selection in a window of `h` rows.
    pub fn window(&self, h: usize, len: usize) -> usize {
        let h = h.max(1);
        let mut first = self.offset.min(len.saturating_sub(h));
        if self.selected < first {
            first = self.selected;
        } else if self.selected >= first + h {
            first = self.selected + 1 - h;
        }
        first
    }
}

/// The cursor on the roadmap board: a column (Now, Next, Later, Unplanned)
/// and a card in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Board {
    pub col: usize,
    pub row: usize,
}
