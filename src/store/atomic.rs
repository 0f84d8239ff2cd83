//! Atomic, private file writes.
//!
//! A file is written to a temporary file in the same folder (created `0600`),
//! flushed to disk, renamed over the target, and the folder is flushed so the
//! rename itself is durable. A crash at any moment leaves the old file or the
//! new one, never a mix.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Name prefix of temporary files, so leftovers from a crash can be found.
pub const TEMP_PREFIX: &str = ".valuemap-";
/// Name suffix of temporary files.
pub const TEMP_SUFFIX: &str = ".tmp";

#[cfg(unix)]
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Creates a private folder (`0700`, whatever the umask), or makes an existing
/// one private.
pub fn ensure_private_dir(path: &Path) -> io::Result<()> {
    match fs::create_dir(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
        Err(e) => return Err(e),
    }
    set_mode(path, 0o700)
}

/// Flushes a folder's entries (a rename in it) to disk.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Writes `bytes` to `path` atomically, with mode `0600`. The folder must exist.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    // The umask can only remove bits; make sure it is exactly 0600.
    set_mode(tmp.path(), 0o600)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Writes many files atomically with one flush to disk instead of one per
/// file: every file is written to a temporary file beside it, the whole
/// filesystem is flushed once (`syncfs`), then each temporary file is
/// renamed over its target in the order given, and the folders are flushed.
/// A failure before the renames changes nothing; each rename is atomic.
pub fn write_many(items: &[(&Path, &[u8])], progress: Option<&super::Progress>) -> io::Result<()> {
    let mut temps = Vec::with_capacity(items.len());
    let mut dirs: Vec<&Path> = Vec::new();
    for (path, bytes) in items {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o600));
        }
        let mut tmp = builder.tempfile_in(dir)?;
        set_mode(tmp.path(), 0o600)?;
        tmp.write_all(bytes)?;
        // Close it (a save may write more files than may be open at once);
        // the path stays, and is removed if anything below fails.
        temps.push((tmp.into_temp_path(), *path));
        if let Some(p) = progress {
            p.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
    flush_all(&dirs, &temps)?;
    for (tmp, path) in temps {
        tmp.persist(path).map_err(|e| e.error)?;
    }
    for d in dirs {
        sync_dir(d)?;
    }
    Ok(())
}

/// Puts the written temporary files on disk: one `syncfs` on Linux, else
/// one flush per file.
fn flush_all(dirs: &[&Path], temps: &[(tempfile::TempPath, &Path)]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = temps;
        for d in dirs {
            let f = fs::File::open(d)?;
            rustix::fs::syncfs(&f)?;
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dirs;
        for (t, _) in temps {
            fs::File::open(t)?.sync_all()?;
        }
        Ok(())
    }
}

/// Removes a file and flushes its folder.
pub fn remove_durably(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    if let Some(dir) = path.parent() {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Whether a file name is one of our temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_replace_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.ron");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        #[cfg(unix)]
        assert_eq!(mode(&p), 0o600);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| is_temp_name(&e.file_name().to_string_lossy()))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn private_dir_is_0700_even_if_it_existed_open() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ws");
        fs::create_dir(&p).unwrap();
        set_mode(&p, 0o755).unwrap();
        ensure_private_dir(&p).unwrap();
        assert_eq!(mode(&p), 0o700);
    }
}
