//! Git integration: the semantic merge driver and `git-setup`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::{print_error, say};
use crate::merge;
use crate::store::read::{self, MAX_FILE_LEN};

/// `valuemap merge-driver %O %A %B %P`: git's merge driver for workspace
/// files. The result goes into %A. Exit 0: merged cleanly; exit 1: true
/// conflicts were recorded in the file (it still parses) or the versions
/// could not be read (then git's own text merge is left in %A).
pub fn merge_driver(base: &Path, ours: &Path, theirs: &Path, name: &Path) -> ExitCode {
    let read = |p: &Path| -> Result<String, String> {
        // Git hands over regular files; anything else is refused, not read.
        let bytes = read::read_regular_file(p, MAX_FILE_LEN).map_err(|e| e.to_string())?;
        crate::store::format::decode(name, &bytes).map_err(|e| e.to_string())
    };
    let result = (|| -> Result<merge::Merged, String> {
        let b = read(base)?;
        let o = read(ours)?;
        let t = read(theirs)?;
        let b = (!b.trim().is_empty()).then_some(b);
        merge::merge_file(name, b.as_deref(), &o, &t).map_err(|e| e.to_string())
    })();
    match result {
        Ok(m) => {
            if let Err(e) = crate::store::atomic::write_atomic(ours, m.text.as_bytes()) {
                print_error(format!("{}: {e}", ours.display()));
                return ExitCode::FAILURE;
            }
            if m.conflicts.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "valuemap: {}: {} conflicting edit(s) recorded; the file is valid. Settle them in valuemap (:conflicts) or see `valuemap check`, then `git add` the file.",
                    name.display(),
                    m.conflicts.len()
                );
                for c in &m.conflicts {
                    eprintln!(
                        "  {:?} {}: kept {}, the other branch had {}",
                        c.target,
                        crate::text::sanitize(&c.field),
                        crate::text::truncate(&crate::text::sanitize(&c.ours), 50),
                        crate::text::truncate(&crate::text::sanitize(&c.theirs), 50)
                    );
                }
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            // git's line merge reads the three files too: only regular
            // files, or it would block on a FIFO as this driver did not.
            let regular = [base, ours, theirs]
                .iter()
                .all(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
            if !regular {
                print_error(format!("{}: cannot merge ({e})", name.display()));
                return ExitCode::FAILURE;
            }
            print_error(format!(
                "{}: cannot merge by meaning ({e}); falling back to git's line merge",
                name.display()
            ));
            // Leave git's usual conflict markers so nothing is lost.
            let _ = Command::new("git")
                .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
                .arg(ours)
                .arg(base)
                .arg(theirs)
                .status();
            ExitCode::FAILURE
        }
    }
}

const ATTRIBUTES: [&str; 11] = [
    "workspace.ron merge=valuemap diff=valuemap",
    "notes/*.ron merge=valuemap diff=valuemap",
    "opportunities/*.ron merge=valuemap diff=valuemap",
    "metrics/*.ron merge=valuemap diff=valuemap",
    "outcomes/*.ron merge=valuemap diff=valuemap",
    "solutions/*.ron merge=valuemap diff=valuemap",
    "assumptions/*.ron merge=valuemap diff=valuemap",
    "needs-layers/*.ron merge=valuemap diff=valuemap",
    "needs/*.ron merge=valuemap diff=valuemap",
    // Format version 1's lists, while branches from before still merge.
    "opportunities.ron merge=valuemap diff=valuemap",
    "metrics.ron merge=valuemap diff=valuemap",
];

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// A hint for `valuemap check` when the workspace is in a git repository
/// that does not merge it by meaning: `.gitattributes` lacks the driver
/// lines, or this clone's config lacks the driver (git then falls back to
/// its line merge without a word). `None` outside git, or without git.
pub fn setup_hint(ws: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(ws).ok()?;
    abs.ancestors().find(|d| d.join(".git").exists())?;
    let attrs = read_attributes(ws).ok().flatten().unwrap_or_default();
    let attributes_set = ATTRIBUTES
        .iter()
        .all(|l| attrs.lines().any(|e| e.trim() == *l));
    let driver_set = match git(ws, &["config", "--get", "merge.valuemap.driver"]) {
        Ok(v) => !v.is_empty(),
        // git itself is missing or broken: nothing to suggest.
        Err(e) if e.starts_with("cannot run git") => return None,
        Err(_) => false,
    };
    (!attributes_set || !driver_set).then(|| {
        format!(
            "{} is in a git repository that merges it line by line; `valuemap git-setup {}` makes git merge and diff it by meaning (once per clone)",
            ws.display(),
            ws.display()
        )
    })
}

/// The largest `.gitattributes` valuemap reads.
const MAX_ATTRIBUTES_LEN: u64 = 1024 * 1024;

/// The workspace folder's `.gitattributes`: `None` when there is none. A
/// symbolic link (even one inside the workspace), a FIFO or a device is an
/// error: valuemap neither reads nor writes through it.
fn read_attributes(ws: &Path) -> Result<Option<String>, String> {
    let path = ws.join(".gitattributes");
    let meta = match path.symlink_metadata() {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if meta.file_type().is_symlink() {
        let to = std::fs::read_link(&path)
            .map(|t| crate::text::sanitize(&t.to_string_lossy()))
            .unwrap_or_default();
        return Err(format!(
            "{} is a symbolic link to {to}; valuemap does not write through it. \
             Replace it with a file, or add these lines where it leads:\n{}",
            path.display(),
            ATTRIBUTES.join("\n")
        ));
    }
    let bytes =
        read::read_workspace_file(ws, &path, MAX_ATTRIBUTES_LEN).map_err(|e| e.to_string())?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("{} is not UTF-8 text; not changed", path.display()))
}

/// Quotes a path for the shell git runs drivers with.
fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// `valuemap git-setup [PATH]`: `.gitattributes` in the workspace folder and
/// the merge driver and diff text conversion in the repository's config.
/// Running it again changes nothing.
pub fn setup(path: Option<PathBuf>) -> ExitCode {
    match setup_inner(path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(e);
            ExitCode::FAILURE
        }
    }
}

fn setup_inner(path: Option<PathBuf>) -> Result<(), String> {
    let ws = path.unwrap_or_else(|| PathBuf::from("."));
    if !ws.join(crate::store::WORKSPACE_FILE).exists() {
        return Err(format!(
            "{} holds no workspace ({} not found)",
            ws.display(),
            crate::store::WORKSPACE_FILE
        ));
    }
    let top = git(&ws, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        format!(
            "{} is not in a git repository ({e}); run `git init` first",
            ws.display()
        )
    })?;
    // .gitattributes beside the workspace files, with patterns relative to it.
    let attrs = ws.join(".gitattributes");
    let existing = read_attributes(&ws)?.unwrap_or_default();
    let missing: Vec<&str> = ATTRIBUTES
        .iter()
        .copied()
        .filter(|l| !existing.lines().any(|e| e.trim() == *l))
        .collect();
    if missing.is_empty() {
        say!("{}: already set up", attrs.display());
    } else {
        let mut text = existing.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if !existing.contains("# valuemap") {
            text.push_str(
                "# valuemap: merge and diff workspace files by meaning (valuemap git-setup)\n",
            );
        }
        for l in &missing {
            text.push_str(l);
            text.push('\n');
        }
        // Replaced whole (never appended through whatever is there).
        crate::store::atomic::write_atomic(&attrs, text.as_bytes())
            .map_err(|e| format!("{}: {e}", attrs.display()))?;
        say!("{}: added {} line(s)", attrs.display(), missing.len());
    }
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the valuemap binary: {e}"))?;
    let exe = shell_quote(&exe);
    for (key, value) in [
        (
            "merge.valuemap.name",
            "valuemap: merge workspace files by id, field by field".to_string(),
        ),
        (
            "merge.valuemap.driver",
            format!("{exe} merge-driver %O %A %B %P"),
        ),
        ("diff.valuemap.textconv", format!("{exe} diff --textconv")),
    ] {
        let current =
            git(Path::new(&top), &["config", "--local", "--get", key]).unwrap_or_default();
        if current == value {
            continue;
        }
        git(Path::new(&top), &["config", "--local", key, &value])?;
        say!("git config {key} = {value}");
    }
    say!(
        "Merges of the workspace in {top} now go by meaning; `valuemap check` and the interface (:conflicts) report true conflicts."
    );
    Ok(())
}
