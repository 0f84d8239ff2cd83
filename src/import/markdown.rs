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
/// file cannot be read as a note at all.
fn markdown_draft(path: &Path, text: &str, problems: &mut Vec<String>) -> Option<Draft> {
    let file = path.display().to_string();
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut draft = Draft {
        origin: file.clone(),
        ..Draft::default()
    };
    let (date_given, body_start) = frontmatter::read(&file, &lines, &mut draft, problems)?;
    draft.date = match date_given {
        Some(d) => d,
        None => match mtime_date(path) {
            Ok(d) => d,
            Err(e) => {
                problems.push(e);
                return None;
            }
        },
    };
    draft.body = lines.get(body_start..).unwrap_or_default().join("\n");
    Some(draft)
}

/// Imports Markdown interview notes: every `.md` file of the folder `source`
/// (not its subfolders), or the one file `source`.
pub fn markdown(ws: &Workspace, source: &Path, accept: bool) -> Result<Plan, ImportError> {
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
    for f in &files {
        let text = match read(f).and_then(|b| utf8(f, b)) {
            Ok(t) => t,
            Err(e) => {
                problems.extend(e.problems);
                continue;
            }
        };
        drafts.extend(markdown_draft(f, &text, &mut problems));
    }
    add_notes(ws, drafts, accept, Plan::new(ws), problems)
}
