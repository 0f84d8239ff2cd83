//! One writer at a time: the workspace lock.
//!
//! Every command that writes a workspace (the interface's saves, `note add`,
//! `metric observe`, `import --apply`, `fmt`, `forget`) holds an exclusive
//! lock on the workspace for the whole of its read, check and write, so two
//! writers never interleave and a writer never decides on a state another
//! one is replacing. Reading a workspace takes a shared lock, so a reader
//! never sees a save half done.
//!
//! The lock is `flock(2)` on the workspace folder itself. The kernel
//! releases it when its holder ends, however it ends, so a crashed writer
//! never blocks the next one. Locking the folder rather than a lock file
//! inside it leaves nothing behind: no file for git to see, commit or
//! replace, and a `check` or an `export` leaves the folder exactly as it
//! found it. Where folders cannot be locked (some network filesystems
//! refuse an exclusive `flock` on a folder), the lock falls back to
//! `.valuemap.lock` in the workspace folder: an empty, private (`0600`)
//! file that is never removed (removing a lock file lets two writers lock
//! two different files), not a workspace file (the loader ignores it), and
//! worth listing in `.gitignore` there.
//!
//! A writer that finds the workspace locked waits, up to [`timeout`], then
//! gives up with [`LockError::Busy`]: "another valuemap is saving this
//! workspace".

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

/// The lock file, in the workspace folder.
pub const LOCK_FILE: &str = ".valuemap.lock";

/// How long a writer waits for the lock by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long to wait for the lock: `VALUEMAP_LOCK_TIMEOUT` (seconds, may be
/// fractional), else [`DEFAULT_TIMEOUT`].
pub fn timeout() -> Duration {
    std::env::var("VALUEMAP_LOCK_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_TIMEOUT, Duration::from_secs_f64)
}

/// Why the lock was not taken.
#[derive(Debug, Error)]
pub enum LockError {
    #[error(
        "another valuemap is saving {} (waited {:.0?}); nothing was written. Try again when it is done",
        .root.display(), .waited
    )]
    Busy { root: PathBuf, waited: Duration },
    #[error("cannot lock {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{} is {what}, not the empty file valuemap locks the workspace with; remove it and try again",
        .path.display()
    )]
    NotAFile { path: PathBuf, what: &'static str },
}

/// Shared (readers) or exclusive (a writer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Shared,
    Exclusive,
}

/// A held workspace lock; dropping it releases the lock.
#[derive(Debug)]
pub struct WorkspaceLock {
    // Held for its lock; closing it releases the lock.
    _file: File,
    root: PathBuf,
    mode: Mode,
}

/// What the lock is taken on.
enum Target {
    /// The workspace folder (the usual case).
    Folder,
    /// `.valuemap.lock`, where folders cannot be locked.
    File,
}

impl WorkspaceLock {
    /// Takes the exclusive lock of the workspace at `root`, waiting up to
    /// [`timeout`].
    pub fn exclusive(root: &Path) -> Result<WorkspaceLock, LockError> {
        Self::acquire(root, Mode::Exclusive, timeout())
    }

    /// Takes the lock in `mode`, waiting up to `wait`.
    pub fn acquire(root: &Path, mode: Mode, wait: Duration) -> Result<WorkspaceLock, LockError> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(2);
        let mut target = Target::Folder;
        loop {
            let (file, path) = match target {
                Target::Folder => (open_folder(root)?, root.to_path_buf()),
                Target::File => {
                    let path = root.join(LOCK_FILE);
                    (open(&path, true)?, path)
                }
            };
            match try_lock(&file, mode) {
                Ok(true) if same_file(&file, &path) => {
                    return Ok(WorkspaceLock {
                        _file: file,
                        root: root.to_path_buf(),
                        mode,
                    });
                }
                // Locked, but the folder or file was replaced meanwhile:
                // lock the one that is there now.
                Ok(true) => continue,
                Ok(false) => {}
                Err(_) if matches!(target, Target::Folder) => {
                    target = Target::File;
                    continue;
                }
                Err(source) => return Err(LockError::Io { path, source }),
            }
            let waited = started.elapsed();
            if waited >= wait {
                return Err(LockError::Busy {
                    root: root.to_path_buf(),
                    waited,
                });
            }
            std::thread::sleep(pause.min(wait - waited));
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Takes the exclusive lock if it is free right now; `None` when
    /// someone holds it.
    pub fn try_exclusive(root: &Path) -> Option<WorkspaceLock> {
        Self::acquire(root, Mode::Exclusive, Duration::ZERO).ok()
    }

    /// The shared lock for reading, waiting up to [`timeout`] for a writer
    /// to finish. `None` when the workspace cannot be locked at all (a
    /// read-only copy on a filesystem without folder locks): it is read
    /// without the lock then.
    pub fn for_reading(root: &Path) -> Result<Option<WorkspaceLock>, LockError> {
        match Self::acquire(root, Mode::Shared, timeout()) {
            Ok(l) => Ok(Some(l)),
            Err(LockError::Busy { root, waited }) => Err(LockError::Busy { root, waited }),
            Err(_) => Ok(None),
        }
    }

    /// The workspace folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether this is the exclusive (writer's) lock.
    pub fn is_exclusive(&self) -> bool {
        self.mode == Mode::Exclusive
    }
}

/// Opens the workspace folder to lock it.
fn open_folder(root: &Path) -> Result<File, LockError> {
    let io = |source| LockError::Io {
        path: root.to_path_buf(),
        source,
    };
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        let fd = rustix::fs::open(
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| io(e.into()))?;
        Ok(File::from(fd))
    }
    #[cfg(not(unix))]
    {
        File::open(root).map_err(io)
    }
}

/// Opens (with `create`: creates, `0600`) the lock file, never through a
/// symbolic link, never blocking on a FIFO; it must be a regular file.
fn open(path: &Path, create: bool) -> Result<File, LockError> {
    let io = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    #[cfg(unix)]
    let file = {
        use rustix::fs::{Mode, OFlags};
        let base = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
        let create_flag = if create {
            OFlags::CREATE
        } else {
            OFlags::empty()
        };
        let mode = Mode::from_raw_mode(0o600);
        // Read-write where allowed (some network filesystems need it for
        // an exclusive lock), read-only otherwise.
        let fd = match rustix::fs::open(path, base | OFlags::RDWR | create_flag, mode) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::ACCESS | rustix::io::Errno::ROFS | rustix::io::Errno::PERM) => {
                rustix::fs::open(path, base | OFlags::RDONLY, mode).map_err(|e| io(e.into()))?
            }
            Err(rustix::io::Errno::LOOP) => {
                return Err(LockError::NotAFile {
                    path: path.to_path_buf(),
                    what: "a symbolic link",
                });
            }
            Err(e) => return Err(io(e.into())),
        };
        File::from(fd)
    };
    #[cfg(not(unix))]
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(LockError::NotAFile {
            path: path.to_path_buf(),
            what: super::read::describe(meta.file_type()),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o777 != 0o600 {
            // The umask may have taken bits away; nothing else may add them.
            let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
        }
    }
    Ok(file)
}

/// One attempt at the lock: `Ok(false)` when someone else holds it.
fn try_lock(file: &File, mode: Mode) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use rustix::fs::FlockOperation;
        let op = match mode {
            Mode::Shared => FlockOperation::NonBlockingLockShared,
            Mode::Exclusive => FlockOperation::NonBlockingLockExclusive,
        };
        match rustix::fs::flock(file, op) {
            Ok(()) => Ok(true),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
            Err(rustix::io::Errno::INTR) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, mode);
        Ok(true)
    }
}

/// Whether `path` still names the file (or folder) that is open.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn one_writer_at_a_time_and_readers_wait_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let held = WorkspaceLock::exclusive(root).unwrap();
        assert!(held.is_exclusive());
        assert_eq!(
            std::fs::read_dir(root).unwrap().count(),
            0,
            "the folder itself is locked: nothing is created in it"
        );
        let short = Duration::from_millis(30);
        let e = WorkspaceLock::acquire(root, Mode::Exclusive, short).unwrap_err();
        assert!(e.to_string().contains("another valuemap is saving"), "{e}");
        assert!(matches!(
            WorkspaceLock::acquire(root, Mode::Shared, short),
            Err(LockError::Busy { .. })
        ));
        assert!(WorkspaceLock::try_exclusive(root).is_none());
        drop(held);
        let r1 = WorkspaceLock::for_reading(root).unwrap().unwrap();
        let r2 = WorkspaceLock::acquire(root, Mode::Shared, short).unwrap();
        assert!(!r1.is_exclusive());
        assert!(WorkspaceLock::acquire(root, Mode::Exclusive, short).is_err());
        drop((r1, r2));
        assert!(WorkspaceLock::try_exclusive(root).is_some());
    }

    #[test]
    fn the_lock_is_released_when_its_holder_dies() {
        let dir = tempfile::tempdir().unwrap();
        // flock(1) holds the folder's lock in another process, which is
        // then killed (-o: the command it runs does not hold the lock).
        let Ok(mut child) = std::process::Command::new("flock")
            .arg("-o")
            .arg(dir.path())
            .args(["sleep", "5"])
            .spawn()
        else {
            eprintln!("skipped: no flock(1) here");
            return;
        };
        let until = Instant::now() + Duration::from_secs(10);
        while WorkspaceLock::try_exclusive(dir.path()).is_some() {
            assert!(Instant::now() < until, "flock(1) never took the lock");
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            WorkspaceLock::acquire(dir.path(), Mode::Exclusive, Duration::from_secs(10)).is_ok()
        );
    }

    #[test]
    fn the_fallback_lock_file_is_private_and_never_a_link_or_a_fifo() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir(&root).unwrap();
        let path = root.join(LOCK_FILE);
        drop(open(&path, true).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);

        std::fs::remove_file(&path).unwrap();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let e = open(&path, true).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(!target.exists(), "nothing is created through the link");

        std::fs::remove_file(&path).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        let e = open(&path, true).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
    }
}
