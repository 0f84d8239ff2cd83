//! `valuemap diff`: what changed between two versions of a workspace, in
//! discovery terms ([`crate::diff`]), and `valuemap diff --textconv FILE` for
//! a readable `git diff` of the RON files.
//!
//! A version is a git revision (read with git itself: `git ls-tree` and
//! `git cat-file --batch` into a private temporary folder, then
//! [`Store::open`]), the working tree, or a workspace folder.

use std::io::{self, IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use clap::{Args, ValueEnum};
use tempfile::TempDir;

use super::print_error;
use crate::diff::{self, render_md, render_text};
use crate::model::Workspace;
use crate::model::validate::FileKind;
use crate::store::{self, Store, format};

const GIT_HELP: &str = "\
Examples:
  valuemap diff                        the working tree against HEAD
  valuemap diff main                   the working tree against branch main
  valuemap diff HEAD~1 HEAD --path ws  the last commit, for a workspace in ./ws
  valuemap diff main HEAD -f md        Markdown for a pull-request description
  valuemap diff old-copy new-copy      two workspace folders

A readable `git diff` of the RON files: tell git how to convert them, in
.git/config (or with `git config diff.valuemap.textconv \"valuemap diff --textconv\"`):

  [diff \"valuemap\"]
      textconv = valuemap diff --textconv

and name the files in .gitattributes (next to workspace.ron, or with its path):

  *.ron diff=valuemap

(`valuemap git-setup` writes both.)

`git diff`, `git log -p` and `git show` then show one fact per line (\"status:
planned\", \"observation 2026-11-30: 99.97%\") instead of RON.

As a folder diff tool (`git difftool -d -t valuemap`):

  [difftool \"valuemap\"]
      cmd = valuemap diff --path ws \"$LOCAL\" \"$REMOTE\"

git difftool -d copies only the files that changed, so a side without its
workspace.ron cannot be read; `valuemap diff REV REV` always sees the whole
workspace.

Exit status: 0 when the comparison was printed (with or without
differences), 1 when a side cannot be read.";

#[derive(Debug, Args)]
#[command(after_long_help = GIT_HELP)]
pub struct DiffArgs {
    /// Before: a git revision (default HEAD), or a workspace folder
    #[arg(value_name = "A")]
    pub a: Option<String>,
    /// After: a git revision or a workspace folder (default: the working tree)
    #[arg(value_name = "B")]
    pub b: Option<String>,
    /// Where the workspace is, from the current folder (for revisions and the
    /// working tree; also looked for inside folders A and B)
    #[arg(long, value_name = "WS", default_value = ".")]
    pub path: PathBuf,
    /// How to print the differences
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Print a stable, readable rendering of one valuemap file
    /// (workspace.ron, opportunities.ron, metrics.ron or a note) for git's
    /// textconv, and nothing else
    #[arg(long, value_name = "FILE", conflicts_with_all = ["a", "b", "format"])]
    pub textconv: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text, coloured on a terminal unless NO_COLOR is set
    Text,
    /// Markdown for a pull-request description
    #[value(alias = "markdown")]
    Md,
}

/// Runs `valuemap diff`.
pub fn run(a: DiffArgs) -> ExitCode {
    let result = match &a.textconv {
        Some(file) => textconv(file),
        None => compare(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            print_error(msg);
            ExitCode::FAILURE
        }
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn emit(s: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("writing the diff: {e}")),
        _ => Ok(()),
    }
}

fn textconv(file: &Path) -> Result<(), String> {
    // git hands over a regular file; a FIFO or a device is refused, not read.
    let bytes = store::read::read_regular_file(file, store::read::MAX_FILE_LEN)
        .map_err(|e| e.to_string())?;
    let name = file.to_string_lossy();
    // render_file sanitises every line it prints.
    emit(&diff::render_file(&name, &bytes))
}

/// One side of the comparison.
#[derive(Debug)]
enum Side {
    /// A workspace folder, read as it is.
    Folder(PathBuf),
    /// A git revision.
    Rev(String),
    /// The workspace at --path in the working tree.
    WorkTree,
}

fn side(arg: Option<&str>, default: Side, ws_path: &Path) -> Result<Side, String> {
    let Some(arg) = arg else {
        return Ok(default);
    };
    let p = Path::new(arg);
    if !p.is_dir() {
        return Ok(Side::Rev(arg.to_string()));
    }
    // Whatever is there (a file, or a FIFO or a link in its place): opening
    // the folder says what is wrong with it.
    let there = |dir: &Path| dir.join(store::WORKSPACE_FILE).symlink_metadata().is_ok();
    if there(p) {
        return Ok(Side::Folder(p.to_path_buf()));
    }
    let inner = p.join(ws_path);
    if ws_path.is_relative() && there(&inner) {
        return Ok(Side::Folder(inner));
    }
    Err(format!(
        "{arg} is a folder without a workspace: no {} in it{}",
        store::WORKSPACE_FILE,
        if ws_path == Path::new(".") || ws_path.is_absolute() {
            String::new()
        } else {
            format!(" nor in {}", inner.display())
        }
    ))
}

fn compare(a: &DiffArgs) -> Result<(), String> {
    let before = side(a.a.as_deref(), Side::Rev("HEAD".into()), &a.path)?;
    let after = side(a.b.as_deref(), Side::WorkTree, &a.path)?;
    let mut repo: Option<Repo> = None;
    let ws_a = load(&before, &a.path, &mut repo)?;
    let ws_b = load(&after, &a.path, &mut repo)?;
    let d = diff::diff(&ws_a, &ws_b);
    match a.format {
        DiffFormat::Md => emit(&crate::text::sanitize_multiline(&render_md(&d))),
        DiffFormat::Text => {
            let color = io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            if color {
                // render_text sanitised every piece of workspace text; the
                // only escape sequences left are its own colours.
                emit(&render_text(&d, true))
            } else {
                emit(&crate::text::sanitize_multiline(&render_text(&d, false)))
            }
        }
    }
}

fn load(side: &Side, ws_path: &Path, repo: &mut Option<Repo>) -> Result<Workspace, String> {
    match side {
        Side::Folder(p) => open(p),
        Side::WorkTree => open(ws_path),
        Side::Rev(rev) => {
            let r = match repo {
                Some(r) => r,
                None => repo.insert(Repo::find(ws_path)?),
            };
            r.load(rev)
        }
    }
}

fn open(path: &Path) -> Result<Workspace, String> {
    Store::open(path)
        .map(|(_, ws, _)| ws)
        .map_err(|e| e.to_string())
}

// ---------------------------------------------------------------- git

/// The repository around the current folder, and where the workspace is in it.
struct Repo {
    /// The top of the working tree.
    top: PathBuf,
    /// The workspace folder relative to `top`, `/`-separated ("" at the top).
    rel: String,
}

fn git(dir: Option<&Path>, args: &[&str]) -> Result<std::process::Output, String> {
    let mut c = Command::new("git");
    if let Some(d) = dir {
        c.current_dir(d);
    }
    c.args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(git_missing)
}

fn git_missing(e: io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        "git is not installed (or not on PATH): comparing revisions needs it; \
         to compare two workspace folders, give both"
            .into()
    } else {
        format!("could not run git: {e}")
    }
}

fn stdout_line(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_string()
}

/// Lexically resolves `.` and `..` in a relative path.
fn normalize(p: &Path) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::Normal(s) => out.push(s.to_str()?.to_string()),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

impl Repo {
    fn find(ws_path: &Path) -> Result<Repo, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("the current folder: {e}"))?;
        let o = git(None, &["rev-parse", "--show-toplevel"])?;
        if !o.status.success() {
            return Err(format!(
                "not a git repository: {} (nor any folder above it); comparing revisions \
                 needs one; to compare two workspace folders, give both",
                cwd.display()
            ));
        }
        let top = PathBuf::from(stdout_line(&o));
        let rel = if ws_path.is_absolute() {
            let abs = ws_path
                .canonicalize()
                .unwrap_or_else(|_| ws_path.to_path_buf());
            let top_c = top.canonicalize().unwrap_or_else(|_| top.clone());
            let inside = abs.strip_prefix(&top_c).map_err(|_| {
                format!(
                    "{} is outside the git repository at {}",
                    ws_path.display(),
                    top.display()
                )
            })?;
            normalize(inside)
        } else {
            let o = git(None, &["rev-parse", "--show-prefix"])?;
            let prefix = stdout_line(&o);
            normalize(&Path::new(&prefix).join(ws_path))
        };
        let rel = rel.ok_or_else(|| {
            format!(
                "{} is outside the git repository at {}",
                ws_path.display(),
                top.display()
            )
        })?;
        Ok(Repo {
            top,
            rel: rel.join("/"),
        })
    }

    /// How a file of the workspace at a revision is named in messages.
    fn label(&self, rev: &str) -> String {
        if self.rel.is_empty() {
            format!("{rev}:")
        } else {
            format!("{rev}:{}", self.rel)
        }
    }

    fn git(&self, args: &[&str]) -> Result<std::process::Output, String> {
        git(Some(&self.top), args)
    }

    /// The workspace as it is at `rev`.
    fn load(&self, rev: &str) -> Result<Workspace, String> {
        if rev.starts_with('-') || rev.is_empty() {
            return Err(format!("{rev:?} is not a revision"));
        }
        let o = self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{tree}}"),
        ])?;
        if !o.status.success() {
            let hint = if rev == "HEAD" {
                " (is there a commit yet?)"
            } else {
                ""
            };
            return Err(format!(
                "unknown revision {rev}{hint}: not a commit, branch or tag in {}",
                self.top.display()
            ));
        }
        let tree = stdout_line(&o);
        let missing = || {
            format!(
                "no workspace at {} in revision {rev} (no {} there)",
                if self.rel.is_empty() { "." } else { &self.rel },
                store::WORKSPACE_FILE
            )
        };
        let ws_tree = if self.rel.is_empty() {
            tree
        } else {
            format!("{tree}:{}", self.rel)
        };
        let top = self.ls_tree(&ws_tree).map_err(|_| missing())?;
        let mut files: Vec<(String, String)> = Vec::new();
        let mut folders = Vec::new();
        for e in &top {
            match (e.kind.as_str(), e.name.as_str()) {
                ("blob", name)
                    if e.mode != "120000"
                        && [
                            store::WORKSPACE_FILE,
                            store::OPPORTUNITIES_FILE,
                            store::METRICS_FILE,
                        ]
                        .contains(&name) =>
                {
                    files.push((name.to_string(), e.object.clone()));
                }
                ("tree", name) if store::ENTITY_DIRS.contains(&name) => {
                    folders.push((name.to_string(), e.object.clone()));
                }
                _ => {}
            }
        }
        if !files.iter().any(|(n, _)| n == store::WORKSPACE_FILE) {
            return Err(missing());
        }
        for (folder, t) in folders {
            for e in self.ls_tree(&t)? {
                if e.kind == "blob"
                    && e.mode != "120000"
                    && e.name.ends_with(".ron")
                    && !e.name.starts_with('.')
                    && !e.name.contains('/')
                {
                    files.push((format!("{folder}/{}", e.name), e.object));
                }
            }
        }
        let blobs = self.cat_blobs(files.iter().map(|(_, o)| o.as_str()))?;
        // Notes are read in memory below; the rest (the shared files and the
        // items, a few files each) through the store.
        let notes_prefix = format!("{}/", store::NOTES_DIR);
        let (notes, shared): (Vec<_>, Vec<_>) = files
            .iter()
            .map(|(name, _)| name.as_str())
            .zip(blobs)
            .partition(|(name, _)| name.starts_with(&notes_prefix));
        // The shared files go through the store itself (versions,
        // migrations, conflict records), from a private temporary folder.
        let tmp = tempfile::Builder::new()
            .prefix(".valuemap-diff-")
            .tempdir()
            .map_err(|e| format!("creating a temporary folder: {e}"))?;
        let root = tmp.path().join("ws");
        let label = self.label(rev);
        write_files(&root, &shared)?;
        let loaded = Store::open(&root).map(|(_, ws, _)| ws);
        drop_quietly(tmp);
        let mut ws = loaded.map_err(|e| relabel(&e.to_string(), &root, &label))?;
        // Notes are read in memory: one file each, thousands of them, and
        // writing them out first would cost more than reading them.
        let mut seen = std::collections::HashMap::new();
        for (name, bytes) in notes {
            let path = PathBuf::from(if label.ends_with(':') {
                format!("{label}{name}")
            } else {
                format!("{label}/{name}")
            });
            let text = format::decode_str(&path, &bytes).map_err(|e| e.to_string())?;
            let kind = Path::new(name)
                .parent()
                .and_then(|f| FileKind::of_folder(&f.to_string_lossy()))
                .unwrap_or(FileKind::Note);
            let (entity, conflicts) =
                store::parse_entity(kind, &path, text).map_err(|e| e.to_string())?;
            if let Some(first) = seen.insert(entity.key(), path.clone()) {
                return Err(format!(
                    "{} and {} both hold {} {}; remove or rename one",
                    first.display(),
                    path.display(),
                    kind.noun(),
                    entity.key_id()
                ));
            }
            ws.conflicts.extend(conflicts);
            entity.put_into(&mut ws);
        }
        ws.normalize();
        Ok(ws)
    }

    fn ls_tree(&self, tree: &str) -> Result<Vec<TreeEntry>, String> {
        let o = self.git(&["ls-tree", "-z", tree])?;
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).trim().to_string());
        }
        let mut out = Vec::new();
        for rec in o.stdout.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let rec = String::from_utf8_lossy(rec);
            let Some((meta, name)) = rec.split_once('\t') else {
                continue;
            };
            let mut m = meta.split(' ');
            let (Some(mode), Some(kind), Some(object)) = (m.next(), m.next(), m.next()) else {
                continue;
            };
            out.push(TreeEntry {
                mode: mode.to_string(),
                kind: kind.to_string(),
                object: object.to_string(),
                name: name.to_string(),
            });
        }
        Ok(out)
    }

    /// The contents of blobs, in one `git cat-file --batch`.
    fn cat_blobs<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>, String> {
        let ids: Vec<&str> = ids.collect();
        let mut child = Command::new("git")
            .current_dir(&self.top)
            .args(["cat-file", "--batch"])
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(git_missing)?;
        let mut input = ids.join("\n");
        input.push('\n');
        let stdin = child.stdin.take();
        // Written on its own thread: git answers while it reads, and a full
        // pipe either way must not stop the other.
        let writer = std::thread::spawn(move || {
            if let Some(mut s) = stdin {
                let _ = s.write_all(input.as_bytes());
            }
        });
        let out = child
            .wait_with_output()
            .map_err(|e| format!("reading from git: {e}"))?;
        let _ = writer.join();
        if !out.status.success() {
            return Err(format!(
                "git cat-file failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let mut rest: &[u8] = &out.stdout;
        let mut blobs = Vec::with_capacity(ids.len());
        for id in ids {
            let nl = rest
                .iter()
                .position(|b| *b == b'\n')
                .ok_or("git cat-file ended early")?;
            let header = String::from_utf8_lossy(&rest[..nl]).to_string();
            rest = &rest[nl + 1..];
            let size: usize = header
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .filter(|_| header.split(' ').nth(1) == Some("blob"))
                .ok_or_else(|| format!("git could not read object {id}: {header}"))?;
            if rest.len() < size {
                return Err("git cat-file ended early".into());
            }
            blobs.push(rest[..size].to_vec());
            rest = rest.get(size + 1..).unwrap_or_default();
        }
        Ok(blobs)
    }
}

struct TreeEntry {
    mode: String,
    kind: String,
    object: String,
    name: String,
}

/// Writes files of a workspace read from git into a private folder.
fn write_files(root: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), String> {
    fn io(p: &Path) -> impl FnOnce(io::Error) -> String + '_ {
        move |e| format!("{}: {e}", p.display())
    }
    store::atomic::ensure_private_dir(root).map_err(io(root))?;
    for (name, bytes) in files {
        let path = root.join(name);
        if let Some(dir) = path.parent().filter(|d| *d != root) {
            store::atomic::ensure_private_dir(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        let _ = store::atomic::set_mode(&path, 0o600);
    }
    Ok(())
}

/// A message about a file in the temporary folder, naming it the way git
/// does (`HEAD~1:ws/notes/x.ron`).
fn relabel(msg: &str, root: &Path, label: &str) -> String {
    let root = root.display().to_string();
    let joined = if label.ends_with(':') {
        label.to_string()
    } else {
        format!("{label}/")
    };
    msg.replace(&format!("{root}/"), &joined)
        .replace(&root, label)
}

fn drop_quietly(tmp: TempDir) {
    let _ = tmp.close();
}
