//! The workspace folder as the session sees it beyond the store: a save in
//! flight, changes made elsewhere, where unsaved work is kept.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use crate::model::validate::FileKey;
use crate::store::{Progress, SaveError, SaveReport, Store};

/// The workspace folder as the session sees it beyond the store: saves in
/// flight, changes made elsewhere, where unsaved work is kept.
#[derive(Default)]
pub struct Disk {
    /// Where unsaved work is written if the session ends abruptly.
    pub recovery_path: Option<PathBuf>,
    /// A save running on another thread.
    pub pending_save: Option<PendingSave>,
    /// Files changed on disk by someone else while we have unsaved changes
    /// to them.
    pub outside_changes: BTreeSet<PathBuf>,
    /// Paths that changed during our own save, to look at afterwards.
    pub recheck: BTreeSet<PathBuf>,
    /// Paths the watcher reported, waiting to be read in (a few at a
    /// time between frames, so a `git pull` of a thousand notes never
    /// blocks the keys).
    pub incoming: BTreeSet<PathBuf>,
    /// The workspace being opened: the map is shown, the rest arrives.
    pub loading: Option<Loading>,
    /// Why opening stopped part way (a file that cannot be read): the
    /// session ends with it.
    pub load_failed: Option<String>,
}

/// A workspace being opened in the background (see
/// [`crate::store::opening`]).
pub struct Loading {
    pub pieces: mpsc::Receiver<crate::store::Piece>,
    pub progress: Arc<Progress>,
    /// What opening found so far (completed when the last piece is in).
    pub info: crate::store::LoadInfo,
    pub started: Instant,
    /// Notes taken in while a layer was open, not yet told to the layers.
    pub unlisted: Vec<crate::model::Id>,
    /// Other files taken in since the views last caught up.
    pub pending: BTreeSet<FileKey>,
    /// Files other than notes still to come (they come first): until they
    /// are all in, what they change waits, so the views count and rank
    /// them once, not at every catch-up.
    pub others_to_come: usize,
    /// When the views last caught up.
    pub listed_at: Instant,
    /// What to do once everything is in (set by the caller of
    /// [`crate::tui::registry::loading::start`]).
    pub then: Vec<Then>,
    /// The last slice ended with pieces left to take in: the event loop
    /// goes on without waiting.
    pub backlog: bool,
}

/// Something that waits for the whole workspace.
#[derive(Clone, Debug, PartialEq)]
pub enum Then {
    /// Offer the recovery file's unsaved work.
    OfferRecovery,
    /// Say how many merge conflicts wait.
    SayConflicts,
    /// Remove temporary files left by an interrupted save.
    CleanTemporaryFiles,
}

impl Loading {
    /// "Loading… 41,200 of 100,000 files (41%)" for the status bar.
    pub fn describe(&self) -> String {
        let done = self
            .progress
            .done
            .load(std::sync::atomic::Ordering::Relaxed);
        let total = self
            .progress
            .total
            .load(std::sync::atomic::Ordering::Relaxed);
        if total == 0 {
            "Loading…".to_string()
        } else {
            format!(
                "Loading… {done} of {total} files ({}%)",
                done * 100 / total.max(1)
            )
        }
    }
}

/// A save under way on another thread.
pub struct PendingSave {
    pub rx: mpsc::Receiver<(Store, Result<SaveReport, SaveError>)>,
    /// The history mark of the state being saved.
    pub mark: u64,
    /// The files being written.
    pub files: BTreeSet<FileKey>,
    pub then_quit: bool,
    /// Where it goes, when it is a save into a new folder.
    pub save_as: Option<PathBuf>,
    pub progress: Arc<Progress>,
    pub started: Instant,
}

impl PendingSave {
    /// "Saving… 1,200 of 5,000 files" for the status bar.
    pub fn describe(&self) -> String {
        let done = self
            .progress
            .done
            .load(std::sync::atomic::Ordering::Relaxed);
        let total = self
            .progress
            .total
            .load(std::sync::atomic::Ordering::Relaxed);
        if total > 0 {
            format!("Saving… {done} of {total} files")
        } else {
            "Saving…".to_string()
        }
    }
}
