//! Saving. Small saves (the usual case: the files one edit touched) happen at
//! once; large ones (many notes, a save into a new folder) run on another
//! thread while the interface stays responsive and shows progress.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Instant;

use crate::store::recovery;
use crate::store::{Progress, SaveError, SaveReport, Scope, Store};
use crate::tui::app::{App, Exit};
use crate::tui::command::Command;
use crate::tui::popups::changed::Changed;
use crate::tui::state::disk::PendingSave;

/// Saves of more files than this run on another thread.
const BACKGROUND_FILES: usize = 64;

pub fn save_command(app: &mut App, _c: Command) -> Result<(), String> {
    save(app, false, false);
    Ok(())
}

pub fn save_and_quit(app: &mut App, _c: Command) -> Result<(), String> {
    save(app, false, true);
    Ok(())
}

pub fn force_save(app: &mut App, c: Command) -> Result<(), String> {
    let then_quit = matches!(c, Command::ForceSave { then_quit: true });
    save(app, true, then_quit);
    Ok(())
}

pub fn save_as_command(app: &mut App, c: Command) -> Result<(), String> {
    let Command::SaveAs(path) = c else {
        return Err("save-as needs a folder".into());
    };
    match path {
        Some(p) => save_as(app, &p),
        None => app.push(crate::tui::popups::prompt::Prompt::new(
            "Save as (a new folder)",
            "",
            |p| Command::SaveAs(Some(super::files::expand_home(&p))),
        )),
    }
    Ok(())
}

/// Saves through the store: only the files the edits touched, and only
/// those whose content changed. Large saves run in the background.
pub fn save(app: &mut App, force: bool, then_quit: bool) {
    if let Some(p) = &mut app.disk.pending_save {
        p.then_quit |= then_quit;
        app.info("Still saving: the save under way will finish first");
        return;
    }
    let Some(store) = app.store.as_mut() else {
        app.error("This workspace has no folder yet: use :save-as PATH");
        return;
    };
    if app.history.touched().len() > BACKGROUND_FILES {
        let mut store = store.clone();
        let (mark, files) = app.history.begin_save();
        let scope = Scope::Files(files.clone());
        let ws = app.ws.clone();
        let progress = Arc::new(Progress::default());
        let (tx, rx) = mpsc::channel();
        let p = Arc::clone(&progress);
        std::thread::spawn(move || {
            let r = store.save_with(&ws, &scope, force, Some(&p));
            let _ = tx.send((store, r));
        });
        app.disk.pending_save = Some(PendingSave {
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
    let scope = Scope::Files(app.history.touched().clone());
    let result = store.save(&app.ws, &scope, force);
    saved(app, result, None, then_quit, None);
}

/// Saves into a new folder and continues there (in the background).
pub fn save_as(app: &mut App, path: &Path) {
    if app.disk.pending_save.is_some() {
        app.info("Still saving: try again when the save under way is done");
        return;
    }
    if path.exists() {
        app.error(format!("Not saved: {} already exists", path.display()));
        return;
    }
    let (mark, files) = app.history.begin_save();
    let ws = app.ws.clone();
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
    app.disk.pending_save = Some(PendingSave {
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
pub fn poll_save(app: &mut App) {
    let Some(p) = &app.disk.pending_save else {
        return;
    };
    let Ok((store, result)) = p.rx.try_recv() else {
        return;
    };
    let Some(p) = app.disk.pending_save.take() else {
        return;
    };
    match (&result, &p.save_as) {
        (Ok(_), Some(path)) => {
            super::files::discard_recovery_file(app);
            app.store = Some(store);
            app.disk.recovery_path = recovery::path_for(path);
            app.history.saved_at(p.mark);
            app.info(format!(
                "Saved as {} ({:.1?})",
                path.display(),
                p.started.elapsed()
            ));
            // Everything is on disk there: edits made meanwhile still count.
            return;
        }
        (Err(_), _) => app.history.save_failed(p.files.clone()),
        (Ok(_), None) => {}
    }
    saved(app, result, Some(store), p.then_quit, Some(p.mark));
}

/// Reports a finished save.
fn saved(
    app: &mut App,
    result: Result<SaveReport, SaveError>,
    store: Option<Store>,
    then_quit: bool,
    mark: Option<u64>,
) {
    match result {
        Ok(report) => {
            if let Some(s) = store {
                app.store = Some(s);
            }
            match mark {
                Some(m) => app.history.saved_at(m),
                None => app.history.mark_saved(),
            }
            if !app.is_dirty() {
                super::files::discard_recovery_file(app);
            }
            let n = report.written.len() + report.removed.len();
            app.info(match n {
                0 => "Saved (nothing had changed on disk)".to_string(),
                1 => "Saved 1 file".to_string(),
                n => format!("Saved {n} files"),
            });
            if then_quit {
                app.exit = Some(Exit::Quit);
            }
        }
        Err(SaveError::Changed { paths }) => {
            app.push(Changed::new(paths, then_quit));
        }
        Err(e) => app.error(format!("Not saved: {e}")),
    }
}
