//! One long-lived `git cat-file --batch`: every tree and blob of a walk
//! through history is read through the same process, one request at a
//! time (a request is written only after the previous answer was read, so
//! neither pipe can fill up).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// An object read from git.
pub struct Object {
    /// Its full id (hex).
    pub oid: String,
    /// `blob`, `tree`, `commit` or `tag`.
    pub kind: String,
    pub bytes: Vec<u8>,
}

pub struct Cat {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Cat {
    pub fn start(top: &Path) -> Result<Cat, String> {
        let mut child = Command::new("git")
            .current_dir(top)
            .args(["cat-file", "--batch"])
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(super::spawn_error)?;
        let stdin = child.stdin.take().ok_or("git cat-file: no input pipe")?;
        let stdout = child.stdout.take().ok_or("git cat-file: no output pipe")?;
        Ok(Cat {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The object named by `expr` (an id, or `REV:path`); `None` when there
    /// is no such object.
    pub fn get(&mut self, expr: &str) -> Result<Option<Object>, String> {
        if expr.contains('\n') {
            return Ok(None);
        }
        let broken = |e: std::io::Error| format!("reading from git cat-file: {e}");
        writeln!(self.stdin, "{expr}").map_err(broken)?;
        self.stdin.flush().map_err(broken)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(broken)?;
        let header = header.trim_end_matches('\n');
        if header.is_empty() {
            return Err("git cat-file stopped answering".into());
        }
        let mut parts = header.split(' ');
        let (Some(oid), Some(kind), Some(size), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            // "<expr> missing", "<expr> ambiguous", ...
            return Ok(None);
        };
        let size: usize = size
            .parse()
            .map_err(|_| format!("git cat-file answered {header:?}"))?;
        let mut bytes = vec![0; size];
        self.stdout.read_exact(&mut bytes).map_err(broken)?;
        let mut nl = [0u8; 1];
        self.stdout.read_exact(&mut nl).map_err(broken)?;
        Ok(Some(Object {
            oid: oid.to_string(),
            kind: kind.to_string(),
            bytes,
        }))
    }
}

impl Drop for Cat {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One entry of a tree object.
pub struct TreeEntry {
    pub mode: String,
    pub name: String,
    pub oid: String,
}

impl TreeEntry {
    pub fn is_tree(&self) -> bool {
        self.mode == "40000"
    }

    /// A plain file (not a link, not a submodule).
    pub fn is_file(&self) -> bool {
        self.mode == "100644" || self.mode == "100755"
    }
}

/// Reads a tree object: `MODE NAME\0` and the raw id, again and again.
/// `id_len` is the length of the repository's ids in bytes (20 for SHA-1,
/// 32 for SHA-256).
pub fn parse_tree(bytes: &[u8], id_len: usize) -> Vec<TreeEntry> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(nul) = rest.iter().position(|b| *b == 0) {
        let head = String::from_utf8_lossy(&rest[..nul]);
        let Some((mode, name)) = head.split_once(' ') else {
            break;
        };
        let Some(raw) = rest.get(nul + 1..nul + 1 + id_len) else {
            break;
        };
        out.push(TreeEntry {
            mode: mode.to_string(),
            name: name.to_string(),
            oid: raw.iter().map(|b| format!("{b:02x}")).collect(),
        });
        rest = &rest[nul + 1 + id_len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_parse() {
        let mut t = Vec::new();
        t.extend_from_slice(b"100644 workspace.ron\0");
        t.extend_from_slice(&[0xab; 20]);
        t.extend_from_slice(b"40000 notes\0");
        t.extend_from_slice(&[0x01; 20]);
        let e = parse_tree(&t, 20);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].name, "workspace.ron");
        assert!(e[0].is_file());
        assert_eq!(e[0].oid, "ab".repeat(20));
        assert!(e[1].is_tree());
        // A cut tree stops, never panics.
        assert_eq!(parse_tree(&t[..50], 20).len(), 1);
    }
}
