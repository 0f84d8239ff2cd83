//! Undo and redo, and whether the workspace differs from what was last saved.

use std::collections::BTreeSet;

use crate::model::Workspace;
use crate::model::edit::{self, Edit, EditError};
use crate::model::validate::FileKey;

struct Step {
    /// Identifies the state this step leads to.
    id: u64,
    label: String,
    /// The edit that undoes the step (on the undo stack) or redoes it (on the
    /// redo stack).
    edit: Edit,
}

/// Unlimited undo / redo for a session.
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    next_id: u64,
    /// The state that is on disk, if it is still reachable.
    saved: Option<u64>,
    /// Files changed by any step since the last save (a superset of what
    /// differs from disk; the store skips the unchanged ones).
    touched: BTreeSet<FileKey>,
    /// The files the last apply, undo or redo changed.
    last: BTreeSet<FileKey>,
}

impl Default for History {
    fn default() -> Self {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            next_id: 1,
            saved: Some(0),
            touched: BTreeSet::new(),
            last: BTreeSet::new(),
        }
    }
}

impl History {
    /// A history whose starting point is not what is on disk (a migrated file).
    pub fn unsaved(touched: BTreeSet<FileKey>) -> Self {
        History {
            saved: None,
            touched,
            ..History::default()
        }
    }

    fn current(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.id)
    }

    /// Applies an edit as a new step.
    pub fn apply(
        &mut self,
        ws: &mut Workspace,
        label: impl Into<String>,
        e: Edit,
    ) -> Result<(), EditError> {
        if e.is_empty() {
            return Ok(());
        }
        let files = e.files();
        let inverse = edit::apply(ws, e)?;
        self.touched.extend(files.iter().cloned());
        self.last = files;
        let id = self.next_id;
        self.next_id += 1;
        self.undo.push(Step {
            id,
            label: label.into(),
            edit: inverse,
        });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self, ws: &mut Workspace) -> Option<Result<String, EditError>> {
        let step = self.undo.pop()?;
        self.last = step.edit.files();
        self.touched.extend(self.last.iter().cloned());
        Some(match edit::apply(ws, step.edit.clone()) {
            Ok(redo) => {
                self.redo.push(Step { edit: redo, ..step });
                Ok(self
                    .redo
                    .last()
                    .map(|s| s.label.clone())
                    .unwrap_or_default())
            }
            Err(e) => {
                self.undo.push(step);
                Err(e)
            }
        })
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, ws: &mut Workspace) -> Option<Result<String, EditError>> {
        let step = self.redo.pop()?;
        self.last = step.edit.files();
        self.touched.extend(self.last.iter().cloned());
        Some(match edit::apply(ws, step.edit.clone()) {
            Ok(undo) => {
                self.undo.push(Step { edit: undo, ..step });
                Ok(self
                    .undo
                    .last()
                    .map(|s| s.label.clone())
                    .unwrap_or_default())
            }
            Err(e) => {
                self.redo.push(step);
                Err(e)
            }
        })
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Whether the workspace differs from what was last saved or loaded.
    pub fn is_dirty(&self) -> bool {
        self.saved != Some(self.current())
    }

    /// The files to consider on the next save.
    pub fn touched(&self) -> &BTreeSet<FileKey> {
        &self.touched
    }

    /// The files the last apply, undo or redo changed.
    pub fn last_files(&self) -> &BTreeSet<FileKey> {
        &self.last
    }

    /// Starts a save of the current state on another thread: returns the
    /// state's mark and the files to write, and forgets them, so that edits
    /// made during the save are what the next save writes.
    pub fn begin_save(&mut self) -> (u64, BTreeSet<FileKey>) {
        (self.current(), std::mem::take(&mut self.touched))
    }

    /// The save begun at `mark` is on disk.
    pub fn saved_at(&mut self, mark: u64) {
        self.saved = Some(mark);
    }

    /// The save did not happen: its files still need writing.
    pub fn save_failed(&mut self, files: BTreeSet<FileKey>) {
        self.touched.extend(files);
    }

    /// Records that the current state is on disk.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.current());
        self.touched.clear();
    }

    /// Forgets everything (after a reload from disk).
    pub fn reset(&mut self) {
        *self = History::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn rename(ws: &Workspace, name: &str) -> Edit {
        Edit::SetMeta {
            name: name.into(),
            description: ws.description.clone(),
        }
    }

    #[test]
    fn dirty_follows_undo_back_to_the_saved_state() {
        let mut ws = Template::find("empty").unwrap().workspace().unwrap();
        let start = ws.clone();
        let mut h = History::default();
        assert!(!h.is_dirty());
        let e = rename(&ws, "one");
        h.apply(&mut ws, "one", e).unwrap();
        let e = rename(&ws, "two");
        h.apply(&mut ws, "two", e).unwrap();
        assert!(h.is_dirty());
        assert_eq!(h.touched(), &[FileKey::Workspace].into());
        h.mark_saved();
        assert!(!h.is_dirty());
        assert_eq!(h.undo(&mut ws).unwrap().unwrap(), "two");
        assert_eq!(ws.name, "one");
        assert!(h.is_dirty());
        assert_eq!(h.redo(&mut ws).unwrap().unwrap(), "two");
        assert!(!h.is_dirty(), "redo back to the saved state is clean");
        h.undo(&mut ws).unwrap().unwrap();
        h.undo(&mut ws).unwrap().unwrap();
        assert_eq!(ws, start);
        assert!(h.undo(&mut ws).is_none());
        // A new edit after undo drops the redo branch; the saved state is gone.
        let e = rename(&ws, "three");
        h.apply(&mut ws, "three", e).unwrap();
        assert!(h.redo(&mut ws).is_none());
        assert!(h.is_dirty());
    }

    #[test]
    fn a_migrated_start_is_dirty_until_saved() {
        let mut h = History::unsaved([FileKey::Workspace].into());
        assert!(h.is_dirty());
        h.mark_saved();
        assert!(!h.is_dirty());
    }
}
