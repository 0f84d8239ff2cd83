//! The command registry: one table gives every [`Command`] its name, help
//! text, argument completer, parser and handler. The palette lists,
//! completes and parses from it; the help screen lists it with the live
//! keys; keys reach it through their actions ([`Command::for_action`]).
//!
//! Handlers are split by job: adding and opening ([`add`]), the selection
//! and its edits ([`edit`]), reordering ([`moves`]), the
//! capture of interviews ([`capture`]), saving ([`saving`]), changes made
//! elsewhere ([`outside`]), the rest of the session ([`session`]), and the
//! files kept beside the workspace ([`files`]: recovery, drafts).

pub mod add;
pub mod capture;
pub mod edit;
pub mod files;
pub mod history;
pub mod loading;
pub mod moves;
pub mod needs;
pub mod outside;
pub mod rework;
pub mod saving;
pub mod session;
pub mod synthesis;
pub mod tree;

use crossterm::event::Event;

use super::action::Action;
use super::app::App;
use super::command::{self, Command, Info};
use super::layer::Cmd;
use super::state::{Level, View};
use super::theme::ThemeName;
use crate::model::Role;
use crate::model::Workspace;

/// A command's handler.
pub type Handler = fn(&mut App, Command) -> Result<(), String>;

/// One row of the table.
pub struct Entry {
    pub info: Info,
    pub run: Handler,
}

const fn entry(
    name: &'static str,
    args: &'static str,
    help: &'static str,
    key: Option<Action>,
    complete: fn(&Workspace) -> Vec<String>,
    parse: fn(&str) -> Result<Command, String>,
    run: Handler,
) -> Entry {
    Entry {
        info: Info {
            name,
            args,
            help,
            palette: true,
            key,
            complete,
            parse,
        },
        run,
    }
}

/// A command popups ask for, not offered in the palette.
const fn internal(name: &'static str, run: Handler) -> Entry {
    Entry {
        info: Info {
            name,
            args: "",
            help: "",
            palette: false,
            key: None,
            complete: command::nothing,
            parse: |_| Err("not a palette command".into()),
        },
        run,
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

use Action as A;
use Command as C;

/// Every command.
pub static COMMANDS: &[Entry] = &[
    entry(
        "add-phase",
        "NAME",
        "add a lifecycle phase after the selected one",
        Some(A::AddPhase),
        command::nothing,
        |a| Ok(C::AddPhase(command::text(a))),
        add::add_phase,
    ),
    entry(
        "add-activity",
        "NAME",
        "add an activity to the selected phase, after the selected activity",
        None,
        command::nothing,
        |a| Ok(C::AddActivity(command::text(a))),
        add::add_activity,
    ),
    entry(
        "add-persona",
        "NAME",
        "add a persona after the selected one",
        None,
        command::nothing,
        |a| Ok(C::AddPersona(command::text(a))),
        add::add_persona,
    ),
    entry(
        "workspace",
        "",
        "edit the workspace's name and description (they head every report)",
        None,
        command::nothing,
        |a| command::no_arg(a, C::EditWorkspace),
        add::edit_workspace,
    ),
    entry(
        "rename",
        "NAME",
        "rename the selection",
        Some(A::Rename),
        command::nothing,
        |a| Ok(C::Rename(command::text(a))),
        edit::rename,
    ),
    entry(
        "delete",
        "",
        "delete the selection (asks; undoable)",
        Some(A::Delete),
        command::nothing,
        |a| command::no_arg(a, C::Delete),
        edit::delete,
    ),
    entry(
        "set-role",
        "customer|consumer|end-user",
        "set the selected persona's role",
        None,
        |_| strings(&["customer", "consumer", "end-user"]),
        |a| {
            Role::from_slug(a).map(C::SetRole).ok_or_else(|| {
                format!(
                    "Unknown role \"{}\": customer, consumer or end-user",
                    crate::text::sanitize(a)
                )
            })
        },
        edit::set_role,
    ),
    entry(
        "set-importance",
        "1-5|none",
        "rate how much the selected cell's activity matters to its persona",
        None,
        |_| strings(&["1", "2", "3", "4", "5", "none"]),
        |a| command::rating(a).map(C::SetImportance),
        edit::set_rating,
    ),
    entry(
        "set-satisfaction",
        "1-5|none",
        "rate how well the selected cell is served today",
        None,
        |_| strings(&["1", "2", "3", "4", "5", "none"]),
        |a| command::rating(a).map(C::SetSatisfaction),
        edit::set_rating,
    ),
    entry(
        "move-left",
        "",
        "move the selected phase or activity left",
        Some(A::MoveLeft),
        command::nothing,
        |a| command::no_arg(a, C::MoveLeft),
        moves::move_selection,
    ),
    entry(
        "move-right",
        "",
        "move the selected phase or activity right",
        Some(A::MoveRight),
        command::nothing,
        |a| command::no_arg(a, C::MoveRight),
        moves::move_selection,
    ),
    entry(
        "move-up",
        "",
        "move the selected persona up",
        Some(A::MoveUp),
        command::nothing,
        |a| command::no_arg(a, C::MoveUp),
        moves::move_selection,
    ),
    entry(
        "move-down",
        "",
        "move the selected persona down",
        Some(A::MoveDown),
        command::nothing,
        |a| command::no_arg(a, C::MoveDown),
        moves::move_selection,
    ),
    entry(
        "coverage",
        "",
        "show / hide the map's blind spots",
        Some(A::ToggleCoverage),
        command::nothing,
        |a| command::no_arg(a, C::Coverage),
        session::coverage,
    ),
    entry(
        "note",
        "",
        "capture an interview note (from a map cell: linked to it)",
        Some(A::CaptureNote),
        command::nothing,
        |a| command::no_arg(a, C::Note),
        capture::open,
    ),
    entry(
        "filter",
        "EXPR",
        "filter Notes or Opportunities (empty clears)",
        Some(A::Filter),
        command::nothing,
        |a| Ok(C::Filter(Some(a.trim().to_string()))),
        edit::filter,
    ),
    entry(
        "add-opportunity",
        "TITLE",
        "add an opportunity",
        None,
        command::nothing,
        |a| Ok(C::AddOpportunity(command::text(a))),
        add::add_opportunity,
    ),
    entry(
        "add-metric",
        "NAME",
        "add a metric",
        None,
        command::nothing,
        |a| Ok(C::AddMetric(command::text(a))),
        add::add_metric,
    ),
    entry(
        "observe",
        "VALUE [YYYY-MM-DD]",
        "add an observation to the selected metric",
        Some(A::Observe),
        command::nothing,
        |a| command::observation(a).map(C::Observe),
        edit::observe,
    ),
    entry(
        "merge",
        "",
        "merge the selected opportunity into another (evidence united; undoable)",
        Some(A::Merge),
        command::nothing,
        |a| command::no_arg(a, C::Merge),
        rework::merge,
    ),
    entry(
        "add-outcome",
        "NAME",
        "add a desired outcome: a root of the tree (6)",
        None,
        command::nothing,
        |a| Ok(C::AddOutcome(command::text(a))),
        tree::add_outcome,
    ),
    entry(
        "add-solution",
        "TITLE",
        "add a solution to the selected opportunity (Tree 6, Opportunities 4)",
        None,
        command::nothing,
        |a| Ok(C::AddSolution(command::text(a))),
        tree::add_solution,
    ),
    entry(
        "add-test",
        "ASSUMPTION",
        "add an assumption test to the selected solution (Tree 6)",
        None,
        command::nothing,
        |a| Ok(C::AddTest(command::text(a))),
        tree::add_test,
    ),
    entry(
        "add-sibling",
        "",
        "Tree: add beside the selection (another outcome, opportunity, solution or test)",
        Some(A::AddPhase),
        command::nothing,
        |a| command::no_arg(a, C::AddSibling),
        tree::add_sibling,
    ),
    entry(
        "move",
        "",
        "Tree: move the selection under another outcome, opportunity or solution",
        Some(A::Merge),
        command::nothing,
        |a| command::no_arg(a, C::MoveNode),
        tree::move_node,
    ),
    entry(
        "add-node",
        "NAME",
        "Needs map (7): add a node to the selected layer",
        Some(A::Add),
        command::nothing,
        |a| Ok(C::AddNeedsNode(command::text(a))),
        needs::add_node,
    ),
    entry(
        "add-layer",
        "NAME",
        "Needs map (7): add a layer below the selected one",
        Some(A::AddPhase),
        command::nothing,
        |a| Ok(C::AddLayer(command::text(a))),
        needs::add_layer,
    ),
    entry(
        "link",
        "",
        "Needs map (7): the selected node depends on a node of a lower layer (picked)",
        Some(A::Link),
        command::nothing,
        |a| command::no_arg(a, C::Link),
        needs::link,
    ),
    entry(
        "unlink",
        "",
        "Needs map (7): remove one of the selected node's depends-on edges",
        Some(A::Unlink),
        command::nothing,
        |a| command::no_arg(a, C::Unlink),
        needs::unlink,
    ),
    entry(
        "ship",
        "[YYYY-MM-DD]",
        "Tree: mark the selected solution shipped (today, or on the date)",
        None,
        command::nothing,
        |a| match command::text(a) {
            None => Ok(C::Ship(None)),
            Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(|d| C::Ship(Some(d)))
                .map_err(|_| format!("\"{d}\" is not a date: use YYYY-MM-DD")),
        },
        tree::ship,
    ),
    entry(
        "validate",
        "",
        "set the selected opportunity to the verdict its metrics suggest",
        Some(A::Validate),
        command::nothing,
        |a| command::no_arg(a, C::Validate),
        tree::validate,
    ),
    entry(
        "evidence",
        "",
        "the selected opportunity's evidence: open, remove or move a piece",
        Some(A::Parts),
        command::nothing,
        |a| command::no_arg(a, C::Evidence),
        rework::evidence,
    ),
    entry(
        "lines",
        "",
        "the selected note's lines: attach one to an opportunity, or make one of it",
        Some(A::Parts),
        command::nothing,
        |a| command::no_arg(a, C::Lines),
        rework::lines,
    ),
    entry(
        "observations",
        "",
        "the selected metric's observations: change or remove one",
        Some(A::Parts),
        command::nothing,
        |a| command::no_arg(a, C::Observations),
        rework::observations,
    ),
    entry(
        "themes",
        "",
        "the themes board: every #tag across notes with its count, by role (Enter: its notes and lines)",
        Some(A::Themes),
        command::nothing,
        |a| command::no_arg(a, C::Themes),
        synthesis::themes,
    ),
    entry(
        "matrix",
        "",
        "the value / effort matrix of opportunities and solutions (3 or more is high)",
        Some(A::Matrix),
        command::nothing,
        |a| command::no_arg(a, C::Matrix),
        synthesis::matrix,
    ),
    entry(
        "questions",
        "[open|answered|all]",
        "every ? question across notes with note, persona and date; a marks one answered",
        Some(A::Questions),
        |_| strings(&["open", "answered", "all"]),
        |a| match command::text(a) {
            None => Ok(C::Questions(None)),
            Some(s) => crate::synthesis::questions::Show::parse(&s)
                .map(|s| C::Questions(Some(s)))
                .ok_or_else(|| {
                    format!(
                        "Show which questions? open, answered or all (not \"{}\")",
                        crate::text::sanitize(&s)
                    )
                }),
        },
        synthesis::questions,
    ),
    entry(
        "rename-tag",
        "OLD NEW",
        "rename a tag in every note; to a tag that exists: merge the two (one undoable change)",
        Some(A::ThemeRename),
        crate::synthesis::themes::tag_names,
        |a| {
            let mut w = a.split_whitespace();
            match (w.next(), w.next(), w.next()) {
                (Some(from), Some(to), None) => Ok(C::RenameTag {
                    from: from.to_string(),
                    to: to.to_string(),
                }),
                _ => Err("rename-tag takes the old tag and the new one".into()),
            }
        },
        synthesis::rename_tag,
    ),
    entry(
        "board",
        "",
        "show / hide the roadmap board (Now / Next / Later)",
        Some(A::ToggleBoard),
        command::nothing,
        |a| command::no_arg(a, C::Board),
        session::board,
    ),
    entry(
        "sort",
        "[score|reach|recency]",
        "Opportunities: rank by score, reach (people heard) or recency (the next way when none is named)",
        Some(A::Sort),
        |_| strings(&["score", "reach", "recency"]),
        |a| match command::text(a) {
            None => Ok(C::Sort(None)),
            Some(r) => crate::model::score::Rank::parse(&r)
                .map(|r| C::Sort(Some(r)))
                .ok_or_else(|| {
                    format!(
                        "Sort by \"{}\"? score, reach or recency",
                        crate::text::sanitize(&r)
                    )
                }),
        },
        session::sort,
    ),
    entry(
        "save",
        "",
        "save the workspace",
        Some(A::Save),
        command::nothing,
        |a| command::no_arg(a, C::Save),
        saving::save_command,
    ),
    entry(
        "save-as",
        "PATH",
        "save into a new workspace folder and continue there",
        None,
        command::nothing,
        |a| Ok(C::SaveAs(command::text(a).map(|p| files::expand_home(&p)))),
        saving::save_as_command,
    ),
    entry(
        "reload",
        "",
        "drop unsaved changes and load the files again",
        None,
        command::nothing,
        |a| command::no_arg(a, C::Reload),
        session::reload,
    ),
    entry(
        "conflicts",
        "",
        "settle merge conflicts: keep this side or take the other",
        None,
        command::nothing,
        |a| command::no_arg(a, C::Conflicts),
        session::conflicts,
    ),
    entry(
        "history",
        "",
        "the selection's history from git: a cell's ratings, an opportunity's status and horizon, a metric's target",
        None,
        command::nothing,
        |a| command::no_arg(a, C::History),
        history::history,
    ),
    entry(
        "export",
        "md|csv|json|html PATH",
        "export the workspace",
        None,
        |_| strings(&["md", "csv", "json", "html"]),
        |a| {
            let (fmt, path) = a
                .trim()
                .split_once(char::is_whitespace)
                .ok_or("the format and the path are missing")?;
            let format: crate::export::Format = fmt.parse().map_err(|e| format!("{e}"))?;
            Ok(C::Export(format, files::expand_home(path.trim())))
        },
        session::export,
    ),
    entry(
        "undo",
        "",
        "undo the last change",
        Some(A::Undo),
        command::nothing,
        |a| command::no_arg(a, C::Undo),
        session::undo,
    ),
    entry(
        "redo",
        "",
        "redo the last undone change",
        Some(A::Redo),
        command::nothing,
        |a| command::no_arg(a, C::Redo),
        session::redo,
    ),
    entry(
        "view",
        "map|personas|notes|opportunities|metrics|tree|needs",
        "switch view",
        None,
        |_| {
            strings(&[
                "map",
                "personas",
                "notes",
                "opportunities",
                "metrics",
                "tree",
                "needs",
            ])
        },
        |a| {
            View::from_slug(a).map(C::View).ok_or_else(|| {
                format!(
                    "Unknown view \"{}\": map, personas, notes, opportunities, metrics or tree",
                    crate::text::sanitize(a)
                )
            })
        },
        session::view,
    ),
    entry(
        "theme",
        "dark|light",
        "switch the colour theme",
        None,
        |_| strings(&["dark", "light"]),
        |a| match a.trim() {
            "dark" => Ok(C::Theme(ThemeName::Dark)),
            "light" => Ok(C::Theme(ThemeName::Light)),
            _ => Err("Themes: dark, light".into()),
        },
        session::theme,
    ),
    entry(
        "help",
        "",
        "show every key and command",
        Some(A::Help),
        command::nothing,
        |a| command::no_arg(a, C::Help),
        session::help,
    ),
    entry(
        "quit",
        "",
        "quit (asks when there are unsaved changes)",
        Some(A::Quit),
        command::nothing,
        |a| command::no_arg(a, C::Quit),
        session::quit,
    ),
    entry(
        "quit!",
        "",
        "quit without saving",
        None,
        command::nothing,
        |a| command::no_arg(a, C::QuitNow),
        session::quit_now,
    ),
    // Keys of the views that are commands too, not listed in the palette.
    internal("next-view", session::view),
    internal("previous-view", session::view),
    internal("open", add::open),
    internal("add", add::add),
    internal("palette", session::palette),
    internal("parts", rework::parts),
    internal("search", session::search),
    // Asked for by popups.
    internal("save-and-quit", saving::save_and_quit),
    internal("overwrite", saving::force_save),
    internal("merge-outside", outside::merge_command),
    internal("restore", session::restore),
    internal("discard-recovery", session::discard_recovery),
    internal("keep-note", capture::keep_note),
    internal("discard-draft", capture::discard_draft),
    internal("suggestions-done", capture::suggestions_done),
    internal("jump", session::jump),
    internal("settle", session::settled),
];

/// The table's row for a command.
pub fn entry_of(c: &Command) -> Option<&'static Entry> {
    let name = c.name();
    COMMANDS.iter().find(|e| e.info.name == name)
}

/// What the palette needs of the table.
pub fn infos() -> Vec<Info> {
    COMMANDS.iter().map(|e| e.info).collect()
}

/// Runs a command through its handler; a failure goes to the status bar.
pub fn run(app: &mut App, c: Command) {
    let Some(e) = entry_of(&c) else {
        app.error(format!("{} is not available", c.name()));
        return;
    };
    if app.disk.loading.is_some() && loading::needs_everything(&c) {
        loading::refuse(app, &c);
        return;
    }
    if let Err(msg) = (e.run)(app, c) {
        app.error(msg);
    }
}

/// Carries out what layers asked for, in order.
pub fn carry_out(app: &mut App, cmds: Vec<Cmd>) {
    for c in cmds {
        match c {
            Cmd::Run(c) => run(app, c),
            Cmd::Apply {
                label,
                edit,
                warning,
            } => {
                if app.apply_and_say(label, *edit)
                    && let Some(w) = warning
                {
                    app.warn(w);
                }
            }
            Cmd::Push(l) => app.layers.push(l),
            Cmd::Say(Level::Info, m) => app.info(m),
            Cmd::Say(Level::Warn, m) => app.warn(m),
            Cmd::Say(Level::Error, m) => app.error(m),
        }
        if app.exit.is_some() {
            return;
        }
    }
}

/// Handles one terminal event: the same path for the real terminal and for
/// tests.
pub fn on_event(app: &mut App, ev: Event) {
    let cmds = app.route(ev);
    carry_out(app, cmds);
}

/// Runs pending background work for at most a slice of time: a save that
/// finished, changes on disk seen during it, search matching. Called after
/// events and when the terminal is idle.
pub fn tick(app: &mut App) {
    saving::poll_save(app);
    loading::pump(app, SLICE);
    outside::recheck_disk(app);
    outside::absorb(app, Some(SLICE));
    app.tick_layers();
}

/// How long one kind of background work may run in a tick: short, so a
/// key that arrives meanwhile waits little before it is handled and drawn.
pub const SLICE: std::time::Duration = std::time::Duration::from_millis(4);

/// Whether background work is pending (the loop then polls sooner).
/// Costs nothing: the work itself runs in [`tick`].
pub fn busy(app: &App) -> bool {
    app.disk.pending_save.is_some() || app.disk.loading.is_some() || work_here(app)
}

/// Whether work waits for this thread (search matching, changes on disk
/// to read in, files the loader read and this thread has not taken in
/// yet): the loop then only looks for a key before the next slice.
/// Otherwise it waits a little for other threads (a save, the loader),
/// without spinning on a core they need.
pub fn work_here(app: &App) -> bool {
    (!app.disk.incoming.is_empty() && app.disk.pending_save.is_none() && app.disk.loading.is_none())
        || app.disk.loading.as_ref().is_some_and(|l| l.backlog)
        || app.layers.iter().any(|l| l.busy())
}

/// The help screen's list of palette commands: usage, key, what it does.
pub fn help_commands(app: &App) -> Vec<(String, String, String)> {
    COMMANDS
        .iter()
        .filter(|e| e.info.palette)
        .map(|e| {
            let i = &e.info;
            let usage = if i.args.is_empty() {
                i.name.to_string()
            } else {
                format!("{} {}", i.name, i.args)
            };
            let key = i.key.map(|k| app.env.keys.hint(k)).unwrap_or_default();
            (usage, key, i.help.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::popups::palette::suggestions;

    #[test]
    fn every_command_has_one_row_and_runs_its_own_handler() {
        let mut names = std::collections::BTreeSet::new();
        for e in COMMANDS {
            assert!(names.insert(e.info.name), "{} twice", e.info.name);
        }
        // Every palette command parses back to a command of its own name.
        for e in COMMANDS.iter().filter(|e| e.info.palette) {
            let arg = match e.info.name {
                "observe" => "3".into(),
                "ship" => "2026-08-12".into(),
                "export" => "md out.md".into(),
                "rename-tag" => "old new".into(),
                _ => (e.info.complete)(&Workspace::default())
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| {
                        if e.info.args.is_empty() {
                            String::new()
                        } else {
                            "x".into()
                        }
                    }),
            };
            let c = (e.info.parse)(&arg).unwrap_or_else(|err| panic!("{}: {err}", e.info.name));
            assert_eq!(c.name(), e.info.name);
            assert!(entry_of(&c).is_some());
        }
    }

    #[test]
    fn names_complete_by_prefix_then_arguments_by_choice() {
        let ws = Workspace::default();
        let infos = infos();
        let s = suggestions(&infos, &ws, "add-p");
        let names: Vec<_> = s.iter().map(|s| s.completion.as_str()).collect();
        assert_eq!(names, ["add-phase ", "add-persona "]);
        assert_eq!(suggestions(&infos, &ws, "sav")[0].completion, "save");
        let roles: Vec<_> = suggestions(&infos, &ws, "set-role c")
            .into_iter()
            .map(|s| s.completion)
            .collect();
        assert_eq!(roles, ["set-role customer", "set-role consumer"]);
        assert_eq!(
            suggestions(&infos, &ws, "view o")[0].completion,
            "view opportunities"
        );
        assert!(suggestions(&infos, &ws, "nonsense ").is_empty());
        // Popups' own commands are not offered.
        assert!(suggestions(&infos, &ws, "keep-").is_empty());
    }
}
