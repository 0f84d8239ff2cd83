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

/// Imports Markdown interview notes: every `.md` file of the folder `source`
/// (not its subfolders), or the one file `source`.
pub fn markdown(ws: &Workspace, source: &Path, accept: bool) -> Result<Plan, ImportError> {
    let mut plan = Plan::new(ws);
    let files: Vec<PathBuf> = if source.is_dir() {
        let entries = fs::read_dir(source)
            .map_err(|e| ImportError::one(format!("{}: {e}", source.display())))?;
        let mut v: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                p.is_file()
                    && name
                        .is_some_and(|n| !n.starts_with('.') && n.to_lowercase().ends_with(".md"))
            })
            .collect();
        v.sort();
        v
    } else if source.is_file() {
        vec![source.to_path_buf()]
    } else {
        return Err(ImportError::one(format!(
            "{}: no such folder",
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
