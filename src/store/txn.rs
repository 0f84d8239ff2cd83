//! A save of several files is one transaction.
//!
//! Each file is written atomically (a temporary file, flushed, renamed over
//! the old one), but a save that spans files must not leave some of them new
//! and others old: a note pointing at a persona that `workspace.ron` no
//! longer has is a broken workspace. A save of more than one file therefore
//! goes through a journal, `.valuemap-journal` in the workspace folder:
//!
//! 1. **Prepare.** Every new content goes to a temporary file beside its
//!    target (`.valuemap-XXXXXX.tmp`, `0600`). Every file the save replaces
//!    or removes gets a backup name: a second hard link to the old file
//!    (`.valuemap-XXXXXX.tmp` too; a copy where links are not possible).
//!    Then everything is flushed to disk. Nothing visible has changed, and
//!    a failure here (a full disk, a file that cannot be linked because it
//!    is immutable) removes what was prepared and changes nothing.
//! 2. **Commit.** The journal is written atomically and flushed. It names
//!    every target, its temporary file and its backup, and the identity
//!    (inode and length) of the old and of the new file. From the moment it
//!    exists, the save counts as done.
//! 3. **Apply.** The temporary files are renamed over their targets and the
//!    removed files are unlinked; the folders are flushed.
//! 4. **Finish.** The journal is removed (and that flushed), then the
//!    backups.
//!
//! If a rename fails part way (an immutable file, a folder that became
//! read-only), the save is undone at once: every backup is renamed back
//! over its target and every new file is removed, so every file holds its
//! old content, and the error says so.
//!
//! After a crash, the next open of the workspace ([`recover`]) finds the
//! journal and looks at every target: still old with its temporary file
//! waiting (pending), new (done), or back to old with its temporary file
//! gone (undone by a rollback that was itself interrupted). Pending and
//! done only: the save is finished (roll forward). Any undone: the rollback
//! is finished. Either way every file ends in one state, old or new, and
//! the open says which. Each step only renames or removes what the journal
//! names and checks first, so recovery can itself be interrupted and run
//! again. A target that is neither old nor new was changed by something
//! else after the crash (git, an editor): nothing is overwritten then, the
//! journal and its leftovers are removed, and the open says which file
//! changed.
//!
//! A save of a single file needs none of this: its rename is atomic.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::atomic::{self, TEMP_PREFIX, TEMP_SUFFIX};
use super::read;

/// The journal of a save in progress, in the workspace folder.
pub const JOURNAL_FILE: &str = ".valuemap-journal";

/// The journal's own format version.
const JOURNAL_VERSION: u32 = 1;

/// A journal is small (a line or two per file); anything larger is not one.
const MAX_JOURNAL_LEN: u64 = 256 * 1024 * 1024;

/// Which file a change is about and how to tell its states apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Ident {
    ino: u64,
    len: u64,
}

/// One file of a save, as the journal records it. Paths are relative to
/// the workspace folder.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Op {
    target: String,
    /// The new content, waiting; `None` when the save removes the target.
    #[serde(default)]
    temp: Option<String>,
    /// The old file under another name; `None` when there was none.
    #[serde(default)]
    backup: Option<String>,
    #[serde(default)]
    old: Option<Ident>,
    #[serde(default)]
    new: Option<Ident>,
    /// The backup's own identity, when it is a copy rather than a link.
    #[serde(default)]
    backup_id: Option<Ident>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    version: u32,
    /// Set when the save is being undone.
    #[serde(default)]
    back: bool,
    ops: Vec<Op>,
}

/// Why a save did not complete, and what the files hold.
#[derive(Debug, Error)]
pub enum TxnError {
    /// Every file holds its old content.
    #[error("could not write {}: {source}", .path.display())]
    Unchanged { path: PathBuf, source: io::Error },
    /// The save stopped part way and could not be undone either: the
    /// journal stays, and the next open finishes or undoes it.
    #[error(
        "could not write {}: {source}; the save stopped part way and could not be undone, \
         it is finished or undone the next time the workspace is opened",
        .path.display()
    )]
    Interrupted { path: PathBuf, source: io::Error },
}

/// What the next open did about an interrupted save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recovered {
    /// The save was finished: every file of it holds its new content.
    Finished { files: usize },
    /// The save was undone: every file of it holds its old content.
    Undone { files: usize },
    /// Files of the save were changed by something else since: every file
    /// was left as it is.
    Abandoned { changed: Vec<PathBuf> },
}

impl std::fmt::Display for Recovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recovered::Finished { files } => write!(
                f,
                "a save of {} was interrupted; it is now finished (every one holds its new content)",
                crate::text::count(*files, "file")
            ),
            Recovered::Undone { files } => write!(
                f,
                "a save of {} was interrupted; it is now undone (every one holds its old content)",
                crate::text::count(*files, "file")
            ),
            Recovered::Abandoned { changed } => write!(
                f,
                "a save was interrupted, and {} changed since; every file was left as it is now (run `valuemap check`)",
                super::list(changed)
            ),
        }
    }
}

/// Why an interrupted save could not be settled.
#[derive(Debug, Error)]
pub enum RecoverError {
    #[error(
        "{}: the record of an interrupted save cannot be read ({reason}); nothing was changed. \
         Look at the workspace's files, then remove it",
        .path.display()
    )]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "a save of this workspace was interrupted and cannot be finished or undone: {}: {source}",
        .path.display()
    )]
    Stuck { path: PathBuf, source: io::Error },
}

/// Whether the workspace holds the journal of an interrupted save.
pub fn pending(root: &Path) -> bool {
    root.join(JOURNAL_FILE).symlink_metadata().is_ok()
}

#[cfg(unix)]
fn ident_of(meta: &fs::Metadata) -> Ident {
    use std::os::unix::fs::MetadataExt;
    Ident {
        ino: meta.ino(),
        len: meta.len(),
    }
}

#[cfg(not(unix))]
fn ident_of(meta: &fs::Metadata) -> Ident {
    let ino = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Ident {
        ino,
        len: meta.len(),
    }
}

/// The identity of what is at `path` (not following a link), if anything.
fn ident(path: &Path) -> Option<Ident> {
    fs::symlink_metadata(path).ok().map(|m| ident_of(&m))
}

fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A hidden name beside `target`, shaped like a temporary file (so a
/// leftover is found and removed like one), random enough to be free;
/// `make` creates something there and fails with `AlreadyExists` when the
/// name is taken after all, and then another name is tried.
fn spare_name<T>(
    target: &Path,
    mut make: impl FnMut(&Path) -> io::Result<T>,
) -> io::Result<(PathBuf, T)> {
    let dir = dir_of(target);
    loop {
        let name: String = std::iter::repeat_with(fastrand::alphanumeric)
            .take(12)
            .collect();
        let p = dir.join(format!("{TEMP_PREFIX}{name}{TEMP_SUFFIX}"));
        match make(&p) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
            Ok(t) => return Ok((p, t)),
        }
    }
}

/// `path` relative to `root`, as the journal writes it.
fn rel_str(root: &Path, path: &Path) -> io::Result<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_str()
        .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"))
        .ok_or_else(|| io::Error::other("a file name that is not UTF-8"))
}

/// A change of one file, ready to apply.
struct Prepared {
    target: PathBuf,
    temp: Option<PathBuf>,
    backup: Option<PathBuf>,
    old: Option<Ident>,
    new: Option<Ident>,
    backup_id: Option<Ident>,
}

impl Prepared {
    /// Removes what preparing made (before the commit).
    fn discard(&self) {
        for p in [&self.temp, &self.backup].into_iter().flatten() {
            let _ = fs::remove_file(p);
        }
    }
}

/// Writes `bytes` to a new private temporary file beside `target`; with
/// `flush`, flushed to disk. Returns its path and identity.
fn write_temp(target: &Path, bytes: &[u8], flush: bool) -> io::Result<(PathBuf, Ident)> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir_of(target))?;
    atomic::set_mode(tmp.path(), 0o600)?;
    tmp.write_all(bytes)?;
    if flush {
        tmp.as_file().sync_all()?;
    }
    let id = ident_of(&tmp.as_file().metadata()?);
    // Closed here (a save may write more files than may be open at once);
    // from now on the path is ours to remove.
    let path = tmp.into_temp_path().keep().map_err(|e| e.error)?;
    Ok((path, id))
}

/// Gives the file at `target` (of which `meta` is what `lstat` said) a
/// second name, so it can be put back.
fn make_backup(
    target: &Path,
    meta: &fs::Metadata,
    flush: bool,
) -> io::Result<(PathBuf, Option<Ident>)> {
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        // A link inside the workspace: the backup is the same link.
        let to = fs::read_link(target)?;
        let (backup, ()) = spare_name(target, |p| std::os::unix::fs::symlink(&to, p))?;
        let id = ident(&backup);
        return Ok((backup, id));
    }
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "it is {}, not a file; not replaced",
            read::describe(meta.file_type())
        )));
    }
    match spare_name(target, |p| fs::hard_link(target, p)) {
        Ok((backup, ())) => Ok((backup, None)),
        // Linking is refused for an immutable file: so would the rename be.
        // Elsewhere (a filesystem without hard links) a copy does.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => Err(e),
        Err(_) => {
            let bytes = read::read_regular_file(target, u64::MAX).map_err(|e| match e {
                read::ReadError::Io { source, .. } => source,
                other => io::Error::other(other.to_string()),
            })?;
            let (tmp, id) = write_temp(target, &bytes, flush)?;
            // rename() would replace a file of that name: link() does not.
            let (backup, ()) = spare_name(target, |p| fs::hard_link(&tmp, p))?;
            fs::remove_file(&tmp)?;
            Ok((backup, Some(id)))
        }
    }
}

/// Flushes the folders a save touched, and with `whole`, every file written
/// there (one `syncfs` on Linux).
fn flush_dirs(dirs: &[PathBuf], whole: bool) -> io::Result<()> {
    for d in dirs {
        #[cfg(target_os = "linux")]
        if whole {
            let f = fs::File::open(d)?;
            rustix::fs::syncfs(&f)?;
            continue;
        }
        let _ = whole;
        atomic::sync_dir(d)?;
    }
    Ok(())
}

/// Writes and removes files as one transaction: afterwards every file holds
/// its new content, or (on an error) every file holds its old one. Each
/// item is a path inside `root` and its new content (`None`: remove it).
/// With `bulk`, the prepared files are flushed together (`syncfs`) rather
/// than one by one. `on_file` is called as each new content is written.
pub fn commit(
    root: &Path,
    items: &[(PathBuf, Option<&[u8]>)],
    bulk: bool,
    mut on_file: impl FnMut(),
) -> Result<(), TxnError> {
    let unchanged = |path: &Path, source| TxnError::Unchanged {
        path: path.to_path_buf(),
        source,
    };
    let mut prepared: Vec<Prepared> = Vec::with_capacity(items.len());
    let mut dirs: Vec<PathBuf> = Vec::new();
    let discard = |prepared: &[Prepared]| prepared.iter().for_each(Prepared::discard);

    // 1. Prepare.
    for (target, content) in items {
        let dir = dir_of(target).to_path_buf();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        let mut p = Prepared {
            target: target.clone(),
            temp: None,
            backup: None,
            old: None,
            new: None,
            backup_id: None,
        };
        let step = (|| -> io::Result<()> {
            if let Some(bytes) = content {
                let (tmp, id) = write_temp(target, bytes, !bulk)?;
                p.temp = Some(tmp);
                p.new = Some(id);
                on_file();
            }
            if let Ok(meta) = fs::symlink_metadata(target) {
                p.old = Some(ident_of(&meta));
                let (backup, backup_id) = make_backup(target, &meta, !bulk)?;
                p.backup = Some(backup);
                p.backup_id = backup_id;
            }
            Ok(())
        })();
        prepared.push(p);
        if let Err(e) = step {
            discard(&prepared);
            return Err(unchanged(target, e));
        }
    }
    if let Err(e) = flush_dirs(&dirs, bulk) {
        discard(&prepared);
        return Err(unchanged(root, e));
    }

    // 2. Commit: the journal.
    let journal_path = root.join(JOURNAL_FILE);
    let journal = match journal_of(root, &prepared) {
        Ok(j) => j,
        Err(e) => {
            discard(&prepared);
            return Err(unchanged(root, e));
        }
    };
    if let Err(e) = write_journal(&journal_path, &journal) {
        let _ = fs::remove_file(&journal_path);
        discard(&prepared);
        return Err(unchanged(&journal_path, e));
    }

    // 3. Apply.
    for (i, p) in prepared.iter().enumerate() {
        let step = match &p.temp {
            Some(tmp) => fail_point(i).and_then(|()| fs::rename(tmp, &p.target)),
            None => fail_point(i).and_then(|()| match fs::remove_file(&p.target) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                r => r,
            }),
        };
        if let Err(source) = step {
            return Err(match roll_back(root, journal) {
                Ok(_) => TxnError::Unchanged {
                    path: p.target.clone(),
                    source,
                },
                Err(_) => TxnError::Interrupted {
                    path: p.target.clone(),
                    source,
                },
            });
        }
    }
    if let Err(source) = flush_dirs(&dirs, false) {
        // The renames happened; whether they are on disk is for the disk
        // to say. The journal stays, so the next open checks.
        return Err(TxnError::Interrupted {
            path: root.to_path_buf(),
            source,
        });
    }

    // 4. Finish.
    finish(root, &journal);
    Ok(())
}

/// Removes the journal (durably), then the backups. (The temporary files
/// are gone by then: renamed into place, or removed by a rollback.)
fn finish(root: &Path, journal: &Journal) {
    if atomic::remove_durably(&root.join(JOURNAL_FILE)).is_err() {
        // Still there: the next open sees every file done and finishes.
        return;
    }
    for b in journal.ops.iter().filter_map(|op| op.backup.as_ref()) {
        let _ = fs::remove_file(root.join(b));
    }
}

fn journal_of(root: &Path, prepared: &[Prepared]) -> io::Result<Journal> {
    let rel = |p: &Option<PathBuf>| p.as_deref().map(|p| rel_str(root, p)).transpose();
    let ops = prepared
        .iter()
        .map(|p| {
            Ok(Op {
                target: rel_str(root, &p.target)?,
                temp: rel(&p.temp)?,
                backup: rel(&p.backup)?,
                old: p.old,
                new: p.new,
                backup_id: p.backup_id,
            })
        })
        .collect::<io::Result<Vec<Op>>>()?;
    Ok(Journal {
        version: JOURNAL_VERSION,
        back: false,
        ops,
    })
}

fn write_journal(path: &Path, journal: &Journal) -> io::Result<()> {
    atomic::write_atomic(path, super::format::to_ron(journal).as_bytes())
}

/// Reads and checks the journal: every path must be a file of the workspace
/// (`workspace.ron`, `notes/x.ron`...) or one of valuemap's temporary files,
/// inside the folder, so a journal that came from elsewhere cannot move
/// anything else.
fn read_journal(root: &Path) -> Result<Option<Journal>, RecoverError> {
    let path = root.join(JOURNAL_FILE);
    let unreadable = |reason: String| RecoverError::Unreadable {
        path: path.clone(),
        reason,
    };
    let bytes = match read::read_workspace_file(root, &path, MAX_JOURNAL_LEN) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(unreadable(e.to_string())),
    };
    let text = String::from_utf8(bytes).map_err(|_| unreadable("not UTF-8 text".into()))?;
    let journal: Journal =
        super::format::parse(&path, &text).map_err(|e| unreadable(e.to_string()))?;
    if journal.version != JOURNAL_VERSION {
        return Err(unreadable(format!(
            "version {}, this valuemap understands {JOURNAL_VERSION}",
            journal.version
        )));
    }
    for op in &journal.ops {
        if !is_workspace_file(&op.target) {
            return Err(unreadable(format!(
                "{:?} is not a file of a workspace",
                op.target
            )));
        }
        for p in [&op.temp, &op.backup].into_iter().flatten() {
            if !is_temp_path(p) || dir_of(Path::new(p)) != dir_of(Path::new(&op.target)) {
                return Err(unreadable(format!(
                    "{p:?} is not one of valuemap's temporary files"
                )));
            }
        }
    }
    Ok(Some(journal))
}

fn plain_components(p: &str) -> Option<Vec<&str>> {
    let path = Path::new(p);
    let mut out = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => out.push(s.to_str()?),
            _ => return None,
        }
    }
    Some(out)
}

fn is_workspace_file(p: &str) -> bool {
    match plain_components(p).as_deref() {
        Some([name]) => [
            super::WORKSPACE_FILE,
            super::OPPORTUNITIES_FILE,
            super::METRICS_FILE,
        ]
        .contains(name),
        Some([dir, name]) => {
            super::ENTITY_DIRS.contains(dir) && name.ends_with(".ron") && !name.starts_with('.')
        }
        _ => false,
    }
}

fn is_temp_path(p: &str) -> bool {
    match plain_components(p).as_deref() {
        Some([name]) => atomic::is_temp_name(name),
        Some([dir, name]) => super::ENTITY_DIRS.contains(dir) && atomic::is_temp_name(name),
        _ => false,
    }
}

/// Where one file of an interrupted save stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Old, its new content waiting.
    Pending,
    /// New.
    Done,
    /// Back to old after the new content was in place.
    Undone,
    /// Neither: something else changed it.
    Foreign,
}

fn state(root: &Path, op: &Op) -> State {
    let cur = ident(&root.join(&op.target));
    let is_old = cur == op.old || (cur.is_some() && cur == op.backup_id);
    match &op.temp {
        Some(tmp) if root.join(tmp).symlink_metadata().is_ok() => {
            if cur == op.old {
                State::Pending
            } else {
                State::Foreign
            }
        }
        Some(_) => {
            if cur.is_some() && cur == op.new {
                State::Done
            } else if is_old {
                State::Undone
            } else {
                State::Foreign
            }
        }
        None => {
            if cur.is_none() {
                State::Done
            } else if is_old {
                State::Pending
            } else {
                State::Foreign
            }
        }
    }
}

/// Settles an interrupted save, if the workspace holds one: finishes it, or
/// finishes undoing it, and says which. The caller holds the workspace's
/// exclusive lock.
pub fn recover(root: &Path) -> Result<Option<Recovered>, RecoverError> {
    let Some(journal) = read_journal(root)? else {
        return Ok(None);
    };
    let states: Vec<State> = journal.ops.iter().map(|op| state(root, op)).collect();
    let files = journal.ops.len();
    let foreign: Vec<PathBuf> = journal
        .ops
        .iter()
        .zip(&states)
        .filter(|(_, s)| **s == State::Foreign)
        .map(|(op, _)| root.join(&op.target))
        .collect();
    if !foreign.is_empty() {
        // Something else wrote here since: overwrite nothing, tidy up.
        let stuck = |source| RecoverError::Stuck {
            path: root.join(JOURNAL_FILE),
            source,
        };
        atomic::remove_durably(&root.join(JOURNAL_FILE)).map_err(stuck)?;
        for op in &journal.ops {
            for p in [&op.temp, &op.backup].into_iter().flatten() {
                let _ = fs::remove_file(root.join(p));
            }
        }
        return Ok(Some(Recovered::Abandoned { changed: foreign }));
    }
    if journal.back || states.contains(&State::Undone) {
        roll_back(root, journal)?;
        return Ok(Some(Recovered::Undone { files }));
    }
    match roll_forward(root, &journal, &states) {
        Ok(()) => {
            finish(root, &journal);
            Ok(Some(Recovered::Finished { files }))
        }
        Err(_) => {
            roll_back(root, journal)?;
            Ok(Some(Recovered::Undone { files }))
        }
    }
}

fn roll_forward(root: &Path, journal: &Journal, states: &[State]) -> io::Result<()> {
    let mut dirs = Vec::new();
    for (op, s) in journal.ops.iter().zip(states) {
        let target = root.join(&op.target);
        let dir = dir_of(&target).to_path_buf();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        if *s != State::Pending {
            continue;
        }
        match &op.temp {
            Some(tmp) => fs::rename(root.join(tmp), &target)?,
            None => match fs::remove_file(&target) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
        }
    }
    flush_dirs(&dirs, false)
}

/// Puts every file of the journal's save back as it was, then removes the
/// journal and the leftovers. Safe to repeat after an interruption.
fn roll_back(root: &Path, mut journal: Journal) -> Result<(), RecoverError> {
    let journal_path = root.join(JOURNAL_FILE);
    if !journal.back {
        journal.back = true;
        // Best effort: without the mark, the next open still sees which
        // files were put back (see `State::Undone`).
        let _ = write_journal(&journal_path, &journal);
    }
    let mut dirs = Vec::new();
    for op in journal.ops.iter().rev() {
        let target = root.join(&op.target);
        let stuck = |source| RecoverError::Stuck {
            path: target.clone(),
            source,
        };
        let dir = dir_of(&target).to_path_buf();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        match &op.backup {
            Some(b) if root.join(b).symlink_metadata().is_ok() => {
                fs::rename(root.join(b), &target).map_err(stuck)?;
            }
            Some(_) => {}
            None => {
                // There was no file: the new one goes, if it is there.
                if op.new.is_some() && ident(&target) == op.new {
                    fs::remove_file(&target).map_err(stuck)?;
                }
            }
        }
        if let Some(t) = &op.temp {
            match fs::remove_file(root.join(t)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(stuck(e)),
                _ => {}
            }
        }
    }
    flush_dirs(&dirs, false).map_err(|source| RecoverError::Stuck {
        path: root.to_path_buf(),
        source,
    })?;
    finish(root, &journal);
    Ok(())
}

// A test can make the n-th rename of a save fail.
#[cfg(test)]
thread_local! {
    static FAIL_AT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
fn fail_point(i: usize) -> io::Result<()> {
    if FAIL_AT.with(|f| f.get()) == Some(i) {
        return Err(io::Error::other("injected failure"));
    }
    Ok(())
}

#[cfg(not(test))]
#[inline]
fn fail_point(_: usize) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace-shaped folder with three files; returns their contents.
    fn setup(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        fs::create_dir_all(root.join("notes")).unwrap();
        let files = vec![
            (root.join("notes/2026-01-01-a.ron"), b"note a".to_vec()),
            (root.join("notes/2026-01-01-b.ron"), b"note b".to_vec()),
            (root.join("workspace.ron"), b"workspace".to_vec()),
        ];
        for (p, b) in &files {
            fs::write(p, b).unwrap();
        }
        files
    }

    fn items(root: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
        vec![
            (
                root.join("notes/2026-01-01-a.ron"),
                Some(b"note a, new".to_vec()),
            ),
            (
                root.join("notes/2026-01-01-c.ron"),
                Some(b"note c".to_vec()),
            ),
            (root.join("workspace.ron"), Some(b"workspace, new".to_vec())),
            (root.join("notes/2026-01-01-b.ron"), None),
        ]
    }

    fn run(root: &Path, bulk: bool) -> Result<(), TxnError> {
        let items = items(root);
        let refs: Vec<(PathBuf, Option<&[u8]>)> = items
            .iter()
            .map(|(p, c)| (p.clone(), c.as_deref()))
            .collect();
        commit(root, &refs, bulk, || {})
    }

    /// Every file of the folder (hidden ones too), with its bytes.
    fn listing(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for d in [root.to_path_buf(), root.join("notes")] {
            for e in fs::read_dir(&d).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_file() {
                    out.push((e.path(), fs::read(e.path()).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    fn all_new(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<_> = items(root)
            .into_iter()
            .filter_map(|(p, c)| c.map(|c| (p, c)))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_save_writes_every_file_and_leaves_nothing_behind() {
        for bulk in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            setup(dir.path());
            run(dir.path(), bulk).unwrap();
            assert_eq!(listing(dir.path()), all_new(dir.path()));
        }
    }

    #[test]
    fn a_failed_rename_part_way_puts_every_file_back() {
        for at in 0..4 {
            let dir = tempfile::tempdir().unwrap();
            let before = setup(dir.path());
            FAIL_AT.with(|f| f.set(Some(at)));
            let e = run(dir.path(), false).unwrap_err();
            FAIL_AT.with(|f| f.set(None));
            assert!(matches!(e, TxnError::Unchanged { .. }), "{e:?}");
            assert!(e.to_string().contains("injected failure"), "{e}");
            let mut want = before.clone();
            want.sort();
            assert_eq!(listing(dir.path()), want, "failing at rename {at}");
        }
    }

    /// Runs the save up to and including `renames` renames, then stops as
    /// a crash would: the journal and the temporary files stay.
    fn crash_after(root: &Path, renames: usize) {
        let items = items(root);
        let refs: Vec<(PathBuf, Option<&[u8]>)> = items
            .iter()
            .map(|(p, c)| (p.clone(), c.as_deref()))
            .collect();
        let mut prepared = Vec::new();
        for (target, content) in &refs {
            let mut p = Prepared {
                target: target.clone(),
                temp: None,
                backup: None,
                old: None,
                new: None,
                backup_id: None,
            };
            if let Some(b) = content {
                let (t, id) = write_temp(target, b, false).unwrap();
                p.temp = Some(t);
                p.new = Some(id);
            }
            if let Ok(meta) = fs::symlink_metadata(target) {
                p.old = Some(ident_of(&meta));
                let (b, id) = make_backup(target, &meta, false).unwrap();
                p.backup = Some(b);
                p.backup_id = id;
            }
            prepared.push(p);
        }
        let journal = journal_of(root, &prepared).unwrap();
        write_journal(&root.join(JOURNAL_FILE), &journal).unwrap();
        for p in prepared.iter().take(renames) {
            match &p.temp {
                Some(t) => fs::rename(t, &p.target).unwrap(),
                None => fs::remove_file(&p.target).unwrap(),
            }
        }
    }

    #[test]
    fn a_crash_after_the_journal_is_finished_on_the_next_open() {
        for renames in 0..=4 {
            let dir = tempfile::tempdir().unwrap();
            setup(dir.path());
            crash_after(dir.path(), renames);
            assert!(pending(dir.path()));
            let r = recover(dir.path()).unwrap();
            assert_eq!(r, Some(Recovered::Finished { files: 4 }), "{renames}");
            assert_eq!(listing(dir.path()), all_new(dir.path()), "{renames}");
            assert_eq!(recover(dir.path()).unwrap(), None);
        }
    }

    #[test]
    fn an_interrupted_rollback_is_finished_on_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let mut before = setup(dir.path());
        before.sort();
        crash_after(dir.path(), 4);
        // Rollback started (in reverse order) and put back the removed note
        // and workspace.ron, then stopped.
        let journal = read_journal(dir.path()).unwrap().unwrap();
        for op in journal.ops.iter().rev().take(2) {
            fs::rename(
                dir.path().join(op.backup.as_ref().unwrap()),
                dir.path().join(&op.target),
            )
            .unwrap();
        }
        assert_eq!(
            recover(dir.path()).unwrap(),
            Some(Recovered::Undone { files: 4 })
        );
        assert_eq!(listing(dir.path()), before);
    }

    #[test]
    fn a_file_changed_after_the_crash_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        crash_after(dir.path(), 1);
        // git checkout, say: a new file where workspace.ron was.
        let ws = dir.path().join("workspace.ron");
        fs::remove_file(&ws).unwrap();
        fs::write(&ws, b"from git").unwrap();
        let r = recover(dir.path()).unwrap().unwrap();
        assert_eq!(
            r,
            Recovered::Abandoned {
                changed: vec![ws.clone()]
            }
        );
        assert!(r.to_string().contains("workspace.ron"), "{r}");
        assert_eq!(fs::read(&ws).unwrap(), b"from git");
        assert!(!pending(dir.path()));
        assert!(
            listing(dir.path())
                .iter()
                .all(|(p, _)| !atomic::is_temp_name(&p.file_name().unwrap().to_string_lossy())),
            "leftovers are removed"
        );
    }

    #[test]
    fn a_journal_from_elsewhere_cannot_move_other_files() {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        for (target, temp) in [
            ("../outside.ron", ".valuemap-x.tmp"),
            ("/etc/passwd", ".valuemap-x.tmp"),
            ("workspace.ron", "../.valuemap-x.tmp"),
            ("workspace.ron", "notes/.valuemap-x.tmp"),
            ("workspace.ron", "other.ron"),
        ] {
            let j = format!("(version: 1, ops: [(target: {target:?}, temp: Some({temp:?}))])\n");
            fs::write(dir.path().join(JOURNAL_FILE), j).unwrap();
            let e = recover(dir.path()).unwrap_err();
            assert!(
                matches!(e, RecoverError::Unreadable { .. }),
                "{target} {temp}: {e:?}"
            );
        }
        fs::write(dir.path().join(JOURNAL_FILE), "garbage").unwrap();
        assert!(recover(dir.path()).is_err());
    }
}
