//! The workspace folder on disk.
//!
//! ```text
//! platform-discovery/            (0700)
//!   workspace.ron                name, version, phases + activities, personas, perspectives
//!   notes/2026-11-20-k3f9q2.ron  one interview note per file (0600)
//!   opportunities/r8k2vd.ron     one opportunity per file
//!   metrics/m4x9tb.ron           one metric per file
//!   outcomes/h7r2mx.ron          one desired outcome per file
//!   solutions/p4c8zt.ron         one solution per file
//!   assumptions/w9d3kq.ron       one assumption test per file
//!   needs-layers/platform-capabilities.ron  one needs-map layer per file
//!   needs/t5b7nc.ron             one needs-map node per file
//! ```
//!
//! Everything but the map itself lives one entity per file, named by its
//! random id (notes by their date and id), so that two people adding
//! opportunities, metrics or notes on two branches add two different
//! files, which git merges without a conflict, and a save after one edit
//! writes one small file whatever the size of the workspace. Format
//! version 1 kept every opportunity in `opportunities.ron` and every metric
//! in `metrics.ron`; such a folder is read as it is, and its next save
//! writes the new layout and removes the two files, in one transaction
//! (see [`format::FORMAT_VERSION`]).
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
mod files;
pub mod format;
pub mod lock;
pub mod opening;
mod outside;
pub mod paths;
pub mod read;
pub mod recovery;
pub mod staging;
pub mod txn;

use std::collections::BTreeSet;

use crate::model::FastMap as HashMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use thiserror::Error;

use crate::model::validate::{FileKey, FileKind};
use crate::model::{Conflict, Id, Item, Kind, Metric, Note, NoteFacts, Opportunity, Workspace};
use files::{Files, Kept};
pub use format::{FORMAT_VERSION, ParseError};
use format::{MetricsFile, OpportunitiesFile, WorkspaceFileRef};
pub use opening::{Opening, Piece, open_in_background};
pub use outside::{Incoming, file_part};

pub const WORKSPACE_FILE: &str = "workspace.ron";
pub const OPPORTUNITIES_FILE: &str = "opportunities.ron";
pub const METRICS_FILE: &str = "metrics.ron";
pub const NOTES_DIR: &str = "notes";
pub const OPPORTUNITIES_DIR: &str = "opportunities";
pub const METRICS_DIR: &str = "metrics";

/// Every folder of a workspace that holds one entity per file.
pub const ENTITY_DIRS: [&str; 10] = [
    NOTES_DIR,
    OPPORTUNITIES_DIR,
    METRICS_DIR,
    "outcomes",
    "solutions",
    "assumptions",
    "needs-layers",
    "needs",
    "teams",
    "adoption",
];

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
    #[error("{} and {} both hold {what} {id}; remove one", .first.display(), .second.display())]
    Duplicate {
        what: &'static str,
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
    use std::hash::BuildHasher;
    // Fixed, so a file's hash is the same in every process; only ever
    // compared with hashes this build made. foldhash reads a 1 KB note
    // several times faster than SipHash, and every file is hashed as it
    // loads.
    foldhash::quality::FixedState::with_seed(0x7661_6c75_656d_6170).hash_one(bytes)
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
    /// The file as this store last wrote it (its length, inode and
    /// modification time): a watcher's report of that very write is then
    /// known for the echo it is without reading the file.
    stamp: Option<Stamp>,
}

impl Recorded {
    fn new(rel: PathBuf, hash: u64, base: Option<std::sync::Arc<str>>) -> Recorded {
        Recorded {
            rel,
            hash,
            base,
            stamp: None,
        }
    }
}

/// The path of the file named `name` in `key`'s folder.
fn rel_in(key: &FileKey, name: &str) -> PathBuf {
    match key.kind().folder() {
        Some(f) => Path::new(f).join(name),
        None => PathBuf::from(name),
    }
}

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    ino: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = fs::symlink_metadata(path).ok()?;
        if !m.is_file() {
            return None;
        }
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let ino = 0;
        Some(Stamp {
            len: m.len(),
            ino,
            modified: m.modified().ok(),
        })
    }

    /// The stamp as one number (never 0).
    fn code(self) -> u64 {
        let mut h = DefaultHasher::new();
        self.hash(&mut h);
        h.finish().max(1)
    }
}

impl Hash for Stamp {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.len.hash(h);
        self.ino.hash(h);
        self.modified.hash(h);
    }
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
    /// The files the next save writes whatever the edits: the layout of an
    /// older version (`opportunities.ron`, `metrics.ron`) becomes one file
    /// per entity, and `workspace.ron` gets the current version.
    pub migrate: BTreeSet<FileKey>,
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
    files: Files,
    /// For the shared files: the text itself, the common ancestor when an
    /// outside change is merged by id.
    bases: HashMap<FileKey, std::sync::Arc<str>>,
    /// The files whose name is not the one their key gives (a note file
    /// renamed by hand, an id too long for a file name), by path: with
    /// [`key_named`], a path is found in one look-up, never by a scan.
    odd_names: HashMap<PathBuf, FileKey>,
    /// The workspace's exclusive lock, when this store holds it from its
    /// load to its saves (see [`Store::open_locked`]).
    lock: Option<Arc<lock::WorkspaceLock>>,
    /// A folder nobody else knows yet (a new workspace being written under
    /// a hidden name): its saves need no lock.
    unshared: bool,
    /// The temporary files of saves that the load's listing of the entity
    /// folders came across (`None`: not listed), so that cleaning up after
    /// an interrupted save need not list 100,000 notes again.
    temps_listed: Option<Vec<PathBuf>>,
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
        if let Some(rel) = self.files.rel(key) {
            return rel;
        }
        match key {
            FileKey::Workspace => PathBuf::from(WORKSPACE_FILE),
            FileKey::Opportunities => PathBuf::from(OPPORTUNITIES_FILE),
            FileKey::Metrics => PathBuf::from(METRICS_FILE),
            FileKey::Note(id) => match ws.notes.get(id) {
                Some(n) => note_rel(n),
                None => Path::new(NOTES_DIR).join(format!("{}.ron", file_safe_id(id.as_str()))),
            },
            FileKey::Opportunity(id) => entity_rel(OPPORTUNITIES_DIR, id),
            FileKey::Metric(id) => entity_rel(METRICS_DIR, id),
            FileKey::Item(k, id) => item_rel(*k, id),
        }
    }

    /// Records what a file holds, keeping the index of odd names.
    /// Room for the records of `files` more files, `notes` of them notes
    /// (a load's counts).
    pub fn reserve(&mut self, files: usize, notes: usize) {
        self.files.reserve(notes, files.saturating_sub(notes));
    }

    fn record(&mut self, key: FileKey, r: Recorded) {
        if key_named(&r.rel).as_ref() != Some(&key) {
            self.odd_names.insert(r.rel.clone(), key.clone());
        }
        match r.base {
            Some(b) => {
                self.bases.insert(key.clone(), b);
            }
            None => {
                self.bases.remove(&key);
            }
        }
        let name = r
            .rel
            .file_name()
            .map(|n| compact_str::CompactString::from(n.to_string_lossy().as_ref()))
            .unwrap_or_default();
        let kept = Kept {
            name,
            hash: r.hash,
            stamp: r.stamp.map_or(0, Stamp::code),
        };
        let old_rel = self.files.rel(&key);
        self.files.insert(key.clone(), kept);
        if let Some(old_rel) = old_rel
            && old_rel != r.rel
            && self.odd_names.get(&old_rel) == Some(&key)
        {
            self.odd_names.remove(&old_rel);
        }
    }

    /// Forgets a file (removed from disk).
    fn forget(&mut self, key: &FileKey) {
        self.bases.remove(key);
        if let Some(old) = self.files.remove(key) {
            let rel = old.rel(key);
            if self.odd_names.get(&rel) == Some(key) {
                self.odd_names.remove(&rel);
            }
        }
    }

    /// Where the store's record of a file says it is.
    fn recorded_rel(&self, key: &FileKey) -> Option<PathBuf> {
        self.files.rel(key)
    }

    /// The key of the file at `rel`, if the store knows that file.
    fn known(&self, rel: &Path) -> Option<FileKey> {
        if let Some(k) = key_named(rel)
            && self.files.rel(&k).is_some_and(|r| r == rel)
        {
            return Some(k);
        }
        self.odd_names.get(rel).cloned()
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
        let (mut store, mut ws, mut info) = Self::load_head(root)?;
        let mut notes = Vec::new();
        store.list_and_load(
            &mut ws,
            &mut info,
            load_threads(),
            progress,
            |store, _, _, files, notes| {
                store.reserve(files, notes);
                Ok(())
            },
            |store, ws, info, batch| {
                info.comments.extend(batch.comments(root));
                store.take_batch_with(ws, batch, &mut notes, |_, _, _| {})
            },
        )?;
        ws.put_notes(notes);
        store.finish_load(&mut ws, &mut info);
        Ok((store, ws, info))
    }

    /// The first step of a load: `workspace.ron` alone (the map: phases,
    /// activities, personas, perspectives). Small whatever the size of the
    /// workspace: the interface shows the map from it at once.
    pub fn load_head(root: &Path) -> Result<(Store, Workspace, LoadInfo), LoadError> {
        let ws_path = root.join(WORKSPACE_FILE);
        let mut info = LoadInfo::default();
        let mut store = Store::placeholder(root);
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
        ws.perspectives
            .sort_by(|a, b| (&a.persona, &a.activity).cmp(&(&b.persona, &b.activity)));
        Ok((store, ws, info))
    }

    /// The second step: reads the lists of format version 1
    /// (`opportunities.ron`, `metrics.ron`) when they are there, and lists
    /// the entity files to read (opportunities and metrics first, notes
    /// last), sorted by folder and name. Entries that are not files go to
    /// [`LoadInfo::skipped`].
    pub fn list_rest(
        &mut self,
        ws: &mut Workspace,
        info: &mut LoadInfo,
    ) -> Result<Vec<(FileKind, Listed)>, LoadError> {
        let root = self.root.clone();
        let mut out = self.list_others(ws, info)?;
        let notes = ron_files(&root, NOTES_DIR, FileKind::Note.noun())?;
        out.extend(self.take_notes_listing(info, notes));
        Ok(out)
    }

    /// [`Store::list_rest`] without the notes folder.
    fn list_others(
        &mut self,
        ws: &mut Workspace,
        info: &mut LoadInfo,
    ) -> Result<Vec<(FileKind, Listed)>, LoadError> {
        let root = self.root.clone();
        if root.join(OPPORTUNITIES_FILE).symlink_metadata().is_ok() {
            let rel = Path::new(OPPORTUNITIES_FILE);
            let text = self.read_text(FileKey::Opportunities, rel)?;
            info.look_for_comments(&root.join(rel), &text);
            let f: OpportunitiesFile = format::parse(&root.join(rel), &text)?;
            ws.opportunities = f.opportunities;
            ws.conflicts.extend(f.conflicts);
        }
        if root.join(METRICS_FILE).symlink_metadata().is_ok() {
            let rel = Path::new(METRICS_FILE);
            let text = self.read_text(FileKey::Metrics, rel)?;
            info.look_for_comments(&root.join(rel), &text);
            let f: MetricsFile = format::parse(&root.join(rel), &text)?;
            ws.metrics = f.metrics;
            ws.conflicts.extend(f.conflicts);
        }
        let mut out = Vec::new();
        let order = [FileKind::Opportunity, FileKind::Metric]
            .into_iter()
            .chain(Kind::ALL.map(FileKind::Item));
        for kind in order {
            let Some(folder) = kind.folder() else {
                continue;
            };
            let (rels, skipped, temps) = ron_files(&root, folder, kind.noun())?;
            self.temps_listed.get_or_insert_default().extend(temps);
            info.skipped.extend(skipped);
            out.extend(rels.into_iter().map(|r| (kind, r)));
        }
        Ok(out)
    }

    /// The notes folder's listing, its leftovers and odd entries noted.
    fn take_notes_listing(
        &mut self,
        info: &mut LoadInfo,
        (rels, skipped, temps): Listing,
    ) -> impl Iterator<Item = (FileKind, Listed)> + use<> {
        self.temps_listed.get_or_insert_default().extend(temps);
        info.skipped.extend(skipped);
        rels.into_iter().map(|r| (FileKind::Note, r))
    }

    /// The second and third steps of a load in one: lists the entity
    /// files (as [`Store::list_rest`]) and reads them on `threads` threads
    /// (as [`load_files`]). The notes folder, by far the largest, is
    /// listed on a thread of its own while the other files are read, so a
    /// core is not left idle while 100,000 names are listed and sorted.
    ///
    /// `listed` hears how many files there are, and how many of them are
    /// notes, before `sink` takes the first batch (the other files first,
    /// notes last, as before); both are handed the store, the workspace
    /// and the load's findings. Errors come in the order they would one
    /// step after the other: listing before reading, folders in order.
    pub fn list_and_load(
        &mut self,
        ws: &mut Workspace,
        info: &mut LoadInfo,
        threads: usize,
        progress: Option<&Progress>,
        listed: impl FnOnce(
            &mut Store,
            &mut Workspace,
            &mut LoadInfo,
            usize,
            usize,
        ) -> Result<(), LoadError>,
        mut sink: impl FnMut(&mut Store, &mut Workspace, &mut LoadInfo, Batch) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        let root = self.root.clone();
        std::thread::scope(|s| {
            let notes = std::thread::Builder::new()
                .name("valuemap-list".into())
                .spawn_scoped(s, || ron_files(&root, NOTES_DIR, FileKind::Note.noun()))
                .expect("a thread to list the notes folder");
            let mut others = self.list_others(ws, info)?;
            let count = others.len();
            // Few other files are read in a moment: then all are read in
            // one go, on every thread, once the notes are listed.
            let early = count >= PIPELINE_FROM;
            let mut batches = Vec::new();
            let read = if early {
                load_files(&root, std::mem::take(&mut others), threads, progress, |b| {
                    batches.push(b);
                    Ok(())
                })
            } else {
                Ok(())
            };
            let notes = match notes.join() {
                Ok(listing) => listing?,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let notes: Vec<_> = self.take_notes_listing(info, notes).collect();
            read?;
            let files = count + notes.len();
            if let Some(p) = progress {
                p.total.store(files, Ordering::Relaxed);
            }
            listed(self, ws, info, files, notes.len())?;
            for b in batches {
                sink(self, ws, info, b)?;
            }
            others.extend(notes);
            load_files(&root, others, threads, progress, |b| {
                sink(self, ws, info, b)
            })
        })
    }

    /// Takes in a batch of entity files read by the second step: each
    /// entity goes into `ws` (opportunities and metrics at the end of their
    /// lists, until [`Store::finish_load`] sorts them), each file into the
    /// store's records. Two files holding one id are an error.
    pub fn take_batch(&mut self, ws: &mut Workspace, batch: Batch) -> Result<(), LoadError> {
        let mut notes = Vec::new();
        self.take_batch_with(ws, batch, &mut notes, |_, _, _| {})?;
        ws.put_notes(notes);
        Ok(())
    }

    /// [`Store::take_batch`], showing `each` every entity (with what its
    /// text says, for a note) just before it is taken in. Notes are not
    /// put into `ws` but pushed onto `notes`, for [`Workspace::put_notes`]
    /// to put many in at once.
    pub fn take_batch_with(
        &mut self,
        ws: &mut Workspace,
        batch: Batch,
        notes: &mut Vec<Box<Note>>,
        mut each: impl FnMut(&Workspace, &Entity, NoteFacts),
    ) -> Result<(), LoadError> {
        let legacy_opps = self.files.contains_key(&FileKey::Opportunities);
        let legacy_metrics = self.files.contains_key(&FileKey::Metrics);
        for f in batch.0 {
            let legacy = match &f.key {
                FileKey::Opportunity(id) if legacy_opps => {
                    ws.opportunity(id).map(|_| OPPORTUNITIES_FILE)
                }
                FileKey::Metric(id) if legacy_metrics => ws.metric(id).map(|_| METRICS_FILE),
                _ => None,
            };
            // The key is new to the store (else two files hold it): no
            // earlier name and no common ancestor to look after.
            let kept = Kept {
                name: f.name,
                hash: f.hash,
                stamp: 0,
            };
            let clash = match legacy {
                Some(l) if !self.files.contains_key(&f.key) => {
                    Some((PathBuf::from(l), kept.rel(&f.key)))
                }
                _ => {
                    let odd = f.odd.then(|| (kept.rel(&f.key), f.key.clone()));
                    match self.files.insert_if_new(f.key, kept) {
                        Err((key, kept)) => self.files.rel(&key).map(|prev| (prev, kept.rel(&key))),
                        Ok(()) => {
                            if let Some((rel, key)) = odd {
                                self.odd_names.insert(rel, key);
                            }
                            None
                        }
                    }
                }
            };
            if let Some((prev, rel)) = clash {
                let key = f.entity.key();
                let (first, second) = if prev <= rel {
                    (prev, rel)
                } else {
                    (rel, prev)
                };
                return Err(duplicate(
                    &key,
                    self.root.join(first),
                    self.root.join(second),
                ));
            }
            ws.conflicts.extend(f.conflicts);
            each(ws, &f.entity, f.facts);
            match f.entity {
                Entity::Note(n) => notes.push(n),
                e => e.put_into(ws),
            }
        }
        Ok(())
    }

    /// The last step of a load: puts the lists in their order and works
    /// out what the next save must write to migrate an older layout.
    pub fn finish_load(&self, ws: &mut Workspace, info: &mut LoadInfo) {
        ws.normalize();
        ws.derive_metrics();
        info.migrate = self.migration(ws);
        if info.migrated_from.is_some() {
            info.migrate.insert(FileKey::Workspace);
        }
    }

    /// The files a save must write, whatever the edits, while the folder
    /// still has format version 1's lists: every opportunity's and
    /// metric's own file, the lists themselves (removed), and
    /// `workspace.ron` (its version). Empty for the current layout.
    fn migration(&self, ws: &Workspace) -> BTreeSet<FileKey> {
        let mut out = BTreeSet::new();
        let opps = self.files.contains_key(&FileKey::Opportunities);
        let metrics = self.files.contains_key(&FileKey::Metrics);
        if !opps && !metrics {
            return out;
        }
        out.insert(FileKey::Workspace);
        if opps {
            out.insert(FileKey::Opportunities);
            out.extend(
                ws.opportunities
                    .iter()
                    .map(|o| FileKey::Opportunity(o.id.clone())),
            );
        }
        if metrics {
            out.insert(FileKey::Metrics);
            out.extend(ws.metrics.iter().map(|m| FileKey::Metric(m.id.clone())));
        }
        out
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
        match &self.temps_listed {
            // Those listed, and the workspace folder's own (a few entries).
            Some(temps) => {
                remove_stale(temps.iter().cloned(), STALE_TEMP_AGE)
                    + clean_stale_temp_files_in(std::slice::from_ref(&self.root), STALE_TEMP_AGE)
            }
            None => clean_stale_temp_files(&self.root, STALE_TEMP_AGE),
        }
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
        self.record(
            key,
            Recorded::new(rel.to_path_buf(), h, Some(text.as_str().into())),
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
            files: Files::default(),
            bases: HashMap::default(),
            odd_names: HashMap::default(),
            lock: None,
            unshared: false,
            temps_listed: None,
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
        let mut store = Store::placeholder(staging.dir.path());
        store.unshared = true;
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
            // Format version 1's lists: never written, removed by the
            // save that migrates them.
            FileKey::Opportunities | FileKey::Metrics => return None,
            FileKey::Opportunity(id) => format::to_ron(&format::OpportunityFileRef {
                opportunity: ws.opportunity(id)?,
                conflicts: conflicts_in(ws, key),
            }),
            FileKey::Metric(id) => format::to_ron(&format::MetricFileRef {
                metric: &ws.metric(id)?.stored(),
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

    fn all_keys(&self, ws: &Workspace) -> BTreeSet<FileKey> {
        let mut keys: BTreeSet<FileKey> = [FileKey::Workspace].into_iter().collect();
        keys.extend(ws.notes.keys().map(|id| FileKey::Note(id.clone())));
        keys.extend(
            ws.opportunities
                .iter()
                .map(|o| FileKey::Opportunity(o.id.clone())),
        );
        keys.extend(ws.metrics.iter().map(|m| FileKey::Metric(m.id.clone())));
        keys.extend(ws.items.keys().map(|(k, id)| FileKey::Item(k, id.clone())));
        keys.extend(self.files.keys());
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
            let recorded = self.files.hash(&key);
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
        let mut keys = match scope {
            Scope::All => self.all_keys(ws),
            Scope::Files(k) => k.clone(),
        };
        // A folder still in format version 1's layout is migrated whole by
        // any save: an opportunity written to its own file while
        // `opportunities.ron` still held it would be there twice.
        keys.extend(self.migration(ws));
        // Work out what changes first: nothing is written unless all of it can be.
        let mut writes: Vec<(FileKey, PathBuf, Option<String>)> = Vec::new();
        for key in keys {
            let content = Self::render(&key, ws);
            let recorded = self.files.hash(&key);
            let wanted = content.as_ref().map(|c| hash(c.as_bytes()));
            if recorded == wanted {
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
                    FileKey::Note(_)
                    | FileKey::Item(..)
                    | FileKey::Opportunity(_)
                    | FileKey::Metric(_) => 0,
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
        let folders: BTreeSet<&str> = writes
            .iter()
            .filter(|(_, _, c)| c.is_some())
            .filter_map(|(k, _, _)| k.kind().folder())
            .collect();
        for folder in folders {
            let dir = self.root.join(folder);
            atomic::ensure_private_dir(&dir)
                .map_err(|source| SaveError::Io { path: dir, source })?;
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
                    let mut r = Recorded::new(rel, hash(c.as_bytes()), base);
                    r.stamp = Stamp::of(&path);
                    self.record(key, r);
                    report.written.push(path);
                }
                None => {
                    self.forget(&key);
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
        let dir = rel.parent()?;
        if dir.parent() != Some(Path::new("")) {
            return None;
        }
        let kind = FileKind::of_folder(dir.to_str()?)?;
        Some(match self.known(rel) {
            Some(k) => DiskFile::Known(k),
            None => DiskFile::New(kind, rel.to_path_buf()),
        })
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
    /// written (for a new file: whether it exists). A file just written by
    /// this store is recognised by its length, inode and time, unread.
    pub fn disk_changed(&self, f: &DiskFile, ws: &Workspace) -> bool {
        match f {
            DiskFile::Known(k) => {
                if let Some(r) = self.files.get(k)
                    && r.stamp != 0
                    && Some(r.stamp) == Stamp::of(&self.root.join(r.rel(k))).map(Stamp::code)
                {
                    return false;
                }
                !self.changed_on_disk([k.clone()], ws).is_empty()
            }
            DiskFile::New(_, rel) => self.root.join(rel).is_file(),
        }
    }

    /// The text a shared file held when it was loaded or last written.
    pub fn base_text(&self, key: &FileKey) -> Option<&str> {
        self.bases.get(key).map(|b| &**b)
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
                self.record(key.clone(), Recorded::new(rel, hash(&bytes), base));
            }
            Err(_) => {
                self.forget(key);
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
                let recorded = self.files.hash(key);
                wanted != recorded
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
    /// A file that appeared in the folder of one entity per file of its
    /// kind (a note captured elsewhere, e.g. `valuemap note add`, an
    /// opportunity pulled from git).
    New(FileKind, PathBuf),
}

/// What one entity file holds.
#[derive(Clone, Debug)]
pub enum Entity {
    Note(Box<Note>),
    Opportunity(Opportunity),
    Metric(Metric),
    Item(Item),
}

impl Entity {
    /// The file it is kept in.
    pub fn key(&self) -> FileKey {
        match self {
            Entity::Note(n) => FileKey::Note(n.id.clone()),
            Entity::Opportunity(o) => FileKey::Opportunity(o.id.clone()),
            Entity::Metric(m) => FileKey::Metric(m.id.clone()),
            Entity::Item(i) => FileKey::Item(i.kind(), i.id().clone()),
        }
    }

    /// Its id.
    pub fn key_id(&self) -> &Id {
        match self {
            Entity::Note(n) => &n.id,
            Entity::Opportunity(o) => &o.id,
            Entity::Metric(m) => &m.id,
            Entity::Item(i) => i.id(),
        }
    }

    /// Puts it into `ws`: opportunities and metrics at the end of their
    /// lists ([`Workspace::normalize`] puts them in order).
    pub fn put_into(self, ws: &mut Workspace) {
        match self {
            Entity::Note(n) => {
                ws.notes.insert(n.id.clone(), n);
            }
            Entity::Opportunity(o) => ws.opportunities.push(o),
            Entity::Metric(m) => ws.metrics.push(m),
            Entity::Item(i) => {
                let id = i.id().clone();
                ws.items.put(i.kind(), &id, Some(i));
            }
        }
    }

    /// A workspace holding only this entity and its conflict records.
    pub fn part(self, conflicts: Vec<Conflict>) -> Workspace {
        let mut ws = Workspace::default();
        self.put_into(&mut ws);
        ws.conflicts = conflicts;
        ws
    }
}

/// Parses the text of one entity file (a note, an opportunity, a metric,
/// an item) of `kind`: the entity and the conflict records kept with it.
pub fn parse_entity(
    kind: FileKind,
    path: &Path,
    text: &str,
) -> Result<(Entity, Vec<Conflict>), LoadError> {
    Ok(match kind {
        FileKind::Note => {
            let f: format::NoteFile = format::parse(path, text)?;
            let (mut n, c) = f.split();
            n.shrink();
            (Entity::Note(Box::new(n)), c)
        }
        FileKind::Opportunity => {
            let f: format::OpportunityFile = format::parse(path, text)?;
            (Entity::Opportunity(f.opportunity), f.conflicts)
        }
        FileKind::Metric => {
            let f: format::MetricFile = format::parse(path, text)?;
            let mut m = f.metric;
            m.observations.sort_by_key(|o| o.date);
            (Entity::Metric(m), f.conflicts)
        }
        FileKind::Item(k) => {
            let f: format::ItemFile = format::parse(path, text)?;
            let (item, c) = f.split(Some(k)).map_err(|message| LoadError::Invalid {
                path: path.to_path_buf(),
                message,
            })?;
            (Entity::Item(item), c)
        }
        FileKind::Workspace | FileKind::Opportunities | FileKind::Metrics => {
            return Err(LoadError::Invalid {
                path: path.to_path_buf(),
                message: "a list file, where a file of one entity was expected".into(),
            });
        }
    })
}

/// One entity file, read and parsed, with what the store keeps of it
/// worked out by the thread that read it.
#[derive(Debug)]
struct LoadedFile {
    key: FileKey,
    /// The file's name in its key's folder.
    name: compact_str::CompactString,
    /// Whether that is not the name its key gives it.
    odd: bool,
    hash: u64,
    entity: Entity,
    conflicts: Vec<Conflict>,
    /// The line of the file's first comment, if it has one.
    comment: Option<usize>,
    /// For a note, what counting it needs from its text.
    facts: NoteFacts,
}

impl LoadedFile {
    fn rel(&self) -> PathBuf {
        rel_in(&self.key, &self.name)
    }
}

/// Entity files read by one loader thread, for [`Store::take_batch`].
#[derive(Debug)]
pub struct Batch(Vec<LoadedFile>);

impl Batch {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The files it holds.
    pub fn keys(&self) -> impl Iterator<Item = &FileKey> + '_ {
        self.0.iter().map(|f| &f.key)
    }

    /// Its files that hold comments (under `root`), each with the line of
    /// its first.
    pub fn comments<'a>(
        &'a self,
        root: &'a Path,
    ) -> impl Iterator<Item = comments::Commented> + 'a {
        self.0.iter().filter_map(move |f| {
            f.comment.map(|line| comments::Commented {
                path: root.join(f.rel()),
                line,
            })
        })
    }
}

/// Reads and parses one entity file.
///
/// `buf` holds the file's bytes while it is parsed: one buffer serves a
/// loader thread's files.
fn load_entity(
    root: &Path,
    file: &Listed,
    kind: FileKind,
    buf: &mut Vec<u8>,
    path: &mut PathBuf,
    folder: &mut Option<Folder>,
) -> Result<LoadedFile, LoadError> {
    // One path buffer serves all the files a thread reads.
    let dir = kind.folder();
    let os = path.as_mut_os_string();
    os.clear();
    os.push(root.as_os_str());
    os.push(std::path::MAIN_SEPARATOR_STR);
    if let Some(dir) = dir {
        os.push(dir);
        os.push(std::path::MAIN_SEPARATOR_STR);
    }
    os.push(file.name.as_str());
    let path = path.as_path();
    if file.link {
        *buf = read::read_workspace_file(root, path, read::MAX_FILE_LEN)?;
    } else {
        read_in_folder(root, dir, &file.name, path, buf, folder)?;
    }
    let (h, comment, (entity, conflicts)) = match digest(kind, path, buf) {
        Ok(d) => d,
        // Read in one go, a file could have come short (see
        // `read::read_listed_file_at`): before saying it does not parse,
        // read it again with every check.
        Err(_) if !file.link && dir.is_some() => {
            read::read_listed_file(path, read::MAX_FILE_LEN, buf)?;
            digest(kind, path, buf)?
        }
        Err(e) => return Err(e),
    };
    let facts = match &entity {
        Entity::Note(n) => NoteFacts::of(n),
        _ => NoteFacts::default(),
    };
    let key = entity.key();
    let odd = !(dir.is_some_and(|d| named_plainly(&key, d, &file.name))
        || key_named(&file.rel(kind)).as_ref() == Some(&key));
    Ok(LoadedFile {
        key,
        name: file.name.clone(),
        odd,
        hash: h,
        entity,
        conflicts,
        comment,
        facts,
    })
}

/// What the loader works out of a file's bytes: their hash, the line of
/// the first comment, and the entity with its conflict records.
type Digest = (u64, Option<usize>, (Entity, Vec<Conflict>));

/// Works out a file's [`Digest`].
fn digest(kind: FileKind, path: &Path, buf: &[u8]) -> Result<Digest, LoadError> {
    let h = hash(buf);
    let text = format::decode_str(path, buf)?;
    // A comment starts with `//` or `/*`; most files have neither.
    let b = text.as_bytes();
    let comment = memchr::memchr_iter(b'/', b)
        .any(|i| matches!(b.get(i + 1), Some(b'/' | b'*')))
        .then(|| comments::first_comment(text).map(|(line, _)| line))
        .flatten();
    Ok((h, comment, parse_entity(kind, path, text)?))
}

/// A workspace folder open for reading the files listed in it.
#[cfg(unix)]
struct Folder {
    name: String,
    fd: std::os::fd::OwnedFd,
}

#[cfg(not(unix))]
struct Folder;

/// Reads a listed file (not a link) into `buf`: on unix relative to its
/// folder, opened once for the files of a chunk, which saves the kernel
/// looking up every folder on the way to each file.
#[cfg(unix)]
fn read_in_folder(
    root: &Path,
    dir: Option<&str>,
    name: &str,
    path: &Path,
    buf: &mut Vec<u8>,
    folder: &mut Option<Folder>,
) -> Result<(), LoadError> {
    let Some(dir) = dir else {
        read::read_listed_file(path, read::MAX_FILE_LEN, buf)?;
        return Ok(());
    };
    if folder.as_ref().is_none_or(|f| f.name != dir) {
        *folder = Some(Folder {
            name: dir.to_owned(),
            fd: read::open_listed_folder(&root.join(dir))?,
        });
    }
    let fd = &folder.as_ref().expect("opened above").fd;
    read::read_listed_file_at(fd, name, path, read::MAX_FILE_LEN, buf)?;
    Ok(())
}

#[cfg(not(unix))]
fn read_in_folder(
    _root: &Path,
    _dir: Option<&str>,
    _name: &str,
    path: &Path,
    buf: &mut Vec<u8>,
    _folder: &mut Option<Folder>,
) -> Result<(), LoadError> {
    read::read_listed_file(path, read::MAX_FILE_LEN, buf)?;
    Ok(())
}

/// How many threads read and parse a workspace's files: every core (at
/// most 8).
pub fn load_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// Files a loader thread reads before handing them over.
const LOAD_CHUNK: usize = 256;

/// How many files besides the notes make it worth reading them while the
/// notes folder is listed (see [`Store::list_and_load`]); fewer are read
/// with the notes, in one go.
const PIPELINE_FROM: usize = 2048;

/// Reads and parses entity files on `threads` threads, and hands each batch
/// to `sink` on the calling thread as soon as it is ready (so the caller
/// takes them in while the rest is parsed). The files are claimed in
/// chunks in order; when files are broken, the error is that of the first
/// broken one in that order, whatever the timing.
pub fn load_files(
    root: &Path,
    files: Vec<(FileKind, Listed)>,
    threads: usize,
    progress: Option<&Progress>,
    mut sink: impl FnMut(Batch) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let load_chunk = |chunk: &[(FileKind, Listed)]| -> (Vec<LoadedFile>, Option<LoadError>) {
        let mut out = Vec::with_capacity(chunk.len());
        let (mut buf, mut path, mut folder) = (Vec::new(), PathBuf::new(), None);
        let mut err = None;
        for (kind, file) in chunk {
            match load_entity(root, file, *kind, &mut buf, &mut path, &mut folder) {
                Ok(f) => out.push(f),
                Err(e) => {
                    err = Some(e);
                    break;
                }
            }
        }
        // Counted once a chunk: the counter is shared between threads.
        if let Some(p) = progress {
            p.done.fetch_add(out.len(), Ordering::Relaxed);
        }
        (out, err)
    };
    if threads <= 1 || files.len() <= LOAD_CHUNK {
        for chunk in files.chunks(LOAD_CHUNK) {
            let (batch, err) = load_chunk(chunk);
            if let Some(e) = err {
                return Err(e);
            }
            sink(Batch(batch))?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<LoadedFile>, Option<LoadError>)>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, files) = (&next, &stop, &files);
            let load_chunk = &load_chunk;
            let spawned = std::thread::Builder::new()
                .name("valuemap-load".into())
                .spawn_scoped(s, move || {
                    while !stop.load(Ordering::Relaxed) {
                        let at = next.fetch_add(LOAD_CHUNK, Ordering::Relaxed);
                        if at >= files.len() {
                            break;
                        }
                        let chunk = &files[at..(at + LOAD_CHUNK).min(files.len())];
                        let (batch, err) = load_chunk(chunk);
                        if err.is_some() {
                            stop.store(true, Ordering::Relaxed);
                        }
                        if tx.send((at, batch, err)).is_err() {
                            break;
                        }
                    }
                });
            spawned.expect("a thread to read the workspace's files");
        }
        drop(tx);
        // The first error in file order; chunks before it are all claimed
        // (they are claimed in order) and finish, so it is always found.
        let mut first_err: Option<(usize, LoadError)> = None;
        for (at, batch, err) in rx {
            if let Some(e) = err {
                if first_err.as_ref().is_none_or(|(i, _)| at < *i) {
                    first_err = Some((at, e));
                }
                continue;
            }
            if first_err.is_some() {
                continue;
            }
            if let Err(e) = sink(Batch(batch)) {
                stop.store(true, Ordering::Relaxed);
                first_err = Some((usize::MAX, e));
            }
        }
        match first_err {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    })
}

/// The error for two files holding one entity.
fn duplicate(key: &FileKey, first: PathBuf, second: PathBuf) -> LoadError {
    match key {
        FileKey::Note(id) => LoadError::DuplicateNote {
            id: id.clone(),
            first,
            second,
        },
        FileKey::Item(kind, id) => LoadError::DuplicateItem {
            kind: *kind,
            id: id.clone(),
            first,
            second,
        },
        FileKey::Opportunity(id) => LoadError::Duplicate {
            what: "opportunity",
            id: id.clone(),
            first,
            second,
        },
        FileKey::Metric(id) => LoadError::Duplicate {
            what: "metric",
            id: id.clone(),
            first,
            second,
        },
        FileKey::Workspace | FileKey::Opportunities | FileKey::Metrics => LoadError::Invalid {
            path: second,
            message: format!("holds the same as {}", first.display()),
        },
    }
}

/// Where an item's file is: `<folder of its kind>/<id>.ron` (the id made
/// safe for a file name as for notes).
pub fn item_rel(kind: Kind, id: &Id) -> PathBuf {
    entity_rel(kind.dir(), id)
}

/// Where the file of an entity kept one per file by id is:
/// `<folder>/<id>.ron`, the id made safe for a file name as for notes.
pub fn entity_rel(folder: &str, id: &Id) -> PathBuf {
    Path::new(folder).join(format!("{}.ron", file_safe_id(id.as_str())))
}

/// Whether `name` in `folder` is the name `key` gives its file, for the
/// names that need no unescaping (every id valuemap makes): a quick yes
/// where [`key_named`] would say the same; `false` means "ask it".
fn named_plainly(key: &FileKey, folder: &str, name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".ron") else {
        return false;
    };
    let plain = |s: &str, id: &Id| s == id.as_str() && s != "%00" && !s.contains(['%', '~']);
    if key.kind().folder() != Some(folder) {
        return false;
    }
    match key {
        // `YYYY-MM-DD-<id>`
        FileKey::Note(id) => {
            stem.as_bytes().get(10) == Some(&b'-') && stem.get(11..).is_some_and(|s| plain(s, id))
        }
        FileKey::Opportunity(id) | FileKey::Metric(id) | FileKey::Item(_, id) => plain(stem, id),
        FileKey::Workspace | FileKey::Opportunities | FileKey::Metrics => false,
    }
}

/// The key of the file a path names when the file has the name its key
/// gives it (`notes/<date>-<id>.ron`, `opportunities/<id>.ron`, ...);
/// `None` otherwise (the store keeps those few in an index of their own).
fn key_named(rel: &Path) -> Option<FileKey> {
    let name = rel.file_name()?.to_str()?;
    let folder = rel.parent()?.to_str()?;
    let stem = name.strip_suffix(".ron")?;
    Some(match rel.to_str()? {
        WORKSPACE_FILE => FileKey::Workspace,
        OPPORTUNITIES_FILE => FileKey::Opportunities,
        METRICS_FILE => FileKey::Metrics,
        _ => match FileKind::of_folder(folder)? {
            FileKind::Note => {
                // `YYYY-MM-DD-<id>`
                let id = stem
                    .get(11..)
                    .filter(|_| stem.as_bytes().get(10) == Some(&b'-'))?;
                FileKey::Note(Id::new(unsafe_id(id)?))
            }
            FileKind::Opportunity => FileKey::Opportunity(Id::new(unsafe_id(stem)?)),
            FileKind::Metric => FileKey::Metric(Id::new(unsafe_id(stem)?)),
            FileKind::Item(k) => FileKey::Item(k, Id::new(unsafe_id(stem)?)),
            _ => return None,
        },
    })
}

/// The id a name made by [`file_safe_id`] stands for (`None` for a name
/// that is not one: a cut id with its hash, a stray `%`).
fn unsafe_id(name: &str) -> Option<String> {
    if name == "%00" || name.contains('~') {
        return None;
    }
    let b = name.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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

/// A file of a workspace folder, as its listing found it: in the folder
/// of its kind (`notes/`, ...), so only its name is kept. A note's name
/// (`YYYY-MM-DD-<id>.ron`) fits in the name itself, without an
/// allocation: a listing of 100,000 notes is one block of memory.
#[derive(Clone, Debug)]
pub struct Listed {
    /// The file's name in its kind's folder.
    pub name: compact_str::CompactString,
    /// A symbolic link (to a file inside the workspace), not a file
    /// itself: reading it follows the link, checked again.
    pub link: bool,
}

impl Listed {
    /// A file no listing has looked at (`rel`: `<folder of its kind>/<name>`):
    /// reading it looks first.
    fn unchecked(rel: &Path) -> Listed {
        Listed {
            name: rel
                .file_name()
                .map(|n| compact_str::CompactString::from(n.to_string_lossy().as_ref()))
                .unwrap_or_default(),
            link: true,
        }
    }

    /// Its path relative to the workspace folder.
    fn rel(&self, kind: FileKind) -> PathBuf {
        match kind.folder() {
            Some(f) => Path::new(f).join(self.name.as_str()),
            None => PathBuf::from(self.name.as_str()),
        }
    }
}

/// The `.ron` files of one folder of a workspace (notes, outcomes, ...),
/// relative to it, sorted, and the entries of the folder that look like
/// files of it but are not files (a folder, a FIFO, a device, a socket, a
/// link out of the workspace): those are never opened, only reported.
/// A folder's entity files, the entries skipped, and the temporary files
/// of saves found there.
type Listing = (Vec<Listed>, Vec<Skipped>, Vec<PathBuf>);

fn ron_files(root: &Path, folder: &str, noun: &str) -> Result<Listing, LoadError> {
    let dir = root.join(folder);
    match dir.symlink_metadata() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok((Vec::new(), Vec::new(), Vec::new()));
        }
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
    let mut temps = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io_err(&dir))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if atomic::is_temp_name(&name) {
            temps.push(dir.join(name.as_ref()));
            continue;
        }
        if name.starts_with('.') || !name.ends_with(".ron") {
            continue;
        }
        let ft = entry.file_type().map_err(io_err(&dir))?;
        let name = compact_str::CompactString::from(name.as_ref());
        if ft.is_file() {
            out.push(Listed { name, link: false });
            continue;
        }
        let path = dir.join(name.as_str());
        let reason = if ft.is_symlink() {
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
            None => out.push(Listed { name, link: true }),
            Some(reason) => skipped.push(Skipped { path, reason }),
        }
    }
    // By the id a name gives (after a note's `YYYY-MM-DD-`), then by the
    // whole name: files are read in about the order of their ids, so the
    // notes arrive nearly in the order of the workspace's map, which then
    // takes them in with little shuffling (`Workspace::put_notes`).
    fn id_part<'a>(l: &'a Listed, folder: &str) -> &'a [u8] {
        let name = l.name.as_bytes();
        match name.get(10) {
            Some(b'-') if folder == NOTES_DIR => &name[11..],
            _ => name,
        }
    }
    // Sorted by the first 16 bytes as one number (zeros after the end keep
    // the order of bytes), then by the bytes when those are equal: most
    // comparisons of 100,000 names are then one comparison of numbers.
    fn prefix(b: &[u8]) -> u128 {
        let mut p = [0u8; 16];
        let n = b.len().min(16);
        p[..n].copy_from_slice(&b[..n]);
        u128::from_be_bytes(p)
    }
    let mut keyed: Vec<(u128, Listed)> = out
        .into_iter()
        .map(|l| (prefix(id_part(&l, folder)), l))
        .collect();
    keyed.sort_unstable_by(|(pa, a), (pb, b)| {
        pa.cmp(pb).then_with(|| {
            id_part(a, folder)
                .cmp(id_part(b, folder))
                .then_with(|| a.name.cmp(&b.name))
        })
    });
    let out: Vec<Listed> = keyed.into_iter().map(|(_, l)| l).collect();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((out, skipped, temps))
}

/// Removes temporary files left by an interrupted save, older than `age`;
/// returns how many.
fn clean_stale_temp_files(root: &Path, age: Duration) -> usize {
    let dirs: Vec<PathBuf> = std::iter::once(root.to_path_buf())
        .chain(ENTITY_DIRS.map(|d| root.join(d)))
        .collect();
    clean_stale_temp_files_in(&dirs, age)
}

/// Removes the temporary files in `dirs` older than `age`.
fn clean_stale_temp_files_in(dirs: &[PathBuf], age: Duration) -> usize {
    let temps = dirs.iter().flat_map(|dir| {
        fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| atomic::is_temp_name(&e.file_name().to_string_lossy()))
            .map(|e| e.path())
    });
    remove_stale(temps, age)
}

/// Removes those of `paths` (temporary files) not changed for `age`;
/// returns how many.
fn remove_stale(paths: impl Iterator<Item = PathBuf>, age: Duration) -> usize {
    let mut n = 0;
    for p in paths {
        let stale = fs::symlink_metadata(&p)
            .and_then(|m| m.modified())
            .map(|t| SystemTime::now().duration_since(t).unwrap_or_default() >= age)
            .unwrap_or(true);
        if stale && fs::remove_file(&p).is_ok() {
            n += 1;
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
            interviewee: Default::default(),
            persona: None,
            activities: Vec::new(),
            title: "t".into(),
            body: String::new(),
            tags: crate::model::ThinVec::new(),
            dismissed: crate::model::ThinVec::new(),
            answered: crate::model::ThinVec::new(),
            captured: None,
        }
    }

    /// Listing in one go and listing while reading say the same of a
    /// folder with format version 1's lists: each list's comments once.
    #[test]
    fn listing_reads_the_old_lists_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let ws = crate::synth::workspace(crate::synth::Shape::notes(20));
        Store::create(&root, &ws).unwrap();
        fs::write(
            root.join(OPPORTUNITIES_FILE),
            "// kept by hand\n(opportunities: [])\n",
        )
        .unwrap();
        let (mut store, mut part, mut info) = Store::load_head(&root).unwrap();
        let files = store.list_rest(&mut part, &mut info).unwrap();
        assert_eq!(info.comments.len(), 1, "{:?}", info.comments);
        let (_, _, opened) = Store::open(&root).unwrap();
        assert_eq!(opened.comments.len(), 1, "{:?}", opened.comments);
        assert_eq!(
            files.len(),
            ws.notes.len() + ws.opportunities.len() + ws.metrics.len() + ws.items.len()
        );
    }

    /// Files are listed by the id their name gives, then by the whole
    /// name, byte by byte: ids longer than the part compared as a number,
    /// and ids that are prefixes of others, included.
    #[test]
    fn files_are_listed_in_the_order_of_their_ids() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join(NOTES_DIR);
        fs::create_dir(&notes).unwrap();
        let names = [
            "2026-01-02-b.ron",
            "2025-12-31-a.ron",
            "2026-01-01-abcdefghijklmnopqrstuvwxy2.ron",
            "2026-01-01-abcdefghijklmnopqrstuvwxy1.ron",
            "2024-05-05-abcdefghijklmnopqrstuvwxy1.ron",
            "2026-01-01-abcdefghijklmnop.ron",
            "2026-01-01-abcdefghijklmno.ron",
            "odd name.ron",
            "2026-01-01-a.ron",
        ];
        for n in names {
            fs::write(notes.join(n), "()").unwrap();
        }
        let (listed, _, _) = ron_files(dir.path(), NOTES_DIR, "note").unwrap();
        let got: Vec<String> = listed.iter().map(|l| l.name.to_string()).collect();
        let mut want: Vec<&str> = names.to_vec();
        let id = |n: &str| {
            if n.as_bytes().get(10) == Some(&b'-') {
                n[11..].to_owned()
            } else {
                n.to_owned()
            }
        };
        want.sort_by(|a, b| id(a).cmp(&id(b)).then_with(|| a.cmp(b)));
        assert_eq!(got, want);
        assert_eq!(got[0], "2025-12-31-a.ron");
        assert_eq!(got[1], "2026-01-01-a.ron");
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
