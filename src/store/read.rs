//! Reading files that may be hostile.
//!
//! A workspace folder comes from git, from colleagues, from a download: any
//! of its entries may be something other than a file. Reading a named pipe
//! (FIFO) blocks forever, reading `/dev/zero` or `/dev/urandom` never ends
//! and exhausts memory, a symbolic link can lead anywhere on the machine.
//! Everything valuemap reads goes through [`read_regular_file`] (a path the
//! user named: an import source, a file git hands over) or
//! [`read_workspace_file`] (a file inside a workspace folder):
//!
//! - the entry is looked at before it is opened, and opened without
//!   blocking (`O_NONBLOCK`), so a FIFO or a device is refused at once and
//!   never read (opening some devices has effects of its own);
//! - after opening, `fstat` must say it is a regular file (the entry could
//!   have been swapped in between); reading the many files of a load, it
//!   is asked only when the read does not go plainly (see
//!   [`read_listed_file_at`]): an entry swapped since its listing is then
//!   caught all the same;
//! - at most `max_len` bytes are read, whatever the file claims its size is
//!   (files in `/proc` say 0), and a longer file is refused;
//! - inside a workspace, a symbolic link is followed only when where it
//!   leads is inside the workspace folder too.

use std::fs::{self, File};
use std::io::{self, Seek};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The largest file valuemap reads from a workspace: 64 MiB. A workspace
/// file is text that people wrote; the largest real ones are far below
/// this (a 5 MB interview note is fine), and a file above it is refused
/// with its size rather than read into memory.
pub const MAX_FILE_LEN: u64 = 64 * 1024 * 1024;

/// The largest file valuemap reads as an import source or from git:
/// 512 MiB (a JSON export of a large workspace holds every note at once).
pub const MAX_SOURCE_LEN: u64 = 512 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// A FIFO, a device, a socket, a folder: never a file valuemap reads.
    #[error("{} is {what}, not a regular file; not read", .path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    /// Larger than the bound.
    #[error(
        "{} is {}, more than the {} valuemap reads from one file; not read",
        .path.display(), size(*.len), size(*.max)
    )]
    TooLarge { path: PathBuf, len: u64, max: u64 },
    /// A symbolic link inside a workspace that leads out of it, or nowhere.
    #[error("{} is a symbolic link {how}; not followed", .path.display())]
    Link { path: PathBuf, how: String },
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl ReadError {
    /// Whether the file simply is not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::NotAFile { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Link { path, .. }
            | ReadError::Io { path, .. } => path,
        }
    }
}

/// A size as people read it: `64 MiB`, `1.5 GiB`, `812 bytes`.
fn size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s} {}", UNITS[unit])
}

/// What a file type is, in words, for messages.
pub fn describe(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "something other than a file"
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ReadError + '_ {
    move |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Opens `path` for reading without blocking and without following a
/// symbolic link in its last component; it must be a regular file. Returns
/// the file and what `fstat` says of it.
fn open_regular(path: &Path, follow: bool) -> Result<(File, fs::Metadata), ReadError> {
    #[cfg(unix)]
    let file = {
        use rustix::fs::Mode;
        let mut flags = reading_flags();
        if follow {
            flags -= rustix::fs::OFlags::NOFOLLOW;
        }
        match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => File::from(fd),
            Err(e) => return Err(open_error(path, e)),
        }
    };
    #[cfg(not(unix))]
    let file = {
        let _ = follow;
        File::open(path).map_err(io_err(path))?
    };
    regular(path, file)
}

/// How a file is opened for reading: without blocking (a FIFO), without
/// following a link in its last component, without becoming the
/// process's terminal.
#[cfg(unix)]
fn reading_flags() -> rustix::fs::OFlags {
    use rustix::fs::OFlags;
    OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NOFOLLOW
}

#[cfg(unix)]
fn open_error(path: &Path, e: rustix::io::Errno) -> ReadError {
    match e {
        rustix::io::Errno::LOOP => ReadError::NotAFile {
            path: path.to_path_buf(),
            what: "a symbolic link",
        },
        e => io_err(path)(e.into()),
    }
}

/// `file` with what `fstat` says of it, when it is a regular file.
fn regular(path: &Path, file: File) -> Result<(File, fs::Metadata), ReadError> {
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            what: describe(meta.file_type()),
        });
    }
    Ok((file, meta))
}

/// Reads at most `max_len` bytes of an open regular file; more is an error.
fn read_bounded(
    path: &Path,
    file: (File, fs::Metadata),
    max_len: u64,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_bounded_into(path, file, max_len, &mut bytes)?;
    Ok(bytes)
}

/// [`read_bounded`] into `bytes` (emptied first), whose memory is used
/// again.
///
/// A file read in one go takes one `read`: each asks for a byte more than
/// `fstat` said the file holds, and a read that stops short at exactly
/// that size is the end of a regular file. The usual last `read`, which
/// returns nothing, is only needed when the size did not hold (a file in
/// `/proc`, a file growing meanwhile): at 100,000 files it is 100,000
/// system calls.
fn read_bounded_into(
    path: &Path,
    (file, meta): (File, fs::Metadata),
    max_len: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), ReadError> {
    bytes.clear();
    let claimed = meta.len();
    if claimed > max_len {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            len: claimed,
            max: max_len,
        });
    }
    // Never more than a byte past the bound: that byte says "too large".
    let limit = usize::try_from(max_len.saturating_add(1)).unwrap_or(usize::MAX);
    let claimed = usize::try_from(claimed).unwrap_or(usize::MAX);
    bytes.reserve(claimed.saturating_add(1).min(limit));
    loop {
        if bytes.len() >= limit {
            break;
        }
        if bytes.len() == bytes.capacity() {
            bytes.reserve(bytes.len().max(4096));
        }
        // A read may go past the bound by the buffer's spare room, never
        // further: then the file is refused.
        let asked = bytes.capacity() - bytes.len();
        let n = match read_some(&file, bytes) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                bytes.clear();
                return Err(io_err(path)(e));
            }
        };
        if n == 0 || (bytes.len() == claimed && n < asked) {
            break;
        }
    }
    let filled = bytes.len();
    if filled as u64 > max_len {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            len: filled as u64,
            max: max_len,
        });
    }
    Ok(())
}

/// One `read` into the spare room of `bytes` (which must have some),
/// appended to it: how many bytes came.
#[cfg(unix)]
fn read_some(file: &File, bytes: &mut Vec<u8>) -> io::Result<usize> {
    rustix::io::read(file, rustix::buffer::spare_capacity(bytes)).map_err(io::Error::from)
}

#[cfg(not(unix))]
fn read_some(mut file: &File, bytes: &mut Vec<u8>) -> io::Result<usize> {
    use std::io::Read;
    let at = bytes.len();
    bytes.resize(bytes.capacity(), 0);
    let r = file.read(&mut bytes[at..]);
    bytes.truncate(at + *r.as_ref().unwrap_or(&0));
    r
}

/// Reads a file the user named (an import source, a file git hands to a
/// driver): symbolic links are followed, but what they lead to must be a
/// regular file of at most `max_len` bytes. A FIFO, a device, a socket or a
/// folder is refused without blocking.
pub fn read_regular_file(path: &Path, max_len: u64) -> Result<Vec<u8>, ReadError> {
    // Look before opening: opening some devices has effects of its own.
    let meta = fs::metadata(path).map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            what: describe(meta.file_type()),
        });
    }
    let file = open_regular(path, true)?;
    read_bounded(path, file, max_len)
}

/// Like [`read_regular_file`], as text: invalid UTF-8 is an error naming
/// the file.
pub fn read_regular_text(path: &Path, max_len: u64) -> Result<String, ReadError> {
    let bytes = read_regular_file(path, max_len)?;
    String::from_utf8(bytes).map_err(|_| ReadError::Io {
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8 text"),
    })
}

/// Where a workspace entry leads: itself when it is not a symbolic link,
/// else the place the link resolves to, which must lie inside `root`.
pub fn resolve_in_workspace(root: &Path, path: &Path) -> Result<PathBuf, ReadError> {
    let meta = fs::symlink_metadata(path).map_err(io_err(path))?;
    resolve_with(root, path, &meta)
}

/// [`resolve_in_workspace`], with what `lstat` said of `path`.
fn resolve_with(root: &Path, path: &Path, meta: &fs::Metadata) -> Result<PathBuf, ReadError> {
    if !meta.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    let link = fs::read_link(path)
        .map(|t| crate::text::sanitize(&t.to_string_lossy()))
        .unwrap_or_default();
    let target = fs::canonicalize(path).map_err(|_| ReadError::Link {
        path: path.to_path_buf(),
        how: format!("to {link}, which does not exist"),
    })?;
    let inside = fs::canonicalize(root).is_ok_and(|r| target.starts_with(r));
    if !inside {
        return Err(ReadError::Link {
            path: path.to_path_buf(),
            how: format!("to {link}, outside the workspace"),
        });
    }
    Ok(target)
}

/// Reads a file inside the workspace folder `root`: a regular file of at
/// most `max_len` bytes, or a symbolic link to one inside the workspace.
pub fn read_workspace_file(root: &Path, path: &Path, max_len: u64) -> Result<Vec<u8>, ReadError> {
    // Look before opening, as above.
    let mut meta = fs::symlink_metadata(path).map_err(io_err(path))?;
    let target = resolve_with(root, path, &meta)?;
    if target != path {
        meta = fs::symlink_metadata(&target).map_err(io_err(path))?;
    }
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            what: describe(meta.file_type()),
        });
    }
    let file = open_regular(&target, false).map_err(|e| match e {
        ReadError::NotAFile { what, .. } => ReadError::NotAFile {
            path: path.to_path_buf(),
            what,
        },
        other => other,
    })?;
    read_bounded(path, file, max_len)
}

/// Reads a file that the listing of its workspace folder found to be a
/// regular file (not a link): opened without following a link and without
/// blocking, and refused unless `fstat` says it is a regular file of at
/// most `max_len` bytes. The listing's word saves the look before opening
/// that [`read_workspace_file`] takes; an entry swapped since is caught as
/// it would be there (a link is not followed, a FIFO does not block, and
/// nothing but a regular file is read).
///
/// The bytes go into `bytes` (emptied first): reading many files, one
/// buffer serves them all.
pub fn read_listed_file(path: &Path, max_len: u64, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    let file = open_regular(path, false)?;
    read_bounded_into(path, file, max_len, bytes)
}

/// [`read_listed_file`] for a file named `name` in the folder open as
/// `dir` (`path` names it in errors): opened relative to the folder, so
/// the kernel looks up one name, not every folder on the way to it.
///
/// This reads the many files of a load, so it asks the kernel as little
/// as it can: the file is opened (without following a link, without
/// blocking) and read into the buffer's room, and a `read` that stops short
/// of that room is the file's end, as it is for a regular file. Only when
/// something else happens (nothing came, an error, more than the bound)
/// is the file looked at as [`read_listed_file`] looks: `fstat` must say
/// it is a regular file, and it is read again from its start. A short read
/// that was not the end (possible on some network file systems) gives a
/// file cut short, which does not parse: the loader reads a file that
/// does not parse again with [`read_listed_file`] before it says so.
#[cfg(unix)]
pub fn read_listed_file_at(
    dir: &std::os::fd::OwnedFd,
    name: &str,
    path: &Path,
    max_len: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), ReadError> {
    let file = match rustix::fs::openat(dir, name, reading_flags(), rustix::fs::Mode::empty()) {
        Ok(fd) => File::from(fd),
        Err(e) => return Err(open_error(path, e)),
    };
    if read_quickly(&file, max_len, bytes) {
        return Ok(());
    }
    let file = regular(path, file)?;
    (&file.0)
        .seek(io::SeekFrom::Start(0))
        .map_err(io_err(path))?;
    read_bounded_into(path, file, max_len, bytes)
}

/// Room for a whole workspace file in one read, most of the time.
#[cfg(unix)]
const QUICK_ROOM: usize = 64 * 1024;

/// Reads `file` to its end into `bytes` (emptied first), a short read
/// taken for the end: whether that went plainly (something came, no
/// error, no more than `max_len` bytes).
#[cfg(unix)]
fn read_quickly(file: &File, max_len: u64, bytes: &mut Vec<u8>) -> bool {
    bytes.clear();
    bytes.reserve(QUICK_ROOM);
    loop {
        let room = bytes.capacity() - bytes.len();
        match read_some(file, bytes) {
            Ok(0) => return !bytes.is_empty(),
            Ok(n) if n < room => return bytes.len() as u64 <= max_len,
            Ok(_) if bytes.len() as u64 > max_len => return false,
            Ok(_) => bytes.reserve(bytes.len()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Opens the workspace folder `path` to read the files in it with
/// [`read_listed_file_at`]. A link to a folder is followed, as it is when
/// the folder is listed and when a file in it is opened by its full path.
#[cfg(unix)]
pub fn open_listed_folder(path: &Path) -> Result<std::os::fd::OwnedFd, ReadError> {
    use rustix::fs::OFlags;
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    rustix::fs::open(path, flags, rustix::fs::Mode::empty()).map_err(|e| open_error(path, e))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        fs::write(&p, b"hello").unwrap();
        assert_eq!(read_regular_file(&p, 5).unwrap(), b"hello");
        let e = read_regular_file(&p, 4).unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge { len: 5, max: 4, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("5 bytes"), "{e}");
        assert!(
            read_regular_file(&dir.path().join("nope"), 5)
                .unwrap_err()
                .is_not_found()
        );
    }

    /// Every size reads back whole, in one buffer used again, by both
    /// readers: around the sizes where a buffer grows, around the room of
    /// the quick read, at the bound, and an empty file.
    #[test]
    fn files_of_every_size_read_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let folder = open_listed_folder(dir.path()).unwrap();
        let mut buf = Vec::new();
        let sizes = [0, 1, 2, 4095, 4096, 4097, 8193, 65_535, 65_536, 65_537];
        for len in sizes.into_iter().chain([131_072, 300_001]) {
            let text: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            fs::write(&p, &text).unwrap();
            read_listed_file(&p, len as u64, &mut buf).unwrap();
            assert!(buf == text, "{len} bytes read back as {}", buf.len());
            read_listed_file_at(&folder, "f", &p, len as u64, &mut buf).unwrap();
            assert!(
                buf == text,
                "{len} bytes read back as {} in one go",
                buf.len()
            );
            if len > 0 {
                let e = read_listed_file(&p, len as u64 - 1, &mut buf).unwrap_err();
                assert!(
                    matches!(e, ReadError::TooLarge { len: l, .. } if l == len as u64),
                    "{len}: {e:?}"
                );
                let e = read_listed_file_at(&folder, "f", &p, len as u64 - 1, &mut buf);
                assert!(
                    matches!(e, Err(ReadError::TooLarge { len: l, .. }) if l == len as u64),
                    "{len}: {e:?}"
                );
            }
        }
        // Its size says 0: it is read to its end all the same.
        let status = Path::new("/proc/self/status");
        if status.exists() {
            let bytes = read_regular_file(status, MAX_FILE_LEN).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.len() > 4096 || text.ends_with('\n'), "{text}");
            assert!(text.contains("\nPid:") && text.contains("VmRSS"), "{text}");
        }
    }

    #[test]
    fn a_fifo_a_device_and_a_folder_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo_path = dir.path().join("pipe");
        fifo(&fifo_path);
        for (p, what) in [
            (fifo_path.as_path(), "FIFO"),
            (Path::new("/dev/zero"), "character device"),
            (dir.path(), "folder"),
        ] {
            let e = read_regular_file(p, MAX_FILE_LEN).unwrap_err();
            assert!(e.to_string().contains(what), "{p:?}: {e}");
        }
        // A proc file claims to be empty; the bound still holds.
        if Path::new("/proc/self/status").exists() {
            let e = read_regular_file(Path::new("/proc/self/status"), 10).unwrap_err();
            assert!(matches!(e, ReadError::TooLarge { .. }), "{e:?}");
        }
    }

    #[test]
    fn links_inside_a_workspace_are_followed_only_within_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        fs::create_dir(&root).unwrap();
        fs::write(root.join("real.ron"), b"x").unwrap();
        fs::write(dir.path().join("outside"), b"secret").unwrap();
        std::os::unix::fs::symlink("real.ron", root.join("in.ron")).unwrap();
        std::os::unix::fs::symlink("../outside", root.join("out.ron")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.ron")).unwrap();
        std::os::unix::fs::symlink("nowhere", root.join("dangling.ron")).unwrap();
        assert_eq!(
            read_workspace_file(&root, &root.join("in.ron"), 10).unwrap(),
            b"x"
        );
        for name in ["out.ron", "zero.ron"] {
            let e = read_workspace_file(&root, &root.join(name), 10).unwrap_err();
            assert!(e.to_string().contains("outside the workspace"), "{e}");
        }
        let e = read_workspace_file(&root, &root.join("dangling.ron"), 10).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        // The user's own choice of file may be a link anywhere.
        assert_eq!(
            read_regular_file(&root.join("out.ron"), 10).unwrap(),
            b"secret"
        );
    }

    /// Makes a FIFO at `path`.
    fn fifo(path: &Path) {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
    }

    /// A listed file `n.ron` in `dir`, read with `read`, then swapped for a
    /// link and for a FIFO after the listing: those are refused, without
    /// following or blocking, and the buffer is reused.
    fn swapped_files_are_refused(
        dir: &Path,
        read: impl Fn(&Path, &mut Vec<u8>) -> Result<(), ReadError>,
    ) {
        let file = dir.join("n.ron");
        fs::write(&file, b"(id: \"n\")").unwrap();
        let mut buf = b"left over from the last file".to_vec();
        read(&file, &mut buf).unwrap();
        assert_eq!(buf, b"(id: \"n\")");
        fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", &file).unwrap();
        let e = read(&file, &mut buf).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(e.to_string().contains("n.ron"), "names the file: {e}");
        fs::remove_file(&file).unwrap();
        fifo(&file);
        let e = read(&file, &mut buf).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        fs::remove_file(&file).unwrap();
    }

    #[test]
    fn a_listed_file_swapped_since_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        swapped_files_are_refused(dir.path(), |p, buf| read_listed_file(p, MAX_FILE_LEN, buf));
    }

    /// Read relative to its folder, a listed file gets the same checks.
    #[test]
    fn a_listed_file_read_in_its_folder_is_checked_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let folder = open_listed_folder(dir.path()).unwrap();
        swapped_files_are_refused(dir.path(), |p, buf| {
            let name = p.file_name().unwrap().to_str().unwrap();
            read_listed_file_at(&folder, name, p, MAX_FILE_LEN, buf)
        });
        let file = dir.path().join("n.ron");
        fs::write(&file, b"(id: \"n\")").unwrap();
        let mut buf = Vec::new();
        let e = read_listed_file_at(&folder, "n.ron", &file, 3, &mut buf).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        // A folder that is a link to a folder is read through, as listed.
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        fs::write(real.join("m.ron"), b"()").unwrap();
        let linked = dir.path().join("notes");
        std::os::unix::fs::symlink(&real, &linked).unwrap();
        let folder = open_listed_folder(&linked).unwrap();
        read_listed_file_at(&folder, "m.ron", &linked.join("m.ron"), 9, &mut buf).unwrap();
        assert_eq!(buf, b"()");
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size(812), "812 bytes");
        assert_eq!(size(64 * 1024 * 1024), "64 MiB");
        assert_eq!(size(1536 * 1024 * 1024), "1.5 GiB");
    }
}
