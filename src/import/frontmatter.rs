//! The front matter of a Markdown note: `key: value` lines between `---`
//! lines at the top of the file.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{date, list, tag_list, unquote};
use crate::capture::{At, Draft};

const FRONT_MATTER_KEYS: &str = "interviewee, persona, date, activities, tags, title";

/// Reads the front matter at the top of a note's `lines` (if it has any)
/// into `draft`. Gives the date it names and the index of the body's first
/// line; `None` when the note cannot be read at all (the front matter is
/// never closed). Problems go to `problems`.
pub(super) fn read(
    file: &str,
    lines: &[&str],
    draft: &mut Draft,
    problems: &mut Vec<String>,
) -> Option<(Option<NaiveDate>, usize)> {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Some((None, 0));
    }
    let mut date_given = None;
    let Some(end) = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .map(|i| i + 1)
    else {
        problems.push(format!(
            "{file}:1: the front matter starts with --- but no line closes it with ---"
        ));
        return None;
    };
    let mut seen: HashSet<&'static str> = HashSet::new();
    // The list key whose `- item` lines follow.
    let mut open_list: Option<&'static str> = None;
    for (i, raw) in lines[1..end].iter().enumerate() {
        let line_no = i + 2;
        let at = format!("{file}:{line_no}");
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(item) = t.strip_prefix('-').filter(|_| open_list.is_some()) {
            let item = unquote(item).to_string();
            if item.is_empty() {
                continue;
            }
            match open_list {
                Some("activities") => draft.activities.push(At { value: item, at }),
                _ => draft.tags.push(item),
            }
            continue;
        }
        open_list = None;
        let Some((k, v)) = t.split_once(':') else {
            problems.push(format!(
                "{at}: expected `key: value` in the front matter (keys: {FRONT_MATTER_KEYS})"
            ));
            continue;
        };
        let key: &'static str = match k.trim().to_lowercase().as_str() {
            "interviewee" => "interviewee",
            "persona" => "persona",
            "date" => "date",
            "activities" | "activity" => "activities",
            "tags" | "tag" => "tags",
            "title" => "title",
            other => {
                problems.push(format!(
                    "{at}: unknown front matter key {other:?} (keys: {FRONT_MATTER_KEYS})"
                ));
                continue;
            }
        };
        if !seen.insert(key) {
            problems.push(format!("{at}: {key} is given twice"));
            continue;
        }
        let value = v.trim();
        match key {
            "interviewee" => draft.interviewee = unquote(value).to_string(),
            "persona" => {
                draft.persona = Some(At {
                    value: unquote(value).to_string(),
                    at,
                });
            }
            "title" => {
                draft.title = Some(At {
                    value: unquote(value).to_string(),
                    at,
                });
            }
            "date" => match date(unquote(value)) {
                Ok(d) => date_given = Some(d),
                Err(e) => problems.push(format!("{at}: date: {e}")),
            },
            "activities" => {
                if value.is_empty() {
                    open_list = Some("activities");
                }
                for a in list(value, &[',', ';']) {
                    draft.activities.push(At {
                        value: a,
                        at: at.clone(),
                    });
                }
            }
            _ => {
                if value.is_empty() {
                    open_list = Some("tags");
                }
                draft.tags.extend(tag_list(value));
            }
        }
    }
    Some((date_given, end + 1))
}
