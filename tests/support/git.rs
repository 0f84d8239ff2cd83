//! Real git repositories in temporary folders, for the tests of merging and
//! diffing (`tests/git_merge.rs`, `tests/diff.rs`). Included with
//! `#[path = "support/git.rs"] mod git;`.
//!
//! Without `git` the tests print a notice and pass, unless
//! `VALUEMAP_REQUIRE_GIT=1` is set (as `.ci/run` does): then they fail. git
//! runs with `GIT_CONFIG_GLOBAL=/dev/null` and `GIT_CONFIG_NOSYSTEM=1`, so
//! neither the user's configuration nor anything outside the temporary
//! folder is read or touched; the identity for commits is given with `-c`.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_valuemap");

/// Whether git can run; says why a test is skipped, or fails it when git
/// is required.
pub fn git_available(test: &str) -> bool {
    let found = Command::new("git")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return true;
    }
    if std::env::var("VALUEMAP_REQUIRE_GIT").is_ok_and(|v| v == "1") {
        panic!("{test}: git is not installed, and VALUEMAP_REQUIRE_GIT=1 requires these tests");
    }
    eprintln!("{test}: skipped: git not installed");
    false
}

/// git and valuemap see only the temporary folder: no global or system git
/// configuration, no repository above `root`, no HOME.
pub fn isolate(c: &mut Command, cwd: &Path, root: &Path) {
    c.current_dir(cwd)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", root.parent().unwrap_or(root))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_MERGE_AUTOEDIT", "no")
        .env("HOME", root.join("no-such-home"))
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env("NO_COLOR", "1")
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .stdin(Stdio::null());
}

/// What a command did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs a command to its end; no command may panic.
pub fn run(mut c: Command) -> Run {
    let o = c.output().expect("the command runs");
    let r = Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(!r.stderr.contains("panicked"), "{r:?}");
    r
}

/// A temporary folder holding a git repository (on branch `main`).
pub struct Repo {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

impl Repo {
    pub fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        fs::create_dir(&root).unwrap();
        let r = Repo { _tmp: tmp, root };
        r.git_ok(&["init", "--quiet"]);
        r
    }

    /// The workspace folder most tests keep in the repository.
    pub fn ws(&self) -> PathBuf {
        self.root.join("ws")
    }

    pub fn git(&self, args: &[&str]) -> Run {
        let mut c = Command::new("git");
        c.args([
            "-c",
            "user.name=valuemap test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "core.autocrlf=false",
            "-c",
            "merge.conflictstyle=merge",
        ])
        .args(args);
        isolate(&mut c, &self.root, &self.root);
        run(c)
    }

    #[track_caller]
    pub fn git_ok(&self, args: &[&str]) -> Run {
        let r = self.git(args);
        assert_eq!(r.code, Some(0), "git {args:?}: {r:?}");
        r
    }

    pub fn commit_all(&self, message: &str) {
        self.git_ok(&["add", "-A"]);
        self.git_ok(&["commit", "--quiet", "-m", message]);
    }

    /// valuemap, run in `cwd` (relative to the repository).
    pub fn vm_in(&self, cwd: &str, args: &[&str]) -> Run {
        let mut c = Command::new(BIN);
        c.args(args);
        isolate(&mut c, &self.root.join(cwd), &self.root);
        run(c)
    }

    pub fn vm(&self, args: &[&str]) -> Run {
        self.vm_in(".", args)
    }

    #[track_caller]
    pub fn vm_ok(&self, args: &[&str]) -> Run {
        let r = self.vm(args);
        assert_eq!(r.code, Some(0), "valuemap {args:?}: {r:?}");
        r
    }
}
