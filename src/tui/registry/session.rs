//! The rest of the session: undo and redo, views, quitting, reloading,
//! recovery, conflicts, exports, the theme, and the popups of the shell
//! (help, palette, search).

use std::path::Path;

use crate::store::Store;
use crate::store::recovery::Recovery;
use crate::tui::action::Action;
use crate::tui::app::{App, Exit};
use crate::tui::command::Command;
use crate::tui::popups::conflicts::Conflicts;
use crate::tui::popups::help::Help;
use crate::tui::popups::palette::Palette;
use crate::tui::popups::quit::QuitPrompt;
use crate::tui::popups::search::Search;
use crate::tui::state::View;
use crate::tui::state::list::Board;

/// What opening the workspace at `root` noticed that the user must know,
/// most important first: a save interrupted before (finished or undone
/// now), entries of `notes/` that were not read (a folder, a FIFO, a link
/// out of the workspace), and files holding comments, which a save
/// removes. The command line says the same on standard error.
pub fn load_notices(root: &Path, info: &crate::store::LoadInfo) -> Vec<String> {
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let mut out = Vec::new();
    if let Some(r) = &info.recovered {
        let r = r.to_string();
        let mut c = r.chars();
        let first = c.next().map(|f| f.to_uppercase().collect::<String>());
        out.push(format!("{}{}", first.unwrap_or_default(), c.as_str()));
    }
    match info.skipped.as_slice() {
        [] => {}
        [s] => out.push(format!("Not read: {} ({})", rel(&s.path), s.reason)),
        [s, ..] => out.push(format!(
            "{} of notes/ not read, {} ({}) among them: see valuemap check",
            crate::text::count(info.skipped.len(), "entry"),
            rel(&s.path),
            s.reason
        )),
    }
    if let Some(c) = info.comments.first() {
        let more = match info.comments.len() {
            1 => String::new(),
            n => format!(" and {}", crate::text::count(n - 1, "other file")),
        };
        out.push(format!(
            "{}:{}{more} holds comments: a save removes them (comments are not kept)",
            rel(&c.path),
            c.line
        ));
    }
    out
}

/// Shows what the last undo, redo or restore changed: the first entity
/// of it that exists (a persona before its cells, a note before the
/// opportunities citing it).
fn show_changed(app: &mut App) {
    use crate::model::change::Target;
    let target = app
        .history
        .last_targets()
        .iter()
        .filter(|t| !matches!(t, Target::Meta | Target::Conflict(_)))
        .map(Target::entity)
        .find(|e| exists(app, e));
    if let Some(e) = target {
        app.views.show(&e, &app.ws, app.env.size);
    }
}

fn exists(app: &App, e: &crate::model::EntityRef) -> bool {
    use crate::model::EntityRef as E;
    let ws = &app.ws;
    match e {
        E::Workspace => true,
        E::Phase(id) => ws.phase(id).is_some(),
        E::Activity(id) => ws.activity(id).is_some(),
        E::Persona(id) => ws.persona(id).is_some(),
        E::Perspective { persona, activity } => {
            ws.persona(persona).is_some() && ws.activity(activity).is_some()
        }
        E::Note(id) => ws.notes.contains_key(id),
        E::Opportunity(id) => ws.opportunity(id).is_some(),
        E::Metric(id) => ws.metric(id).is_some(),
        E::Item(k, id) => ws.items.contains(*k, id),
    }
}

pub fn undo(app: &mut App, _c: Command) -> Result<(), String> {
    match app.history.undo(&mut app.ws) {
        None => app.info("Nothing to undo"),
        Some(Ok(label)) => {
            app.after_change();
            show_changed(app);
            app.info(format!("Undid: {label}"));
        }
        Some(Err(e)) => app.error(format!("Cannot undo \"{}\": {}", e.label, e.reason)),
    }
    Ok(())
}

pub fn redo(app: &mut App, _c: Command) -> Result<(), String> {
    match app.history.redo(&mut app.ws) {
        None => app.info("Nothing to redo"),
        Some(Ok(label)) => {
            app.after_change();
            show_changed(app);
            app.info(format!("Redid: {label}"));
        }
        Some(Err(e)) => app.error(format!("Cannot redo \"{}\": {}", e.label, e.reason)),
    }
    Ok(())
}

pub fn view(app: &mut App, c: Command) -> Result<(), String> {
    let v = &mut app.views;
    v.current = match c {
        Command::View(to) => to,
        Command::NextView => v.current.step(1),
        Command::PrevView => v.current.step(-1),
        c => return Err(format!("{} is not a view", c.name())),
    };
    Ok(())
}

pub fn coverage(app: &mut App, _c: Command) -> Result<(), String> {
    app.views.current = View::Map;
    let on = !app.views.map.coverage;
    app.views.map.coverage = on;
    app.info(if on {
        "Coverage on: ⚠ marks cells with no view, notes or metric; ⚑ customers-only, ⚐ consumers-only activities"
    } else {
        "Coverage off"
    });
    Ok(())
}

pub fn board(app: &mut App, _c: Command) -> Result<(), String> {
    app.views.current = View::Opportunities;
    let o = &mut app.views.opps;
    o.board = match o.board {
        Some(_) => None,
        None => Some(Board::default()),
    };
    Ok(())
}

/// `s` / `:sort`: the ranked list by score, reach or recency.
pub fn sort(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Sort(rank) = c else {
        return Err(super::edit::wrong(&c));
    };
    app.views.current = View::Opportunities;
    let o = &mut app.views.opps;
    o.board = None;
    o.rank = rank.unwrap_or(o.rank.next());
    o.refresh(&app.ws, &app.stats, None);
    o.list.selected = 0;
    let how = match o.rank {
        crate::model::score::Rank::Score => "score, highest first",
        crate::model::score::Rank::Reach => "reach: the most people heard first",
        crate::model::score::Rank::Recency => "recency: the latest heard first",
    };
    app.info(format!("Opportunities by {how}"));
    Ok(())
}

pub fn help(app: &mut App, _c: Command) -> Result<(), String> {
    let commands = super::help_commands(app);
    app.push(Help::new(commands));
    Ok(())
}

pub fn palette(app: &mut App, _c: Command) -> Result<(), String> {
    let p = Palette::new(super::infos(), "", &app.env.keys);
    app.push(p);
    Ok(())
}

pub fn search(app: &mut App, _c: Command) -> Result<(), String> {
    if !app.has_layer("search") {
        app.push(Search::default());
        app.tick_layers();
    }
    Ok(())
}

/// Goes to a search result in its view.
pub fn jump(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Jump(target) = c else {
        return Err("jump needs a target".into());
    };
    app.views.show(&target, &app.ws, app.env.size);
    Ok(())
}

pub fn conflicts(app: &mut App, _c: Command) -> Result<(), String> {
    if app.ws.conflicts.is_empty() {
        app.info("No merge conflicts");
    } else {
        app.push(Conflicts::default());
    }
    Ok(())
}

/// A merge conflict was settled: closes the list when it was the last.
pub fn settled(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Settled { label, edit } = c else {
        return Err("settle needs an edit".into());
    };
    if app.apply(label, *edit) && app.ws.conflicts.is_empty() {
        app.close_layers("conflicts");
        app.info(format!(
            "Every conflict is settled: save ({}), then `git add` the files",
            app.env.keys.hint(Action::Save)
        ));
    }
    Ok(())
}

pub fn export(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Export(format, out) = c else {
        return Err("export needs a format and a path".into());
    };
    if let Some(root) = app.root()
        && crate::export::clobbers_workspace(root, &out)
    {
        return Err("That would overwrite the workspace's own files: choose another path".into());
    }
    let written = crate::export::write(&app.ws, format, &out).map_err(|e| e.to_string())?;
    app.info(match written.as_slice() {
        [one] => format!("Exported {} to {}", format.name(), one.display()),
        many => format!("Exported {} CSV tables to {}", many.len(), out.display()),
    });
    Ok(())
}

pub fn theme(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Theme(name) = c else {
        return Err("theme needs a name".into());
    };
    app.env.theme.name = name;
    let label = match name {
        crate::tui::theme::ThemeName::Dark => "dark",
        crate::tui::theme::ThemeName::Light => "light",
    };
    match app.env.config_dir.clone() {
        Some(dir) => {
            crate::tui::config::save_theme(&dir, name)
                .map_err(|e| format!("Theme {label} is on, but could not be remembered: {e}"))?;
            app.info(format!("Theme {label}, remembered in config.ron"));
        }
        None => app.info(format!("Theme {label}")),
    }
    Ok(())
}

pub fn quit(app: &mut App, _c: Command) -> Result<(), String> {
    if let Some(p) = &app.disk.pending_save {
        let msg = format!("{} — quit when it is done", p.describe());
        app.info(msg);
        return Ok(());
    }
    if app.is_dirty() {
        app.push(QuitPrompt);
    } else {
        super::files::discard_recovery_file(app);
        app.exit = Some(Exit::Quit);
    }
    Ok(())
}

pub fn quit_now(app: &mut App, _c: Command) -> Result<(), String> {
    super::files::discard_recovery_file(app);
    app.exit = Some(Exit::Quit);
    Ok(())
}

/// Throws away unsaved changes and loads the files from disk again.
pub fn reload(app: &mut App, _c: Command) -> Result<(), String> {
    let Some(root) = app.root().map(Path::to_path_buf) else {
        return Ok(());
    };
    match Store::open(&root) {
        Ok((store, ws, info)) => {
            app.replace(ws, Some(store));
            app.disk.outside_changes.clear();
            super::files::discard_recovery_file(app);
            let notices = load_notices(&root, &info);
            if notices.is_empty() {
                app.info(format!("Reloaded {}", root.display()));
            } else {
                app.warn(format!(
                    "Reloaded {}: {}",
                    root.display(),
                    notices.join(" · ")
                ));
            }
            Ok(())
        }
        Err(e) => Err(format!("Cannot reload: {e}")),
    }
}

pub fn discard_recovery(app: &mut App, _c: Command) -> Result<(), String> {
    super::files::discard_recovery_file(app);
    app.info("Discarded the recovered changes");
    Ok(())
}

/// Replays recovered changes over the workspace as it is on disk now.
pub fn restore(app: &mut App, c: Command) -> Result<(), String> {
    let Command::Restore(r) = c else {
        return Err("restore needs the recovered work".into());
    };
    let r: Recovery = *r;
    match app
        .history
        .replay_as_step(&mut app.ws, "restore recovered changes", &r.changes)
    {
        Ok(_) => {
            app.after_change();
            show_changed(app);
            app.info(format!(
                "Recovered the unsaved changes: review, then {} to save",
                app.env.keys.hint(Action::Save)
            ));
            Ok(())
        }
        Err(e) => Err(format!(
            "Cannot recover the unsaved changes: {}. The recovery file was left in place",
            e.reason
        )),
    }
}
