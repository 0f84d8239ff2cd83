//! The workspace folder on disk.
//!
//! ```text
//! platform-discovery/            (0700)
//!   workspace.ron                name, version, phases + activities, personas, perspectives
//!   opportunities.ron
//!   metrics.ron
//!   notes/2026-11-20-k3f9q2.ron  one interview note per file (0600)
//!   outcomes/h7r2mx.ron          one desired outcome per file
//!   solutions/p4c8zt.ron         one solution per file
//!   assumptions/w9d3kq.ron       one assumption test per file
//! ```
//!
//! Outcomes, solutions and assumption tests live one per file, named by
//! their random id, so that two people adding them on two branches add two
//! different files, which git merges without a conflict.
//!
//! The store remembers what every file held when it was loaded or last
//! written. A save serialises only the files it is asked about, writes only
//! those whose content changed, and refuses to overwrite a file that changed on
//! disk in the meantime ([`SaveError::Changed`]).
//!
//! A save holds the workspace's lock ([`lock`]) from its check to its last
//! write, and a save of several files is one transaction ([`txn`]): after a
//! crash or a failed write, every file of it is new or every file is old.
//! Everything is read through [`read`], which refuses FIFOs, devices,
//! symbolic links out of the workspace and files over [`read::MAX_FILE_LEN`].

pub mod atomic;
pub mod comments;
pub mod draft;
pub mod format;
pub mod lock;
mod outside;
pub mod paths;
pub mod read;
pub mod recovery;
pub mod staging;
pub mod txn;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use thiserror::Error;

use crate::model::validate::FileKey;
use crate::model::{Id, Item, Kind, Note, Workspace};
pub use format::{FORMAT_VERSION, ParseError};
use format::{
    MetricsFile, MetricsFileRef, OpportunitiesFile, OpportunitiesFileRef, WorkspaceFileRef,
};
pub use outside::{Incoming, file_part};

pub const WORKSPACE_FILE: &str = "workspace.ron";
pub const OPPORTUNITIES_FILE: &str = "opportunities.ron";
pub const METRICS_FILE: &str = "metrics.ron";
pub const NOTES_DIR: &str = "notes";

/// Temporary files older than this are leftovers of a crash and are removed
/// when a workspace is opened. Younger ones may belong to a save in progress.
const STALE_TEMP_AGE: Duration = Duration::from_secs(5);

/// Above this many files, a save flushes to disk once for all of them.
const BULK_WRITES: usize = 32;

/// Why a workspace could not be opened.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("no workspace at {}: {} not found (create one with `valuemap new {}`)", .path.display(), WORKSPACE_FILE, .path.display())]
    Missing { path: PathBuf },
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error(
        "{}: format version {found} is newer than this valuemap understands (up to {supported}); \
         upgrade valuemap to open it. Nothing was changed.",
        .path.display()
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        supported: u32,
    },
    #[error("{} and {} both hold note {id}; remove or rename one", .first.display(), .second.display())]
    DuplicateNote {
        id: Id,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{} and {} both hold {kind} {id}; remove one", .first.display(), .second.display())]
    DuplicateItem {
        kind: Kind,
        id: Id,
        first: PathBuf,
        second: PathBuf,
    },
    /// A file that parses but does not hold what its folder says.
    #[error("{}: {message}", .path.display())]
    Invalid { path: PathBuf, message: String },
    /// A FIFO, a device, a folder, a link out of the workspace or an
    /// oversized file where a workspace file should be.
    #[error("{0}")]
    Read(#[from] read::ReadError),
    #[error("{0}")]
    Lock(#[from] lock::LockError),
    /// An interrupted save that could not be settled.
    #[error("{0}")]
    Recover(#[from] txn::RecoverError),
}

/// Why a save did not happen (nothing was written in either case, unless the
/// error says otherwise).
#[derive(Debug, Error)]
pub enum SaveError {
    /// Files changed on disk since they were loaded: saving would overwrite
    /// someone else's work. Reload, overwrite on purpose, or save elsewhere.
    #[error("{} changed on disk since it was loaded; not overwritten", list(.paths))]
    Changed { paths: Vec<PathBuf> },
    #[error("could not write {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} already exists; not overwritten", .path.display())]
    Exists { path: PathBuf },
    /// Another writer holds the workspace (nothing was written).
    #[error("{0}")]
    Lock(#[from] lock::LockError),
    /// The save stopped part way and could not be undone; the next open of
    /// the workspace finishes or undoes it.
    #[error("{0}")]
    Interrupted(txn::TxnError),
    /// An interrupted save found before this one could not be settled.
    #[error("{0}")]
    Recover(#[from] txn::RecoverError),
}

impl SaveError {
    /// Whether every file still holds what it held before the save (true
    /// for every error but [`SaveError::Interrupted`]).
    pub fn nothing_written(&self) -> bool {
        !matches!(self, SaveError::Interrupted(_))
    }
}

impl From<txn::TxnError> for SaveError {
    fn from(e: txn::TxnError) -> SaveError {
        match e {
            txn::TxnError::Unchanged { path, source } => SaveError::Io { path, source },
            e @ txn::TxnError::Interrupted { .. } => SaveError::Interrupted(e),
        }
    }
}

fn list(paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(format!("{more} more"));
    }
    names.join(", ")
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// What a file held when it was last loaded or written.
#[derive(Clone, Debug)]
struct Recorded {
    /// Path relative to the workspace folder.
    rel: PathBuf,
    hash: u64,
    /// For the shared files (not notes): the text itself, the common
    /// ancestor when an outside change is merged by id.
    base: Option<std::sync::Arc<str>>,
}

/// Which files a save considers.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Every file of the workspace (still writing only those that changed).
    All,
    /// Only these files: the ones the edits since the last save touched.
    Files(BTreeSet<FileKey>),
}

/// What a save did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveReport {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// What opening a workspace found besides the workspace itself.
#[derive(Clone, Debug, Default)]
pub struct LoadInfo {
    /// The format version the files were migrated from, if they were older.
    pub migrated_from: Option<u32>,
    /// What the open did about a save that was interrupted (a crash, a
    /// kill) before it: finished it, or undone it.
    pub recovered: Option<txn::Recovered>,
    /// Entries of `notes/` that were not read: not files (a folder, a FIFO,
    /// a device), or links out of the workspace.
    pub skipped: Vec<Skipped>,
    /// Files that hold comments, each with the line of its first: a save
    /// does not keep them.
    pub comments: Vec<comments::Commented>,
}

impl LoadInfo {
    /// Records where `text`, read from `path`, has its first comment.
    fn look_for_comments(&mut self, path: &Path, text: &str) {
        if let Some((line, _)) = comments::first_comment(text) {
            self.comments.push(comments::Commented {
                path: path.to_path_buf(),
                line,
            });
        }
    }
}

/// An entry of the notes folder that is not a note file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    /// Why, in words: "a folder, not a file".
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}; skipped", self.path.display(), self.reason)
    }
}

/// An open workspace folder.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
    files: BTreeMap<FileKey, Recorded>,
    /// The workspace's exclusive lock, when this store holds it from its
    /// load to its saves (see [`Store::open_locked`]).
    lock: Option<Arc<lock::WorkspaceLock>>,
    /// A folder nobody else knows yet (a new workspace being written under
    /// a hidden name): its saves need no lock.
    unshared: bool,
}

impl Store {
    /// The workspace folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of a file of the workspace (where it is, or where a new one goes).
    pub fn path_of(&self, key: &FileKey, ws: &Workspace) -> PathBuf {
        self.root.join(self.rel_of(key, ws))
    }

    fn rel_of(&self, key: &FileKey, ws: &Workspace) -> PathBuf {
        if let Some(r) = self.files.get(key) {
            return r.rel.clone();
        }
        match key {
            FileKey::Workspace => PathBuf::from(WORKSPACE_FILE),
            FileKey::Opportunities => PathBuf::from(OPPORTUNITIES_FILE),
            FileKey::Metrics => PathBuf::from(METRICS_FILE),
            FileKey::Note(id) => match ws.notes.get(id) {
                Some(n) => note_rel(n),
                None => Path::new(NOTES_DIR).join(format!("{id}.ron")),
            },
            FileKey::Item(k, id) => item_rel(*k, id),
        }
    }

    /// Opens the workspace folder at `root`.
    pub fn open(root: &Path) -> Result<(Store, Workspace, LoadInfo), LoadError> {
        Store::open_with(root, None)
    }

    /// Opens the workspace folder at `root`, counting loaded notes in
    /// `progress` (for a progress display on another thread).
    ///
    /// Reading shares the workspace's lock: a save in progress elsewhere
    /// finishes first, so the files are read all old or all new. A save that
    /// was interrupted (a crash, a kill) is settled first, and
    /// [`LoadInfo::recovered`] says how.
    pub fn open_with(
        root: &Path,
        progress: Option<&Progress>,
    ) -> Result<(Store, Workspace, LoadInfo), LoadError> {
        Self::check_root(root)?;
        let mut held = lock::WorkspaceLock::for_reading(root)?;
        let mut recovered = None;
        if txn::pending(root) {
            // Settling it writes: that takes the writer's lock.
            drop(held.take());
            let l = lock::WorkspaceLock::exclusive(root)?;
            recovered = txn::recover(root)?;
            held = Some(l);
        }
        let (store, ws, mut info) = Self::load(root, progress)?;
        info.recovered = recovered;
        drop(held);
        Ok((store, ws, info))
    }

    /// Opens the workspace folder at `root` for writing: takes the
    /// workspace's exclusive lock (waiting up to [`lock::timeout`] for
    /// another writer), settles an interrupted save, loads, and keeps the
    /// lock until the store is dropped or [`Store::unlock`] is called. Every
    /// save in between is checked and written with no other writer in
    /// between: a read-check-write with no lost update.
    pub fn open_locked(root: &Path) -> Result<(Store, Workspace, LoadInfo), LoadError> {
        Self::check_root(root)?;
        let l = lock::WorkspaceLock::exclusive(root)?;
        let recovered = txn::recover(root)?;
        let (mut store, ws, mut info) = Self::load(root, None)?;
        info.recovered = recovered;
        store.lock = Some(Arc::new(l));
        Ok((store, ws, info))
    }

    /// Lets go of the lock taken by [`Store::open_locked`]; later saves
    /// take it for themselves.
    pub fn unlock(&mut self) {
        self.lock = None;
    }

    /// Whether this store holds the workspace's exclusive lock.
    pub fn holds_lock(&self) -> bool {
        self.lock.is_some()
    }

    fn check_root(root: &Path) -> Result<(), LoadError> {
        // A workspace.ron that is a link, a FIFO or a folder is there: the
        // read below says what is wrong with it.
        if !root.is_dir() || root.join(WORKSPACE_FILE).symlink_metadata().is_err() {
            return Err(LoadError::Missing {
                path: root.to_path_buf(),
            });
        }
        Ok(())
    }

    /// Reads every file (the caller holds the lock, or has none to take).
    fn load(
        root: &Path,
        progress: Option<&Progress>,
    ) -> Result<(Store, Workspace, LoadInfo), LoadError> {
        let ws_path = root.join(WORKSPACE_FILE);
        let mut info = LoadInfo::default();
        let mut store = Store {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            lock: None,
            unshared: false,
        };
        let mut ws = Workspace::default();

        let text = store.read_text(FileKey::Workspace, Path::new(WORKSPACE_FILE))?;
        info.look_for_comments(&ws_path, &text);
        let (file, version) = match format::parse_workspace(&ws_path, &text)? {
            Ok(x) => x,
            Err(newer) => {
                return Err(LoadError::NewerVersion {
                    path: ws_path,
                    found: newer.found,
                    supported: FORMAT_VERSION,
                });
            }
        };
        if let format::Version::Old(v) = version {
            info.migrated_from = Some(v);
        }
        ws.name = file.name;
        ws.description = file.description;
        ws.phases = file.phases;
        ws.personas = file.personas;
        ws.perspectives = file.perspectives;
        ws.conflicts = file.conflicts;

        if root.join(OPPORTUNITIES_FILE).symlink_metadata().is_ok() {
            let rel = Path::new(OPPORTUNITIES_FILE);
            let text = store.read_text(FileKey::Opportunities, rel)?;
            info.look_for_comments(&root.join(rel), &text);
            let f: OpportunitiesFile = format::parse(&root.join(rel), &text)?;
            ws.opportunities = f.opportunities;
            ws.conflicts.extend(f.conflicts);
        }
        if root.join(METRICS_FILE).symlink_metadata().is_ok() {
            let rel = Path::new(METRICS_FILE);
            let text = store.read_text(FileKey::Metrics, rel)?;
            info.look_for_comments(&root.join(rel), &text);
            let f: MetricsFile = format::parse(&root.join(rel), &text)?;
            ws.metrics = f.metrics;
            ws.conflicts.extend(f.conflicts);
        }
        let (rels, skipped) = note_files(root)?;
        info.skipped = skipped;
        if let Some(p) = progress {
            p.total.store(rels.len(), Ordering::Relaxed);
        }
        for (rel, h, note, conflicts, comment) in load_notes(root, rels, progress)? {
            ws.conflicts.extend(conflicts);
            if let Some(line) = comment {
                info.comments.push(comments::Commented {
                    path: root.join(&rel),
                    line,
                });
            }
            let key = FileKey::Note(note.id.clone());
            if let Some(prev) = store.files.get(&key) {
                return Err(LoadError::DuplicateNote {
                    id: note.id,
                    first: root.join(&prev.rel),
                    second: root.join(&rel),
                });
            }
            store.files.insert(
                key,
                Recorded {
                    rel,
                    hash: h,
                    base: None,
                },
            );
            ws.notes.insert(note.id.clone(), note);
        }
        for kind in Kind::ALL {
            let (rels, skipped) = ron_files(root, kind.dir(), kind.label())?;
            info.skipped.extend(skipped);
            for rel in rels {
                let (h, item, conflicts, comment) = load_item(root, &rel, kind)?;
                if let Some(line) = comment {
                    info.comments.push(comments::Commented {
                        path: root.join(&rel),
                        line,
                    });
                }
                let key = FileKey::Item(kind, item.id().clone());
                if let Some(prev) = store.files.get(&key) {
                    return Err(LoadError::DuplicateItem {
                        kind,
                        id: item.id().clone(),
                        first: root.join(&prev.rel),
                        second: root.join(&rel),
                    });
                }
                ws.conflicts.extend(conflicts);
                store.files.insert(
                    key,
                    Recorded {
                        rel,
                        hash: h,
                        base: None,
                    },
                );
                let id = item.id().clone();
                ws.items.put(kind, &id, Some(item));
            }
        }
        ws.normalize();
        Ok((store, ws, info))
    }

    /// Removes temporary files left by an interrupted save (older than a few
    /// seconds, and only when no save is in progress: the workspace's lock
    /// is free, and no interrupted save waits to be settled). Called by the
    /// commands that write, after the workspace loaded; returns how many
    /// were removed.
    pub fn clean_stale_temp_files(&self) -> usize {
        let _held = match self.lock {
            Some(_) => None,
            None => match lock::WorkspaceLock::try_exclusive(&self.root) {
                Some(l) => Some(l),
                // A save is under way: its files are not leftovers.
                None => return 0,
            },
        };
        if txn::pending(&self.root) {
            return 0;
        }
        clean_stale_temp_files(&self.root, STALE_TEMP_AGE)
    }

    /// Removes every leftover of interrupted runs that may hold interview
    /// text: with the workspace's lock held ([`Store::open_locked`]), every
    /// temporary file whatever its age (no save can be under way); without
    /// it, the stale ones only. Also the staging folders that a killed
    /// `valuemap new` or `:save-as` of this workspace's name left beside
    /// it. Returns how many files and folders were removed.
    pub fn remove_leftovers(&self) -> usize {
        let mut n = if self.lock.is_some() && !txn::pending(&self.root) {
            clean_stale_temp_files(&self.root, Duration::ZERO)
        } else {
            self.clean_stale_temp_files()
        };
        let parent = match self.root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        n += staging::clean(parent, Some(&self.root)).len();
        n
    }

    fn read_text(&mut self, key: FileKey, rel: &Path) -> Result<String, LoadError> {
        let path = self.root.join(rel);
        let bytes = read::read_workspace_file(&self.root, &path, read::MAX_FILE_LEN)?;
        let h = hash(&bytes);
        let text = format::decode(&path, &bytes)?;
        self.files.insert(
            key,
            Recorded {
                rel: rel.to_path_buf(),
                hash: h,
                base: Some(text.as_str().into()),
            },
        );
        Ok(text)
    }

    /// Creates a new workspace folder at `root` (which must not exist) holding
    /// `ws`. The folder is private (`0700`). It is whole or absent: the files
    /// are written into a hidden folder beside it, which is renamed into
    /// place once everything is written (and removed when anything fails).
    pub fn create(root: &Path, ws: &Workspace) -> Result<Store, SaveError> {
        Store::create_with(root, ws, None)
    }

    /// A store for a folder that holds nothing yet (it records no files).
    pub fn placeholder(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
            lock: None,
            unshared: false,
        }
    }

    /// Like [`Store::create`], counting written files in `progress`.
    pub fn create_with(
        root: &Path,
        ws: &Workspace,
        progress: Option<&Progress>,
    ) -> Result<Store, SaveError> {
        // A dangling symbolic link counts: nothing is created through it.
        if root.symlink_metadata().is_ok() {
            return Err(SaveError::Exists {
                path: root.to_path_buf(),
            });
        }
        let io = |source| SaveError::Io {
            path: root.to_path_buf(),
            source,
        };
        if let Some(parent) = root.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Some(file) = parent.ancestors().find(|a| a.is_file()) {
                return Err(SaveError::Io {
                    path: root.to_path_buf(),
                    source: io::Error::other(format!("{} is a file, not a folder", file.display())),
                });
            }
            // Folders made on the way are private too (in the XDG data home,
            // the base-directory specification asks for 0700).
            atomic::create_private_dir_all(parent).map_err(io)?;
        }
        let parent = match root.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // Leftovers of runs killed while they created a workspace here.
        staging::clean(parent, None);
        let staging = staging::create(parent, root).map_err(io)?;
        let mut store = Store {
            root: staging.dir.path().to_path_buf(),
            files: BTreeMap::new(),
            lock: None,
            unshared: true,
        };
        store.save_with(ws, &Scope::All, false, progress)?;
        // Into place; on failure the staging folder goes with `staging`.
        fs::rename(staging.dir.path(), root).map_err(io)?;
        let _ = staging.dir.keep();
        let _ = atomic::sync_dir(parent);
        store.root = root.to_path_buf();
        store.unshared = false;
        Ok(store)
    }

    /// The canonical content of a file, or `None` when it should not exist.
    pub fn render(key: &FileKey, ws: &Workspace) -> Option<String> {
        Some(match key {
            FileKey::Workspace => format::to_ron(&WorkspaceFileRef {
                version: FORMAT_VERSION,
                name: &ws.name,
                description: &ws.description,
                phases: &ws.phases,
                personas: &ws.personas,
                perspectives: &ws.perspectives,
                conflicts: conflicts_in(ws, key),
            }),
            FileKey::Opportunities => format::to_ron(&OpportunitiesFileRef {
                opportunities: by_id(&ws.opportunities, |o| &o.id),
                conflicts: conflicts_in(ws, key),
            }),
            FileKey::Metrics => format::to_ron(&MetricsFileRef {
                metrics: by_id(&ws.metrics, |m| &m.id),
                conflicts: conflicts_in(ws, key),
            }),
            FileKey::Note(id) => format::to_ron(&format::NoteFileRef::new(
                ws.notes.get(id)?,
                conflicts_in(ws, key),
            )),
            FileKey::Item(k, id) => format::to_ron(&format::ItemFileRef::new(
                &ws.items.get(*k, id)?,
                conflicts_in(ws, key),
            )),
        })
    }

    /// A workspace without opportunities or metrics needs no file for them.
    fn optional_and_empty(key: &FileKey, ws: &Workspace) -> bool {
        match key {
            FileKey::Opportunities => ws.opportunities.is_empty(),
            FileKey::Metrics => ws.metrics.is_empty(),
            _ => false,
        }
    }

    fn all_keys(&self, ws: &Workspace) -> BTreeSet<FileKey> {
        let mut keys: BTreeSet<FileKey> =
            [FileKey::Workspace, FileKey::Opportunities, FileKey::Metrics]
                .into_iter()
                .collect();
        keys.extend(ws.notes.keys().map(|id| FileKey::Note(id.clone())));
        keys.extend(ws.items.keys().map(|(k, id)| FileKey::Item(k, id.clone())));
        keys.extend(self.files.keys().cloned());
        keys
    }

    /// The files whose content on disk is not what the store last loaded or
    /// wrote: changed, created or deleted by someone else.
    pub fn changed_on_disk(
        &self,
        keys: impl IntoIterator<Item = FileKey>,
        ws: &Workspace,
    ) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for key in keys {
            let path = self.path_of(&key, ws);
            let on_disk = match read::read_workspace_file(&self.root, &path, read::MAX_FILE_LEN) {
                Ok(b) => Some(hash(&b)),
                Err(e) if e.is_not_found() => None,
                // Not a file any more, or unreadable: not what was loaded.
                Err(_) => Some(0),
            };
            let recorded = self.files.get(&key).map(|r| r.hash);
            if on_disk != recorded {
                out.push(path);
            }
        }
        out
    }

    /// Writes the files in `scope` whose content changed. Unless `force`, a
    /// file that changed on disk since it was loaded stops the save before
    /// anything is written.
    pub fn save(
        &mut self,
        ws: &Workspace,
        scope: &Scope,
        force: bool,
    ) -> Result<SaveReport, SaveError> {
        self.save_with(ws, scope, force, None)
    }

    /// Like [`Store::save`], counting the files to write and written in
    /// `progress` (for a display on another thread).
    pub fn save_with(
        &mut self,
        ws: &Workspace,
        scope: &Scope,
        force: bool,
        progress: Option<&Progress>,
    ) -> Result<SaveReport, SaveError> {
        let keys = match scope {
            Scope::All => self.all_keys(ws),
            Scope::Files(k) => k.clone(),
        };
        // Work out what changes first: nothing is written unless all of it can be.
        let mut writes: Vec<(FileKey, PathBuf, Option<String>)> = Vec::new();
        for key in keys {
            let content = Self::render(&key, ws);
            let recorded = self.files.get(&key).map(|r| r.hash);
            let wanted = content.as_ref().map(|c| hash(c.as_bytes()));
            if recorded == wanted || (recorded.is_none() && Self::optional_and_empty(&key, ws)) {
                continue;
            }
            let rel = self.rel_of(&key, ws);
            writes.push((key, rel, content));
        }
        if writes.is_empty() {
            return Ok(SaveReport::default());
        }
        // From the check to the last write, no other writer comes between:
        // the workspace's lock is held (taken here, unless the store holds
        // it since it loaded).
        let _held = if self.lock.is_some() || self.unshared {
            None
        } else {
            Some(lock::WorkspaceLock::exclusive(&self.root)?)
        };
        if !self.unshared {
            // A save interrupted since this store loaded is settled first;
            // what it wrote shows up as a change on disk below.
            txn::recover(&self.root)?;
        }
        if !force {
            let changed = self.changed_on_disk(writes.iter().map(|(k, _, _)| k.clone()), ws);
            if !changed.is_empty() {
                return Err(SaveError::Changed { paths: changed });
            }
        }
        // Notes first, then the shared files, removals last (the order of the
        // renames; the save as a whole is one transaction).
        writes.sort_by_key(|(k, _, c)| {
            (
                c.is_none(),
                match k {
                    FileKey::Note(_) | FileKey::Item(..) => 0,
                    FileKey::Metrics => 1,
                    FileKey::Opportunities => 2,
                    FileKey::Workspace => 3,
                },
            )
        });
        if let Some(p) = progress {
            p.total.store(writes.len(), Ordering::Relaxed);
            p.done.store(0, Ordering::Relaxed);
        }
        if writes
            .iter()
            .any(|(k, _, c)| matches!(k, FileKey::Note(_)) && c.is_some())
        {
            let dir = self.root.join(NOTES_DIR);
            atomic::ensure_private_dir(&dir)
                .map_err(|source| SaveError::Io { path: dir, source })?;
        }
        for kind in Kind::ALL {
            if writes
                .iter()
                .any(|(k, _, c)| matches!(k, FileKey::Item(x, _) if *x == kind) && c.is_some())
            {
                let dir = self.root.join(kind.dir());
                atomic::ensure_private_dir(&dir)
                    .map_err(|source| SaveError::Io { path: dir, source })?;
            }
        }
        let paths: Vec<PathBuf> = writes
            .iter()
            .map(|(_, rel, _)| self.root.join(rel))
            .collect();
        let count = || {
            if let Some(p) = progress {
                p.done.fetch_add(1, Ordering::Relaxed);
            }
        };
        if let [(_, _, content)] = writes.as_slice() {
            // One file: its rename alone is atomic.
            let path = &paths[0];
            let io = |source| SaveError::Io {
                path: path.clone(),
                source,
            };
            match content {
                Some(c) => {
                    atomic::write_atomic(path, c.as_bytes()).map_err(io)?;
                    count();
                }
                None => atomic::remove_durably(path).map_err(io)?,
            }
        } else {
            // Many files: one transaction, flushed to disk once for all of
            // them when there are many.
            let items: Vec<(PathBuf, Option<&[u8]>)> = paths
                .iter()
                .zip(&writes)
                .map(|(p, (_, _, c))| (p.clone(), c.as_deref().map(str::as_bytes)))
                .collect();
            txn::commit(&self.root, &items, writes.len() > BULK_WRITES, count)?;
        }
        let mut report = SaveReport::default();
        for ((key, rel, content), path) in writes.into_iter().zip(paths) {
            match content {
                Some(c) => {
                    let base = key.is_shared().then(|| c.as_str().into());
                    self.files.insert(
                        key,
                        Recorded {
                            rel,
                            hash: hash(c.as_bytes()),
                            base,
                        },
                    );
                    report.written.push(path);
                }
                None => {
                    self.files.remove(&key);
                    report.removed.push(path);
                }
            }
        }
        Ok(report)
    }

    /// Which file of the workspace a path is (as a watcher reports it), if it
    /// is one of ours and not a temporary file.
    pub fn disk_file(&self, path: &Path) -> Option<DiskFile> {
        let rel = self.relative(path)?;
        let rel = rel.as_path();
        let name = rel.file_name()?.to_str()?;
        if name.starts_with('.') || !name.ends_with(".ron") {
            return None;
        }
        match rel.to_str()? {
            WORKSPACE_FILE => return Some(DiskFile::Known(FileKey::Workspace)),
            OPPORTUNITIES_FILE => return Some(DiskFile::Known(FileKey::Opportunities)),
            METRICS_FILE => return Some(DiskFile::Known(FileKey::Metrics)),
            _ => {}
        }
        let dir = rel.parent()?.to_str()?;
        let new = if dir == NOTES_DIR {
            DiskFile::NewNote(rel.to_path_buf())
        } else {
            DiskFile::NewItem(Kind::of_dir(dir)?, rel.to_path_buf())
        };
        Some(
            self.files
                .iter()
                .find(|(_, r)| r.rel == rel)
                .map_or(new, |(k, _)| DiskFile::Known(k.clone())),
        )
    }

    /// `path` relative to the workspace folder, `None` when it is outside.
    /// The watcher may report absolute paths for a folder opened by a
    /// relative one, or resolve a symbolic link in it: both are understood.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        match path.strip_prefix(&self.root) {
            Ok(rel) => Some(rel.to_path_buf()),
            Err(_) => [
                std::path::absolute(&self.root),
                fs::canonicalize(&self.root),
            ]
            .into_iter()
            .flatten()
            .find_map(|root| path.strip_prefix(root).ok().map(Path::to_path_buf)),
        }
    }

    /// Whether a file's bytes on disk differ from what was last loaded or
    /// written (for a new note file: whether it exists).
    pub fn disk_changed(&self, f: &DiskFile, ws: &Workspace) -> bool {
        match f {
            DiskFile::Known(k) => !self.changed_on_disk([k.clone()], ws).is_empty(),
            DiskFile::NewNote(rel) | DiskFile::NewItem(_, rel) => self.root.join(rel).is_file(),
        }
    }

    /// The text a shared file held when it was loaded or last written.
    pub fn base_text(&self, key: &FileKey) -> Option<&str> {
        self.files.get(key).and_then(|r| r.base.as_deref())
    }

    /// Takes the bytes now on disk as the loaded state of a file, after an
    /// outside change was merged into the workspace: the next save writes
    /// the merged content over it. A file that cannot be read (gone, or
    /// something other than a file now) counts as absent, so the next save
    /// sees it changed rather than overwriting it unseen.
    pub fn accept_disk(&mut self, key: &FileKey, ws: &Workspace) {
        let rel = self.rel_of(key, ws);
        let path = self.root.join(&rel);
        match read::read_workspace_file(&self.root, &path, read::MAX_FILE_LEN) {
            Ok(bytes) => {
                let base = key
                    .is_shared()
                    .then(|| String::from_utf8_lossy(&bytes).as_ref().into());
                self.files.insert(
                    key.clone(),
                    Recorded {
                        rel,
                        hash: hash(&bytes),
                        base,
                    },
                );
            }
            Err(_) => {
                self.files.remove(key);
            }
        }
    }

    /// The files whose bytes on disk are not the canonical rendering of the
    /// workspace (what `valuemap fmt --check` reports).
    pub fn non_canonical(&self, ws: &Workspace) -> Vec<PathBuf> {
        self.all_keys(ws)
            .into_iter()
            .filter(|key| {
                let wanted = Self::render(key, ws).map(|c| hash(c.as_bytes()));
                let recorded = self.files.get(key).map(|r| r.hash);
                wanted != recorded && !(recorded.is_none() && Self::optional_and_empty(key, ws))
            })
            .map(|key| self.path_of(&key, ws))
            .collect()
    }
}

/// Counts work done on one thread for display on another.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

/// A file of the workspace folder, as a watcher sees it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiskFile {
    /// A file the store knows.
    Known(FileKey),
    /// A note file that appeared (captured elsewhere, e.g. `valuemap note add`).
    NewNote(PathBuf),
    /// An outcome's, solution's or assumption test's file that appeared.
    NewItem(Kind, PathBuf),
}

/// Reads and parses one item file of the folder of `kind`.
fn load_item(
    root: &Path,
    rel: &Path,
    kind: Kind,
) -> Result<(u64, Item, Vec<crate::model::Conflict>, Option<usize>), LoadError> {
    let path = root.join(rel);
    let bytes = read::read_workspace_file(root, &path, read::MAX_FILE_LEN)?;
    let h = hash(&bytes);
    let text = format::decode_str(&path, &bytes)?;
    let file: format::ItemFile = format::parse(&path, text)?;
    let comment = comments::first_comment(text).map(|(line, _)| line);
    let (item, conflicts) = file
        .split(Some(kind))
        .map_err(|message| LoadError::Invalid {
            path: path.clone(),
            message,
        })?;
    Ok((h, item, conflicts, comment))
}

/// Where an item's file is: `<folder of its kind>/<id>.ron` (the id made
/// safe for a file name as for notes).
pub fn item_rel(kind: Kind, id: &Id) -> PathBuf {
    Path::new(kind.dir()).join(format!("{}.ron", file_safe_id(id.as_str())))
}

/// Reads and parses one note file.
fn load_note(root: &Path, rel: PathBuf) -> Result<LoadedNote, LoadError> {
    let path = root.join(&rel);
    let bytes = read::read_workspace_file(root, &path, read::MAX_FILE_LEN)?;
    let h = hash(&bytes);
    let text = format::decode_str(&path, &bytes)?;
    let file: format::NoteFile = format::parse(&path, text)?;
    let comment = comments::first_comment(text).map(|(line, _)| line);
    let (mut note, conflicts) = file.split();
    note.shrink();
    Ok((rel, h, note, conflicts, comment))
}

/// A note file read: where, its hash, the note, its conflict records, the
/// line of its first comment.
type LoadedNote = (
    PathBuf,
    u64,
    Note,
    Vec<crate::model::Conflict>,
    Option<usize>,
);

/// Reads and parses note files on every core, in order.
fn load_notes(
    root: &Path,
    rels: Vec<PathBuf>,
    progress: Option<&Progress>,
) -> Result<Vec<LoadedNote>, LoadError> {
    let load_one = |rel: PathBuf| -> Result<LoadedNote, LoadError> {
        let loaded = load_note(root, rel)?;
        if let Some(p) = progress {
            p.done.fetch_add(1, Ordering::Relaxed);
        }
        Ok(loaded)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || rels.len() < 256 {
        return rels.into_iter().map(load_one).collect();
    }
    let chunk = rels.len().div_ceil(threads);
    let mut chunks: Vec<Vec<PathBuf>> = Vec::new();
    let mut rest = rels;
    while !rest.is_empty() {
        let tail = rest.split_off(chunk.min(rest.len()));
        chunks.push(std::mem::replace(&mut rest, tail));
    }
    let results: Vec<Result<Vec<_>, LoadError>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| s.spawn(|| c.into_iter().map(load_one).collect::<Result<Vec<_>, _>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(LoadError::Io {
                        path: root.join(NOTES_DIR),
                        source: io::Error::other("a loader thread failed"),
                    })
                })
            })
            .collect()
    });
    let mut out = Vec::new();
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// A list in id order, for the file (see [`format::OpportunitiesFileRef`]).
fn by_id<T>(items: &[T], id: impl Fn(&T) -> &Id) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| id(a).cmp(id(b)));
    v
}

/// The conflict records kept in a file, in a stable order.
fn conflicts_in<'a>(ws: &'a Workspace, key: &FileKey) -> Vec<&'a crate::model::Conflict> {
    let mut v: Vec<&crate::model::Conflict> = ws
        .conflicts
        .iter()
        .filter(|c| FileKey::of(&c.target.entity()) == *key)
        .collect();
    v.sort();
    v
}

/// Where a new note's file goes: `notes/<date>-<id>.ron`. The name is fixed
/// when the note is first saved and stays when the note is edited.
///
/// Ids are short and plain, but a hand-edited file can hold any id: a
/// character that could not stand in a file name (`/`, `\`, control
/// characters, anything outside ASCII letters, digits, `-` and `_`) is
/// written as `%XX`, and a very long id is cut and ends in a hash of the
/// whole, so the file always lands in `notes/`, under a name no other id
/// gets.
pub fn note_rel(n: &Note) -> PathBuf {
    Path::new(NOTES_DIR).join(format!(
        "{}-{}.ron",
        n.date.format("%Y-%m-%d"),
        file_safe_id(n.id.as_str())
    ))
}

/// See [`note_rel`].
fn file_safe_id(id: &str) -> String {
    const MAX: usize = 96;
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push_str("%00");
    }
    if out.len() > MAX {
        // FNV-1a: stable across builds, so a name never changes meaning.
        let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        out.truncate(MAX - 17);
        out.push_str(&format!("~{hash:016x}"));
    }
    out
}

/// The note files of a workspace, relative to it, sorted, and the entries
/// of the notes folder that look like notes but are not files (a folder, a
/// FIFO, a device, a socket, a link out of the workspace): those are never
/// opened, only reported.
fn note_files(root: &Path) -> Result<(Vec<PathBuf>, Vec<Skipped>), LoadError> {
    ron_files(root, NOTES_DIR, "note")
}

/// The `.ron` files of one folder of a workspace (notes, outcomes, ...),
/// as [`note_files`] finds them.
fn ron_files(
    root: &Path,
    folder: &str,
    noun: &str,
) -> Result<(Vec<PathBuf>, Vec<Skipped>), LoadError> {
    let dir = root.join(folder);
    match dir.symlink_metadata() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(io_err(&dir)(e)),
        Ok(m) if m.file_type().is_symlink() => {
            // Followed only when it stays inside the workspace.
            read::resolve_in_workspace(root, &dir)?;
        }
        Ok(_) => {}
    }
    if !dir.is_dir() {
        let what = dir
            .symlink_metadata()
            .map(|m| read::describe(m.file_type()))
            .unwrap_or("not there");
        return Err(io_err(&dir)(io::Error::other(format!(
            "{what}, where the folder of {noun} files should be"
        ))));
    }
    let entries = fs::read_dir(&dir).map_err(io_err(&dir))?;
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_err(&dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || !name.ends_with(".ron") {
            continue;
        }
        let rel = Path::new(folder).join(name.as_ref());
        let path = root.join(&rel);
        let ft = entry.file_type().map_err(io_err(&dir))?;
        let reason = if ft.is_file() {
            None
        } else if ft.is_symlink() {
            match read::resolve_in_workspace(root, &path) {
                Ok(target) => match fs::metadata(&target) {
                    Ok(m) if m.is_file() => None,
                    Ok(m) => Some(format!(
                        "a symbolic link to {}, not to a file",
                        read::describe(m.file_type())
                    )),
                    Err(e) => Some(format!("a symbolic link that cannot be followed ({e})")),
                },
                Err(read::ReadError::Link { how, .. }) => Some(format!("a symbolic link {how}")),
                Err(e) => Some(e.to_string()),
            }
        } else {
            Some(format!("{}, not a file", read::describe(ft)))
        };
        match reason {
            None => out.push(rel),
            Some(reason) => skipped.push(Skipped { path, reason }),
        }
    }
    out.sort();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, skipped))
}

/// Removes temporary files left by an interrupted save, older than `age`;
/// returns how many.
fn clean_stale_temp_files(root: &Path, age: Duration) -> usize {
    let mut n = 0;
    let dirs = [root.to_path_buf(), root.join(NOTES_DIR)]
        .into_iter()
        .chain(Kind::ALL.map(|k| root.join(k.dir())));
    for dir in dirs {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !atomic::is_temp_name(&name.to_string_lossy()) {
                continue;
            }
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| SystemTime::now().duration_since(t).unwrap_or_default() >= age)
                .unwrap_or(true);
            if stale && fs::remove_file(entry.path()).is_ok() {
                n += 1;
            }
        }
    }
    n
}

/// Whether the workspace can be read by other users of this machine:
/// `None` when it is private, else a sentence saying what is open and how to
/// close it. Interview notes are personal data. Looks at the folders, the
/// shared files and at most a few hundred notes, so it stays quick.
pub fn privacy_warning(root: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let open = |p: &Path| {
            fs::metadata(p)
                .ok()
                .map(|m| m.permissions().mode() & 0o777)
                .filter(|m| m & 0o077 != 0)
        };
        let mut folder = None;
        let mut files = 0usize;
        for d in [root.to_path_buf(), root.join(NOTES_DIR)] {
            if let Some(m) = open(&d) {
                folder.get_or_insert(m);
            }
        }
        let mut candidates: Vec<PathBuf> = [WORKSPACE_FILE, OPPORTUNITIES_FILE, METRICS_FILE]
            .iter()
            .map(|f| root.join(f))
            .collect();
        if let Ok(rd) = fs::read_dir(root.join(NOTES_DIR)) {
            candidates.extend(rd.flatten().take(300).map(|e| e.path()));
        }
        for p in candidates {
            if open(&p).is_some() {
                files += 1;
            }
        }
        if folder.is_none() && files == 0 {
            return None;
        }
        let mut what = Vec::new();
        if let Some(m) = folder {
            what.push(format!("its folder is mode {m:o}"));
        }
        if files > 0 {
            what.push(format!("{files} file(s) can be read by others"));
        }
        Some(format!(
            "the workspace at {} is open to other users of this machine ({}); interview notes are personal: `chmod -R go= {}` closes it",
            root.display(),
            what.join(", "),
            root.display()
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = root;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str) -> Note {
        Note {
            id: Id::new(id),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            interviewee: String::new(),
            persona: None,
            activities: Vec::new(),
            title: "t".into(),
            body: String::new(),
            tags: Vec::new(),
            dismissed: Vec::new(),
            captured: None,
        }
    }

    #[test]
    fn note_files_stay_in_the_notes_folder_whatever_the_id() {
        assert_eq!(
            note_rel(&note("k3f9q2")),
            Path::new("notes/2026-11-20-k3f9q2.ron")
        );
        for id in [
            "zz/../x",
            "..",
            "/etc/passwd",
            "a\\b",
            "\u{1b}]0;x\u{7}",
            "",
            "é",
        ] {
            let rel = note_rel(&note(id));
            let comps: Vec<_> = rel.components().collect();
            assert_eq!(comps.len(), 2, "{id:?} gives {rel:?}");
            assert_eq!(rel.parent(), Some(Path::new(NOTES_DIR)), "{id:?}");
            let name = rel.file_name().unwrap().to_str().unwrap();
            assert!(
                name.bytes().all(|b| b.is_ascii_graphic()) && !name.contains(['/', '\\']),
                "{name:?}"
            );
        }
    }

    #[test]
    fn watcher_paths_are_understood_whether_absolute_or_relative() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("ws");
        let ws = crate::template::Template::find("empty")
            .unwrap()
            .workspace()
            .unwrap();
        Store::create(&abs, &ws).unwrap();
        // A store opened by a relative path, as `valuemap ws` does.
        let cwd = std::env::current_dir().unwrap();
        let rel_root = pathdiff(&abs, &cwd);
        let store = Store::placeholder(&rel_root);
        for p in [rel_root.join("workspace.ron"), abs.join("workspace.ron")] {
            assert_eq!(
                store.relative(&p),
                Some(PathBuf::from("workspace.ron")),
                "{p:?}"
            );
            assert!(matches!(
                store.disk_file(&p),
                Some(DiskFile::Known(FileKey::Workspace))
            ));
        }
        assert_eq!(store.relative(Path::new("/elsewhere/workspace.ron")), None);
    }

    /// `to` relative to `from` (both absolute), with `..` as needed.
    fn pathdiff(to: &Path, from: &Path) -> PathBuf {
        let (t, f): (Vec<_>, Vec<_>) = (to.components().collect(), from.components().collect());
        let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
        let mut out = PathBuf::new();
        for _ in common..f.len() {
            out.push("..");
        }
        for c in &t[common..] {
            out.push(c);
        }
        out
    }

    #[test]
    fn different_ids_get_different_file_names() {
        let long = "x".repeat(500);
        let ids = [
            "a/b".to_string(),
            "a%2Fb".to_string(),
            "a_b".to_string(),
            long.clone(),
            format!("{long}y"),
        ];
        let names: std::collections::BTreeSet<_> =
            ids.iter().map(|id| note_rel(&note(id))).collect();
        assert_eq!(names.len(), ids.len(), "{names:?}");
        for n in &names {
            assert!(n.as_os_str().len() < 200, "{n:?}");
        }
    }
}
