//! The recovery file: unsaved work written when a session ends abruptly (a
//! signal, a closed terminal) and now and then while there are unsaved
//! changes, so a crash loses at most a few seconds. It is private (`0600` in a
//! `0700` folder) and lives in the platform state folder, not in the
//! workspace, so it never ends up in git.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::edit::Edit;
use crate::model::validate::FileKey;
use crate::model::{
    Conflict, Id, Metric, Note, Opportunity, Persona, Perspective, Phase, Workspace,
};
use crate::store::{atomic, format};

/// The folder recovery files go to: `$XDG_STATE_HOME/valuemap/recovery`
/// (else the platform's local data folder).
fn dir() -> Option<PathBuf> {
    let d = directories::ProjectDirs::from("", "", "valuemap")?;
    let base = d
        .state_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| d.data_local_dir().to_path_buf());
    Some(base.join("recovery"))
}

/// The recovery file for a workspace folder.
pub fn path_for(root: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut h = DefaultHasher::new();
    canonical.hash(&mut h);
    let name = canonical
        .file_name()
        .map(|n| crate::text::sanitize(&n.to_string_lossy()))
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect::<String>();
    Some(dir()?.join(format!("{name}-{:016x}.ron", h.finish())))
}

/// The map part of `workspace.ron`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPart {
    pub name: String,
    pub description: String,
    pub phases: Vec<Phase>,
    pub personas: Vec<Persona>,
    pub perspectives: Vec<Perspective>,
}

/// Unsaved work: the entities of every file changed since the last save.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The workspace folder the work belongs to.
    pub workspace: PathBuf,
    /// When it was written (local time, for the offer).
    pub written: String,
    #[serde(default)]
    pub map: Option<MapPart>,
    #[serde(default)]
    pub opportunities: Option<Vec<Opportunity>>,
    #[serde(default)]
    pub metrics: Option<Vec<Metric>>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub removed_notes: Vec<Id>,
    /// Merge conflict records, when any file was touched.
    #[serde(default)]
    pub conflicts: Option<Vec<Conflict>>,
}

impl Recovery {
    /// What differs from disk, given the files touched since the last save.
    pub fn capture(root: &Path, ws: &Workspace, touched: &BTreeSet<FileKey>) -> Recovery {
        let mut r = Recovery {
            workspace: root.to_path_buf(),
            written: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            map: None,
            opportunities: None,
            metrics: None,
            notes: Vec::new(),
            removed_notes: Vec::new(),
            conflicts: (!touched.is_empty()).then(|| ws.conflicts.clone()),
        };
        for key in touched {
            match key {
                FileKey::Workspace => {
                    r.map = Some(MapPart {
                        name: ws.name.clone(),
                        description: ws.description.clone(),
                        phases: ws.phases.clone(),
                        personas: ws.personas.clone(),
                        perspectives: ws.perspectives.clone(),
                    })
                }
                FileKey::Opportunities => r.opportunities = Some(ws.opportunities.clone()),
                FileKey::Metrics => r.metrics = Some(ws.metrics.clone()),
                FileKey::Note(id) => match ws.notes.get(id) {
                    Some(n) => r.notes.push(n.clone()),
                    None => r.removed_notes.push(id.clone()),
                },
            }
        }
        r
    }

    /// Writes the file atomically and privately.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
            atomic::ensure_private_dir(parent)?;
        }
        atomic::write_atomic(path, format::to_ron(self).as_bytes())
    }

    /// Reads a recovery file, if there is a usable one.
    pub fn read(path: &Path) -> Option<Result<Recovery, String>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => return Some(Err(format!("{}: {e}", path.display()))),
        };
        Some(
            format::decode(path, &bytes)
                .and_then(|t| format::parse::<Recovery>(path, &t))
                .map_err(|e| e.to_string()),
        )
    }

    /// How much it holds, for the offer.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.map.is_some() {
            parts.push("the map".to_string());
        }
        if self.opportunities.is_some() {
            parts.push("opportunities".to_string());
        }
        if self.metrics.is_some() {
            parts.push("metrics".to_string());
        }
        let n = self.notes.len() + self.removed_notes.len();
        if n > 0 {
            parts.push(format!("{n} note(s)"));
        }
        if parts.is_empty() {
            "no changes".into()
        } else {
            parts.join(", ")
        }
    }

    /// The edit that puts this work back into a freshly loaded workspace.
    pub fn into_edit(self, ws: &Workspace) -> Edit {
        let mut edits = Vec::new();
        if let Some(m) = self.map {
            edits.push(Edit::SetMeta {
                name: m.name,
                description: m.description,
            });
            edits.push(Edit::SetMap {
                phases: m.phases,
                personas: m.personas,
                perspectives: m.perspectives,
            });
        }
        if let Some(o) = self.opportunities {
            edits.push(Edit::SetOpportunities(o));
        }
        if let Some(m) = self.metrics {
            edits.push(Edit::SetMetrics(m));
        }
        for n in self.notes {
            edits.push(Edit::PutNote {
                id: n.id.clone(),
                note: Some(n),
            });
        }
        for id in self.removed_notes {
            if ws.notes.contains_key(&id) {
                edits.push(Edit::PutNote { id, note: None });
            }
        }
        if let Some(c) = self.conflicts {
            edits.push(Edit::SetConflicts(c));
        }
        Edit::Batch(edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit;
    use crate::template::Template;

    #[test]
    fn captured_work_restores_onto_the_saved_workspace() {
        let saved = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut ws = saved.clone();
        let mut touched = BTreeSet::new();
        ws.name = "Changed".into();
        touched.insert(FileKey::Workspace);
        let gone = ws.notes.keys().next().unwrap().clone();
        ws.notes.remove(&gone);
        touched.insert(FileKey::Note(gone));
        ws.metrics[0].name = "Renamed metric".into();
        touched.insert(FileKey::Metrics);

        let r = Recovery::capture(Path::new("/w"), &ws, &touched);
        assert_eq!(r.summary(), "the map, metrics, 1 note(s)");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/recovery/x.ron");
        r.write(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let back = Recovery::read(&path).unwrap().unwrap();
        assert_eq!(back, r);
        let mut restored = saved.clone();
        edit::apply(&mut restored, back.into_edit(&saved)).unwrap();
        assert_eq!(restored, ws);
    }

    #[test]
    fn a_corrupt_recovery_file_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.ron");
        std::fs::write(&p, "(workspace: 3").unwrap();
        assert!(Recovery::read(&p).unwrap().is_err());
        assert!(Recovery::read(&dir.path().join("none.ron")).is_none());
    }
}
