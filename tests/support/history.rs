//! Helpers for the tests of history read from git (`tests/log.rs`,
//! `tests/policy.rs`, `tests/delivery.rs`): commits at chosen dates, and
//! edits made to a workspace through the library, as the interface makes
//! them. Included after `support/git.rs`:
//! `#[path = "support/history.rs"] mod history;`.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use valuemap::model::Workspace;
use valuemap::store::{Scope, Store};

use super::git::{Repo, Run, isolate, run};

/// git in `dir` with the test identity, and both dates set to `date`
/// (`YYYY-MM-DD`, noon UTC).
pub fn git_at(dir: &Path, root: &Path, date: &str, args: &[&str]) -> Run {
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
    ])
    .args(args);
    isolate(&mut c, dir, root);
    let stamp = format!("{date}T12:00:00+00:00");
    c.env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp);
    run(c)
}

/// Commits everything on `date`.
#[track_caller]
pub fn commit_at(r: &Repo, date: &str, message: &str) -> String {
    let add = git_at(&r.root, &r.root, date, &["add", "-A"]);
    assert_eq!(add.code, Some(0), "{add:?}");
    let c = git_at(
        &r.root,
        &r.root,
        date,
        &["commit", "--quiet", "-m", message],
    );
    assert_eq!(c.code, Some(0), "{c:?}");
    head(r)
}

/// The full id of HEAD.
pub fn head(r: &Repo) -> String {
    rev(r, "HEAD")
}

pub fn rev(r: &Repo, name: &str) -> String {
    r.git_ok(&["rev-parse", name]).stdout.trim().to_string()
}

/// Changes the workspace at `path` through the store, as a save would.
pub fn edit(path: &Path, f: impl FnOnce(&mut Workspace)) {
    let (mut store, mut ws, _) = Store::open(path).unwrap();
    f(&mut ws);
    ws.normalize();
    store.save(&ws, &Scope::All, true).unwrap();
}

/// The perspective of `persona` on `activity`, to change.
pub fn cell<'a>(
    ws: &'a mut Workspace,
    persona: &str,
    activity: &str,
) -> &'a mut valuemap::model::Perspective {
    ws.perspectives
        .iter_mut()
        .find(|p| p.persona.as_str() == persona && p.activity.as_str() == activity)
        .expect("the template has this cell")
}
