//! New workspace folders are written under a hidden name beside their place
//! (`.valuemap-new-<name>-XXXXXX`) and renamed into place when whole, so
//! `valuemap new` and the interface's `:save-as` leave the whole workspace
//! or nothing. A run killed part way leaves the staging folder, with
//! interview notes in it.
//!
//! The run that writes a staging folder holds a lock on it (`flock` on the
//! folder itself), which the kernel releases when the run ends, however it
//! ends. A staging folder whose lock can be taken is a leftover: the next
//! run that creates a workspace in the same folder removes it, and
//! `valuemap forget` removes those of its workspace.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The name prefix of staging folders.
pub const STAGING_PREFIX: &str = ".valuemap-new-";

/// Where a lock cannot be taken on a folder (some network filesystems), a
/// staging folder untouched for this long is taken for a leftover.
const STALE_STAGING_AGE: Duration = Duration::from_secs(3600);

/// The part of a staging folder's name that says which workspace it was
/// for: the target's name, reduced to characters safe in any file name.
fn tag(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect()
}

/// A staging folder being written, locked for as long as it lives.
pub struct Staging {
    pub dir: tempfile::TempDir,
    // Held for its lock on the folder.
    _lock: Option<fs::File>,
}

/// Creates a private staging folder for `target` in `parent`, locked.
pub fn create(parent: &Path, target: &Path) -> io::Result<Staging> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", tag(target)))
        .tempdir_in(parent)?;
    super::atomic::ensure_private_dir(dir.path())?;
    let lock = lock_dir(dir.path()).ok().flatten();
    Ok(Staging { dir, _lock: lock })
}

/// Takes the lock of a staging folder if it is free: `Ok(Some(_))` when
/// taken, `Ok(None)` when someone holds it, an error when folders cannot be
/// locked here.
fn lock_dir(dir: &Path) -> io::Result<Option<fs::File>> {
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, Mode, OFlags};
        let fd = rustix::fs::open(
            dir,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        match rustix::fs::flock(&fd, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(Some(fs::File::from(fd))),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Err(io::Error::other("no folder locks here"))
    }
}

/// Removes the leftover staging folders in `parent`: every one with
/// `for_target` `None`, else those made for a workspace of that name. A
/// folder being written by a live run is never touched. Returns the
/// folders removed.
pub fn clean(parent: &Path, for_target: Option<&Path>) -> Vec<PathBuf> {
    let prefix = match for_target {
        Some(t) => format!("{STAGING_PREFIX}{}-", tag(t)),
        None => STAGING_PREFIX.to_string(),
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with(&prefix) {
            continue;
        }
        // A real folder only: a link of that name is not ours to follow.
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = e.path();
        let dead = match lock_dir(&path) {
            Ok(Some(_lock)) => true,
            Ok(None) => false,
            Err(_) => e
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| {
                    SystemTime::now().duration_since(t).unwrap_or_default() >= STALE_STAGING_AGE
                })
                .unwrap_or(false),
        };
        if dead && fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_dead_staging_folders_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let live = create(dir.path(), Path::new("ws")).unwrap();
        let dead = create(dir.path(), Path::new("ws")).unwrap();
        let other = create(dir.path(), Path::new("other")).unwrap();
        fs::write(dead.dir.path().join("note.ron"), "private").unwrap();
        // Their runs ended: their locks are gone.
        let Staging { dir: d, _lock: l } = dead;
        drop(l);
        let dead_path = d.keep();
        let Staging { dir: d, _lock: l } = other;
        drop(l);
        let other_path = d.keep();
        // A link with the prefix is left alone, and so is where it leads.
        let target = dir.path().join("target");
        fs::create_dir(&target).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(".valuemap-new-ws-link")).unwrap();

        assert_eq!(clean(dir.path(), Some(Path::new("ws"))), vec![dead_path]);
        assert!(live.dir.path().is_dir(), "a folder being written stays");
        assert!(other_path.is_dir(), "another workspace's leftover stays");
        assert!(target.is_dir());
        assert_eq!(clean(dir.path(), None), vec![other_path]);
        assert!(live.dir.path().is_dir());
    }
}
