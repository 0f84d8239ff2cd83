//! Watching the workspace folder for changes made elsewhere (a pull, an
//! editor, `valuemap note add` in another terminal).
//!
//! Folders are watched, not files: editors and git replace files by
//! renaming. Changed paths go to a channel, a batch at a time, for the
//! event loop to read in.
//!
//! On Linux the watcher is inotify itself, asked for changes only (a file
//! created, written, removed, moved, its attributes changed). notify 8
//! asks inotify for every opening of a file as well; then a load, which
//! opens every file of the workspace, floods the watcher's thread with
//! events about its own reading: a third of the time of opening 100,000
//! notes in the terminal went there. Elsewhere, notify watches.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// Paths that changed, a batch at a time.
pub type Changes = Sender<Vec<PathBuf>>;

/// A watcher of some folders (each on its own, not what is under them).
pub struct FolderWatcher {
    inner: imp::Inner,
}

impl FolderWatcher {
    /// Watches `root` and the folders in `folders` that exist; `None` when
    /// the system will not watch.
    pub fn new(root: &Path, folders: &[PathBuf], tx: Changes) -> Option<FolderWatcher> {
        let mut inner = imp::Inner::new(tx)?;
        inner.watch(root).ok()?;
        for f in folders {
            if f.is_dir() {
                // A folder that cannot be watched is only read on a save.
                let _ = inner.watch(f);
            }
        }
        Some(FolderWatcher { inner })
    }

    /// Watches one more folder (one created since).
    pub fn watch(&mut self, folder: &Path) -> std::io::Result<()> {
        self.inner.watch(folder)
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};

    use inotify::{EventMask, Inotify, WatchDescriptor, WatchMask, Watches};

    use super::Changes;

    /// Which folder each watch is on, shared with the reading thread.
    type Folders = Arc<Mutex<HashMap<WatchDescriptor, PathBuf>>>;

    pub struct Inner {
        watches: Watches,
        folders: Folders,
    }

    /// Changes only: no opening, reading or closing without writing.
    fn mask() -> WatchMask {
        WatchMask::ATTRIB
            | WatchMask::CREATE
            | WatchMask::DELETE
            | WatchMask::CLOSE_WRITE
            | WatchMask::MODIFY
            | WatchMask::MOVED_FROM
            | WatchMask::MOVED_TO
            | WatchMask::DELETE_SELF
            | WatchMask::MOVE_SELF
    }

    impl Inner {
        pub fn new(tx: Changes) -> Option<Inner> {
            let mut inotify = Inotify::init().ok()?;
            let watches = inotify.watches();
            let folders: Folders = Arc::default();
            let seen = Arc::clone(&folders);
            std::thread::Builder::new()
                .name("valuemap-watch".into())
                .spawn(move || {
                    let mut buf = vec![0u8; 64 * 1024];
                    // Ends when the events cannot be read, or when nobody
                    // listens any more (the next event after that).
                    while let Ok(events) = inotify.read_events_blocking(&mut buf) {
                        let mut paths = Vec::new();
                        {
                            let folders = seen.lock().unwrap_or_else(|e| e.into_inner());
                            for ev in events {
                                if ev.mask.contains(EventMask::Q_OVERFLOW) {
                                    continue;
                                }
                                let Some(folder) = folders.get(&ev.wd) else {
                                    continue;
                                };
                                paths.push(match ev.name {
                                    Some(name) => folder.join(name),
                                    None => folder.clone(),
                                });
                            }
                        }
                        if !paths.is_empty() && tx.send(paths).is_err() {
                            break;
                        }
                    }
                })
                .ok()?;
            Some(Inner { watches, folders })
        }

        pub fn watch(&mut self, folder: &Path) -> std::io::Result<()> {
            let wd = self.watches.add(folder, mask())?;
            self.folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(wd, folder.to_path_buf());
            Ok(())
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::path::Path;

    use notify::Watcher;

    use super::Changes;

    pub struct Inner(notify::RecommendedWatcher);

    impl Inner {
        pub fn new(tx: Changes) -> Option<Inner> {
            let w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                if let Ok(ev) = res
                    && !matches!(ev.kind, notify::EventKind::Access(_))
                {
                    let _ = tx.send(ev.paths);
                }
            })
            .ok()?;
            Some(Inner(w))
        }

        pub fn watch(&mut self, folder: &Path) -> std::io::Result<()> {
            self.0
                .watch(folder, notify::RecursiveMode::NonRecursive)
                .map_err(std::io::Error::other)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Everything the watcher said within `wait`, after the last change.
    fn said(rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>, wait: Duration) -> Vec<PathBuf> {
        let mut out = Vec::new();
        while let Ok(paths) = rx.recv_timeout(wait) {
            out.extend(paths);
        }
        out
    }

    /// Writing, creating by renaming, and removing are seen, in the root
    /// and in a watched folder, and in a folder watched later; reading a
    /// file is not a change.
    #[test]
    fn changes_are_seen_and_reading_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let notes = root.join("notes");
        std::fs::create_dir(&notes).unwrap();
        std::fs::write(notes.join("a.ron"), "()").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut w = FolderWatcher::new(&root, &[notes.clone(), root.join("absent")], tx)
            .expect("the folder can be watched");
        let short = Duration::from_millis(300);

        for _ in 0..20 {
            let _ = std::fs::read(notes.join("a.ron")).unwrap();
        }
        let _ = std::fs::read_dir(&notes).unwrap().count();
        assert_eq!(
            said(&rx, short),
            Vec::<PathBuf>::new(),
            "reading is not a change"
        );

        std::fs::write(notes.join("a.ron"), "(x)").unwrap();
        assert!(said(&rx, short).contains(&notes.join("a.ron")));

        std::fs::write(root.join("tmp"), "()").unwrap();
        std::fs::rename(root.join("tmp"), notes.join("b.ron")).unwrap();
        let seen = said(&rx, short);
        assert!(seen.contains(&notes.join("b.ron")), "{seen:?}");
        assert!(seen.contains(&root.join("tmp")), "{seen:?}");

        std::fs::remove_file(notes.join("a.ron")).unwrap();
        assert!(said(&rx, short).contains(&notes.join("a.ron")));

        std::fs::write(root.join("workspace.ron"), "()").unwrap();
        assert!(said(&rx, short).contains(&root.join("workspace.ron")));

        let later = root.join("solutions");
        std::fs::create_dir(&later).unwrap();
        assert!(said(&rx, short).contains(&later), "a new folder is seen");
        w.watch(&later).unwrap();
        std::fs::write(later.join("s.ron"), "()").unwrap();
        assert!(said(&rx, short).contains(&later.join("s.ron")));
    }
}
