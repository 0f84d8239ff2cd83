//! Saving. Small saves (the usual case: the files one edit touched) happen at
//! once; large ones (many notes, a save into a new folder) run on another
//! thread while the interface stays responsive and shows progress.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use crate::model::validate::FileKey;
use crate::store::recovery;
use crate::store::{Progress, SaveError, SaveReport, Scope, Store};
use crate::tui::app::{App, Exit};
use crate::tui::popups::Popup;

/// Saves of more files than this run on another thread.
const BACKGROUND_FILES: usize = 64;

/// A save under way on another thread.
pub struct PendingSave {
    rx: mpsc::Receiver<(Store, Result<SaveReport, SaveError>)>,
    /// The history mark of the state being saved.
    mark: u64,
    /// The files being written.
    pub files: BTreeSet<FileKey>,
    then_quit: bool,
    /// Where it goes, when it is a save into a new folder.
    save_as: Option<PathBuf>,
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

impl App {
    /// Saves through the store: only the files the edits touched, and only
    /// those whose content changed. Large saves run in the background.
    pub fn save(&mut self, force: bool, then_quit: bool) {
        if let Some(p) = &mut self.pending_save {
            p.then_quit |= then_quit;
            self.info("Still saving: the save under way will finish first");
            return;
        }
        let Some(store) = self.store.as_mut() else {
            self.error("This workspace has no folder yet: use :save-as PATH");
            return;
        };
        if self.history.touched().len() > BACKGROUND_FILES {
            let mut store = store.clone();
            let (mark, files) = self.history.begin_save();
            let scope = Scope::Files(files.clone());
            let ws = self.ws.clone();
            let progress = Arc::new(Progress::default());
            let (tx, rx) = mpsc::channel();
            let p = Arc::clone(&progress);
            std::thread::spawn(move || {
                let r = store.save_with(&ws, &scope, force, Some(&p));
                let _ = tx.send((store, r));
            });
            self.pending_save = Some(PendingSave {
                rx,
                mark,
                files,
                then_quit,
                save_as: None,
                progress,
                started: Instant::now(),
            });
            return;
        }
        let scope = Scope::Files(self.history.touched().clone());
        let result = store.save(&self.ws, &scope, force);
        self.saved(result, None, then_quit, None);
    }

    /// Saves into a new folder and continues there (in the background).
    pub fn save_as(&mut self, path: &Path) {
        if self.pending_save.is_some() {
            self.info("Still saving: try again when the save under way is done");
            return;
        }
        if path.exists() {
            self.error(format!("Not saved: {} already exists", path.display()));
            return;
        }
        let (mark, files) = self.history.begin_save();
        let ws = self.ws.clone();
        let progress = Arc::new(Progress::default());
        let (tx, rx) = mpsc::channel();
        let p = Arc::clone(&progress);
        let target = path.to_path_buf();
        std::thread::spawn(move || {
            let r = Store::create_with(&target, &ws, Some(&p));
            let _ = tx.send(match r {
                Ok(store) => (store, Ok(SaveReport::default())),
                Err(e) => (Store::placeholder(&target), Err(e)),
            });
        });
        self.pending_save = Some(PendingSave {
            rx,
            mark,
            files,
            then_quit: false,
            save_as: Some(path.to_path_buf()),
            progress,
            started: Instant::now(),
        });
    }

    /// Takes the result of a background save, if it is done.
    pub fn poll_save(&mut self) {
        let Some(p) = &self.pending_save else { return };
        let Ok((store, result)) = p.rx.try_recv() else {
            return;
        };
        let Some(p) = self.pending_save.take() else {
            return;
        };
        match (&result, &p.save_as) {
            (Ok(_), Some(path)) => {
                self.discard_recovery();
                self.store = Some(store);
                self.recovery_path = recovery::path_for(path);
                self.history.saved_at(p.mark);
                self.info(format!(
                    "Saved as {} ({:.1?})",
                    path.display(),
                    p.started.elapsed()
                ));
                // Everything is on disk there: edits made meanwhile still count.
                return;
            }
            (Err(_), _) => self.history.save_failed(p.files.clone()),
            (Ok(_), None) => {}
        }
        self.saved(result, Some(store), p.then_quit, Some(p.mark));
    }

    /// Reports a finished save.
    fn saved(
        &mut self,
        result: Result<SaveReport, SaveError>,
        store: Option<Store>,
        then_quit: bool,
        mark: Option<u64>,
    ) {
        match result {
            Ok(report) => {
                if let Some(s) = store {
                    self.store = Some(s);
                }
                match mark {
                    Some(m) => self.history.saved_at(m),
                    None => self.history.mark_saved(),
                }
                if !self.is_dirty() {
                    self.discard_recovery();
                }
                let n = report.written.len() + report.removed.len();
                self.info(match n {
                    0 => "Saved (nothing had changed on disk)".to_string(),
                    1 => "Saved 1 file".to_string(),
                    n => format!("Saved {n} files"),
                });
                if then_quit {
                    self.exit = Some(Exit::Quit);
                }
            }
            Err(SaveError::Changed { paths }) => {
                self.push(Popup::conflict(paths, then_quit));
            }
            Err(e) => self.error(format!("Not saved: {e}")),
        }
    }
}
