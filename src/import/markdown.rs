//! A folder of Markdown interview notes: one note per `.md` file, with
//! optional front matter ([`super::frontmatter`]) and a body in the capture
//! line syntax.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ImportError, Plan, add_notes, frontmatter, mtime_date, read, utf8};
use crate::capture::Draft;
use crate::model::Workspace;

/// Reads one Markdown note: optional front matter between `---` lines, then
/// the body in the capture syntax. Problems go to `problems`; the note is
/// still given (so its persona and activities are checked too) unless the
/// file cannot be read as a note at all. Also gives what the front matter
/// held besides the note's fields.
fn markdown_draft(
    path: &Path,
    text: &str,
    problems: &mut Vec<String>,
) -> Option<(Draft, frontmatter::FrontMatter)> {
    let file = path.display().to_string();
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut draft = Draft {
        origin: file.clone(),
        ..Draft::default()
    };
    let front = frontmatter::read(&file, &lines, &mut draft, problems)?;
    draft.date = match front.date {
        Some(d) => d,
        None => match mtime_date(path) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e);
                return None;
            }
        },
    };
    draft.body = lines.get(front.body_start..).unwrap_or_default().join("\n");
    Some((draft, front))
}

/// Whether a file name is a note's: `.md` (without case), not hidden.
fn is_note_name(name: &str) -> bool {
    !name.starts_with('.') && name.to_lowercase().ends_with(".md")
}

/// The notes of the folder `dir`, sorted: its `.md` files (not hidden, not
/// in subfolders). A symbolic link is followed only to a file inside the
/// folder (or one of its subfolders); any other link is left out with a
/// notice, so that a link to a private file elsewhere is never read into
/// the workspace.
fn notes_in(dir: &Path, notices: &mut Vec<String>) -> Result<Vec<PathBuf>, ImportError> {
    let entries =
        fs::read_dir(dir).map_err(|e| ImportError::one(format!("{}: {e}", dir.display())))?;
    let real_dir = fs::canonicalize(dir);
    let mut entries: Vec<fs::DirEntry> = entries.flatten().collect();
    entries.sort_by_key(fs::DirEntry::path);
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if !is_note_name(&name.to_string_lossy()) {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            let why = match (&real_dir, fs::canonicalize(&path)) {
                (Ok(d), Ok(target)) if !target.starts_with(d) => {
                    Some(format!("a symbolic link out of {}", dir.display()))
                }
                (Ok(_), Ok(target)) if !target.is_file() => {
                    Some("a symbolic link to something that is not a file".to_string())
                }
                (Ok(_), Ok(_)) => None,
                (_, Err(e)) => Some(format!("a symbolic link that cannot be followed ({e})")),
                (Err(e), _) => Some(format!(
                    "a symbolic link, and {} cannot be resolved ({e})",
                    dir.display()
                )),
            };
            if let Some(why) = why {
                notices.push(format!("{}: {why}; left out", path.display()));
                continue;
            }
        } else if !kind.is_file() {
            // A FIFO, a device, a socket or a folder named like a note: never
            // opened (a FIFO would block the import), but said.
            notices.push(format!(
                "{}: {}, not a file; left out",
                path.display(),
                crate::store::read::describe(kind)
            ));
            continue;
        }
        out.push(path);
    }
    Ok(out)
}

/// Imports Markdown interview notes: every `.md` file of the folder `source`
/// (not its subfolders), or the one file `source`.
pub fn markdown(ws: &Workspace, source: &Path, accept: bool) -> Result<Plan, ImportError> {
    let mut plan = Plan::new(ws);
    let files: Vec<PathBuf> = if source.is_dir() {
        notes_in(source, &mut plan.notices)?
    } else if source.symlink_metadata().is_ok() {
        // One file; reading it says what is wrong if it is not a regular
        // file (a FIFO, a device), without blocking.
        vec![source.to_path_buf()]
    } else {
        return Err(ImportError::one(format!(
            "{}: no such file or folder",
            source.display()
        )));
    };
    if files.is_empty() {
        return Err(ImportError::one(format!(
            "{}: no .md files in it",
            source.display()
        )));
    }
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    // Keys left out, each with the number of notes that have it.
    let mut ignored: Vec<(String, usize)> = Vec::new();
    for f in &files {
        let text = match read(f).and_then(|b| utf8(f, b)) {
            Ok(t) => t,
            Err(e) => {
                problems.extend(e.problems);
                continue;
            }
        };
        let Some((draft, front)) = markdown_draft(f, &text, &mut problems) else {
            continue;
        };
        drafts.push(draft);
        plan.notices.extend(front.notices);
        for k in front.ignored {
            match ignored.iter_mut().find(|(x, _)| *x == k) {
                Some((_, n)) => *n += 1,
                None => ignored.push((k, 1)),
            }
        }
    }
    if !ignored.is_empty() {
        let keys: Vec<String> = ignored
            .iter()
            .map(|(k, n)| format!("{k} ({n} note{})", if *n == 1 { "" } else { "s" }))
            .collect();
        plan.notices.push(format!(
            "front matter left out (valuemap reads {}): {}",
            frontmatter::KEYS,
            keys.join(", ")
        ));
    }
    add_notes(ws, drafts, accept, plan, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_only_inside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("notes");
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("a.md"), "A").unwrap();
        fs::write(dir.join("sub/b.md"), "B").unwrap();
        fs::write(dir.join(".hidden.md"), "H").unwrap();
        fs::write(dir.join("c.txt"), "C").unwrap();
        fs::write(tmp.path().join("outside.md"), "O").unwrap();
        let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, dir.join(name)).unwrap();
        link(&dir.join("a.md"), "same.md");
        link(&dir.join("sub/b.md"), "b.md");
        link(Path::new("sub/b.md"), "relative.md");
        link(&tmp.path().join("outside.md"), "out.md");
        link(Path::new("../outside.md"), "dotdot.md");
        link(Path::new("nowhere.md"), "broken.md");
        link(&dir.join("sub"), "folder.md");
        let mut notices = Vec::new();
        let found = notes_in(&dir, &mut notices).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.md", "b.md", "relative.md", "same.md"]);
        let d = dir.display();
        assert_eq!(
            notices,
            [
                format!(
                    "{d}/broken.md: a symbolic link that cannot be followed (No such file or directory (os error 2)); left out"
                ),
                format!("{d}/dotdot.md: a symbolic link out of {d}; left out"),
                format!("{d}/folder.md: a symbolic link to something that is not a file; left out"),
                format!("{d}/out.md: a symbolic link out of {d}; left out"),
            ]
        );
    }
}
