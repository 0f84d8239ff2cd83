//! Undo and redo, changes read from disk, recovery, and whether the
//! workspace differs from what was last saved.
//!
//! Every step of the history is a list of [`Change`]s, entity by entity.
//! Undo and redo replay them over the workspace as it is now
//! ([`change::replay`]): a change made elsewhere in the meantime (read from
//! disk with [`History::absorb`]) is kept, and an undo that would overwrite
//! it is refused with a message naming what changed.

use std::collections::{BTreeMap, BTreeSet};

use super::Workspace;
use super::change::{self, Change, ReplayError, Snap, Target, Way};
use super::edit::{Edit, EditError};
use super::validate::FileKey;

struct Step {
    /// Identifies the state this step leads to.
    id: u64,
    label: String,
    changes: Vec<Change>,
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
    /// The files the last apply, undo, redo or absorb changed.
    last: BTreeSet<FileKey>,
    /// The entities it changed.
    last_targets: Vec<Target>,
    /// Every entity changed since the last save, with its state on disk.
    base: BTreeMap<Target, Option<Snap>>,
    /// The same for a save under way (its files are not on disk yet).
    saving: BTreeMap<Target, Option<Snap>>,
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
            last_targets: Vec::new(),
            base: BTreeMap::new(),
            saving: BTreeMap::new(),
        }
    }
}

/// Why an undo, a redo or a replayed change did not happen.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    /// What it was (the step's label).
    pub label: String,
    /// Why, in words, naming the entities and fields.
    pub reason: String,
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

    /// Notes what a step, an undo or a redo changed.
    fn note(&mut self, changes: &[Change]) {
        self.last = changes.iter().map(|c| c.target.file()).collect();
        self.last_targets = changes.iter().map(|c| c.target.clone()).collect();
        self.touched.extend(self.last.iter().cloned());
        for c in changes {
            self.base
                .entry(c.target.clone())
                .or_insert_with(|| c.before.clone());
        }
    }

    /// Applies an edit as a new step. Returns whether it changed anything
    /// (an edit that changes nothing leaves no step).
    pub fn apply(
        &mut self,
        ws: &mut Workspace,
        label: impl Into<String>,
        e: Edit,
    ) -> Result<bool, EditError> {
        if e.is_empty() {
            return Ok(false);
        }
        let changes = change::record(ws, e)?;
        Ok(self.push(label.into(), changes))
    }

    fn push(&mut self, label: String, changes: Vec<Change>) -> bool {
        if changes.is_empty() {
            return false;
        }
        self.note(&changes);
        let id = self.next_id;
        self.next_id += 1;
        self.undo.push(Step { id, label, changes });
        self.redo.clear();
        true
    }

    /// Replays changes (a recovery file's) over the workspace as one new
    /// undoable step; refused, changing nothing, where they would overwrite
    /// something changed since.
    pub fn replay_as_step(
        &mut self,
        ws: &mut Workspace,
        label: impl Into<String>,
        changes: &[Change],
    ) -> Result<bool, Refused> {
        let label = label.into();
        match change::replay(ws, changes, Way::Forward) {
            Ok(done) => Ok(self.push(label, done)),
            Err(e) => Err(Refused {
                reason: e.describe(ws),
                label,
            }),
        }
    }

    fn step(&mut self, ws: &mut Workspace, back: bool) -> Option<Result<String, Refused>> {
        let (from, way) = if back {
            (&mut self.undo, Way::Back)
        } else {
            (&mut self.redo, Way::Forward)
        };
        let step = from.pop()?;
        match change::replay(ws, &step.changes, way) {
            Ok(done) => {
                self.note(&done);
                let label = step.label.clone();
                if back {
                    self.redo.push(step);
                } else {
                    self.undo.push(step);
                }
                Some(Ok(label))
            }
            Err(e) => {
                let reason = e.describe(ws);
                let label = step.label.clone();
                from_stack(self, back).push(step);
                Some(Err(Refused { label, reason }))
            }
        }
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self, ws: &mut Workspace) -> Option<Result<String, Refused>> {
        self.step(ws, true)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, ws: &mut Workspace) -> Option<Result<String, Refused>> {
        self.step(ws, false)
    }

    /// Takes in changes made elsewhere (read from disk): replayed over the
    /// workspace, not a step of this session's (undo never removes them),
    /// and the new state on disk of what they change.
    pub fn absorb(&mut self, ws: &mut Workspace, changes: &[Change]) -> Result<(), ReplayError> {
        let done = change::replay(ws, changes, Way::Forward)?;
        self.last = done.iter().map(|c| c.target.file()).collect();
        for c in changes {
            for map in [&mut self.base, &mut self.saving] {
                if let Some(b) = map.get_mut(&c.target) {
                    *b = c.after.clone();
                }
            }
        }
        Ok(())
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

    /// The label of the step an undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// Whether the workspace differs from what was last saved or loaded.
    pub fn is_dirty(&self) -> bool {
        self.saved != Some(self.current())
    }

    /// The files to consider on the next save.
    pub fn touched(&self) -> &BTreeSet<FileKey> {
        &self.touched
    }

    /// The files the last apply, undo, redo or absorb changed.
    pub fn last_files(&self) -> &BTreeSet<FileKey> {
        &self.last
    }

    /// The entities the last apply, undo or redo changed.
    pub fn last_targets(&self) -> &[Target] {
        &self.last_targets
    }

    /// What differs from disk, entity by entity: the content of a recovery
    /// file. Empty when every change was undone back to what is saved.
    pub fn unsaved_changes(&self, ws: &Workspace) -> Vec<Change> {
        let mut all = self.base.clone();
        // A save under way is not on disk yet: its base is the older one.
        for (t, b) in &self.saving {
            all.insert(t.clone(), b.clone());
        }
        all.into_iter()
            .filter_map(|(target, before)| {
                let after = change::snapshot(ws, &target);
                (after != before).then_some(Change {
                    target,
                    before,
                    after,
                })
            })
            .collect()
    }

    /// Starts a save of the current state on another thread: returns the
    /// state's mark and the files to write, and forgets them, so that edits
    /// made during the save are what the next save writes.
    pub fn begin_save(&mut self) -> (u64, BTreeSet<FileKey>) {
        let base = std::mem::take(&mut self.base);
        for (t, b) in base {
            self.saving.entry(t).or_insert(b);
        }
        (self.current(), std::mem::take(&mut self.touched))
    }

    /// The save begun at `mark` is on disk.
    pub fn saved_at(&mut self, mark: u64) {
        self.saved = Some(mark);
        self.saving.clear();
    }

    /// The save did not happen: its files still need writing.
    pub fn save_failed(&mut self, files: BTreeSet<FileKey>) {
        self.touched.extend(files);
        let saving = std::mem::take(&mut self.saving);
        for (t, b) in saving {
            self.base.insert(t, b);
        }
    }

    /// Records that the current state is on disk.
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.current());
        self.touched.clear();
        self.base.clear();
        self.saving.clear();
    }

    /// Forgets everything (after a reload from disk).
    pub fn reset(&mut self) {
        *self = History::default();
    }
}

fn from_stack(h: &mut History, back: bool) -> &mut Vec<Step> {
    if back { &mut h.undo } else { &mut h.redo }
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

    #[test]
    fn an_edit_that_changes_nothing_leaves_no_step() {
        let mut ws = Template::find("empty").unwrap().workspace().unwrap();
        let mut h = History::default();
        let e = rename(&ws, &ws.name.clone());
        assert!(!h.apply(&mut ws, "same", e).unwrap());
        assert!(!h.is_dirty());
        assert!(!h.can_undo());
    }

    #[test]
    fn undone_back_to_clean_leaves_nothing_to_recover() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut h = History::default();
        let e = rename(&ws, "x");
        h.apply(&mut ws, "x", e).unwrap();
        assert_eq!(h.unsaved_changes(&ws).len(), 1);
        h.undo(&mut ws).unwrap().unwrap();
        assert!(h.unsaved_changes(&ws).is_empty());
    }

    #[test]
    fn absorbed_changes_survive_undo_and_redo() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut h = History::default();
        let mut p = ws.personas[0].clone();
        p.name = "EM".into();
        h.apply(&mut ws, "rename", Edit::SetPersona { persona: p })
            .unwrap();
        h.mark_saved();
        // Read from disk: someone else's description.
        let mut theirs = ws.clone();
        theirs.personas[0].description = "theirs".into();
        let changes = change::diff(&ws, &theirs, &FileKey::Workspace);
        h.absorb(&mut ws, &changes).unwrap();
        h.undo(&mut ws).unwrap().unwrap();
        assert_ne!(ws.personas[0].name, "EM");
        assert_eq!(ws.personas[0].description, "theirs");
        h.redo(&mut ws).unwrap().unwrap();
        assert_eq!(ws.personas[0].name, "EM");
        assert_eq!(ws.personas[0].description, "theirs");
        assert!(!h.is_dirty());
    }
}
