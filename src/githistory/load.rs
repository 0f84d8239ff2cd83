//! The workspace as it is in a commit, built from git's objects. Each file
//! version is parsed once (by its blob id) and each workspace version once
//! (by the ids of its three shared files and its notes folder).

use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use super::Repo;
use super::cat::{TreeEntry, parse_tree};
use crate::model::validate::{FileKey, FileKind};
use crate::model::{Conflict, Workspace};
use crate::store::format::{self, MetricsFile, OpportunitiesFile};
use crate::store::{self, FORMAT_VERSION};

/// What a workspace version is made of: the blob ids of workspace.ron and
/// of format version 1's opportunities.ron and metrics.ron, and the tree
/// ids of the folders of one entity per file ([`store::ENTITY_DIRS`]).
type Key = (
    String,
    Option<String>,
    Option<String>,
    [Option<String>; store::ENTITY_DIRS.len()],
);

/// `workspace.ron` as parsed: name, description, phases, personas,
/// perspectives and conflict records.
type SharedWs = (
    String,
    String,
    Vec<crate::model::Phase>,
    Vec<crate::model::Persona>,
    Vec<crate::model::Perspective>,
    Vec<Conflict>,
);

/// A list file as parsed, with its conflict records.
type Listed<T> = Rc<(Vec<T>, Vec<Conflict>)>;

#[derive(Default)]
pub(super) struct Cache {
    workspaces: HashMap<Key, Rc<Workspace>>,
    /// The shared files as parsed, by blob id: most commits change one of
    /// them, or none.
    ws_files: HashMap<String, Rc<SharedWs>>,
    opp_files: HashMap<String, Listed<crate::model::Opportunity>>,
    metric_files: HashMap<String, Listed<crate::model::Metric>>,
    /// Entity files (notes, opportunities, ...) as parsed, by blob id.
    entities: HashMap<String, Rc<(store::Entity, Vec<Conflict>)>>,
    trees: HashMap<String, Rc<Vec<TreeEntry>>>,
}

/// Workspace versions kept at once: a walk needs a commit and its parents,
/// so a small window is enough; the parsed files stay cached.
const KEEP: usize = 64;

impl Repo {
    fn id_len(oid: &str) -> usize {
        oid.len() / 2
    }

    fn tree(&self, expr: &str) -> Result<Option<Rc<Vec<TreeEntry>>>, String> {
        if let Some(t) = self.cache.borrow().trees.get(expr) {
            return Ok(Some(t.clone()));
        }
        let Some(obj) = self.object(expr)? else {
            return Ok(None);
        };
        if obj.kind != "tree" {
            return Ok(None);
        }
        let t = Rc::new(parse_tree(&obj.bytes, Self::id_len(&obj.oid)));
        let mut c = self.cache.borrow_mut();
        if c.trees.len() > 4 * KEEP {
            c.trees.clear();
        }
        c.trees.insert(obj.oid, t.clone());
        Ok(Some(t))
    }

    fn blob(&self, oid: &str) -> Result<Vec<u8>, String> {
        match self.object(oid)? {
            Some(o) if o.kind == "blob" => Ok(o.bytes),
            _ => Err(format!("git has no file {oid}")),
        }
    }

    /// Whether the commit has a workspace at `rel`.
    pub fn has_workspace(&self, commit: &str, rel: &str) -> Result<bool, String> {
        Ok(self
            .ws_tree(commit, rel)?
            .is_some_and(|t| t.iter().any(|e| e.name == store::WORKSPACE_FILE)))
    }

    fn ws_tree(&self, commit: &str, rel: &str) -> Result<Option<Rc<Vec<TreeEntry>>>, String> {
        if rel.is_empty() {
            self.tree(&format!("{commit}^{{tree}}"))
        } else {
            self.tree(&format!("{commit}:{rel}"))
        }
    }

    /// The workspace at `rel` in `commit`: `None` when it has none there;
    /// an error (naming the file, as `REV:path`) when it cannot be read.
    pub fn workspace_at(&self, commit: &str, rel: &str) -> Result<Option<Rc<Workspace>>, String> {
        let Some(tree) = self.ws_tree(commit, rel)? else {
            return Ok(None);
        };
        let blob = |name: &str| {
            tree.iter()
                .find(|e| e.name == name && e.is_file())
                .map(|e| e.oid.clone())
        };
        let Some(ws_blob) = blob(store::WORKSPACE_FILE) else {
            return Ok(None);
        };
        let subtree = |name: &str| {
            tree.iter()
                .find(|e| e.name == name && e.is_tree())
                .map(|e| e.oid.clone())
        };
        let key: Key = (
            ws_blob,
            blob(store::OPPORTUNITIES_FILE),
            blob(store::METRICS_FILE),
            store::ENTITY_DIRS.map(subtree),
        );
        if let Some(ws) = self.cache.borrow().workspaces.get(&key) {
            return Ok(Some(ws.clone()));
        }
        let short = &commit[..commit.len().min(8)];
        let label = |name: &str| {
            PathBuf::from(if rel.is_empty() {
                format!("{short}:{name}")
            } else {
                format!("{short}:{rel}/{name}")
            })
        };
        let text = |oid: &str, name: &str| -> Result<String, String> {
            let bytes = self.blob(oid)?;
            format::decode(&label(name), &bytes).map_err(|e| e.to_string())
        };
        let mut ws = Workspace::default();
        let cached = self.cache.borrow().ws_files.get(&key.0).cloned();
        let shared = match cached {
            Some(s) => s,
            None => {
                let path = label(store::WORKSPACE_FILE);
                let file = match format::parse_workspace(
                    &path,
                    &text(&key.0, store::WORKSPACE_FILE)?,
                )
                .map_err(|e| e.to_string())?
                {
                    Ok((f, _)) => f,
                    Err(newer) => {
                        return Err(format!(
                            "{}: format version {} is newer than this valuemap reads ({FORMAT_VERSION})",
                            path.display(),
                            newer.found
                        ));
                    }
                };
                let s = Rc::new((
                    file.name,
                    file.description,
                    file.phases,
                    file.personas,
                    file.perspectives,
                    file.conflicts,
                ));
                let mut c = self.cache.borrow_mut();
                if c.ws_files.len() >= KEEP {
                    c.ws_files.clear();
                }
                c.ws_files.insert(key.0.clone(), s.clone());
                s
            }
        };
        ws.name = shared.0.clone();
        ws.description = shared.1.clone();
        ws.phases = shared.2.clone();
        ws.personas = shared.3.clone();
        ws.perspectives = shared.4.clone();
        ws.conflicts = shared.5.clone();
        if let Some(oid) = &key.1 {
            let cached = self.cache.borrow().opp_files.get(oid).cloned();
            let f = match cached {
                Some(f) => f,
                None => {
                    let f: OpportunitiesFile = format::parse(
                        &label(store::OPPORTUNITIES_FILE),
                        &text(oid, store::OPPORTUNITIES_FILE)?,
                    )
                    .map_err(|e| e.to_string())?;
                    let f = Rc::new((f.opportunities, f.conflicts));
                    let mut c = self.cache.borrow_mut();
                    if c.opp_files.len() >= KEEP {
                        c.opp_files.clear();
                    }
                    c.opp_files.insert(oid.clone(), f.clone());
                    f
                }
            };
            ws.opportunities = f.0.clone();
            ws.conflicts.extend(f.1.iter().cloned());
        }
        if let Some(oid) = &key.2 {
            let cached = self.cache.borrow().metric_files.get(oid).cloned();
            let f = match cached {
                Some(f) => f,
                None => {
                    let f: MetricsFile = format::parse(
                        &label(store::METRICS_FILE),
                        &text(oid, store::METRICS_FILE)?,
                    )
                    .map_err(|e| e.to_string())?;
                    let f = Rc::new((f.metrics, f.conflicts));
                    let mut c = self.cache.borrow_mut();
                    if c.metric_files.len() >= KEEP {
                        c.metric_files.clear();
                    }
                    c.metric_files.insert(oid.clone(), f.clone());
                    f
                }
            };
            ws.metrics = f.0.clone();
            ws.conflicts.extend(f.1.iter().cloned());
        }
        let (has_opps, has_metrics) = (key.1.is_some(), key.2.is_some());
        let legacy_opps: std::collections::HashSet<crate::model::Id> =
            ws.opportunities.iter().map(|o| o.id.clone()).collect();
        let legacy_metrics: std::collections::HashSet<crate::model::Id> =
            ws.metrics.iter().map(|m| m.id.clone()).collect();
        let mut seen = std::collections::HashSet::new();
        for (folder, t) in store::ENTITY_DIRS.iter().zip(&key.3) {
            let Some(kind) = FileKind::of_folder(folder) else {
                continue;
            };
            let Some(entries) = t.as_ref().map(|t| self.tree(t)).transpose()?.flatten() else {
                continue;
            };
            for e in entries.iter() {
                if !e.is_file() || !e.name.ends_with(".ron") || e.name.starts_with('.') {
                    continue;
                }
                let name = format!("{folder}/{}", e.name);
                let cached = self.cache.borrow().entities.get(&e.oid).cloned();
                let parsed = match cached {
                    Some(p) => p,
                    None => {
                        let p = Rc::new(
                            store::parse_entity(kind, &label(&name), &text(&e.oid, &name)?)
                                .map_err(|e| e.to_string())?,
                        );
                        self.cache
                            .borrow_mut()
                            .entities
                            .insert(e.oid.clone(), p.clone());
                        p
                    }
                };
                let (entity, conflicts) = &*parsed;
                let key = entity.key();
                // Against format version 1's lists, when the commit has them.
                let legacy = match &key {
                    FileKey::Opportunity(id) if has_opps => legacy_opps.contains(id),
                    FileKey::Metric(id) if has_metrics => legacy_metrics.contains(id),
                    _ => false,
                };
                if legacy || !seen.insert(key) {
                    return Err(format!(
                        "{}: {} {} is held by two files",
                        label(&name).display(),
                        kind.noun(),
                        entity.key_id()
                    ));
                }
                ws.conflicts.extend(conflicts.iter().cloned());
                entity.clone().put_into(&mut ws);
            }
        }
        ws.normalize();
        let ws = Rc::new(ws);
        let mut c = self.cache.borrow_mut();
        if c.workspaces.len() >= KEEP {
            c.workspaces.clear();
        }
        c.workspaces.insert(key, ws.clone());
        Ok(Some(ws))
    }
}
