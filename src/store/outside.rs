//! Changes made to the workspace folder by someone else (another valuemap,
//! `valuemap note add`, `git pull`, an editor), read as [`Change`]s so that
//! they are applied through the same path as every edit.
//!
//! Reading is separate from accepting: [`Store::read_change`] looks at the
//! disk and says what changed, without touching the store; once the changes
//! are applied to the workspace, [`Store::accept`] records the files' new
//! bytes as what was loaded. A change that is not applied is never accepted,
//! so a later save still sees the file as changed on disk.

use std::path::{Path, PathBuf};

use super::format::{self, MetricsFile, OpportunitiesFile};
use super::read;
use super::{
    DiskFile, FORMAT_VERSION, Listed, LoadError, METRICS_FILE, OPPORTUNITIES_FILE, Recorded, Store,
    WORKSPACE_FILE, duplicate, hash, load_entity, parse_entity,
};
use crate::model::Workspace;
use crate::model::change::{self, Change};
use crate::model::validate::FileKey;

/// What a file changed on disk holds, as changes to the workspace.
#[derive(Debug)]
pub struct Incoming {
    /// The changes, entity by entity (empty: nothing new for the workspace).
    pub changes: Vec<Change>,
    /// What the store records once they are applied.
    records: Vec<(FileKey, Option<Recorded>)>,
}

/// The entities of one file, as a workspace holding only them.
pub fn file_part(key: &FileKey, path: &Path, text: &str) -> Result<Workspace, LoadError> {
    let mut ws = Workspace::default();
    match key {
        FileKey::Workspace => {
            let (file, _) = match format::parse_workspace(path, text)? {
                Ok(x) => x,
                Err(newer) => {
                    return Err(LoadError::NewerVersion {
                        path: path.to_path_buf(),
                        found: newer.found,
                        supported: FORMAT_VERSION,
                    });
                }
            };
            ws.name = file.name;
            ws.description = file.description;
            ws.phases = file.phases;
            ws.personas = file.personas;
            ws.perspectives = file.perspectives;
            ws.conflicts = file.conflicts;
        }
        FileKey::Opportunities => {
            let f: OpportunitiesFile = format::parse(path, text)?;
            ws.opportunities = f.opportunities;
            ws.conflicts = f.conflicts;
        }
        FileKey::Metrics => {
            let f: MetricsFile = format::parse(path, text)?;
            ws.metrics = f.metrics;
            ws.conflicts = f.conflicts;
        }
        key => {
            let (entity, conflicts) = parse_entity(key.kind(), path, text)?;
            ws = entity.part(conflicts);
        }
    }
    ws.normalize();
    Ok(ws)
}

impl Store {
    /// Reads a file changed by someone else and says what it changes in
    /// `ws` (which holds no unsaved work of its own in that file). Nothing
    /// is recorded until [`Store::accept`].
    pub fn read_change(&self, ws: &Workspace, f: &DiskFile) -> Result<Incoming, LoadError> {
        match f {
            DiskFile::Known(
                key @ (FileKey::Workspace | FileKey::Opportunities | FileKey::Metrics),
            ) => {
                let name = match key {
                    FileKey::Workspace => WORKSPACE_FILE,
                    FileKey::Opportunities => OPPORTUNITIES_FILE,
                    _ => METRICS_FILE,
                };
                let path = self.root.join(name);
                let (new, record) =
                    match read::read_workspace_file(&self.root, &path, read::MAX_FILE_LEN) {
                        Ok(bytes) => {
                            let text = format::decode(&path, &bytes)?;
                            let part = file_part(key, &path, &text)?;
                            let record = Recorded::new(
                                PathBuf::from(name),
                                hash(&bytes),
                                Some(text.as_str().into()),
                            );
                            (part, Some(record))
                        }
                        Err(e) if e.is_not_found() && *key != FileKey::Workspace => {
                            (Workspace::default(), None)
                        }
                        Err(e) => return Err(e.into()),
                    };
                Ok(Incoming {
                    changes: change::diff(ws, &new, key),
                    records: vec![(key.clone(), record)],
                })
            }
            DiskFile::Known(key) => {
                let rel = self.rel_of(key, ws);
                if !self.root.join(&rel).exists() {
                    return Ok(Incoming {
                        changes: change::diff(ws, &Workspace::default(), key),
                        records: vec![(key.clone(), None)],
                    });
                }
                let f = load_entity(
                    &self.root,
                    &Listed::unchecked(&rel),
                    key.kind(),
                    &mut Vec::new(),
                    &mut PathBuf::new(),
                    &mut None,
                )?;
                let new_key = f.entity.key();
                let new_rel = f.rel();
                let part = f.entity.part(f.conflicts);
                let mut changes = change::diff(ws, &part, key);
                let mut records = vec![(key.clone(), None)];
                if new_key != *key {
                    // The file now holds another entity: that one is new.
                    changes.extend(change::diff(ws, &part, &new_key));
                }
                records.push((new_key, Some(Recorded::new(new_rel, f.hash, None))));
                Ok(Incoming { changes, records })
            }
            DiskFile::New(kind, rel) => {
                let f = load_entity(
                    &self.root,
                    &Listed::unchecked(rel),
                    *kind,
                    &mut Vec::new(),
                    &mut PathBuf::new(),
                    &mut None,
                )?;
                let key = f.entity.key();
                if let Some(prev) = self.recorded_rel(&key) {
                    return Err(duplicate(&key, self.root.join(prev), self.root.join(rel)));
                }
                let new_rel = f.rel();
                let part = f.entity.part(f.conflicts);
                Ok(Incoming {
                    changes: change::diff(ws, &part, &key),
                    records: vec![(key, Some(Recorded::new(new_rel, f.hash, None)))],
                })
            }
        }
    }

    /// Records the files read by [`Store::read_change`] as loaded, once
    /// their changes are in the workspace.
    pub fn accept(&mut self, incoming: Incoming) {
        for (key, record) in incoming.records {
            match record {
                Some(r) => self.record(key, r),
                None => self.forget(&key),
            }
        }
    }
}
