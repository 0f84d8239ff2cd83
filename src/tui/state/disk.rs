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
