//! Capture drafts: a note being typed, written now and then (and when the
//! session ends abruptly) so a crash or a closed terminal never loses an
//! interview. Private, beside the workspace's recovery file, never in the
//! workspace.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Id;
use crate::store::{atomic, format, read};

/// An unsaved capture.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub workspace: PathBuf,
    pub written: String,
    /// The note being edited, `None` for a new one.
    #[serde(default)]
    pub editing: Option<Id>,
    pub body: String,
    #[serde(default)]
    pub interviewee: String,
    #[serde(default)]
    pub persona: Option<Id>,
    #[serde(default)]
    pub activities: Vec<Id>,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub tags: String,
}

impl Draft {
    /// Writes the draft atomically and privately.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            // Private all the way down, as for the recovery file.
            atomic::create_private_dir_all(parent)?;
            atomic::ensure_private_dir(parent)?;
        }
        atomic::write_atomic(path, format::to_ron(self).as_bytes())
    }

    /// Reads a draft, if there is a readable one: a regular file (never a
    /// FIFO or a device, which would block or never end) of at most
    /// [`read::MAX_FILE_LEN`] bytes, the bound of a note.
    pub fn read(path: &Path) -> Option<Draft> {
        let bytes = read::read_regular_file(path, read::MAX_FILE_LEN).ok()?;
        let text = format::decode(path, &bytes).ok()?;
        format::parse(path, &text).ok()
    }
}

/// Where the draft of a workspace goes: beside its recovery file.
pub fn path_for(recovery: &Path) -> PathBuf {
    recovery.with_extension("draft.ron")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_privately() {
        let dir = tempfile::tempdir().unwrap();
        let p = path_for(&dir.path().join("state/recovery/ws-1.ron"));
        assert!(p.to_string_lossy().ends_with("ws-1.draft.ron"));
        let d = Draft {
            body: "Title\n! pain".into(),
            interviewee: "Dana".into(),
            ..Draft::default()
        };
        d.write(&p).unwrap();
        assert_eq!(Draft::read(&p), Some(d));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(Draft::read(&dir.path().join("none.ron")), None);
    }
}
