//! Interview capture: opening it (pre-linked from the selection, or
//! continuing a draft), keeping the note, and the suggestions that follow.
//! Drafts live in the store ([`crate::store::draft`]); the capture screen
//! only hands them over.

use crate::capture;
use crate::model::Id;
use crate::model::Note;
use crate::model::edit::Edit;
use crate::store::draft::Draft;
use crate::tui::app::App;
use crate::tui::command::Command;
use crate::tui::popups::capture::Capture;
use crate::tui::popups::suggest::Suggest;
use crate::tui::state::View;
use crate::tui::state::map::{Column, Selection};

/// Opens the capture screen, pre-linked from the selection (a map cell
/// gives its persona and activity), or continues a saved draft.
pub fn open(app: &mut App, _c: Command) -> Result<(), String> {
    if app.has_layer("capture") {
        return Ok(());
    }
    if let Some(d) = super::files::draft_path(app).and_then(|p| Draft::read(&p)) {
        app.push(Capture::from_draft(&d));
        app.info(format!(
            "Continuing the unsaved note from {}",
            crate::text::sanitize(&d.written)
        ));
        return Ok(());
    }
    let ws = &app.ws;
    let (persona, activities) = match app.views.current {
        View::Map => match app.views.map.selection(ws) {
            Selection::Cell {
                persona,
                column: Column::Activity(pos),
            } => (
                Some(ws.personas[persona].id.clone()),
                vec![ws.phases[pos.phase].activities[pos.index].id.clone()],
            ),
            Selection::Persona(i) => (Some(ws.personas[i].id.clone()), Vec::new()),
            Selection::Activity(pos) => (
                None,
                vec![ws.phases[pos.phase].activities[pos.index].id.clone()],
            ),
            _ => (None, Vec::new()),
        },
        View::Personas => (
            ws.personas
                .get(app.views.personas.selected)
                .map(|p| p.id.clone()),
            Vec::new(),
        ),
        _ => (None, Vec::new()),
    };
    let today = app.env.today;
    app.push(Capture::new(persona, activities, today));
    Ok(())
}

/// Opens a note in the capture screen to edit it.
pub fn edit_note(app: &mut App, id: &Id) {
    if let Some(n) = app.ws.notes.get(id) {
        let c = Capture::edit(n);
        app.push(c);
    }
}

pub fn discard_draft(app: &mut App, _c: Command) -> Result<(), String> {
    app.close_layers("capture");
    if let Some(p) = super::files::draft_path(app) {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

/// Keeps a captured note, saves, and offers its pains and needs as
/// opportunities and its `~test` lines as evidence for assumption tests.
pub fn keep_note(app: &mut App, c: Command) -> Result<(), String> {
    let Command::KeepNote(note) = c else {
        return Err("keep-note needs a note".into());
    };
    let note: Note = *note;
    let label = match app.ws.notes.get(&note.id) {
        Some(_) => format!("edit note \"{}\"", note.title),
        None => format!("capture note \"{}\"", note.title),
    };
    let id = note.id.clone();
    let body = note.body.clone();
    let unchanged = app.ws.notes.get(&id).map(|n| &**n) == Some(&note);
    app.close_layers("capture");
    if let Some(p) = super::files::draft_path(app) {
        let _ = std::fs::remove_file(p);
    }
    if unchanged {
        // Nothing to write: an unchanged note is never rewritten.
        app.info("The note is unchanged: nothing to save");
    } else {
        if !app.apply(
            label,
            Edit::PutNote {
                id: id.clone(),
                note: Some(note),
            },
        ) {
            return Ok(());
        }
        super::saving::save(app, false, false);
    }
    // Select the note in the Notes view.
    app.views.notes.show(&app.ws, &id);
    let suggestions = capture::open_suggestions(&app.ws, &id, &body);
    let (tests, mut problems) = capture::open_test_suggestions(&app.ws, &id, &body);
    // A rating that rates nothing stays a line of the note; the message
    // says where it is and what to fix.
    if let Some(n) = app.ws.notes.get(&id) {
        let (_, bad) = crate::model::ratings::note_ratings(&app.ws, n);
        problems.extend(
            bad.into_iter()
                .map(|p| format!("line {}, column {}: {}", p.line, p.column, p.message)),
        );
    }
    if !suggestions.is_empty() || !tests.is_empty() {
        // A `~name` that names no test is said on top of the offers.
        let mut s = Suggest::with_tests(id, suggestions, tests);
        s.problems = problems;
        app.push(s);
    } else if !problems.is_empty() {
        // The line stays as text; the message says which name to fix.
        app.warn(problems.join("; "));
    }
    Ok(())
}

/// The suggestions are handled: save what was accepted and merged.
pub fn suggestions_done(app: &mut App, c: Command) -> Result<(), String> {
    let Command::SuggestionsDone(summary) = c else {
        return Err("suggestions-done needs a summary".into());
    };
    app.close_layers("suggest");
    if app.is_dirty() {
        super::saving::save(app, false, false);
    }
    let saved = if app.is_dirty() { "" } else { " — saved" };
    app.info(format!("Note kept: {summary}{saved}"));
    Ok(())
}
