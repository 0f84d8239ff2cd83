//! What a key can do. Every key of the interface, in views and in popups,
//! is bound to an [`Action`] in a [`Context`]; one table ([`ACTIONS`]) gives
//! each its context, help group, default keys and description. The key map,
//! the help screen and every hint read this table and the live key map, so
//! a key rebound in `keys.ron` shows as rebound everywhere.

use serde::{Deserialize, Serialize};

/// A user-level action, bound to keys in the key map. The names
/// (`snake_case`) are the ones `keys.ron` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // Views
    ViewMap,
    ViewPersonas,
    ViewNotes,
    ViewOpportunities,
    ViewMetrics,
    ViewTree,
    ViewNeeds,
    ViewAdoption,
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
    /// Opportunities: sort by score, reach or recency.
    Sort,
    Observe,
    /// Merge the selected opportunity into another.
    Merge,
    /// The selection's parts: evidence, lines, observations.
    Parts,
    /// Tree: fold or unfold the selection.
    Fold,
    /// Accept the verdict the metrics suggest.
    Validate,
    /// Needs map: the selected node depends on another.
    Link,
    /// Needs map: drop one of the selected node's edges.
    Unlink,
    /// The themes board: every tag across notes.
    Themes,
    /// Every open question across notes.
    Questions,
    /// The value / effort matrix.
    Matrix,
    // Everything else
    Save,
    Search,
    Palette,
    Help,
    Quit,

    // Text fields (every input, prompt and editor)
    TextLeft,
    TextRight,
    TextWordLeft,
    TextWordRight,
    TextHome,
    TextEnd,
    TextUp,
    TextDown,
    TextTop,
    TextBottom,
    TextBackspace,
    TextDelete,
    TextDeleteWord,
    TextDeleteNextWord,
    TextClearToStart,
    TextClearToEnd,
    TextUndo,
    TextRedo,
    TextNewline,

    // Forms
    FormNextField,
    FormPrevField,
    FormApply,
    /// Apply from anywhere, a field of several lines included.
    FormApplyAnywhere,
    FormApplySave,
    FormCancel,
    FormPick,
    FormIncrease,
    FormDecrease,
    FormClear,

    // Interview capture
    CaptureKeep,
    CaptureCancel,
    CaptureNextField,
    CapturePrevField,

    // Pickers
    PickerPick,
    PickerToggle,
    PickerNext,
    PickerPrev,
    PickerDone,

    // The command palette
    PaletteRun,
    PaletteComplete,
    PaletteNext,
    PalettePrev,
    PaletteCancel,

    // Search
    SearchJump,
    SearchNext,
    SearchPrev,
    SearchClose,

    // One-line prompts
    PromptOk,
    PromptCancel,

    // Yes / no questions
    ConfirmYes,
    ConfirmNo,

    // Quitting with unsaved changes
    QuitSave,
    QuitDiscard,
    QuitStay,

    // Files changed on disk
    ChangedReload,
    ChangedMerge,
    ChangedOverwrite,
    ChangedSaveAs,
    ChangedCancel,

    // Recovered work
    RecoveryRestore,
    RecoveryDiscard,
    RecoveryLater,

    // Suggested opportunities
    SuggestAccept,
    SuggestMerge,
    SuggestDismiss,
    SuggestDismissRest,

    // Lists of parts (evidence, lines, observations)
    ItemsNext,
    ItemsPrev,
    ItemsClose,
    ItemOpen,
    ItemRemove,
    ItemMove,
    ItemAttach,
    ItemEdit,
    ItemNew,

    // Merge conflicts
    ConflictKeepOurs,
    ConflictTakeTheirs,
    ConflictNext,
    ConflictPrev,
    ConflictClose,

    // Boards across the workspace: themes
    BoardDown,
    BoardUp,
    BoardLeft,
    BoardRight,
    BoardTop,
    BoardBottom,
    BoardOpen,
    BoardBack,
    ThemeRename,
    ThemeMerge,
    BoardUndo,
    BoardRedo,
    QuestionAnswer,
    QuestionReopen,
    QuestionFilter,

    // An entity's history from git
    HistoryDown,
    HistoryUp,
    HistoryClose,

    // The help screen
    HelpDown,
    HelpUp,
    HelpPageDown,
    HelpPageUp,
    HelpTop,
    HelpClose,
}

/// Where a key is looked up: the views, or one kind of popup. The same key
/// can mean different things in different contexts (Tab: next view, next
/// field, complete).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// The views and everything global.
    Main,
    Text,
    Form,
    /// The focused field of a form or capture: ratings, choices, links.
    Field,
    Capture,
    Picker,
    Palette,
    Search,
    Prompt,
    Confirm,
    QuitPrompt,
    Changed,
    Recovery,
    Suggest,
    /// A list of the selection's parts.
    Items,
    Conflicts,
    /// The themes board.
    Boards,
    History,
    Help,
}

impl Context {
    pub const ALL: [Context; 19] = [
        Context::Main,
        Context::Text,
        Context::Form,
        Context::Field,
        Context::Capture,
        Context::Picker,
        Context::Palette,
        Context::Search,
        Context::Prompt,
        Context::Confirm,
        Context::QuitPrompt,
        Context::Changed,
        Context::Recovery,
        Context::Suggest,
        Context::Items,
        Context::Conflicts,
        Context::Boards,
        Context::History,
        Context::Help,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Main => "Views",
            Context::Text => "In text fields",
            Context::Form => "In forms",
            Context::Field => "In form fields (ratings, choices, links)",
            Context::Capture => "While capturing a note",
            Context::Picker => "In pickers",
            Context::Palette => "In the command palette",
            Context::Search => "In search",
            Context::Prompt => "In prompts",
            Context::Confirm => "In questions",
            Context::QuitPrompt => "Quitting with unsaved changes",
            Context::Changed => "Files changed on disk",
            Context::Recovery => "Recovered work",
            Context::Suggest => "Suggested opportunities",
            Context::Items => "In lists of evidence, lines and observations",
            Context::Conflicts => "Merge conflicts",
            Context::Boards => {
                "On the themes board, the open questions and the value / effort matrix"
            }
            Context::History => "History from git",
            Context::Help => "In this help",
        }
    }
}

/// Groups of the help screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Views,
    Move,
    Edit,
    Workspace,
    /// A popup's own keys.
    Popup(Context),
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Views => "Views",
            Group::Move => "Move",
            Group::Edit => "Edit",
            Group::Workspace => "Workspace",
            Group::Popup(c) => c.title(),
        }
    }
}

/// The keys an action has when `keys.ron` says nothing of it.
#[derive(Clone, Copy, Debug)]
pub enum Defaults {
    /// These keys (as `keys.ron` writes them).
    Keys(&'static [&'static str]),
    /// Whatever keys another action has (`form_apply_save` follows `save`).
    Like(Action),
}

/// One row of the action table.
#[derive(Clone, Copy, Debug)]
pub struct ActionSpec {
    pub action: Action,
    pub context: Context,
    pub group: Group,
    pub defaults: Defaults,
    pub description: &'static str,
}

const fn row(
    action: Action,
    context: Context,
    group: Group,
    keys: &'static [&'static str],
    description: &'static str,
) -> ActionSpec {
    ActionSpec {
        action,
        context,
        group,
        defaults: Defaults::Keys(keys),
        description,
    }
}

const fn like(
    action: Action,
    context: Context,
    other: Action,
    description: &'static str,
) -> ActionSpec {
    ActionSpec {
        action,
        context,
        group: Group::Popup(context),
        defaults: Defaults::Like(other),
        description,
    }
}

const fn pop(
    action: Action,
    context: Context,
    keys: &'static [&'static str],
    description: &'static str,
) -> ActionSpec {
    row(action, context, Group::Popup(context), keys, description)
}

use Action as A;
use Context as C;
use Group as G;

/// Every action: its context, help group, default keys and what it does.
pub static ACTIONS: &[ActionSpec] = &[
    row(
        A::ViewMap,
        C::Main,
        G::Views,
        &["1"],
        "Map: the value map grid",
    ),
    row(A::ViewPersonas, C::Main, G::Views, &["2"], "Personas"),
    row(A::ViewNotes, C::Main, G::Views, &["3"], "Interview notes"),
    row(
        A::ViewOpportunities,
        C::Main,
        G::Views,
        &["4"],
        "Opportunities",
    ),
    row(A::ViewMetrics, C::Main, G::Views, &["5"], "Metrics"),
    row(
        A::ViewTree,
        C::Main,
        G::Views,
        &["6"],
        "Tree: outcomes, opportunities, solutions, assumption tests",
    ),
    row(
        A::ViewNeeds,
        C::Main,
        G::Views,
        &["7"],
        "Needs map: end-user needs down to infrastructure",
    ),
    row(
        A::ViewAdoption,
        C::Main,
        G::Views,
        &["8"],
        "Adoption: consumer teams × capabilities, rates over time",
    ),
    row(A::NextView, C::Main, G::Views, &["tab"], "next view"),
    row(
        A::PrevView,
        C::Main,
        G::Views,
        &["shift-tab"],
        "previous view",
    ),
    row(A::Up, C::Main, G::Move, &["up", "k"], "up"),
    row(A::Down, C::Main, G::Move, &["down", "j"], "down"),
    row(A::Left, C::Main, G::Move, &["left", "h"], "left"),
    row(A::Right, C::Main, G::Move, &["right", "l"], "right"),
    row(A::Top, C::Main, G::Move, &["g", "home"], "first"),
    row(A::Bottom, C::Main, G::Move, &["G", "end"], "last"),
    row(A::PageUp, C::Main, G::Move, &["pgup"], "page up"),
    row(A::PageDown, C::Main, G::Move, &["pgdn"], "page down"),
    row(
        A::Open,
        C::Main,
        G::Edit,
        &["enter"],
        "open / edit the selection",
    ),
    row(
        A::Add,
        C::Main,
        G::Edit,
        &["a"],
        "add after the selection (activity, persona, ...); Tree: add a child; Needs map: a node in the layer",
    ),
    row(
        A::AddPhase,
        C::Main,
        G::Edit,
        &["A"],
        "Map: add a phase after the selected one; Tree: add a sibling; Needs map: a layer below",
    ),
    row(A::Rename, C::Main, G::Edit, &["r"], "rename the selection"),
    row(
        A::Delete,
        C::Main,
        G::Edit,
        &["d"],
        "delete the selection (asks; undoable)",
    ),
    row(
        A::MoveLeft,
        C::Main,
        G::Edit,
        &["H"],
        "move the selection left (reorder)",
    ),
    row(
        A::MoveRight,
        C::Main,
        G::Edit,
        &["L"],
        "move the selection right (reorder)",
    ),
    row(
        A::MoveUp,
        C::Main,
        G::Edit,
        &["K"],
        "move the selection up (reorder)",
    ),
    row(
        A::MoveDown,
        C::Main,
        G::Edit,
        &["J"],
        "move the selection down (reorder)",
    ),
    row(
        A::CaptureNote,
        C::Main,
        G::Edit,
        &["n"],
        "capture an interview note",
    ),
    row(A::Undo, C::Main, G::Edit, &["u"], "undo"),
    row(A::Redo, C::Main, G::Edit, &["ctrl-r"], "redo"),
    row(
        A::ToggleCoverage,
        C::Main,
        G::Edit,
        &["c"],
        "Map: show / hide blind spots (coverage)",
    ),
    row(
        A::Filter,
        C::Main,
        G::Edit,
        &["f"],
        "Notes, Opportunities: filter the list",
    ),
    row(
        A::ToggleBoard,
        C::Main,
        G::Edit,
        &["b"],
        "Opportunities: ranked list / roadmap board",
    ),
    row(
        A::Sort,
        C::Main,
        G::Edit,
        &["s"],
        "Opportunities: rank by score, reach (people heard) or recency",
    ),
    row(
        A::Observe,
        C::Main,
        G::Edit,
        &["o"],
        "Metrics: add an observation",
    ),
    row(
        A::Merge,
        C::Main,
        G::Edit,
        &["m"],
        "Opportunities: merge the selection into another (evidence united; undoable); Tree: move it under another",
    ),
    row(
        A::Parts,
        C::Main,
        G::Edit,
        &["e"],
        "the selection's evidence (Opportunities, Tree), lines (Notes) or observations (Metrics)",
    ),
    row(
        A::Fold,
        C::Main,
        G::Edit,
        &["space"],
        "Tree: fold / unfold the selection",
    ),
    row(
        A::Validate,
        C::Main,
        G::Edit,
        &["v"],
        "accept the verdict the metrics suggest (validated / invalidated)",
    ),
    row(
        A::Link,
        C::Main,
        G::Edit,
        &["+"],
        "Needs map: the selected node depends on a node of a lower layer",
    ),
    row(
        A::Unlink,
        C::Main,
        G::Edit,
        &["-"],
        "Needs map: remove one of the selected node's depends-on edges",
    ),
    row(
        A::Themes,
        C::Main,
        G::Workspace,
        &["t"],
        "themes: every #tag across notes, by role; rename or merge tags",
    ),
    row(
        A::Questions,
        C::Main,
        G::Workspace,
        &["Q"],
        "open questions: every ? line across notes; mark them answered",
    ),
    row(
        A::Matrix,
        C::Main,
        G::Workspace,
        &["M"],
        "value / effort matrix: quick wins, big bets, fill-ins, money pits",
    ),
    row(A::Save, C::Main, G::Workspace, &["ctrl-s"], "save"),
    row(
        A::Search,
        C::Main,
        G::Workspace,
        &["/"],
        "search everything",
    ),
    row(A::Palette, C::Main, G::Workspace, &[":"], "command palette"),
    row(A::Help, C::Main, G::Workspace, &["?", "f1"], "this help"),
    row(
        A::Quit,
        C::Main,
        G::Workspace,
        &["q", "ctrl-c"],
        "quit (asks when there are unsaved changes)",
    ),
    // Text fields.
    pop(A::TextLeft, C::Text, &["left", "ctrl-b"], "cursor left"),
    pop(A::TextRight, C::Text, &["right", "ctrl-f"], "cursor right"),
    pop(
        A::TextWordLeft,
        C::Text,
        &["alt-b", "ctrl-left"],
        "word left",
    ),
    pop(
        A::TextWordRight,
        C::Text,
        &["alt-f", "ctrl-right"],
        "word right",
    ),
    pop(
        A::TextHome,
        C::Text,
        &["home", "ctrl-a"],
        "start of the line",
    ),
    pop(A::TextEnd, C::Text, &["end", "ctrl-e"], "end of the line"),
    pop(
        A::TextUp,
        C::Text,
        &["up", "ctrl-p"],
        "line up (several lines)",
    ),
    pop(
        A::TextDown,
        C::Text,
        &["down", "ctrl-n"],
        "line down (several lines)",
    ),
    pop(A::TextTop, C::Text, &["alt-<"], "start of the text"),
    pop(A::TextBottom, C::Text, &["alt->"], "end of the text"),
    pop(
        A::TextBackspace,
        C::Text,
        &["backspace", "ctrl-h"],
        "delete the character before",
    ),
    pop(
        A::TextDelete,
        C::Text,
        &["del", "ctrl-d"],
        "delete the character under the cursor",
    ),
    pop(
        A::TextDeleteWord,
        C::Text,
        &["ctrl-w", "alt-backspace"],
        "delete the word before (back to a space)",
    ),
    pop(
        A::TextDeleteNextWord,
        C::Text,
        &["alt-d", "alt-del"],
        "delete the word after",
    ),
    pop(
        A::TextClearToStart,
        C::Text,
        &["ctrl-u"],
        "delete to the start of the line",
    ),
    pop(
        A::TextClearToEnd,
        C::Text,
        &["ctrl-k"],
        "delete to the end of the line",
    ),
    pop(A::TextUndo, C::Text, &["ctrl-z"], "undo typing"),
    pop(A::TextRedo, C::Text, &["ctrl-y"], "redo typing"),
    pop(
        A::TextNewline,
        C::Text,
        &["enter", "ctrl-m"],
        "new line (several lines)",
    ),
    // Forms.
    pop(A::FormNextField, C::Form, &["tab"], "next field"),
    pop(A::FormPrevField, C::Form, &["shift-tab"], "previous field"),
    pop(
        A::FormApply,
        C::Form,
        &["enter"],
        "apply (from a one-line field; in a field of several lines Enter starts a new line)",
    ),
    pop(
        A::FormApplyAnywhere,
        C::Form,
        &["alt-enter"],
        "apply, from any field",
    ),
    like(A::FormApplySave, C::Form, A::Save, "apply and save"),
    pop(
        A::FormCancel,
        C::Form,
        &["esc"],
        "cancel (asks when something changed)",
    ),
    pop(A::FormPick, C::Field, &["enter", "down"], "links: pick"),
    pop(
        A::FormIncrease,
        C::Field,
        &["l", "right", "+"],
        "ratings, choices: next value",
    ),
    pop(
        A::FormDecrease,
        C::Field,
        &["h", "left", "-"],
        "ratings, choices: previous value",
    ),
    pop(
        A::FormClear,
        C::Field,
        &["backspace", "del"],
        "links: remove the last; ratings: not rated",
    ),
    // Capture.
    like(
        A::CaptureKeep,
        C::Capture,
        A::Save,
        "keep the note and save",
    ),
    pop(
        A::CaptureCancel,
        C::Capture,
        &["esc"],
        "discard (asks when something was typed)",
    ),
    pop(
        A::CaptureNextField,
        C::Capture,
        &["tab"],
        "next field; after @ or ~ in the note, complete the name (again: next match)",
    ),
    pop(
        A::CapturePrevField,
        C::Capture,
        &["shift-tab"],
        "previous field (while completing: previous match)",
    ),
    // Pickers.
    pop(
        A::PickerPick,
        C::Picker,
        &["enter"],
        "pick (several: toggle)",
    ),
    pop(
        A::PickerToggle,
        C::Picker,
        &["space"],
        "toggle (several allowed)",
    ),
    pop(A::PickerNext, C::Picker, &["down", "tab"], "next"),
    pop(A::PickerPrev, C::Picker, &["up", "shift-tab"], "previous"),
    pop(A::PickerDone, C::Picker, &["esc"], "done (one: cancel)"),
    // Palette.
    pop(A::PaletteRun, C::Palette, &["enter"], "run"),
    pop(A::PaletteComplete, C::Palette, &["tab"], "complete"),
    pop(A::PaletteNext, C::Palette, &["down"], "next suggestion"),
    pop(
        A::PalettePrev,
        C::Palette,
        &["up", "shift-tab"],
        "previous suggestion",
    ),
    pop(A::PaletteCancel, C::Palette, &["esc"], "close"),
    // Search.
    pop(A::SearchJump, C::Search, &["enter"], "go to the result"),
    pop(
        A::SearchNext,
        C::Search,
        &["down", "tab", "ctrl-n"],
        "next result",
    ),
    pop(
        A::SearchPrev,
        C::Search,
        &["up", "shift-tab", "ctrl-p"],
        "previous result",
    ),
    pop(A::SearchClose, C::Search, &["esc"], "close"),
    // Prompts.
    pop(A::PromptOk, C::Prompt, &["enter"], "ok"),
    pop(A::PromptCancel, C::Prompt, &["esc"], "cancel"),
    // Questions.
    pop(A::ConfirmYes, C::Confirm, &["y", "Y", "enter"], "yes"),
    pop(A::ConfirmNo, C::Confirm, &["n", "N", "esc"], "no"),
    pop(A::QuitSave, C::QuitPrompt, &["y", "Y"], "save and quit"),
    pop(
        A::QuitDiscard,
        C::QuitPrompt,
        &["n", "N"],
        "quit without saving",
    ),
    pop(A::QuitStay, C::QuitPrompt, &["esc", "c", "C"], "stay"),
    pop(
        A::ChangedReload,
        C::Changed,
        &["r", "R"],
        "reload from disk (drops your unsaved changes)",
    ),
    pop(
        A::ChangedMerge,
        C::Changed,
        &["m", "M"],
        "merge theirs and yours by id (then save)",
    ),
    pop(
        A::ChangedOverwrite,
        C::Changed,
        &["o", "O"],
        "overwrite theirs",
    ),
    pop(A::ChangedSaveAs, C::Changed, &["s", "S"], "save as…"),
    pop(A::ChangedCancel, C::Changed, &["esc"], "cancel"),
    pop(
        A::RecoveryRestore,
        C::Recovery,
        &["r", "R", "enter"],
        "recover them",
    ),
    pop(A::RecoveryDiscard, C::Recovery, &["d", "D"], "discard them"),
    pop(A::RecoveryLater, C::Recovery, &["esc"], "decide later"),
    pop(A::SuggestAccept, C::Suggest, &["a", "A"], "accept as new"),
    pop(
        A::SuggestMerge,
        C::Suggest,
        &["m", "M"],
        "merge into existing",
    ),
    pop(A::SuggestDismiss, C::Suggest, &["x", "X"], "dismiss"),
    pop(
        A::SuggestDismissRest,
        C::Suggest,
        &["esc"],
        "dismiss the rest",
    ),
    pop(A::ItemsNext, C::Items, &["down", "j"], "next"),
    pop(A::ItemsPrev, C::Items, &["up", "k"], "previous"),
    pop(A::ItemsClose, C::Items, &["esc", "q"], "close"),
    pop(
        A::ItemOpen,
        C::Items,
        &["enter"],
        "open (the note of a piece of evidence)",
    ),
    pop(A::ItemRemove, C::Items, &["d"], "remove (undoable)"),
    pop(A::ItemMove, C::Items, &["m"], "move to another opportunity"),
    pop(
        A::ItemAttach,
        C::Items,
        &["a"],
        "attach to an opportunity as evidence",
    ),
    pop(A::ItemEdit, C::Items, &["e"], "edit"),
    pop(A::ItemNew, C::Items, &["n"], "a new opportunity from it"),
    pop(A::ConflictKeepOurs, C::Conflicts, &["o"], "keep this side"),
    pop(
        A::ConflictTakeTheirs,
        C::Conflicts,
        &["t"],
        "take the other side",
    ),
    pop(
        A::ConflictNext,
        C::Conflicts,
        &["down", "j"],
        "next conflict",
    ),
    pop(
        A::ConflictPrev,
        C::Conflicts,
        &["up", "k"],
        "previous conflict",
    ),
    pop(A::ConflictClose, C::Conflicts, &["esc", "q"], "later"),
    pop(A::BoardDown, C::Boards, &["down", "j"], "next"),
    pop(A::BoardUp, C::Boards, &["up", "k"], "previous"),
    pop(
        A::BoardLeft,
        C::Boards,
        &["left", "h"],
        "matrix: the quadrant to the left",
    ),
    pop(
        A::BoardRight,
        C::Boards,
        &["right", "l"],
        "matrix: the quadrant to the right",
    ),
    pop(A::BoardTop, C::Boards, &["g", "home"], "first"),
    pop(A::BoardBottom, C::Boards, &["G", "end"], "last"),
    pop(
        A::BoardOpen,
        C::Boards,
        &["enter"],
        "open: a tag's notes and lines; the note of a line or a question; the matrix's item",
    ),
    pop(A::BoardBack, C::Boards, &["esc", "q"], "back / close"),
    pop(
        A::ThemeRename,
        C::Boards,
        &["r"],
        "rename the tag in every note (undoable)",
    ),
    pop(
        A::ThemeMerge,
        C::Boards,
        &["m"],
        "merge the tag into another (undoable)",
    ),
    pop(
        A::BoardUndo,
        C::Boards,
        &["u"],
        "themes and questions: undo the last change, the board open",
    ),
    pop(
        A::BoardRedo,
        C::Boards,
        &["ctrl-r"],
        "themes and questions: redo",
    ),
    pop(
        A::QuestionAnswer,
        C::Boards,
        &["a"],
        "mark the question answered (by a line of a later note, or none)",
    ),
    pop(
        A::QuestionReopen,
        C::Boards,
        &["o"],
        "open the answered question again",
    ),
    pop(
        A::QuestionFilter,
        C::Boards,
        &["f"],
        "show open / answered / all questions",
    ),
    pop(A::HistoryDown, C::History, &["down", "j"], "scroll down"),
    pop(A::HistoryUp, C::History, &["up", "k"], "scroll up"),
    pop(A::HistoryClose, C::History, &["esc", "q"], "close"),
    pop(A::HelpDown, C::Help, &["down", "j"], "scroll down"),
    pop(A::HelpUp, C::Help, &["up", "k"], "scroll up"),
    pop(A::HelpPageDown, C::Help, &["pgdn", "space"], "page down"),
    pop(A::HelpPageUp, C::Help, &["pgup"], "page up"),
    pop(A::HelpTop, C::Help, &["home", "g"], "top"),
    pop(A::HelpClose, C::Help, &["esc", "q"], "close"),
];

impl Action {
    /// The name used in the key map file (`snake_case`).
    pub fn name(self) -> String {
        ron::to_string(&self).unwrap_or_default()
    }

    /// The action's row of [`ACTIONS`].
    pub fn spec(self) -> &'static ActionSpec {
        ACTIONS
            .iter()
            .find(|s| s.action == self)
            .unwrap_or(&ACTIONS[0])
    }

    pub fn context(self) -> Context {
        self.spec().context
    }

    pub fn group(self) -> Group {
        self.spec().group
    }

    /// What the action does, for the help screen.
    pub fn description(self) -> &'static str {
        self.spec().description
    }

    /// Every action, in table order.
    pub fn all() -> impl Iterator<Item = Action> {
        ACTIONS.iter().map(|s| s.action)
    }

    /// The action named `name` in `keys.ron`.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::all().find(|a| a.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_round_trip() {
        assert_eq!(Action::ViewOpportunities.name(), "view_opportunities");
        assert_eq!(Action::Save.name(), "save");
        assert_eq!(Action::FormApplySave.name(), "form_apply_save");
        for a in Action::all() {
            let back: Action = ron::from_str(&ron::to_string(&a).unwrap()).unwrap();
            assert_eq!(back, a);
            assert_eq!(Action::from_name(&a.name()), Some(a));
        }
    }

    #[test]
    fn every_action_has_exactly_one_row() {
        // The table lists each action once; the last variant is in it, and
        // the count matches the enum (variants are numbered in order).
        let mut seen = std::collections::BTreeSet::new();
        for s in ACTIONS {
            assert!(seen.insert(s.action), "{:?} twice", s.action);
        }
        assert_eq!(seen.len(), Action::HelpClose as usize + 1);
    }
}
