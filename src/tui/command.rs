//! Commands: what the interface can be asked to do, typed, with their
//! arguments. Keys (through their [`Action`]), the palette (`:add-phase
//! Creation`), popups and tests all ask for the same [`Command`]s; the
//! registry (`tui::registry`) gives each its name, help, argument completer,
//! parser and handler in one table.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::action::Action;
use super::state::View;
use super::theme::ThemeName;
use crate::export::Format;
use crate::model::edit::Edit;
use crate::model::{EntityRef, Note, Role, Workspace};
use crate::store::recovery::Recovery;

/// Something the interface does.
#[derive(Clone, Debug)]
pub enum Command {
    // Views
    View(View),
    NextView,
    PrevView,
    // The selection
    /// Open or edit the selection (a cell's perspective, a persona, ...).
    Open,
    /// Add something after the selection (an activity in the map, ...).
    Add,
    AddPhase(Option<String>),
    AddActivity(Option<String>),
    AddPersona(Option<String>),
    AddOpportunity(Option<String>),
    AddMetric(Option<String>),
    AddOutcome(Option<String>),
    /// A solution for the selected opportunity.
    AddSolution(Option<String>),
    /// An assumption test for the selected solution.
    AddTest(Option<String>),
    /// Tree: a sibling of the selection.
    AddSibling,
    /// Tree: move the selection under another parent.
    MoveNode,
    /// Needs map: a node in the selected layer.
    AddNeedsNode(Option<String>),
    /// Needs map: a layer below the selected one.
    AddLayer(Option<String>),
    /// Needs map: the selected node depends on another.
    Link,
    /// Needs map: drop one of the selected node's edges.
    Unlink,
    /// Set the opportunity to the verdict its metrics suggest.
    Validate,
    /// Tree: the selected solution shipped (today, or on a date).
    Ship(Option<NaiveDate>),
    /// The workspace's name and description.
    EditWorkspace,
    Rename(Option<String>),
    Delete,
    SetRole(Role),
    SetImportance(Option<u8>),
    SetSatisfaction(Option<u8>),
    MoveLeft,
    MoveRight,
    MoveUp,
    MoveDown,
    Coverage,
    Board,
    /// Opportunities: sort by this (or the next way).
    Sort(Option<crate::model::score::Rank>),
    Filter(Option<String>),
    Observe(Option<(f64, Option<NaiveDate>)>),
    Note,
    /// Merge the selected opportunity into another.
    Merge,
    /// The selection's parts (evidence, lines, observations), by view.
    Parts,
    Evidence,
    Lines,
    Observations,
    /// The themes board: every tag across notes.
    Themes,
    /// The value / effort matrix.
    Matrix,
    /// Every question across notes (open ones unless told).
    Questions(Option<crate::synthesis::questions::Show>),
    /// Rename a tag in every note (merging it into the tag named, if one
    /// is there already).
    RenameTag {
        from: String,
        to: String,
    },
    // History and files
    Undo,
    Redo,
    Save,
    SaveAs(Option<PathBuf>),
    Reload,
    Conflicts,
    /// The selection's timeline from git.
    History,
    Export(Format, PathBuf),
    // The interface
    Theme(ThemeName),
    Help,
    Palette,
    Search,
    Quit,
    QuitNow,
    // Asked for by popups (not in the palette)
    SaveAndQuit,
    ForceSave {
        then_quit: bool,
    },
    MergeOutside(Vec<PathBuf>),
    Restore(Box<Recovery>),
    DiscardRecovery,
    KeepNote(Box<Note>),
    DiscardDraft,
    SuggestionsDone(String),
    Jump(EntityRef),
    Settled {
        label: String,
        edit: Box<Edit>,
    },
}

/// What the table says of a command, apart from its handler: enough for
/// the palette to list, complete and parse it.
#[derive(Clone, Copy)]
pub struct Info {
    /// The name typed in the palette (`add-phase`).
    pub name: &'static str,
    /// The arguments, for help (`NAME`).
    pub args: &'static str,
    pub help: &'static str,
    /// Listed in the palette; popups' own commands are not.
    pub palette: bool,
    /// The key action that runs it, for hints.
    pub key: Option<Action>,
    /// The values its argument can take, for Tab completion.
    pub complete: fn(&Workspace) -> Vec<String>,
    /// The command for a palette line's argument.
    pub parse: fn(&str) -> Result<Command, String>,
}

impl Command {
    /// The command's name in the registry (and the palette).
    pub fn name(&self) -> &'static str {
        use Command::*;
        match self {
            View(_) => "view",
            NextView => "next-view",
            PrevView => "previous-view",
            Open => "open",
            Add => "add",
            AddPhase(_) => "add-phase",
            AddActivity(_) => "add-activity",
            AddPersona(_) => "add-persona",
            AddOpportunity(_) => "add-opportunity",
            AddMetric(_) => "add-metric",
            AddOutcome(_) => "add-outcome",
            AddSolution(_) => "add-solution",
            AddTest(_) => "add-test",
            AddSibling => "add-sibling",
            MoveNode => "move",
            AddNeedsNode(_) => "add-node",
            AddLayer(_) => "add-layer",
            Link => "link",
            Unlink => "unlink",
            Validate => "validate",
            Ship(_) => "ship",
            EditWorkspace => "workspace",
            Rename(_) => "rename",
            Delete => "delete",
            SetRole(_) => "set-role",
            SetImportance(_) => "set-importance",
            SetSatisfaction(_) => "set-satisfaction",
            MoveLeft => "move-left",
            MoveRight => "move-right",
            MoveUp => "move-up",
            MoveDown => "move-down",
            Coverage => "coverage",
            Board => "board",
            Sort(_) => "sort",
            Filter(_) => "filter",
            Observe(_) => "observe",
            Note => "note",
            Merge => "merge",
            Parts => "parts",
            Evidence => "evidence",
            Lines => "lines",
            Observations => "observations",
            Themes => "themes",
            Matrix => "matrix",
            Questions(_) => "questions",
            RenameTag { .. } => "rename-tag",
            Undo => "undo",
            Redo => "redo",
            Save => "save",
            SaveAs(_) => "save-as",
            Reload => "reload",
            Conflicts => "conflicts",
            History => "history",
            Export(..) => "export",
            Theme(_) => "theme",
            Help => "help",
            Palette => "palette",
            Search => "search",
            Quit => "quit",
            QuitNow => "quit!",
            SaveAndQuit => "save-and-quit",
            ForceSave { .. } => "overwrite",
            MergeOutside(_) => "merge-outside",
            Restore(_) => "restore",
            DiscardRecovery => "discard-recovery",
            KeepNote(_) => "keep-note",
            DiscardDraft => "discard-draft",
            SuggestionsDone(_) => "suggestions-done",
            Jump(_) => "jump",
            Settled { .. } => "settle",
        }
    }

    /// The command a key action of the views asks for (movement is the
    /// views' own business and asks for none).
    pub fn for_action(a: Action) -> Option<Command> {
        use Action as A;
        Some(match a {
            A::ViewMap => Command::View(View::Map),
            A::ViewPersonas => Command::View(View::Personas),
            A::ViewNotes => Command::View(View::Notes),
            A::ViewOpportunities => Command::View(View::Opportunities),
            A::ViewMetrics => Command::View(View::Metrics),
            A::ViewTree => Command::View(View::Tree),
            A::ViewNeeds => Command::View(View::Needs),
            A::Link => Command::Link,
            A::Unlink => Command::Unlink,
            A::ViewAdoption => Command::View(View::Adoption),
            A::NextView => Command::NextView,
            A::PrevView => Command::PrevView,
            A::Open => Command::Open,
            A::Add => Command::Add,
            A::AddPhase => Command::AddPhase(None),
            A::Rename => Command::Rename(None),
            A::Delete => Command::Delete,
            A::MoveLeft => Command::MoveLeft,
            A::MoveRight => Command::MoveRight,
            A::MoveUp => Command::MoveUp,
            A::MoveDown => Command::MoveDown,
            A::CaptureNote => Command::Note,
            A::Undo => Command::Undo,
            A::Redo => Command::Redo,
            A::ToggleCoverage => Command::Coverage,
            A::Filter => Command::Filter(None),
            A::ToggleBoard => Command::Board,
            A::Sort => Command::Sort(None),
            A::Observe => Command::Observe(None),
            A::Merge => Command::Merge,
            A::Parts => Command::Parts,
            A::Validate => Command::Validate,
            A::Themes => Command::Themes,
            A::Matrix => Command::Matrix,
            A::Questions => Command::Questions(None),
            A::Save => Command::Save,
            A::Search => Command::Search,
            A::Palette => Command::Palette,
            A::Help => Command::Help,
            A::Quit => Command::Quit,
            _ => return None,
        })
    }
}

// ---- parsers and completers shared by the table ----

/// `c`, which takes no argument.
pub fn no_arg(arg: &str, c: Command) -> Result<Command, String> {
    if arg.trim().is_empty() {
        Ok(c)
    } else {
        Err(format!("{} takes no argument", c.name()))
    }
}

/// An optional text argument: `None` when empty (the command then asks).
pub fn text(arg: &str) -> Option<String> {
    let t = arg.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A rating `1`–`5`, or `none` / `0` / `-`.
pub fn rating(arg: &str) -> Result<Option<u8>, String> {
    match arg.trim() {
        "" => Err("the rating is missing: 1 to 5, or none".into()),
        "none" | "-" | "0" => Ok(None),
        n => n
            .parse::<u8>()
            .ok()
            .filter(|r| crate::model::score::rating_in_range(*r))
            .map(Some)
            .ok_or_else(|| "A rating is 1 to 5, or none".into()),
    }
}

/// `VALUE [YYYY-MM-DD]`, or nothing (the command then asks).
pub fn observation(arg: &str) -> Result<Option<(f64, Option<NaiveDate>)>, String> {
    let mut parts = arg.split_whitespace();
    let Some(v) = parts.next() else {
        return Ok(None);
    };
    let value: f64 = v
        .replace(',', ".")
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or("The value must be a number")?;
    let date = match parts.next() {
        Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            format!(
                "\"{}\" is not a date: use YYYY-MM-DD",
                crate::text::sanitize(d)
            )
        })?),
        None => None,
    };
    Ok(Some((value, date)))
}

pub fn nothing(_: &Workspace) -> Vec<String> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_parse_or_say_why() {
        assert_eq!(rating("4").unwrap(), Some(4));
        assert_eq!(rating("none").unwrap(), None);
        assert!(rating("9").is_err());
        assert!(rating("").is_err());
        let (v, d) = observation("3,5 2026-01-02").unwrap().unwrap();
        assert_eq!(v, 3.5);
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 1, 2));
        assert!(observation("x").is_err());
        assert!(observation("1 yesterday").is_err());
        assert_eq!(observation("  ").unwrap(), None);
        assert_eq!(text("  a b "), Some("a b".into()));
        assert_eq!(text(""), None);
        assert!(no_arg("", Command::Save).is_ok());
        assert!(no_arg("x", Command::Save).is_err());
    }
}
