//! What the user can ask for. Keys, the command palette, tests and scripted
//! scenarios all speak this one language.

use serde::{Deserialize, Serialize};

/// A user-level action, bound to keys in the key map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // Views
    ViewMap,
    ViewPersonas,
    ViewNotes,
    ViewOpportunities,
    ViewMetrics,
    NextView,
    PrevView,
    // Movement
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    PageUp,
    PageDown,
    // Editing
    Open,
    Add,
    AddPhase,
    Rename,
    Delete,
    MoveLeft,
    MoveRight,
    MoveUp,
    MoveDown,
    CaptureNote,
    Undo,
    Redo,
    // Map
    ToggleCoverage,
    // Lists
    Filter,
    ToggleBoard,
    Observe,
    // Everything else
    Save,
    Search,
    Palette,
    Help,
    Quit,
}

/// Groups of the help screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Views,
    Move,
    Edit,
    Workspace,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Views => "Views",
            Group::Move => "Move",
            Group::Edit => "Edit",
            Group::Workspace => "Workspace",
        }
    }
}

impl Action {
    pub const ALL: [Action; 36] = [
        Action::ViewMap,
        Action::ViewPersonas,
        Action::ViewNotes,
        Action::ViewOpportunities,
        Action::ViewMetrics,
        Action::NextView,
        Action::PrevView,
        Action::Up,
        Action::Down,
        Action::Left,
        Action::Right,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::Open,
        Action::Add,
        Action::AddPhase,
        Action::Rename,
        Action::Delete,
        Action::MoveLeft,
        Action::MoveRight,
        Action::MoveUp,
        Action::MoveDown,
        Action::CaptureNote,
        Action::Undo,
        Action::Redo,
        Action::ToggleCoverage,
        Action::Filter,
        Action::ToggleBoard,
        Action::Observe,
        Action::Save,
        Action::Search,
        Action::Palette,
        Action::Help,
        Action::Quit,
    ];

    /// The name used in the key map file (`snake_case`).
    pub fn name(self) -> String {
        ron::to_string(&self).unwrap_or_default()
    }

    pub fn group(self) -> Group {
        use Action::*;
        match self {
            ViewMap | ViewPersonas | ViewNotes | ViewOpportunities | ViewMetrics | NextView
            | PrevView => Group::Views,
            Up | Down | Left | Right | Top | Bottom | PageUp | PageDown => Group::Move,
            Open | Add | AddPhase | Rename | Delete | MoveLeft | MoveRight | MoveUp | MoveDown
            | CaptureNote | Undo | Redo | ToggleCoverage | Filter | ToggleBoard | Observe => {
                Group::Edit
            }
            Save | Search | Palette | Help | Quit => Group::Workspace,
        }
    }

    /// What the action does, for the help screen.
    pub fn description(self) -> &'static str {
        use Action::*;
        match self {
            ViewMap => "Map: the value map grid",
            ViewPersonas => "Personas",
            ViewNotes => "Interview notes",
            ViewOpportunities => "Opportunities",
            ViewMetrics => "Metrics",
            NextView => "next view",
            PrevView => "previous view",
            Up => "up",
            Down => "down",
            Left => "left",
            Right => "right",
            Top => "first",
            Bottom => "last",
            PageUp => "page up",
            PageDown => "page down",
            Open => "open / edit the selection",
            Add => "add after the selection (activity, persona, ...)",
            AddPhase => "add a phase after the selected one",
            Rename => "rename the selection",
            Delete => "delete the selection (asks; undoable)",
            MoveLeft => "move the selection left (reorder)",
            MoveRight => "move the selection right (reorder)",
            MoveUp => "move the selection up (reorder)",
            MoveDown => "move the selection down (reorder)",
            CaptureNote => "capture an interview note",
            Undo => "undo",
            Redo => "redo",
            ToggleCoverage => "Map: show / hide blind spots (coverage)",
            Filter => "Notes, Opportunities: filter the list",
            ToggleBoard => "Opportunities: ranked list / roadmap board",
            Observe => "Metrics: add an observation",
            Save => "save",
            Search => "search everything",
            Palette => "command palette",
            Help => "this help",
            Quit => "quit (asks when there are unsaved changes)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_round_trip() {
        assert_eq!(Action::ViewOpportunities.name(), "view_opportunities");
        assert_eq!(Action::Save.name(), "save");
        for a in Action::ALL {
            let back: Action = ron::from_str(&ron::to_string(&a).unwrap()).unwrap();
            assert_eq!(back, a);
        }
    }
}
