//! The map cursor: where it is, what it is on, and the grid's geometry.

use ratatui::layout::Rect;

use crate::model::{ActivityPos, Workspace};

/// A column of the grid: an activity, or the placeholder of a phase that has
/// none yet (so it can be selected and filled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Activity(ActivityPos),
    EmptyPhase(usize),
}

impl Column {
    pub fn phase(self) -> usize {
        match self {
            Column::Activity(p) => p.phase,
            Column::EmptyPhase(p) => p,
        }
    }
}

/// The columns of the grid, in order.
pub fn columns(ws: &Workspace) -> Vec<Column> {
    let mut out = Vec::with_capacity(ws.activity_count() + 1);
    for (pi, p) in ws.phases.iter().enumerate() {
        if p.activities.is_empty() {
            out.push(Column::EmptyPhase(pi));
        }
        for index in 0..p.activities.len() {
            out.push(Column::Activity(ActivityPos { phase: pi, index }));
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The band of phase names.
    Phase,
    /// The row of activity names.
    Activity,
    Persona(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// The persona names.
    Names,
    At(usize),
}

/// What the map cursor is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The corner: the workspace itself.
    Workspace,
    Phase(usize),
    Activity(ActivityPos),
    /// The placeholder column of an empty phase.
    EmptyPhase(usize),
    Persona(usize),
    Cell {
        persona: usize,
        column: Column,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapState {
    pub row: Row,
    pub col: Col,
    pub first_col: usize,
    pub first_row: usize,
    pub coverage: bool,
}

impl Default for MapState {
    fn default() -> Self {
        MapState {
            row: Row::Persona(0),
            col: Col::At(0),
            first_col: 0,
            first_row: 0,
            coverage: false,
        }
    }
}

/// Sizes of the grid for a map area.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    pub area: Rect,
    pub name_w: u16,
    pub col_w: u16,
    pub header_h: u16,
    pub row_h: u16,
    pub vis_cols: usize,
    pub vis_rows: usize,
}

impl Geometry {
    /// Sizes for a map area showing `personas` rows: rows grow (up to six
    /// lines, showing pains and needs) when there is room for all of them.
    pub fn new(area: Rect, personas: usize, columns: usize) -> Geometry {
        let name_w = (area.width / 4)
            .clamp(12, 26)
            .min(area.width.saturating_sub(8));
        let avail = area.width.saturating_sub(name_w);
        // As many columns of at least 22 cells as fit, sharing the width; at
        // least one column, however narrow the terminal. When every column
        // fits, they share the whole width (up to 48 cells each).
        let n = (avail / 22).max(1).min(columns.max(1) as u16);
        let col_w = (avail / n).clamp(1, 48);
        let header_h = 2;
        // Rows grow with the height (more pains and needs show), up to ten.
        let row_h = (area.height.saturating_sub(header_h) / personas.max(1) as u16).clamp(3, 10);
        Geometry {
            area,
            name_w,
            col_w,
            header_h,
            row_h,
            vis_cols: (avail / col_w.max(1)).max(1) as usize,
            vis_rows: (area.height.saturating_sub(header_h) / row_h).max(1) as usize,
        }
    }

    /// The map area inside a terminal of `size` (below the tab bar, above the
    /// status bar).
    pub fn for_terminal(size: (u16, u16), personas: usize, columns: usize) -> Geometry {
        Geometry::new(
            Rect::new(0, 1, size.0, size.1.saturating_sub(2)),
            personas,
            columns,
        )
    }
}

impl MapState {
    /// What the cursor is on.
    pub fn selection(&self, ws: &Workspace) -> Selection {
        let cols = columns(ws);
        let column = match self.col {
            Col::At(i) => cols.get(i).copied(),
            Col::Names => None,
        };
        match (self.row, column) {
            (Row::Phase | Row::Activity, None) => Selection::Workspace,
            (Row::Phase, Some(c)) => Selection::Phase(c.phase()),
            (Row::Activity, Some(Column::Activity(p))) => Selection::Activity(p),
            (Row::Activity, Some(Column::EmptyPhase(p))) => Selection::EmptyPhase(p),
            (Row::Persona(i), None) if i < ws.personas.len() => Selection::Persona(i),
            (Row::Persona(i), Some(column)) if i < ws.personas.len() => {
                Selection::Cell { persona: i, column }
            }
            (Row::Persona(_), _) => Selection::Workspace,
        }
    }

    /// Keeps the cursor on something that exists.
    pub fn clamp(&mut self, ws: &Workspace) {
        let n_cols = columns(ws).len();
        if let Col::At(i) = self.col {
            self.col = if n_cols == 0 {
                Col::Names
            } else {
                Col::At(i.min(n_cols - 1))
            };
        }
        if let Row::Persona(i) = self.row {
            self.row = if ws.personas.is_empty() {
                Row::Activity
            } else {
                Row::Persona(i.min(ws.personas.len() - 1))
            };
        }
    }

    /// Moves the cursor by rows / columns, staying on the grid.
    pub fn step(&mut self, ws: &Workspace, dr: isize, dc: isize) {
        let n_cols = columns(ws).len() as isize;
        let n_personas = ws.personas.len() as isize;
        // Rows: -2 phase band, -1 activity names, 0.. personas.
        let r = match self.row {
            Row::Phase => -2,
            Row::Activity => -1,
            Row::Persona(i) => i as isize,
        };
        let r = (r + dr).clamp(-2, (n_personas - 1).max(-1));
        self.row = match r {
            -2 => Row::Phase,
            -1 => Row::Activity,
            i => Row::Persona(i as usize),
        };
        // Columns: -1 names, 0.. columns.
        let c = match self.col {
            Col::Names => -1,
            Col::At(i) => i as isize,
        };
        // On the band of phase names, sideways goes phase by phase.
        if self.row == Row::Phase && dc != 0 {
            let cols = columns(ws);
            let phase_of = |i: isize| cols.get(i as usize).map(|c| c.phase());
            let here = phase_of(c);
            let mut i = c;
            loop {
                let next = i + dc.signum();
                if next < -1 || next >= n_cols {
                    break;
                }
                i = next;
                // The first column of the next phase (or the names).
                if i == -1 || (phase_of(i) != here && (i == 0 || phase_of(i - 1) != phase_of(i))) {
                    break;
                }
            }
            self.col = if i < 0 {
                Col::Names
            } else {
                Col::At(i as usize)
            };
            return;
        }
        let c = (c + dc).clamp(-1, (n_cols - 1).max(-1));
        self.col = if c < 0 {
            Col::Names
        } else {
            Col::At(c as usize)
        };
    }

    /// Selects an activity column.
    pub fn select_activity(&mut self, ws: &Workspace, pos: ActivityPos) {
        if let Some(i) = columns(ws).iter().position(|c| *c == Column::Activity(pos)) {
            self.col = Col::At(i);
        }
    }

    /// Selects the column of a phase (its first activity or its placeholder).
    pub fn select_phase(&mut self, ws: &Workspace, phase: usize) {
        if let Some(i) = columns(ws).iter().position(|c| c.phase() == phase) {
            self.col = Col::At(i);
        }
    }

    /// Scrolls so that the cursor is visible in a terminal of `size`.
    pub fn scroll_into_view(&mut self, ws: &Workspace, size: (u16, u16)) {
        let g = Geometry::for_terminal(size, ws.personas.len(), columns(ws).len());
        let n_cols = columns(ws).len();
        if let Col::At(i) = self.col {
            if i < self.first_col {
                self.first_col = i;
            } else if i >= self.first_col + g.vis_cols {
                self.first_col = i + 1 - g.vis_cols;
            }
        }
        self.first_col = self.first_col.min(n_cols.saturating_sub(g.vis_cols));
        if let Row::Persona(i) = self.row {
            if i < self.first_row {
                self.first_row = i;
            } else if i >= self.first_row + g.vis_rows {
                self.first_row = i + 1 - g.vis_rows;
            }
        }
        self.first_row = self
            .first_row
            .min(ws.personas.len().saturating_sub(g.vis_rows));
    }
}
