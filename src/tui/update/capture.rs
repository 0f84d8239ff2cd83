//! Interview capture, its draft, and the suggestions that follow a kept note.

use crate::capture;
use crate::model::edit::Edit;
use crate::model::{Id, Note};
use crate::tui::app::{App, View};
use crate::tui::popups::capture::{Capture, Draft, draft_path};
use crate::tui::popups::picker::PickFor;
use crate::tui::popups::suggest::Suggest;
use crate::tui::popups::{Effect, Popup};
use crate::tui::views::map::{Column, Selection};

impl App {
    /// Where the capture draft of this workspace is written.
    pub fn draft_path(&self) -> Option<std::path::PathBuf> {
        self.recovery_path.as_deref().map(draft_path)
    }

    /// Opens the capture screen, pre-linked from the selection (a map cell
    /// gives its persona and activity), or continues a saved draft.
    pub fn open_capture(&mut self) {
        if self.popups.iter().any(|p| matches!(p, Popup::Capture(_))) {
            return;
        }
        if let Some(d) = self.draft_path().and_then(|p| Draft::read(&p)) {
            self.push(Popup::Capture(Box::new(Capture::from_draft(&d))));
            self.info(format!("Continuing the unsaved note from {}", d.written));
            return;
        }
        let (persona, activities) = match self.view {
            View::Map => match self.map.selection(&self.ws) {
                Selection::Cell {
                    persona,
                    column: Column::Activity(pos),
                } => (
                    Some(self.ws.personas[persona].id.clone()),
                    vec![self.ws.phases[pos.phase].activities[pos.index].id.clone()],
                ),
                Selection::Persona(i) => (Some(self.ws.personas[i].id.clone()), Vec::new()),
                Selection::Activity(pos) => (
                    None,
                    vec![self.ws.phases[pos.phase].activities[pos.index].id.clone()],
                ),
                _ => (None, Vec::new()),
            },
            View::Personas => (
                self.ws
                    .personas
                    .get(self.personas.selected)
                    .map(|p| p.id.clone()),
                Vec::new(),
            ),
            _ => (None, Vec::new()),
        };
        let today = self.today;
        self.push(Popup::Capture(Box::new(Capture::new(
            persona, activities, today,
        ))));
    }

    /// Opens a note in the capture screen to edit it.
    pub fn edit_note(&mut self, id: &Id) {
        if let Some(n) = self.ws.notes.get(id) {
            let c = Capture::edit(n);
            self.push(Popup::Capture(Box::new(c)));
        }
    }

    /// Writes the open capture to its draft file if it changed.
    pub fn write_draft(&mut self) {
        let (Some(path), Some(root)) = (self.draft_path(), self.root().map(|p| p.to_path_buf()))
        else {
            return;
        };
        for p in self.popups.iter_mut() {
            if let Popup::Capture(c) = p
                && c.draft_stale
            {
                if c.draft(&root).write(&path).is_ok() {
                    c.draft_stale = false;
                }
                return;
            }
        }
    }

    pub fn discard_draft(&mut self) {
        if let Some(p) = self.draft_path() {
            let _ = std::fs::remove_file(p);
        }
    }

    /// Keeps a captured note, saves, and offers its pains and needs as
    /// opportunities.
    pub fn keep_note(&mut self, note: Note) {
        let existing = self.ws.notes.get(&note.id).cloned();
        let label = match &existing {
            Some(_) => format!("edit note \"{}\"", note.title),
            None => format!("capture note \"{}\"", note.title),
        };
        let id = note.id.clone();
        let body = note.body.clone();
        if !self.apply(
            label,
            Edit::PutNote {
                id: id.clone(),
                note: Some(note),
            },
        ) {
            return;
        }
        self.discard_draft();
        self.save(false, false);
        // Select the note in the Notes view.
        if let Some(i) = self.note_rows.iter().position(|n| *n == id) {
            self.notes.selected = i;
        }
        // Lines that are evidence somewhere already are not offered again.
        let cited: Vec<&str> = self
            .ws
            .opportunities
            .iter()
            .flat_map(|o| &o.evidence)
            .filter(|e| e.note == id)
            .map(|e| e.quote.as_str())
            .collect();
        let suggestions: Vec<_> = capture::parse(&body)
            .suggestions()
            .into_iter()
            .filter(|s| !cited.contains(&s.line.as_str()))
            .collect();
        if !suggestions.is_empty() {
            self.push(Popup::Suggest(Suggest::new(id, suggestions)));
        }
    }

    /// A picker chose: hand the ids to the popup that asked.
    pub fn picked(&mut self, purpose: PickFor, ids: Vec<Id>) {
        let ws = &self.ws;
        let mut then = None;
        for p in self.popups.iter_mut().rev() {
            match (p, &purpose) {
                (Popup::Capture(c), PickFor::CapturePersona | PickFor::CaptureActivities) => {
                    c.picked(&purpose, ids);
                    return;
                }
                (Popup::Form(f), PickFor::FormField(_)) => {
                    f.picked(&purpose, ids);
                    return;
                }
                (Popup::Suggest(s), PickFor::MergeInto) => {
                    let Some(into) = ids.first() else { return };
                    let Some(edit) = s.merge_edit(ws, into) else {
                        return;
                    };
                    let title = ws
                        .opportunity(into)
                        .map(|o| o.title.clone())
                        .unwrap_or_default();
                    s.merged += 1;
                    let done = s.advance();
                    then = Some((edit, title, done, s.summary()));
                    break;
                }
                _ => {}
            }
        }
        if let Some((edit, title, done, summary)) = then {
            self.apply(format!("add evidence to \"{title}\""), edit);
            if done {
                self.popups.retain(|p| !matches!(p, Popup::Suggest(_)));
                self.run_effect(Effect::SuggestionsDone(summary));
            }
        }
    }

    /// The suggestions are handled: save what was accepted and merged.
    pub fn suggestions_done(&mut self, summary: String) {
        if self.is_dirty() {
            self.save(false, false);
        }
        let saved = if self.is_dirty() { "" } else { " — saved" };
        self.info(format!("Note kept: {summary}{saved}"));
    }
}
