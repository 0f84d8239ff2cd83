//! Files the session keeps beside the workspace: the recovery file and the
//! capture draft (both in the store's private state folder), and paths the
//! user types.

use std::path::{Path, PathBuf};

use crate::store::draft;
use crate::store::recovery::Recovery;
use crate::tui::app::App;

/// `~/x` → `$HOME/x`.
pub fn expand_home(p: &str) -> PathBuf {
    match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(p),
    }
}

/// Removes the recovery file: nothing is unsaved any more.
pub fn discard_recovery_file(app: &mut App) {
    if let Some(p) = &app.disk.recovery_path {
        let _ = std::fs::remove_file(p);
    }
}

/// Where the capture draft of this workspace is written.
pub fn draft_path(app: &App) -> Option<std::path::PathBuf> {
    app.disk.recovery_path.as_deref().map(draft::path_for)
}

/// Writes an open capture's changes to its draft file.
pub fn write_draft(app: &mut App) {
    let (Some(path), Some(root)) = (draft_path(app), app.root().map(|p| p.to_path_buf())) else {
        return;
    };
    for l in app.layers.iter_mut() {
        if let Some(mut d) = l.take_draft() {
            d.workspace = root;
            let _ = d.write(&path);
            return;
        }
    }
}

/// Writes unsaved work to the recovery file (private); removes the file
/// when nothing is unsaved. Returns whether something was written.
pub fn write_recovery(app: &App) -> bool {
    let (Some(path), Some(root)) = (&app.disk.recovery_path, app.root()) else {
        return false;
    };
    let changes = if app.is_dirty() {
        app.history.unsaved_changes(&app.ws)
    } else {
        Vec::new()
    };
    if changes.is_empty() {
        // Undone back to what is saved: nothing to recover.
        let _ = std::fs::remove_file(path);
        return false;
    }
    Recovery::capture(root, changes).write(path).is_ok()
}

/// Writes everything not yet on disk: the recovery file and the draft of an
/// open capture. Used when the session ends abruptly, and now and then.
pub fn persist_unsaved(app: &mut App) {
    write_recovery(app);
    write_draft(app);
}
