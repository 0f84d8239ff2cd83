//! The workspace's history, read from git: every commit that touched it,
//! the workspace as it was at each, what changed commit by commit in
//! discovery terms ([`crate::diff`]), one entity's timeline, and the
//! `Delivers:` trailers of commit messages.
//!
//! git itself is run (as `valuemap diff` and the merge driver do): `git
//! log` lists the commits, with git's own history simplification, date
//! parsing, shallow-clone grafts and trailer parsing, and one long-lived
//! `git cat-file --batch` reads every tree and file. Each file version is
//! parsed once, by its blob id, and each workspace version (the same four
//! ids) is assembled once, so a walk costs about one parse per change.
//!
//! The folder is split by job: `cat.rs` talks to `git cat-file`, `walk.rs`
//! lists the commits (following a moved workspace folder), `load.rs`
//! builds the workspace at a commit, `log.rs` the per-commit changes,
//! `timeline.rs` one entity's values over time, `trailers.rs` reads
//! `Delivers:` trailers.

mod cat;
mod entity;
mod load;
mod log;
mod timeline;
mod trailers;
mod walk;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, FixedOffset};

pub use entity::resolve_entity;
pub use log::{CommitChanges, changes, render_log};
pub use timeline::{
    Fact, Row, RowKind, Timeline, facts, render_timeline, row_changes, row_heading, timeline,
};
pub use trailers::{Delivery, TRAILER, deliveries};
pub use walk::{History, Since};

/// A commit that touched the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    /// The real parents (absent in a shallow clone's oldest commits).
    pub parents: Vec<String>,
    pub author: String,
    /// The author's date.
    pub date: DateTime<FixedOffset>,
    pub subject: String,
    /// Where the workspace folder is in this commit ("" at the top).
    pub rel: String,
    /// Where it is in each parent (differs when the commit moved it).
    pub parent_rels: Vec<String>,
    /// A shallow clone's boundary: its parents are not in this clone.
    pub cut: bool,
}

impl Commit {
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(8)]
    }
}

/// The repository around a workspace folder.
pub struct Repo {
    /// The top of the working tree.
    pub top: PathBuf,
    /// The workspace folder relative to `top`, `/`-separated ("" at the top).
    pub rel: String,
    /// Whether this is a shallow clone.
    pub shallow: bool,
    cat: RefCell<Option<cat::Cat>>,
    cache: RefCell<load::Cache>,
}

/// The message for git that could not be started.
fn spawn_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        "git is not installed (or not on PATH): the workspace's history is read from git".into()
    } else {
        format!("could not run git: {e}")
    }
}

fn git_in(dir: &Path, args: &[&str]) -> Result<Output, String> {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(spawn_error)
}

fn first_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r')
        .to_string()
}

impl Repo {
    /// The repository holding the workspace folder `ws`. Outside git (or
    /// without git) the error says so in words.
    pub fn discover(ws: &Path) -> Result<Repo, String> {
        let (top, rel) = Repo::locate(ws)?;
        let o = git_in(&top, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
        if !o.status.success() {
            return Err(format!(
                "the git repository at {} has no commit yet: commit the workspace first",
                top.display()
            ));
        }
        let o = git_in(&top, &["rev-parse", "--is-shallow-repository"])?;
        let shallow = first_line(&o) == "true";
        Ok(Repo {
            top,
            rel,
            shallow,
            cat: RefCell::new(None),
            cache: RefCell::new(load::Cache::default()),
        })
    }

    /// The top of the working tree around the folder `ws`, and the folder
    /// as a path from there (`/`-separated, "" at the top). A repository
    /// without commits is fine here.
    pub fn locate(ws: &Path) -> Result<(PathBuf, String), String> {
        if !ws.is_dir() {
            return Err(format!("{} is not a folder", ws.display()));
        }
        let o = git_in(ws, &["rev-parse", "--show-toplevel"])?;
        if !o.status.success() {
            return Err(format!(
                "{} is not in a git repository, so there is no history to read: \
                 commit the workspace with git (git init, git add, git commit) and its \
                 history builds up from there",
                ws.display()
            ));
        }
        let top = PathBuf::from(first_line(&o));
        let o = git_in(ws, &["rev-parse", "--show-prefix"])?;
        let rel = first_line(&o).trim_end_matches('/').to_string();
        Ok((top, rel))
    }

    /// Runs git at the top of the working tree.
    pub fn git(&self, args: &[&str]) -> Result<Output, String> {
        git_in(&self.top, args)
    }

    /// The full id of a commit named by `rev`; `None` when it names none.
    pub fn resolve(&self, rev: &str) -> Result<Option<String>, String> {
        if rev.is_empty() || rev.starts_with('-') {
            return Ok(None);
        }
        let o = self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ])?;
        Ok(o.status.success().then(|| first_line(&o)))
    }

    /// The commit's committer date.
    pub fn commit_date(&self, id: &str) -> Result<DateTime<FixedOffset>, String> {
        let o = self.git(&["show", "-s", "--format=%cI", id, "--"])?;
        DateTime::parse_from_rfc3339(first_line(&o).trim())
            .map_err(|_| format!("git gave no date for commit {id}"))
    }

    /// The newest common ancestor of two commits.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>, String> {
        let o = self.git(&["merge-base", a, b])?;
        Ok(o.status.success().then(|| first_line(&o)))
    }

    /// Reads one object through the long-lived `git cat-file`.
    fn object(&self, expr: &str) -> Result<Option<cat::Object>, String> {
        let mut slot = self.cat.borrow_mut();
        if slot.is_none() {
            *slot = Some(cat::Cat::start(&self.top)?);
        }
        let cat = slot.as_mut().expect("started above");
        cat.get(expr)
    }

    /// How the workspace folder is shown in messages.
    pub fn where_(&self) -> String {
        if self.rel.is_empty() {
            self.top.display().to_string()
        } else {
            self.top.join(&self.rel).display().to_string()
        }
    }
}
