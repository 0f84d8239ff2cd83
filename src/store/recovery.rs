//! The recovery file: unsaved work written when a session ends abruptly (a
//! signal, a closed terminal) and now and then while there are unsaved
//! changes, so a crash loses at most a few seconds. It is private (`0600` in a
//! `0700` folder) and lives in the platform state folder, not in the
//! workspace, so it never ends up in git.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Id;
use crate::model::change::{Change, Snap, Target};
use crate::store::{atomic, format, read};

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

/// Unsaved work: every entity changed since the last save, with its state
/// on disk then and its state in the session. Restoring replays the changes
/// over the workspace as it is on disk now ([`History::replay_as_step`]):
/// what changed on disk in the meantime is kept, never overwritten by a
/// stale copy.
///
/// [`History::replay_as_step`]: crate::model::history::History::replay_as_step
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The workspace folder the work belongs to.
    pub workspace: PathBuf,
    /// When it was written (local time, for the offer).
    pub written: String,
    #[serde(default)]
    pub changes: Vec<Change>,
}

impl Recovery {
    /// Unsaved work: the changes not yet on disk.
    pub fn capture(root: &Path, changes: Vec<Change>) -> Recovery {
        Recovery {
            workspace: root.to_path_buf(),
            written: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            changes,
        }
    }

    /// Drops every change to these notes or to notes of this interviewee
    /// (prefix, any case); returns whether any went.
    pub fn forget(&mut self, notes: &[Id], interviewee: &str) -> bool {
        let who = interviewee.trim().to_lowercase();
        let theirs = |s: &Option<Snap>| match s {
            Some(Snap::Note(n)) => {
                notes.contains(&n.id)
                    || (!who.is_empty() && n.interviewee.trim().to_lowercase().starts_with(&who))
            }
            _ => false,
        };
        let before = self.changes.len();
        self.changes.retain(|c| {
            !(matches!(&c.target, Target::Note(id) if notes.contains(id))
                || theirs(&c.before)
                || theirs(&c.after))
        });
        self.changes.len() != before
    }

    /// Writes the file atomically and privately.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            // Every folder made on the way is private (the XDG base-directory
            // specification's rule for the state home), the last one too
            // when it was already there.
            atomic::create_private_dir_all(parent)?;
            atomic::ensure_private_dir(parent)?;
        }
        atomic::write_atomic(path, format::to_ron(self).as_bytes())
    }

    /// Reads a recovery file, if there is a usable one. Only a regular
    /// file is read (a FIFO or a device in its place is an error, never a
    /// wait), of at most [`read::MAX_SOURCE_LEN`] bytes: a recovery holds
    /// every entity changed since the last save, twice.
    pub fn read(path: &Path) -> Option<Result<Recovery, String>> {
        let bytes = match read::read_regular_file(path, read::MAX_SOURCE_LEN) {
            Ok(b) => b,
            Err(e) if e.is_not_found() => return None,
            Err(e) => return Some(Err(e.to_string())),
        };
        Some(
            format::decode(path, &bytes)
                .and_then(|t| format::parse::<Recovery>(path, &t))
                .map_err(|e| e.to_string()),
        )
    }

    /// How much it holds, for the offer: "2 personas, 1 note".
    pub fn summary(&self) -> String {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for c in &self.changes {
            let kind = match c.target {
                Target::Meta => "workspace name and description",
                Target::Phase(_) => "phase",
                Target::Activity(_) => "activity",
                Target::Persona(_) => "persona",
                Target::Perspective { .. } => "perspective",
                Target::Note(_) => "note",
                Target::Opportunity(_) => "opportunity",
                Target::Metric(_) => "metric",
                Target::Item(k, _) => k.label(),
                Target::Conflict(_) => "conflict record",
            };
            *counts.entry(kind).or_default() += 1;
        }
        if counts.is_empty() {
            return "no changes".into();
        }
        counts
            .into_iter()
            .map(|(k, n)| match k {
                "workspace name and description" => "the workspace's name".to_string(),
                k => crate::text::count(n, k),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::Edit;
    use crate::model::history::History;
    use crate::template::Template;

    #[test]
    fn captured_work_restores_onto_the_saved_workspace() {
        let saved = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut ws = saved.clone();
        let mut h = History::default();
        h.apply(
            &mut ws,
            "rename",
            Edit::SetMeta {
                name: "Changed".into(),
                description: String::new(),
            },
        )
        .unwrap();
        let gone = ws.notes.keys().next().unwrap().clone();
        let (e, _) = crate::model::edit::delete_note(&ws, &gone);
        h.apply(&mut ws, "delete", e).unwrap();
        let mut m = ws.metrics[0].clone();
        m.name = "Renamed metric".into();
        h.apply(&mut ws, "metric", Edit::SetMetric { metric: m })
            .unwrap();

        let r = Recovery::capture(Path::new("/w"), h.unsaved_changes(&ws));
        assert!(r.summary().contains("1 metric"), "{}", r.summary());
        assert!(r.summary().contains("1 note"), "{}", r.summary());
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
        let mut h = History::default();
        h.replay_as_step(&mut restored, "restore", &back.changes)
            .unwrap();
        assert_eq!(restored, ws);
    }

    #[test]
    fn restoring_keeps_what_changed_on_disk_meanwhile() {
        let saved = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut ws = saved.clone();
        let mut h = History::default();
        let mut o = ws.opportunities[0].clone();
        o.title = "Ours".into();
        h.apply(&mut ws, "title", Edit::SetOpportunity { opportunity: o })
            .unwrap();
        let r = Recovery::capture(Path::new("/w"), h.unsaved_changes(&ws));
        // Meanwhile on disk: a new opportunity and another field of ours.
        let mut disk = saved.clone();
        let mut extra = disk.opportunities[1].clone();
        extra.id = "newopp".into();
        disk.opportunities.push(extra);
        disk.normalize();
        let i = disk.opportunity_index(&ws.opportunities[0].id).unwrap();
        disk.opportunities[i].description = "theirs".into();
        let mut h = History::default();
        h.replay_as_step(&mut disk, "restore", &r.changes).unwrap();
        assert!(disk.opportunity(&"newopp".into()).is_some());
        let o = disk.opportunity(&ws.opportunities[0].id).unwrap();
        assert_eq!(
            (o.title.as_str(), o.description.as_str()),
            ("Ours", "theirs")
        );
    }

    #[test]
    fn forgetting_an_interviewee_drops_their_notes_from_recovery() {
        let mut ws = Template::find("kubernetes-platform")
            .unwrap()
            .workspace()
            .unwrap();
        let mut h = History::default();
        let mut n = (**ws.notes.values().next().unwrap()).clone();
        n.body.push_str("\n> more");
        let who = n.interviewee.clone();
        h.apply(
            &mut ws,
            "note",
            Edit::PutNote {
                id: n.id.clone(),
                note: Some(n),
            },
        )
        .unwrap();
        let mut r = Recovery::capture(Path::new("/w"), h.unsaved_changes(&ws));
        assert!(r.forget(&[], &who));
        assert!(r.changes.is_empty());
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
